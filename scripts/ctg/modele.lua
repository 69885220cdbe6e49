-- ctg.modele : les passages du modèle national de CTG restés à compléter :
-- « … » employé comme blanc (précédé d'une espace ou d'une parenthèse, ou
-- suivi d'une parenthèse fermante, ou répété), « 20xx », « (A adapter »,
-- « XXX », « Commune A ». Chacun donne un avertissement à sa ligne.
local texte = require "ctg.texte"

local M = {}

local ELLIPSIS = "…"

-- The placeholders found in one line of text, in order (strings).
function M.dans(line)
	local out = {}
	local folded = texte.fold(line)
	if folded:find("20xx", 1, true) then out[#out + 1] = "20xx" end
	if folded:find("(a adapter", 1, true) then out[#out + 1] = "(A adapter" end
	if line:find("%f[%w]XXX+%f[%W]") then out[#out + 1] = "XXX" end
	local c = line:match("%f[%w](Commune %u)%f[%W]")
	if c then out[#out + 1] = c end
	local s = line:gsub("%.%.%.", ELLIPSIS)
	local i = 1
	while true do
		local a, b = s:find(ELLIPSIS, i, true)
		if not a then break end
		local before, after = s:sub(a - 1, a - 1), s:sub(b + 1, b + 1)
		if a == 1 or before:match("[%s(]") or after == ")" or
			s:sub(b + 1, b + #ELLIPSIS) == ELLIPSIS or
			s:sub(a - #ELLIPSIS, a - 1) == ELLIPSIS then
			out[#out + 1] = ELLIPSIS
			break
		end
		i = b + 1
	end
	return out
end

-- {{line, texte}} for every placeholder of the page's text (not in code
-- blocks) and front matter, by line.
function M.trouver(page)
	local out = {}
	for _, b in ipairs(page.blocks or {}) do
		if b.kind ~= "code" and b.kind ~= "html" then
			local n = 0
			for line in (b.text .. "\n"):gmatch("([^\n]*)\n") do
				for _, p in ipairs(M.dans(line)) do
					out[#out + 1] = {line = b.line + n, texte = p}
				end
				n = n + 1
			end
		end
	end
	local function walk(v, line)
		if type(v) == "string" then
			for _, p in ipairs(M.dans(v)) do
				out[#out + 1] = {line = line, texte = p}
			end
		elseif type(v) == "table" then
			for _, x in pairs(v) do walk(x, line) end
		end
	end
	for k, v in paraphe.sorted_pairs(page.meta) do
		if k ~= "ctg" then walk(v, page.meta_lines and page.meta_lines[k]) end
	end
	for i, f in ipairs(out) do f.rang = i end
	table.sort(out, function(a, b)
		if (a.line or 0) ~= (b.line or 0) then return (a.line or 0) < (b.line or 0) end
		return a.rang < b.rang
	end)
	for _, f in ipairs(out) do f.rang = nil end
	return out
end

function M.verifier(page)
	local found = M.trouver(page)
	for _, f in ipairs(found) do
		paraphe.warn("unfilled placeholder \"" .. f.texte ..
			"\" of the national model", f.line)
	end
	return found
end

return M
