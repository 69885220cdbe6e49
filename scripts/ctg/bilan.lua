-- ctg.bilan : les bilans d'une CTG (type bilan). En-tête : convention (le
-- nom du dossier de la convention ; par défaut, le paquet qui contient le
-- bilan), nature (point-etape, intermediaire, final), periode, indicateurs
-- (liste de {axe, nom, unite, initial, cible, realise}), actions (liste de
-- {axe, action, statut, avancement}).
--
--   taux d'atteinte = (réalisé - initial) / (cible - initial) × 100
--   (100 quand la cible est la situation initiale et qu'elle est tenue) ;
--   évolution = réalisé - initial, et en % de l'initial quand il n'est pas
--   nul ; l'avancement d'une action est son champ avancement (0 à 100), à
--   défaut 100 pour une action réalisée et 0 sinon.
--
-- on_site relie chaque bilan au bilan précédent de la même convention (par
-- date, sinon par période, sinon par chemin) ; on_page en tire l'évolution
-- de chaque indicateur depuis ce bilan précédent.
local fmt = require "paraphe.fmt"
local markdown = require "paraphe.markdown"
local chart = require "paraphe.chart"
local texte = require "ctg.texte"

local M = {}

M.STATUTS = {
	{code = "realisee", libelle = "Réalisée", mots = {"realise", "termine", "acheve", "fait"}},
	{code = "en_cours", libelle = "En cours", mots = {"en cours", "engage", "demarre"}},
	{code = "non_engagee", libelle = "Non engagée", mots = {"non engage", "non realise", "a engager", "prevu", "non commence", "a venir", "pas commence"}},
	{code = "reportee", libelle = "Reportée", mots = {"report", "suspendu"}},
	{code = "abandonnee", libelle = "Abandonnée", mots = {"abandon", "annule"}},
}

-- The status code of a statut text ("Réalisée" -> "realisee"), or
-- "autre".
function M.statut(s)
	local f = texte.fold(s)
	-- the negative forms first: "non engagée" holds "engage"
	for _, k in ipairs({3, 4, 5, 1, 2}) do
		local st = M.STATUTS[k]
		for _, w in ipairs(st.mots) do
			if f:find(w, 1, true) then return st.code end
		end
	end
	return "autre"
end

local LIBELLE, RANG = {autre = "Autre"}, {autre = #M.STATUTS + 1}
for i, s in ipairs(M.STATUTS) do LIBELLE[s.code] = s.libelle; RANG[s.code] = i end

-- One indicator with its derived values.
function M.indicateur(i)
	local r = {}
	for k, v in pairs(i) do r[k] = v end
	local a, c, v = tonumber(i.initial), tonumber(i.cible), tonumber(i.realise)
	if a and v then
		r.evolution = v - a
		if a ~= 0 then r.evolution_pct = 100 * (v - a) / a end
	end
	if a and c and v then
		if c ~= a then
			r.taux_atteinte = 100 * (v - a) / (c - a)
		else
			r.taux_atteinte = v == c and 100 or 0
		end
	end
	return r
end

function M.indicateurs(meta)
	local out = {}
	for i, x in ipairs(meta.indicateurs or {}) do out[i] = M.indicateur(x) end
	return out
end

local function avancement(a)
	local n = tonumber(a.avancement)
	if n then return n end
	return M.statut(a.statut) == "realisee" and 100 or 0
end

-- {total, par_statut = {{code, libelle, nombre}}, par_axe = {{axe,
-- nombre, avancement}}}: statuses in the order of M.STATUTS, axes in
-- order of appearance.
function M.actions(meta)
	local r, st, ax = {total = 0, par_statut = {}, par_axe = {}}, {}, {}
	for _, a in ipairs(meta.actions or {}) do
		r.total = r.total + 1
		local code = M.statut(a.statut)
		if not st[code] then
			st[code] = {code = code, libelle = LIBELLE[code], nombre = 0}
			r.par_statut[#r.par_statut + 1] = st[code]
		end
		st[code].nombre = st[code].nombre + 1
		local axe = a.axe or "Sans axe"
		if not ax[axe] then
			ax[axe] = {axe = axe, nombre = 0, somme = 0}
			r.par_axe[#r.par_axe + 1] = ax[axe]
		end
		ax[axe].nombre = ax[axe].nombre + 1
		ax[axe].somme = ax[axe].somme + avancement(a)
	end
	for _, x in ipairs(r.par_axe) do
		x.avancement = x.somme / x.nombre
		x.somme = nil
	end
	table.sort(r.par_statut, function(a, b) return RANG[a.code] < RANG[b.code] end)
	return r
end

-- The key of a bilan's convention.
local function convention_of(p)
	return p.meta.convention or p.parent or ""
end

local function sort_key(p)
	local m, per = p.meta, p.meta.periode
	return tostring(m.date or (type(per) == "table" and (per.fin or per.debut))
		or per or "") .. "\0" .. p.path
end

-- on_site: site.ctg.bilans[src] = {precedent = {src, path, title,
-- periode, realise = {nom -> réalisé}}} for every bilan after another.
function M.on_site(site)
	local groups, order = {}, {}
	for _, p in ipairs(site.pages) do
		if p.type == "bilan" then
			local c = convention_of(p)
			if not groups[c] then groups[c] = {}; order[#order + 1] = c end
			table.insert(groups[c], p)
		end
	end
	site.ctg = site.ctg or {}
	site.ctg.bilans = site.ctg.bilans or {}
	for _, c in ipairs(order) do
		local list = groups[c]
		table.sort(list, function(a, b) return sort_key(a) < sort_key(b) end)
		for i = 2, #list do
			local prev, realise = list[i - 1], {}
			for _, x in ipairs(prev.meta.indicateurs or {}) do
				if x.nom then realise[x.nom] = x.realise end
			end
			site.ctg.bilans[list[i].src] = {precedent = {src = prev.src,
				path = prev.path, title = prev.title,
				periode = prev.meta.periode, realise = realise}}
		end
	end
end

-- The change of each indicator since the previous bilan, or nil (s: the
-- site table, by default the global site that on_site filled).
function M.evolution(page, s)
	s = s or site
	local b = s and s.ctg and s.ctg.bilans and s.ctg.bilans[page.src]
	if not b then return nil end
	local r = {precedent = b.precedent, indicateurs = {}}
	for _, i in ipairs(page.meta.indicateurs or {}) do
		local before = b.precedent.realise and b.precedent.realise[i.nom]
		local x = {nom = i.nom, unite = i.unite, precedent = before, actuel = i.realise}
		if tonumber(before) and tonumber(i.realise) then
			x.ecart = i.realise - before
		end
		r.indicateurs[#r.indicateurs + 1] = x
	end
	return r
end

function M.on_page(page)
	page.meta.ctg = page.meta.ctg or {}
	page.meta.ctg.indicateurs = M.indicateurs(page.meta)
	page.meta.ctg.actions = M.actions(page.meta)
	page.meta.ctg.evolution = M.evolution(page)
end

-- ---- rendering (Markdown and SVG) ----

local function pct(x)
	return x and fmt.percent(x, 0) or "–"
end

function M.tableau_indicateurs(page)
	local rows = {}
	for _, i in ipairs(M.indicateurs(page.meta)) do
		rows[#rows + 1] = {i.axe, i.nom, i.unite, i.initial, i.cible,
			i.realise == nil and "non renseigné" or i.realise,
			i.evolution and (fmt.signed(i.evolution) ..
				(i.evolution_pct and (" (" .. fmt.signed(i.evolution_pct, 0) .. fmt.NNBSP .. "%)") or ""))
				or "–",
			pct(i.taux_atteinte)}
	end
	if #rows == 0 then return "*Aucun indicateur n’est renseigné.*" end
	return markdown.table{head = {"Axe", "Indicateur", "Unité", "Situation initiale",
		"Cible", "Réalisé", "Évolution", "Atteinte de la cible"}, rows = rows,
		align = {"left", "left", "left", "right", "right", "right", "right", "right"}}
end

function M.graphique_indicateurs(page)
	local items = {}
	for _, i in ipairs(M.indicateurs(page.meta)) do
		if i.taux_atteinte then
			items[#items + 1] = {label = i.nom, value = i.taux_atteinte}
		end
	end
	if #items == 0 then return nil end
	return chart.progress{title = "Atteinte des cibles des indicateurs",
		items = items, decimals = 0}
end

function M.tableau_actions(page)
	local a = M.actions(page.meta)
	if a.total == 0 then return "*Aucune action n’est renseignée.*" end
	local rows = {}
	for _, s in ipairs(a.par_statut) do
		rows[#rows + 1] = {s.libelle, s.nombre, fmt.percent(100 * s.nombre / a.total, 0)}
	end
	rows[#rows + 1] = {"**Total**", a.total, fmt.percent(100, 0)}
	local items = {}
	for _, x in ipairs(a.par_axe) do
		items[#items + 1] = {label = x.axe .. " (" .. x.nombre ..
			(x.nombre > 1 and " actions)" or " action)"), value = x.avancement}
	end
	return {markdown.table{head = {"Statut", "Actions", "Part"}, rows = rows},
		chart.progress{title = "Avancement moyen des actions par axe",
			items = items, decimals = 0}}
end

function M.tableau_evolution(page, s)
	local e = M.evolution(page, s)
	if not e then
		return "*Premier bilan de la convention : pas de bilan précédent à comparer.*"
	end
	local rows = {}
	for _, i in ipairs(e.indicateurs) do
		rows[#rows + 1] = {i.nom, i.precedent == nil and "–" or i.precedent,
			i.actuel == nil and "–" or i.actuel,
			i.ecart and fmt.signed(i.ecart) or "–"}
	end
	local per = e.precedent.periode
	return {"Évolution depuis le bilan précédent, [" .. markdown.escape(e.precedent.title) ..
		"](" .. string.rep("../", select(2, page.path:gsub("/", ""))) .. e.precedent.path .. ")" ..
		(type(per) == "string" and (" (" .. per .. ")") or "") .. " :",
		markdown.table{head = {"Indicateur", "Bilan précédent", "Ce bilan", "Écart"},
			rows = rows}}
end

return M
