-- ctg.modele : les passages du modèle national de CTG restés à compléter :
-- « … » employé comme blanc (précédé d'une espace ou d'une parenthèse, ou
-- suivi d'une parenthèse fermante, ou répété), « 20xx », « (A adapter »,
-- « XXX », « Commune A ». Chacun donne un avertissement à sa ligne.

-- the globals used on every page, as locals: a global is looked up
-- through the sandbox's environments, a local is not
local ipairs, pairs, type = ipairs, pairs, type
local table_concat = table.concat
local table_sort = table.sort
local texte = require "ctg.texte"

local M = {}

local ELLIPSIS = "…"

-- The placeholders found in one line of text, in order (strings). Each
-- test is guarded by a plain search for what it cannot match without
-- (folding keeps ASCII letters and digits where they are, and turns no
-- other character into d, p, t, x or a digit), so that a line with none
-- costs a few memchr.
function M.dans(line)
	local out = {}
	if line:find("20[xX][xX]") then out[#out + 1] = "20xx" end
	if line:find("(", 1, true) and line:find("[dD]..?[pP][tT]") and
		texte.fold(line):find("(a adapter", 1, true) then
		out[#out + 1] = "(A adapter"
	end
	if line:find("XXX", 1, true) and line:find("%f[%w]XXX+%f[%W]") then
		out[#out + 1] = "XXX"
	end
	local c = line:find("Commune ", 1, true) and line:match("%f[%w](Commune %u)%f[%W]")
	if c then out[#out + 1] = c end
	if not line:find(ELLIPSIS, 1, true) and not line:find("...", 1, true) then
		return out
	end
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

-- What a line must contain for M.dans to find anything in it (plain
-- strings): "20xx" needs "20x" or "20X", "(A adapter" a "(", and so on;
-- "Commune " counts only before an uppercase letter (%u).
local NEEDLES = {"20x", "20X", "(", "XXX", "Commune ", ELLIPSIS, "..."}
local AFTER = {["Commune "] = "^%u"}

-- The indexes (ascending) of the texts of list that contain a needle:
-- a few plain searches over the texts joined.
local function candidates(list)
	local all, starts, pos = table_concat(list, "\n"), {}, 1
	for i, x in ipairs(list) do
		starts[i] = pos
		pos = pos + #x + 1
	end
	local hit, out = {}, {}
	for _, needle in ipairs(NEEDLES) do
		local after, at = AFTER[needle], all:find(needle, 1, true)
		while at do
			if after and not all:find(after, at + #needle) then
				at = all:find(needle, at + 1, true)
			else
				local lo, hi = 1, #starts -- the text that holds at
				while lo < hi do
					local mid = (lo + hi + 1) // 2
					if starts[mid] <= at then lo = mid else hi = mid - 1 end
				end
				if not hit[lo] then hit[lo] = true; out[#out + 1] = lo end
				at = all:find(needle, (starts[lo + 1] or #all + 1), true)
			end
		end
	end
	table_sort(out)
	return out
end

-- Whether a line of text (lines apart: page.text) may hold what M.dans
-- finds: it is looked for from its needles, then checked around them as
-- far as one can without folding the whole text. A superset: when this
-- says no, M.dans finds nothing in any of its lines.
local function may_hold(text)
	local at = text:find("20", 1, true)
	while at do
		if text:find("^[xX][xX]", at + 2) then return true end
		at = text:find("20", at + 1, true)
	end
	at = text:find("(", 1, true)
	while at do -- "(a adapter" is 16 bytes at most, accents included
		if texte.fold(text:sub(at, at + 31)):find("(a adapter", 1, true) == 1 then
			return true
		end
		at = text:find("(", at + 1, true)
	end
	if text:find("XXX", 1, true) then return true end
	at = text:find("Commune ", 1, true)
	while at do
		if text:find("^%u", at + 8) then return true end
		at = text:find("Commune ", at + 1, true)
	end
	-- an ellipsis counts at a line's start, after a space or "(", before
	-- ")", or beside another one ("..." is one)
	for _, e in ipairs({ELLIPSIS, "..."}) do
		at = text:find(e, 1, true)
		while at do
			local before, after = text:sub(at - 1, at - 1), text:sub(at + #e, at + #e)
			if at == 1 or before:find("[%s(.\xa6]") or after:find("[).\xe2]") then
				return true
			end
			at = text:find(e, at + 1, true)
		end
	end
	return false
end

-- {{line, texte}} for every placeholder of the page's text (not in code
-- blocks) and front matter, by line. The blocks are read only when
-- page.text (when there is one) may hold a placeholder.
function M.trouver(page)
	local out = {}
	if type(page.text) ~= "string" or may_hold(page.text) then
		local texts, blocks = {}, {}
		for _, b in ipairs(page.blocks or {}) do
			if b.kind ~= "code" and b.kind ~= "html" then
				texts[#texts + 1] = b.text .. ""
				blocks[#blocks + 1] = b
			end
		end
		-- only the blocks where a placeholder may be are read line by line
		for _, i in ipairs(candidates(texts)) do
			local b, n = blocks[i], 0
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
	table_sort(out, function(a, b)
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
