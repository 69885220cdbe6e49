-- paraphe.markdown : écrire du Markdown depuis Lua.
--
--   escape(s)   le texte s, ses caractères Markdown (\ ` * _ [ ] < > # | ~ !)
--               précédés d'une barre oblique inverse : il s'affiche tel quel.
--   table(t)    le Markdown d'un tableau GFM. t est l'une de ces formes :
--                 {head = {"A", "B"}, rows = {{1, "x"}, {2, "y"}},
--                  align = {"left", "right"}, caption = "Titre"}
--                 une liste de lignes dont la première est l'en-tête ;
--                 une liste de tables clé → valeur (les clés de la première,
--                 dans l'ordre du fichier pour des données YAML ou CSV,
--                 sinon triées, forment l'en-tête).
--               Une cellule nombre s'écrit à la française (fmt.number), une
--               chaîne est du Markdown en ligne (| et retours à la ligne
--               neutralisés), nil est vide, un booléen « oui »/« non ».
--               Une colonne dont toutes les cellules sont des nombres (ou
--               des nombres déjà écrits : « 58,5 », « +16 (+19 %) »,
--               « 62 % » ; « – » et les cellules vides ne comptent pas) est
--               alignée à droite, sauf indication contraire (align).
--               caption devient un paragraphe en gras avant le tableau.
local fmt = require "paraphe.fmt"

local M = {}

function M.escape(s)
	return (tostring(s):gsub("([\\`*_%[%]<>#|~!])", "\\%1"))
end

local function cell(v)
	if v == nil then return "" end
	if type(v) == "number" then return fmt.number(v) end
	if type(v) == "boolean" then return v and "oui" or "non" end
	if type(v) == "table" and paraphe.is_html(v) then
		error("a table cell cannot hold paraphe.html: use Markdown text", 3)
	end
	local s = tostring(v):gsub("[\r\n]+", " "):gsub("|", "\\|")
	return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

-- 1 for a number or a number already written, 0 for an empty cell or
-- "–", nil for anything else.
local function numeric(v)
	if type(v) == "number" then return 1 end
	if v == nil or v == "" or v == "–" then return 0 end
	if type(v) ~= "string" then return nil end
	local s = v:gsub(fmt.NNBSP, ""):gsub("%s*%b()$", "")
	return s:match("^[+%-]?%d[%d,]*%%?$") and 1 or nil
end

local function sorted_keys(t)
	local keys = {}
	for k in pairs(t) do keys[#keys + 1] = k end
	table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
	return keys
end

-- The head and rows of any accepted form.
local function normalize(t)
	if t.rows or t.head then
		return t.head or {}, t.rows or {}
	end
	local first = t[1]
	if first == nil then return {}, {} end
	if type(first) ~= "table" then
		error("paraphe.table: rows must be tables", 3)
	end
	if #first > 0 or next(first) == nil then
		local rows = {}
		for i = 2, #t do rows[#rows + 1] = t[i] end
		return first, rows
	end
	local head = {}
	if getmetatable(first) then -- a map from YAML or CSV: source order
		for k in pairs(first) do head[#head + 1] = k end
	else
		head = sorted_keys(first)
	end
	local rows = {}
	for i, r in ipairs(t) do
		local row = {}
		for j, k in ipairs(head) do row[j] = r[k] end
		rows[i] = row
	end
	return head, rows
end

function M.table(t)
	if type(t) ~= "table" then
		error("paraphe.table: a table is expected, not a " .. type(t), 2)
	end
	local head, rows = normalize(t)
	local ncols = #head
	for _, r in ipairs(rows) do
		if #r > ncols then ncols = #r end
	end
	if ncols == 0 then return "" end
	local right = {}
	for j = 1, ncols do
		local any, all = false, true
		for _, r in ipairs(rows) do
			local n = numeric(r[j])
			if n == 1 then any = true elseif n == nil then all = false end
		end
		right[j] = any and all
	end
	local out, line, sep = {}, {}, {}
	if t.caption then out[#out + 1] = "**" .. cell(t.caption) .. "**\n\n" end
	for j = 1, ncols do
		line[j] = cell(head[j])
		local a = t.align and t.align[j] or (right[j] and "right" or "left")
		sep[j] = a == "right" and "---:" or (a == "center" and ":---:" or "---")
	end
	out[#out + 1] = "| " .. table.concat(line, " | ") .. " |\n"
	out[#out + 1] = "|" .. table.concat(sep, "|") .. "|\n"
	for _, r in ipairs(rows) do
		for j = 1, ncols do line[j] = cell(r[j]) end
		out[#out + 1] = "| " .. table.concat(line, " | ") .. " |\n"
	end
	return table.concat(out)
end

return M
