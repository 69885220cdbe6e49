-- ctg.acte : l'identifiant de transmission d'un acte à la préfecture
-- (« ID : 063-216300699-20251217-251217014-DE ») : département (3
-- caractères, 02A ou 02B pour la Corse), SIREN de l'émetteur, date de la
-- décision (AAAAMMJJ, une vraie date), numéro propre à l'émetteur, nature.
-- Motif : ^(\d{3}|02[AB])-\d{9}-\d{8}-[A-Za-z0-9_]+-(DE|AR|AI|CC|BF|AU)$
local fmt = require "paraphe.fmt"
local markdown = require "paraphe.markdown"

local M = {}

M.NATURES = {
	DE = "délibération",
	AR = "acte réglementaire",
	AI = "acte individuel",
	CC = "contrat, convention ou avenant",
	BF = "document budgétaire et financier",
	AU = "autre",
}

-- The Luhn check of a SIREN (9 digits).
function M.siren_valide(siren)
	if not tostring(siren):match("^%d%d%d%d%d%d%d%d%d$") then return false end
	local sum = 0
	for i = 1, 9 do
		local d = tonumber(siren:sub(i, i))
		if i % 2 == 0 then
			d = d * 2
			if d > 9 then d = d - 9 end
		end
		sum = sum + d
	end
	return sum % 10 == 0
end

-- The parts of identifier id, or nil and the reason (in English).
function M.parse(id)
	if type(id) ~= "string" then return nil, "not a string" end
	local dep, siren, date, num, nat =
		id:match("^([^-]+)%-([^-]+)%-([^-]+)%-([^-]+)%-([^-]+)$")
	if not dep then
		return nil, "expected five parts separated by \"-\" (département-SIREN-date-number-nature)"
	end
	if not (dep:match("^%d%d%d$") or dep == "02A" or dep == "02B") then
		return nil, "the département \"" .. dep .. "\" must be 3 digits, or 02A or 02B"
	end
	if not siren:match("^%d%d%d%d%d%d%d%d%d$") then
		return nil, "the SIREN \"" .. siren .. "\" must be 9 digits"
	end
	local y, m, d = date:match("^(%d%d%d%d)(%d%d)(%d%d)$")
	local iso = y and (y .. "-" .. m .. "-" .. d)
	if not iso or not fmt.parse_date(iso) then
		return nil, "the decision date \"" .. date .. "\" is not a real date (YYYYMMDD)"
	end
	if not num:match("^[%w_]+$") then
		return nil, "the number \"" .. num .. "\" may only hold letters, digits and \"_\""
	end
	if not M.NATURES[nat] then
		return nil, "the nature \"" .. nat .. "\" must be DE, AR, AI, CC, BF or AU"
	end
	return {id = id, departement = dep, siren = siren, date = iso,
		numero = num, nature = nat, nature_libelle = M.NATURES[nat],
		siren_valide = M.siren_valide(siren)}
end

-- The identifiers of a page: meta.actes[].id (with transmission and
-- publication) and the Acte trailers of its versions. Invalid ones are
-- reported through paraphe.error at the line of 'actes' when report is set.
function M.de_la_page(page, report)
	local out, seen = {}, {}
	local function take(id, extra, line)
		if seen[id] then return end
		seen[id] = true
		local a, why = M.parse(id)
		if not a then
			if report then
				paraphe.error("invalid prefecture identifier \"" .. tostring(id) .. "\": " .. why, line)
			end
			return
		end
		for k, v in pairs(extra or {}) do a[k] = v end
		out[#out + 1] = a
	end
	for _, x in ipairs(type(page.meta.actes) == "table" and page.meta.actes or {}) do
		local id = type(x) == "table" and x.id or x
		take(id, type(x) == "table" and {transmission = x.transmission,
			publication = x.publication} or nil, page.meta_lines and page.meta_lines.actes)
	end
	for _, v in ipairs(page.versions or {}) do
		if v.trailers and v.trailers.Acte then
			take(v.trailers.Acte, {version = v.id, publication = v.trailers.Publication})
		end
	end
	return out
end

function M.tableau(page)
	local rows = {}
	for _, a in ipairs(M.de_la_page(page)) do
		rows[#rows + 1] = {"`" .. a.id .. "`", a.departement, a.siren,
			fmt.date(a.date), a.numero, a.nature .. " (" .. a.nature_libelle .. ")",
			a.publication and fmt.date(a.publication) or "–"}
	end
	if #rows == 0 then return "*Aucun acte n’est indiqué.*" end
	return markdown.table{head = {"Identifiant", "Département", "SIREN",
		"Date de la décision", "Numéro", "Nature", "Publication"}, rows = rows,
		align = {"left", "left", "left", "left", "left", "left", "left"}}
end

return M
