-- Le module paraphe des scripts (docs/hooks.md). Sa partie C est déjà dans
-- la table paraphe (html, is_html, warn, error) ; ce fichier y ajoute le
-- reste, écrit en Lua. Un site peut remplacer ce fichier, ou l'un des
-- modules qu'il charge, par son propre scripts/paraphe/….
local fmt = require "paraphe.fmt"
local markdown = require "paraphe.markdown"

paraphe.fmt_number = fmt.number
paraphe.fmt_percent = fmt.percent
paraphe.fmt_signed = fmt.signed
paraphe.fmt_date = fmt.date
paraphe.escape_md = markdown.escape
paraphe.table = markdown.table
paraphe.dates = require "paraphe.dates"
paraphe.chart = require "paraphe.chart"

local RANK = {number = 1, string = 2}

-- pairs(t) in a fixed order: numbers (ascending), then strings (byte
-- order), then other keys by their text.
function paraphe.sorted_pairs(t)
	local keys = {}
	for k in pairs(t) do keys[#keys + 1] = k end
	table.sort(keys, function(a, b)
		local ra, rb = RANK[type(a)] or 3, RANK[type(b)] or 3
		if ra ~= rb then return ra < rb end
		if ra < 3 then return a < b end
		return tostring(a) < tostring(b)
	end)
	local i = 0
	return function()
		i = i + 1
		local k = keys[i]
		if k ~= nil then return k, t[k] end
	end, t, nil
end

return paraphe
