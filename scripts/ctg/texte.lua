-- ctg.texte : comparer des textes français sans tenir compte de la casse,
-- des accents ni des apostrophes typographiques.
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

-- s in lowercase ASCII where French letters allow it ("Équipements" ->
-- "equipements", "d’accès" -> "d'acces").
function M.fold(s)
	s = tostring(s or ""):gsub("[\xc2-\xf4][\x80-\xbf]*", function(c)
		return FOLD[c]
	end)
	return (s:lower())
end

return M
