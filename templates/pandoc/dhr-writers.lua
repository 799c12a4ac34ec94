-- dhr-kit output writers' filter: callouts and image alt text, for typst, html and docx.
-- Quarto-style callouts (::: {.callout-note} with an optional first heading or title="…")
-- become a boxed block (typst), a div with role="note" and a title (html), or a quoted
-- block with a bold title (docx). `fig-alt` becomes the image's alt text in every format.
-- Also: `{{< pagebreak >}}` (a `.pagebreak` div) as a page break, and equations with alt text in Typst.

local KINDS = {
  note = "Note", tip = "Tip", warning = "Warning", caution = "Caution", important = "Important",
}

local function callout_kind(div)
  for _, class in ipairs(div.classes) do
    local kind = class:match("^callout%-(%a+)$")
    if kind and KINDS[kind] then return kind end
  end
  return nil
end

local function typst_string(text)
  text = text:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("[\r\n]+", " ")
  return '"' .. text .. '"'
end

local function typst_inlines(inlines)
  local out = pandoc.write(pandoc.Pandoc({ pandoc.Plain(inlines) }), "typst")
  return (out:gsub("%s+$", ""))
end

local function title_and_body(div, kind)
  local body = div.content:clone()
  local title = nil
  if div.attributes["title"] then
    local parsed = pandoc.read(div.attributes["title"], "markdown").blocks
    title = parsed[1] and parsed[1].content or pandoc.Inlines(div.attributes["title"])
  elseif body[1] and body[1].t == "Header" then
    title = body[1].content
    body:remove(1)
  end
  if title == nil or #title == 0 then title = pandoc.Inlines(KINDS[kind]) end
  return title, body
end

-- Quarto's conditional content: `::: {.content-visible when-format="html"}` and `.content-hidden`.
local function format_is(name)
  if name == "html" then return FORMAT:match("html") ~= nil end
  if name == "pdf" or name == "typst" then return FORMAT == "typst" end
  return FORMAT == name
end

local function conditional(div)
  local visible = div.classes:includes("content-visible")
  if not visible and not div.classes:includes("content-hidden") then return nil end
  local when, unless = div.attributes["when-format"], div.attributes["unless-format"]
  local matches = (when == nil or format_is(when)) and (unless == nil or not format_is(unless))
  if visible == matches then return div.content end
  return {}
end

-- {{< pagebreak >}} (a `.pagebreak` div from dhr-kit's shortcodes): a page break in the PDF and Word copy,
-- a CSS break-after in the HTML (printing).
local function pagebreak(div)
  if not div.classes:includes("pagebreak") then return nil end
  if FORMAT == "typst" then return pandoc.RawBlock("typst", "#pagebreak(weak: true)") end
  if FORMAT == "docx" then return pandoc.RawBlock("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>') end
  if FORMAT:match("html") then
    return pandoc.Div({}, pandoc.Attr("", { "pagebreak" }, { ["aria-hidden"] = "true" }))
  end
  return {}
end

function Div(div)
  local shown = conditional(div)
  if shown ~= nil then return shown end
  local page = pagebreak(div)
  if page ~= nil then return page end
  local kind = callout_kind(div)
  if not kind then return nil end
  local title, body = title_and_body(div, kind)
  if FORMAT == "typst" then
    local blocks = pandoc.Blocks({
      pandoc.RawBlock("typst", "#dhr-callout(" .. typst_string(kind) .. ", [" .. typst_inlines(title) .. "])["),
    })
    blocks:extend(body)
    blocks:insert(pandoc.RawBlock("typst", "]"))
    return blocks
  elseif FORMAT:match("html") then
    local content = pandoc.Blocks({ pandoc.Div(pandoc.Plain(title), pandoc.Attr("", { "callout-title" })) })
    content:extend(body)
    -- a landmark-free note that screen readers announce with its title ("Learning point 1: …")
    return pandoc.Div(content, pandoc.Attr(div.identifier, { "callout", "callout-" .. kind },
      -- (a list of pairs, not a Lua table: a table's order changes from one pandoc run to the next)
      { { "role", "note" }, { "aria-label", pandoc.utils.stringify(title) } }))
  else
    local content = pandoc.Blocks({ pandoc.Para({ pandoc.Strong(title) }) })
    content:extend(body)
    return pandoc.BlockQuote(content)
  end
end

local function alt_text(img)
  local alt = img.attributes["fig-alt"]
  if alt == nil or alt == "" then alt = pandoc.utils.stringify(img.caption) end
  return alt
end

function Image(img)
  local alt = alt_text(img)
  img.attributes["fig-alt"] = nil
  if FORMAT == "typst" then
    local out = typst_inlines({ img })
    if alt ~= "" then
      out = out:gsub('image%(("[^"]*")', function(path) return "image(" .. path .. ", alt: " .. typst_string(alt) end, 1)
    end
    return pandoc.RawInline("typst", out)
  end
  img.caption = pandoc.Inlines({ pandoc.Str(alt) })
  return img
end

-- Typst's PDF/UA-1 export refuses an equation without alt text: the TeX source is its alt text
-- (what a screen reader reads in place of the typeset formula).
function Math(math)
  if FORMAT ~= "typst" then return nil end
  local out = typst_inlines({ math })
  local body = out:match("^%$(.*)%$$")
  if body == nil then return nil end
  local block = math.mathtype == "DisplayMath" and "true" or "false"
  return pandoc.RawInline("typst", "#math.equation(block: " .. block .. ", alt: " .. typst_string(math.text)
    .. ", $" .. body .. "$)")
end

-- Filters run Div before Image is reached inside it only if traversal is typewise; make it explicit:
return {
  { Image = Image, Math = Math },
  { Div = Div },
}
