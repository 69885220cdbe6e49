-- ctg : ce que paraphe sait des conventions territoriales globales
-- (docs/hooks.md). Les hooks par défaut (scripts/ctg.lua) appellent
-- on_site et on_page ; les blocs derive des conventions et des bilans
-- appellent les fonctions de rendu, par exemple :
--
--   ```derive
--   return require("ctg").places.tableau(page)
--   ```
--
-- on_page écrit dans page.meta.ctg (publié dans data.json) les valeurs
-- calculées, et signale : une durée trop longue ou des dates invalides
-- (erreur ; sans dates, rien n'est vérifié), un identifiant d'acte invalide (erreur), un élément manquant
-- du schéma pluriannuel pour une AO de plus de 10 000 habitants
-- (avertissement), un passage du modèle national resté à compléter
-- (avertissement).
local M = {
	ao = require "ctg.ao",
	places = require "ctg.places",
	duree = require "ctg.duree",
	acte = require "ctg.acte",
	schema = require "ctg.schema",
	modele = require "ctg.modele",
	bilan = require "ctg.bilan",
}

function M.on_site(site)
	M.bilan.on_site(site)
end

-- The line to point at for a front matter key (else the first line).
local function line_of(page, key)
	return page.meta_lines and (page.meta_lines[key] or page.meta_lines.type) or 1
end

function M.convention(page)
	local meta, c = page.meta, {}
	local d = M.duree.verifier(meta)
	if d.erreur then
		paraphe.error(d.erreur, line_of(page,
			d.erreur:find("'date_effet'", 1, true) and "date_effet" or "date_fin"))
	end
	-- not the reference date itself (site.reference_date): it moves with
	-- every commit, and would make every convention's data.json and
	-- cache entry change although only the status can
	c.duree = {debut = d.debut, fin = d.fin, fin_max = d.fin_max,
		duree = d.duree, statut = d.statut}
	c.autorites = M.ao.autorites(meta)
	c.actes = M.acte.de_la_page(page, true)
	local s = M.places.de_la_page(page)
	if #s.annees > 0 then
		local last = s.annees[#s.annees]
		c.places = {annees = s.annees, moins_3 = s.moins_3[last],
			enfants_moins_3_ans = s.enfants, taux_couverture = s.taux[last]}
	end
	local schema = M.schema.verifier(page)
	c.schema_pluriannuel = {complet = schema.complet, manquants = schema.manquants}
	if M.ao.population_max(meta) > M.ao.SEUIL_SCHEMA and not schema.complet then
		paraphe.warn("an organising authority has more than 10,000 inhabitants " ..
			"but the convention lacks item(s) " .. table.concat(schema.manquants, ", ") ..
			" of CASF D. 214-10-1: it cannot stand in for the schéma pluriannuel",
			line_of(page, "communes"))
	end
	meta.ctg = c
end

-- Whether page belongs to a CTG: a convention, a bilan, or a page of a
-- convention's bundle (its annexes).
function M.concerne(page)
	return page.type == "convention" or page.type == "bilan" or
		(page.parent and page.parent.type == "convention") or false
end

function M.on_page(page)
	if page.type == "convention" then
		M.convention(page)
	elseif page.type == "bilan" then
		M.bilan.on_page(page)
	end
	if M.concerne(page) then
		M.modele.verifier(page)
	end
end

return M
