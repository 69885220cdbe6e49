-- ctg.bilan: indicators, actions and the evolution since the previous
-- bilan, values computed by hand.
local t = require "testlib"
local bilan = require "ctg.bilan"
local NB = t.NB

t.test("indicateur", function()
	local i = bilan.indicateur{nom = "EAJE", initial = 84, cible = 110, realise = 92}
	t.eq(i.nom, "EAJE")
	t.eq(i.evolution, 8)
	t.near(i.evolution_pct, 9.523809523809524, 1e-9)   -- 8 / 84
	t.near(i.taux_atteinte, 30.76923076923077, 1e-9)  -- 8 / 26
	-- a target below the start: 20 -> 10, 15 reached is half way
	i = bilan.indicateur{initial = 20, cible = 10, realise = 15}
	t.eq(i.taux_atteinte, 50.0)
	t.eq(i.evolution, -5)
	t.eq(i.evolution_pct, -25.0)
	t.eq(bilan.indicateur{initial = 5, cible = 5, realise = 5}.taux_atteinte, 100)
	t.eq(bilan.indicateur{initial = 5, cible = 5, realise = 4}.taux_atteinte, 0)
	i = bilan.indicateur{initial = 0, cible = 2, realise = 1}
	t.eq(i.evolution, 1)
	t.eq(i.evolution_pct, nil)
	t.eq(i.taux_atteinte, 50.0)
	i = bilan.indicateur{initial = 3, cible = 5}
	t.eq(i.taux_atteinte, nil)
	t.eq(i.evolution, nil)
end)

t.test("statuts", function()
	t.eq(bilan.statut("Réalisée"), "realisee")
	t.eq(bilan.statut("terminé"), "realisee")
	t.eq(bilan.statut("En cours"), "en_cours")
	t.eq(bilan.statut("Non engagée"), "non_engagee")
	t.eq(bilan.statut("non réalisée"), "non_engagee")
	t.eq(bilan.statut("Reportée à 2027"), "reportee")
	t.eq(bilan.statut("Abandonnée"), "abandonnee")
	t.eq(bilan.statut("??"), "autre")
	t.eq(bilan.statut(nil), "autre")
end)

local ACTIONS = {
	{axe = "Petite enfance", action = "1.1", statut = "Réalisée"},
	{axe = "Petite enfance", action = "1.2", statut = "En cours", avancement = 40},
	{axe = "Parentalité", action = "3.1", statut = "Non engagée"},
	{axe = "Petite enfance", action = "1.3", statut = "en cours", avancement = 20},
}

t.test("actions", function()
	local a = bilan.actions{actions = ACTIONS}
	t.eq(a.total, 4)
	t.eq(a.par_statut, {{code = "realisee", libelle = "Réalisée", nombre = 1},
		{code = "en_cours", libelle = "En cours", nombre = 2},
		{code = "non_engagee", libelle = "Non engagée", nombre = 1}})
	-- (100 + 40 + 20) / 3 = 53.3; the action without avancement counts 0
	t.eq(a.par_axe[1].axe, "Petite enfance")
	t.eq(a.par_axe[1].nombre, 3)
	t.near(a.par_axe[1].avancement, 53.333333333333336, 1e-9)
	t.eq(a.par_axe[2], {axe = "Parentalité", nombre = 1, avancement = 0.0})
	t.eq(bilan.actions{}.total, 0)
end)

local function site_pages()
	local function b(src, path, date, conv, realise)
		return {src = src, path = path, type = "bilan", title = "Bilan " .. date,
			meta = {date = date, convention = conv, periode = date:sub(1, 4),
				indicateurs = {{nom = "EAJE", realise = realise}}}}
	end
	return {pages = {
		{src = "content/a/index.md", path = "a/", type = "convention", meta = {}},
		b("content/a/bilan-2.md", "a/bilan-2/", "2028-03-01", "a", 100),
		b("content/a/bilan-1.md", "a/bilan-1/", "2027-03-01", "a", 92),
		b("content/b/bilan.md", "b/bilan/", "2027-03-01", "b", 5),
	}}
end

t.test("evolution", function()
	local site = site_pages()
	bilan.on_site(site)
	t.eq(site.ctg.bilans["content/a/bilan-1.md"], nil)
	t.eq(site.ctg.bilans["content/b/bilan.md"], nil)
	local p = site.ctg.bilans["content/a/bilan-2.md"].precedent
	t.eq(p.src, "content/a/bilan-1.md")
	t.eq(p.periode, "2027")
	t.eq(p.realise, {EAJE = 92})
	local page = {src = "content/a/bilan-2.md", path = "a/bilan-2/", meta = {
		indicateurs = {{nom = "EAJE", unite = "places", realise = 100}, {nom = "Autre", realise = 3}}}}
	local e = bilan.evolution(page, site)
	t.eq(e.indicateurs[1], {nom = "EAJE", unite = "places", precedent = 92, actuel = 100, ecart = 8})
	t.eq(e.indicateurs[2], {nom = "Autre", actuel = 3})
	local md = bilan.tableau_evolution(page, site)
	t.eq(md[1], "Évolution depuis le bilan précédent, [Bilan 2027-03-01](../../a/bilan-1/) (2027) :")
	t.has(md[2], "| EAJE | 92 | 100 | +8 |")
	t.has(md[2], "| Autre | – | 3 | – |")
end)

t.test("render", function()
	local page = {src = "x", path = "x/", meta = {actions = ACTIONS, indicateurs = {
		{axe = "Petite enfance", nom = "Places en EAJE", unite = "places", initial = 84, cible = 110, realise = 92},
		{axe = "Parentalité", nom = "LAEP", unite = "familles", initial = 64, cible = 110}}}}
	local md = bilan.tableau_indicateurs(page)
	t.has(md, "| Axe | Indicateur | Unité | Situation initiale | Cible | Réalisé | Évolution | Atteinte de la cible |\n|---|---|---|---:|---:|---:|---:|---:|\n")
	t.has(md, "| Petite enfance | Places en EAJE | places | 84 | 110 | 92 | +8 (+10" .. NB .. "%) | 31" .. NB .. "% |")
	t.has(md, "| Parentalité | LAEP | familles | 64 | 110 | non renseigné | – | – |")
	local g = bilan.graphique_indicateurs(page).html
	t.has(g, ">Places en EAJE</text>")
	t.has(g, ">31" .. NB .. "%</text>")
	local a = bilan.tableau_actions(page)
	t.has(a[1], "| En cours | 2 | 50" .. NB .. "% |")
	t.has(a[1], "| **Total** | 4 | 100" .. NB .. "% |")
	t.has(a[2].html, ">Petite enfance (3 actions)</text>")
	t.has(a[2].html, ">53" .. NB .. "%</text>")
	t.has(a[2].html, ">Parentalité (1 action)</text>")
	t.has(bilan.tableau_evolution(page, {}), "Premier bilan")
	-- on_page writes the derived values into meta
	bilan.on_page(page)
	t.near(page.meta.ctg.indicateurs[1].taux_atteinte, 30.76923076923077, 1e-9)
	t.eq(page.meta.ctg.actions.total, 4)
end)

return t.done()
