-- ctg.texte : comparer des textes français sans tenir compte de la casse,
-- des accents ni des apostrophes typographiques.

-- the globals used on every page, as locals: a global is looked up
-- through the sandbox's environments, a local is not
local ipairs, pairs, tostring = ipairs, pairs, tostring
local table_concat = table.concat
local table_sort = table.sort
local M = {}

local FOLD = {
	["à"] = "a", ["â"] = "a", ["ä"] = "a", ["á"] = "a", ["ç"] = "c",
	["é"] = "e", ["è"] = "e", ["ê"] = "e", ["ë"] = "e", ["î"] = "i",
	["ï"] = "i", ["í"] = "i", ["ô"] = "o", ["ö"] = "o", ["ó"] = "o",
	["ù"] = "u", ["û"] = "u", ["ü"] = "u", ["ú"] = "u", ["ÿ"] = "y",
	["À"] = "a", ["Â"] = "a", ["Ä"] = "a", ["Ç"] = "c", ["É"] = "e",
	["È"] = "e", ["Ê"] = "e", ["Ë"] = "e", ["Î"] = "i", ["Ï"] = "i",
	["Ô"] = "o", ["Ö"] = "o", ["Ù"] = "u", ["Û"] = "u", ["Ü"] = "u",
	["œ"] = "oe", ["Œ"] = "oe", ["æ"] = "ae", ["Æ"] = "ae",
	["’"] = "'", ["‘"] = "'", ["\u{a0}"] = " ", ["\u{202f}"] = " ",
}

-- The bytes that FOLD's keys start with.
local LEADS = {}
for k in pairs(FOLD) do LEADS[k:sub(1, 1)] = true end
local LEAD_LIST = {}
for b in pairs(LEADS) do LEAD_LIST[#LEAD_LIST + 1] = b end
table_sort(LEAD_LIST)

-- s in lowercase ASCII where French letters allow it ("Équipements" ->
-- "equipements", "d’accès" -> "d'acces"): what
-- s:gsub("[\xc2-\xf4][\x80-\xbf]*", FOLD):lower() gives, a character
-- that FOLD lacks staying as it is. Found with plain searches for the
-- bytes FOLD's keys start with (a pattern tried at every byte is ten
-- times slower).
function M.fold(s)
	s = tostring(s or "")
	local at = {}
	for _, b in ipairs(LEAD_LIST) do
		local p = s:find(b, 1, true)
		while p do
			at[#at + 1] = p
			p = s:find(b, p + 1, true)
		end
	end
	if #at == 0 then return (s:lower()) end
	table_sort(at)
	local out, from = {}, 1
	for _, p in ipairs(at) do
		-- the character: the byte and the continuation bytes after it
		local q = s:find("[^\x80-\xbf]", p + 1) or #s + 1
		local rep = FOLD[s:sub(p, q - 1)]
		if rep then
			out[#out + 1] = s:sub(from, p - 1)
			out[#out + 1] = rep
			from = q
		end
	end
	out[#out + 1] = s:sub(from)
	return (table_concat(out):lower())
end

return M
