-- dhr-kit's Quarto filter: the title page's fields from data/review.yml (the one source of truth), the
-- draft marking unless this is a publication build (DHR_PUBLISH=1 or `dhr-publish: true`), and alt
-- text for equations in Typst (PDF/UA-1). Parts and appendices: dhr-book.lua.
local MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"}

local function month_label(value)
  local text = value and pandoc.utils.stringify(value) or ""
  local year, month = text:match("^(%d%d%d%d)%-(%d%d)")
  if year then return MONTHS[tonumber(month)] .. " " .. year end
  return text
end

local function find_review()
  local dir = quarto and quarto.project and quarto.project.directory or "."
  local path = pandoc.path.join({dir, "data", "review.yml"})
  local file = io.open(path, "r")
  if not file then return nil end
  local text = file:read("a")
  file:close()
  local ok, doc = pcall(pandoc.read, "---\n" .. text .. "\n---\n", "markdown")
  if not ok then return nil end
  return doc.meta
end

local function str(value)
  return value and pandoc.utils.stringify(value) or ""
end

local function is_publish(meta)
  return os.getenv("DHR_PUBLISH") == "1" or (meta["dhr-publish"] and str(meta["dhr-publish"]) == "true")
end

function Meta(meta)
  local review = find_review()
  if review then
    local chair = review.chair or {}
    local author = review.author
    local people = {}
    local chair_name, author_name = str(chair.name), author and str(author.name) or ""
    if author_name == "" or author_name == chair_name then
      table.insert(people, {role = pandoc.MetaString(str(chair.role) ~= "" and str(chair.role) or "Independent Chair and Author"),
                            name = pandoc.MetaString(chair_name)})
    else
      table.insert(people, {role = pandoc.MetaString(str(chair.role)), name = pandoc.MetaString(chair_name)})
      table.insert(people, {role = pandoc.MetaString(str(author.role)), name = pandoc.MetaString(author_name)})
    end
    local victim = review.victim and str(review.victim.pseudonym) or ""
    meta["dhr-csp"] = pandoc.MetaString(str(review.csp))
    local died = "who died in " .. month_label(review.death)
    local heading = str(meta.title) .. " " .. str(meta.subtitle)
    -- the title page names the victim on a line of its own unless the title already says it all
    if not (victim ~= "" and heading:find(victim, 1, true) and heading:find(died, 1, true)) then
      meta["dhr-victim"] = pandoc.MetaString(victim)
      meta["dhr-died"] = pandoc.MetaString(died)
    end
    meta["dhr-people"] = people
    meta["dhr-date"] = pandoc.MetaString(month_label(review.dates and review.dates.completed))
    meta["dhr-marking"] = pandoc.MetaString(str(review.protective_marking))
  end
  if not is_publish(meta) then
    meta["dhr-draft"] = true
  end
  local lang = str(meta.lang)
  if lang == "" then lang = "en-GB" end
  local code, region = lang:match("^(%a+)%-(%a+)$")
  meta["dhr-lang"] = pandoc.MetaString(code or lang)
  if region then meta["dhr-region"] = pandoc.MetaString(region) end
  return meta
end

-- Typst's PDF/UA-1 export refuses an equation without alt text: the TeX source is its alt text.
local function typst_string(text)
  text = text:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("[\r\n]+", " ")
  return '"' .. text .. '"'
end

function Math(math)
  if not quarto.doc.is_format("typst") then return nil end
  local out = pandoc.write(pandoc.Pandoc({pandoc.Plain({math})}), "typst"):gsub("%s+$", "")
  local body = out:match("^%$(.*)%$$")
  if body == nil then return nil end
  local block = math.mathtype == "DisplayMath" and "true" or "false"
  return pandoc.RawInline("typst", "#math.equation(block: " .. block .. ", alt: " .. typst_string(math.text)
    .. ", $" .. body .. "$)")
end

-- HTML with `theme: none` gets no callout styles from Quarto (it writes a bare blockquote): the callout
-- becomes dhr-kit's own note box (the embedded engine's markup, styled by dhr.css), with its title.
local CALLOUTS = {note = "Note", tip = "Tip", warning = "Warning", caution = "Caution", important = "Important"}

-- Quarto has already made the `.callout-*` divs Callout nodes when a filter sees them.
function Callout(callout)
  if not quarto.doc.is_format("html") then return nil end
  local kind = callout.type
  if kind == nil or CALLOUTS[kind] == nil then return nil end
  -- the title may be a Block, Blocks or Inlines: its inlines, else the kind's name
  local title = callout.title and pandoc.utils.stringify(callout.title) ~= "" and callout.title or nil
  local ttype = title and pandoc.utils.type(title)
  if ttype == "Block" then title = pandoc.Blocks({title}) ; ttype = "Blocks" end
  if ttype == "Blocks" then title = pandoc.utils.blocks_to_inlines(title) end
  if title == nil then title = pandoc.Inlines(CALLOUTS[kind]) end
  local content = pandoc.Blocks({pandoc.Div(pandoc.Plain(title), pandoc.Attr("", {"callout-title"}))})
  local body = callout.content
  if pandoc.utils.type(body) == "Block" then body = pandoc.Blocks({body}) end
  content:extend(body or {})
  return pandoc.Div(content, pandoc.Attr(callout.id or "", {"dhr-callout", "dhr-callout-" .. kind}, {role = "note"}))
end

return {{Meta = Meta, Math = Math, Callout = Callout}}
