-- ctg.places : l'offre d'accueil par année, tirée d'un fichier de données
-- du paquet (par défaut places.csv ou places.yaml : page.data.places), une
-- ligne par année, commune et type : {annee, commune, type, places}.
--
-- Types connus (les autres gardent leur code comme libellé) : eaje_psu,
-- micro_creche_paje, mam, assistants_maternels, garde_domicile (places
-- pour les enfants de moins de 3 ans), rpe_etp (relais petite enfance, en
-- ETP), passerelles (dispositifs), alsh_periscolaire, alsh_extrascolaire,
-- accueil_jeunes (places).
--
-- Taux de couverture = places pour les moins de 3 ans pour 100 enfants de
-- moins de 3 ans, quand l'en-tête donne communes[].enfants_moins_3_ans.
local fmt = require "paraphe.fmt"
local markdown = require "paraphe.markdown"
local chart = require "paraphe.chart"

local M = {}

M.TYPES = {
	{code = "eaje_psu", libelle = "EAJE financés par la PSU", unite = "places", moins_3 = true},
	{code = "micro_creche_paje", libelle = "Micro-crèches PAJE", unite = "places", moins_3 = true},
	{code = "mam", libelle = "Maisons d’assistants maternels", unite = "places", moins_3 = true},
	{code = "assistants_maternels", libelle = "Assistants maternels à domicile", unite = "places", moins_3 = true},
	{code = "garde_domicile", libelle = "Garde à domicile", unite = "places", moins_3 = true},
	{code = "rpe_etp", libelle = "Relais petite enfance", unite = "ETP"},
	{code = "passerelles", libelle = "Dispositifs passerelles", unite = "dispositifs"},
	{code = "alsh_periscolaire", libelle = "Accueils de loisirs périscolaires", unite = "places"},
	{code = "alsh_extrascolaire", libelle = "Accueils de loisirs extrascolaires", unite = "places"},
	{code = "accueil_jeunes", libelle = "Accueils de jeunes", unite = "places"},
}

local BY_CODE = {}
for i, t in ipairs(M.TYPES) do BY_CODE[t.code] = t; t.rang = i end

function M.type(code)
	return BY_CODE[code] or {code = code, libelle = tostring(code),
		unite = "places", rang = #M.TYPES + 1}
end

local function add(t, k, v)
	t[k] = (t[k] or 0) + v
end

-- Sums the rows: {annees, types (codes in order), par_type[code][annee],
-- par_commune[commune][annee] (places for the under-3), moins_3[annee],
-- enfants, taux[annee], taux_commune[commune][annee], communes (names)}.
function M.synthese(rows, communes)
	local s = {annees = {}, types = {}, par_type = {}, par_commune = {},
		moins_3 = {}, taux = {}, taux_commune = {}, communes = {}}
	local seen_y, seen_t, seen_c = {}, {}, {}
	for _, r in ipairs(rows or {}) do
		local y, code = tonumber(r.annee), r.type
		local n = tonumber(r.places or r.valeur)
		if y and code and n then
			if not seen_y[y] then seen_y[y] = true; s.annees[#s.annees + 1] = y end
			if not seen_t[code] then seen_t[code] = true; s.types[#s.types + 1] = code end
			s.par_type[code] = s.par_type[code] or {}
			add(s.par_type[code], y, n)
			if M.type(code).moins_3 then
				add(s.moins_3, y, n)
				if r.commune then
					if not seen_c[r.commune] then
						seen_c[r.commune] = true
						s.communes[#s.communes + 1] = r.commune
					end
					s.par_commune[r.commune] = s.par_commune[r.commune] or {}
					add(s.par_commune[r.commune], y, n)
				end
			end
		end
	end
	table.sort(s.annees)
	table.sort(s.types, function(a, b)
		local x, y = M.type(a), M.type(b)
		if x.rang ~= y.rang then return x.rang < y.rang end
		return a < b
	end)
	local enfants, par = 0, {}
	for _, c in ipairs(communes or {}) do
		local e = tonumber(c.enfants_moins_3_ans)
		if e then enfants = enfants + e; par[c.nom] = e end
	end
	s.enfants = enfants > 0 and enfants or nil
	for _, y in ipairs(s.annees) do
		if s.enfants then s.taux[y] = 100 * (s.moins_3[y] or 0) / s.enfants end
	end
	for c, byy in pairs(s.par_commune) do
		if par[c] and par[c] > 0 then
			s.taux_commune[c] = {}
			for y, n in pairs(byy) do s.taux_commune[c][y] = 100 * n / par[c] end
		end
	end
	return s
end

-- The rows of page's data file (meta.donnees_places names another one).
function M.lignes(page)
	local name = page.meta.donnees_places or "places"
	return page.data and page.data[name]
end

function M.de_la_page(page)
	return M.synthese(M.lignes(page), page.meta.communes)
end

local function delta_text(a, b)
	if not a or not b then return "" end
	local d = b - a
	local s = fmt.signed(d)
	if a ~= 0 then s = s .. " (" .. fmt.signed(100 * d / a, 0) .. fmt.NNBSP .. "%)" end
	return s
end

-- The table of places per type and year, with the total for the under-3,
-- the coverage rate and, over several years, the change.
function M.tableau(page)
	local s = M.de_la_page(page)
	if #s.annees == 0 then
		return "*Aucune donnée de places (fichier places.csv ou places.yaml du paquet).*"
	end
	local head, rows = {"Mode d’accueil ou dispositif", "Unité"}, {}
	for _, y in ipairs(s.annees) do head[#head + 1] = tostring(y) end
	local many = #s.annees > 1
	if many then head[#head + 1] = "Évolution" end
	local function row(label, unit, byy)
		local r = {label, unit}
		for _, y in ipairs(s.annees) do r[#r + 1] = byy[y] end
		if many then
			r[#r + 1] = delta_text(byy[s.annees[1]], byy[s.annees[#s.annees]])
		end
		rows[#rows + 1] = r
	end
	for _, code in ipairs(s.types) do
		local t = M.type(code)
		row(t.libelle, t.unite, s.par_type[code])
	end
	row("**Total des places pour les moins de 3 ans**", "places", s.moins_3)
	if s.enfants then
		local r = {"**Taux de couverture**", "places pour 100 enfants"}
		for _, y in ipairs(s.annees) do r[#r + 1] = fmt.number(s.taux[y], 1) end
		if many then r[#r + 1] = "" end
		rows[#rows + 1] = r
	end
	return markdown.table{head = head, rows = rows}
end

-- The coverage rate per commune for the last year (Markdown).
function M.tableau_communes(page)
	local s = M.de_la_page(page)
	local y = s.annees[#s.annees]
	if not y then return "" end
	local rows, enfants = {}, {}
	for _, c in ipairs(page.meta.communes or {}) do enfants[c.nom] = c.enfants_moins_3_ans end
	for _, c in ipairs(s.communes) do
		local t = s.taux_commune[c] and s.taux_commune[c][y]
		rows[#rows + 1] = {c, enfants[c], s.par_commune[c][y],
			t and fmt.number(t, 1) or "–"}
	end
	rows[#rows + 1] = {"**Total**", s.enfants, s.moins_3[y],
		s.taux[y] and fmt.number(s.taux[y], 1) or "–"}
	return markdown.table{head = {"Commune", "Enfants de moins de 3 ans",
		"Places pour les moins de 3 ans en " .. y, "Places pour 100 enfants"},
		rows = rows, align = {"left", "right", "right", "right"}}
end

-- A bar chart of the places for the under-3, one series per year.
function M.graphique(page)
	local s = M.de_la_page(page)
	local labels, series = {}, {}
	for _, y in ipairs(s.annees) do series[#series + 1] = {name = tostring(y), values = {}} end
	for _, code in ipairs(s.types) do
		local t = M.type(code)
		if t.moins_3 then
			labels[#labels + 1] = t.libelle
			for k, y in ipairs(s.annees) do
				series[k].values[#labels] = s.par_type[code][y] or 0
			end
		end
	end
	if #labels == 0 then return nil end
	return chart.bar{title = "Places d’accueil pour les enfants de moins de 3 ans",
		labels = labels, series = series, unit = "places"}
end

return M
