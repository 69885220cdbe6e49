-- ctg.schema : une CTG peut tenir lieu du schéma pluriannuel de maintien et
-- de développement de l'offre d'accueil du jeune enfant (décret
-- n° 2025-253, CASF D. 214-10-1) si elle contient tous ses éléments.
--
-- Chaque élément est trouvé par l'en-tête de la convention
-- (schema_pluriannuel: {inventaire: "Annexe 2", …}, clés ci-dessous ou
-- codes "1", "4a"…), sinon par les titres de la convention et de ses
-- sous-pages (annexes, pas les bilans) et les en-têtes de leurs tableaux,
-- comparés sans accents ni majuscules à des mots clés.
local texte = require "ctg.texte"
local markdown = require "paraphe.markdown"

local M = {}

M.ELEMENTS = {
	{code = "1", ref = "1°", cle = "inventaire",
		libelle = "Inventaire des équipements, services et modes d’accueil des enfants de moins de trois ans",
		mots = {"inventaire", "equipements", "modes d'accueil existants", "offre existante"}},
	{code = "2", ref = "2°", cle = "besoins",
		libelle = "Besoins des enfants de moins de trois ans et de leurs familles",
		mots = {"besoins"}},
	{code = "3", ref = "3°", cle = "zones",
		libelle = "Zones où l’offre est insuffisante ou difficile d’accès",
		mots = {"zones", "insuffisante", "difficile d'acces", "secteurs prioritaires"}},
	{code = "4a", ref = "4° a)", cle = "objectifs",
		libelle = "Objectifs de maintien, de développement et de redéploiement de l’offre",
		mots = {"objectifs", "programmation", "redeploiement"}},
	{code = "4b", ref = "4° b)", cle = "emplois",
		libelle = "Besoins en emplois et en compétences",
		mots = {"emplois", "metiers", "recrutement"}},
	{code = "4c", ref = "4° c)", cle = "familles",
		libelle = "Actions en faveur des familles rencontrant des difficultés particulières",
		mots = {"difficultes particulieres", "familles en difficulte", "familles vulnerables"}},
	{code = "4d", ref = "4° d)", cle = "qualite",
		libelle = "Soutien à la qualité des modes d’accueil",
		mots = {"qualite"}},
	{code = "4e", ref = "4° e)", cle = "investissements",
		libelle = "Projets d’investissement",
		mots = {"investissement"}},
	{code = "4f", ref = "4° f)", cle = "couts",
		libelle = "Coûts estimés et moyens humains, financiers et d’ingénierie",
		mots = {"cout", "moyens", "financement", "budget"}},
	{code = "4g", ref = "4° g)", cle = "calendrier",
		libelle = "Calendrier prévisionnel",
		mots = {"calendrier", "echeancier"}},
	{code = "4h", ref = "4° h)", cle = "indicateurs",
		libelle = "Indicateurs et modalités d’évaluation",
		mots = {"indicateurs", "evaluation"}},
}

-- The places to search: {where, text} for each heading and table head
-- cell of the page and of its sub-pages (their titles too).
local function places(page)
	local out = {}
	local function scan(title, p)
		for _, h in ipairs(p.outline or {}) do
			out[#out + 1] = {where = title .. " › " .. h.title, text = texte.fold(h.title)}
		end
		for _, b in ipairs(p.blocks or {}) do
			if b.kind == "table_head" then
				for _, c in ipairs(b.cells or {}) do
					out[#out + 1] = {where = title .. " › tableau, colonne « " .. c .. " »",
						text = texte.fold(c)}
				end
			end
		end
	end
	scan(page.title, page)
	for _, sp in ipairs(page.subpages or {}) do
		if sp.type ~= "bilan" then -- bilans are not the convention's text
			out[#out + 1] = {where = sp.title, text = texte.fold(sp.title)}
			scan(sp.title, sp)
		end
	end
	return out
end

-- {elements = {{code, ref, libelle, present, ou = {…}}}, complet,
-- manquants = {refs}}.
function M.verifier(page)
	local declared = type(page.meta.schema_pluriannuel) == "table"
		and page.meta.schema_pluriannuel or {}
	local found, r = places(page), {elements = {}, manquants = {}}
	for _, e in ipairs(M.ELEMENTS) do
		local item = {code = e.code, ref = e.ref, libelle = e.libelle, ou = {}}
		local d = declared[e.cle] or declared[e.code]
		if d then
			item.ou[1] = tostring(d)
		else
			for _, p in ipairs(found) do
				for _, w in ipairs(e.mots) do
					if p.text:find(w, 1, true) then
						item.ou[#item.ou + 1] = p.where
						break
					end
				end
				if #item.ou >= 2 then break end
			end
		end
		item.present = #item.ou > 0
		if not item.present then r.manquants[#r.manquants + 1] = e.ref end
		r.elements[#r.elements + 1] = item
	end
	r.complet = #r.manquants == 0
	return r
end

-- The checklist as a table, and a sentence on whether the CTG can stand
-- in for the schéma pluriannuel (Markdown).
function M.tableau(page)
	local r = M.verifier(page)
	local rows = {}
	for _, e in ipairs(r.elements) do
		rows[#rows + 1] = {e.ref .. " " .. e.libelle,
			e.present and ("oui : " .. table.concat(e.ou, " ; ")) or "**non trouvé**"}
	end
	local conclusion = r.complet
		and "La convention contient tous les éléments de l’article D. 214-10-1 du code de l’action sociale et des familles : elle peut tenir lieu de schéma pluriannuel."
		or ("Il manque " .. (#r.manquants > 1 and "les éléments " or "l’élément ") ..
			table.concat(r.manquants, ", ") ..
			" de l’article D. 214-10-1 du code de l’action sociale et des familles : en l’état, la convention ne peut pas tenir lieu de schéma pluriannuel.")
	return {markdown.table{head = {"Élément exigé", "Présent dans la convention"},
		rows = rows}, conclusion}
end

return M
