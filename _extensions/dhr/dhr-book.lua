-- dhr-kit's Quarto filter for Typst books (after Quarto's own filters, when cross-references are
-- resolved): a part is a banner over its first chapter; the appendices are lettered ("Appendix A", A.1).
local appendix_started = false

local function typst_inlines(inlines)
  return (pandoc.write(pandoc.Pandoc({pandoc.Plain(inlines)}), "typst"):gsub("%s+$", ""))
end

local function appendix_heading(el)
  local numbered = not el.classes:includes("unnumbered")
  local label = el.identifier ~= "" and (" <" .. el.identifier .. ">") or ""
  return pandoc.RawBlock("typst", "#heading(level: " .. el.level .. ", numbering: "
    .. (numbered and "dhr-appendix-numbering" or "none") .. ", supplement: [Appendix])["
    .. typst_inlines(el.content) .. "]" .. label)
end

function Header(el)
  if not quarto.doc.is_format("typst") then return nil end
  local state = quarto.doc.file_metadata and quarto.doc.file_metadata()
  local file = state and state.file
  local kind = file and file.bookItemType
  if kind == "part" and el.level == 1 then
    return pandoc.RawBlock("typst", "#dhr-part[" .. typst_inlines(el.content) .. "]")
  end
  -- Quarto marks only the "Appendices" divider as an appendix: every heading after it is in an appendix
  if kind ~= "appendix" and not appendix_started then return nil end
  local out = {}
  if not appendix_started then
    appendix_started = true
    table.insert(out, pandoc.RawBlock("typst", "#dhr-in-appendix.update(true)\n#counter(heading).update(0)"))
  end
  if kind == "appendix" and el.level == 1 and el.classes:includes("unnumbered") then
    table.insert(out, pandoc.RawBlock("typst", "#dhr-part(newpage: true)[" .. typst_inlines(el.content) .. "]"))
    return out
  end
  table.insert(out, appendix_heading(el))
  return out
end

-- Quarto's book markers tell which file (part, chapter, appendix) a heading comes from only to a filter
-- that reads them during its own traversal.
return quarto.utils.combineFilters({quarto.utils.file_metadata_filter(), {Header = Header}})
