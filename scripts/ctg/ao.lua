-- ctg.ao : les autorités organisatrices de l'accueil du jeune enfant et
-- leurs compétences (CASF L. 214-1-3, depuis le 1er janvier 2025).
--
-- Toute AO recense les besoins et informe les familles ; au-dessus de
-- 3 500 habitants, elle planifie aussi le développement des modes
-- d'accueil et soutient leur qualité ; au-dessus de 10 000 habitants,
-- elle doit adopter un schéma pluriannuel (L. 214-2) et disposer d'un
-- relais petite enfance (obligatoire à compter du 1er janvier 2026).
-- L'AO est la commune, ou l'EPCI pour les communes qui lui ont transféré
-- ces compétences : les seuils s'appliquent alors à la population totale
-- de ces communes.
--
-- En-tête de la convention : communes (liste de {nom, insee, population,
-- transfert}), competences_transferees (true : toutes les communes ; une
-- liste de codes INSEE ou de noms : celles-là), epci ou territoire (le nom
-- de l'EPCI).
local fmt = require "paraphe.fmt"
local markdown = require "paraphe.markdown"

local M = {}

M.SEUIL_PLANIFICATION = 3500
M.SEUIL_SCHEMA = 10000
M.RPE_OBLIGATOIRE = "2026-01-01"

M.COMPETENCES = {
	{code = "recenser", libelle = "recenser les besoins des enfants de moins de trois ans et de leurs familles ainsi que les modes d’accueil disponibles"},
	{code = "informer", libelle = "informer et accompagner les familles et les futurs parents"},
	{code = "planifier", libelle = "planifier le développement des modes d’accueil"},
	{code = "qualite", libelle = "soutenir la qualité des modes d’accueil"},
}

-- The competences (codes) of an AO of this population.
function M.competences(population)
	local c = {"recenser", "informer"}
	if (tonumber(population) or 0) > M.SEUIL_PLANIFICATION then
		c[3], c[4] = "planifier", "qualite"
	end
	return c
end

local function transferred(meta, commune)
	local t = meta.competences_transferees
	if commune.transfert ~= nil then return commune.transfert == true end
	if t == true then return true end
	if type(t) == "table" then
		for _, x in ipairs(t) do
			if tostring(x) == tostring(commune.insee) or x == commune.nom then
				return true
			end
		end
	end
	return false
end

local function ao(nom, kind, population, communes)
	local big = population > M.SEUIL_SCHEMA
	return {nom = nom, type = kind, population = population,
		communes = communes, competences = M.competences(population),
		schema_pluriannuel = big, rpe_obligatoire = big,
		rpe_depuis = big and M.RPE_OBLIGATOIRE or nil}
end

-- The AO of a convention's territory: the EPCI first (when communes
-- transferred their competences), then each other commune.
function M.autorites(meta)
	local epci, pop, out = {}, 0, {}
	for _, c in ipairs(meta.communes or {}) do
		if transferred(meta, c) then
			epci[#epci + 1] = c.nom
			pop = pop + (tonumber(c.population) or 0)
		end
	end
	if #epci > 0 then
		out[1] = ao(meta.epci or meta.territoire or "Intercommunalité",
			"epci", pop, epci)
	end
	for _, c in ipairs(meta.communes or {}) do
		if not transferred(meta, c) then
			out[#out + 1] = ao(c.nom, "commune",
				tonumber(c.population) or 0, {c.nom})
		end
	end
	return out
end

-- The largest population of an AO of the territory (0 without communes).
function M.population_max(meta)
	local max = 0
	for _, a in ipairs(M.autorites(meta)) do
		if a.population > max then max = a.population end
	end
	return max
end

local LIBELLE = {}
for _, c in ipairs(M.COMPETENCES) do LIBELLE[c.code] = c.libelle end

-- The table of the AO of page's territory (Markdown).
function M.tableau(page)
	local rows = {}
	for _, a in ipairs(M.autorites(page.meta)) do
		local comp, obl = {}, {}
		for i, c in ipairs(a.competences) do comp[i] = LIBELLE[c] end
		if a.schema_pluriannuel then
			obl[#obl + 1] = "schéma pluriannuel de maintien et de développement de l’offre d’accueil (L. 214-2)"
			obl[#obl + 1] = "relais petite enfance, obligatoire depuis le " .. fmt.date(a.rpe_depuis)
		end
		local nom = a.nom
		if a.type == "epci" then
			nom = nom .. " (pour " .. table.concat(a.communes, ", ") .. ")"
		end
		rows[#rows + 1] = {nom, a.population, table.concat(comp, " ; "),
			#obl > 0 and table.concat(obl, " ; ") or "–"}
	end
	if #rows == 0 then
		return "*Aucune commune n’est indiquée dans l’en-tête de la convention.*"
	end
	return markdown.table{head = {"Autorité organisatrice", "Habitants",
		"Compétences", "Obligations renforcées"}, rows = rows}
end

return M
