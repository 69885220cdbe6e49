-- ctg.schema : une CTG peut tenir lieu du schéma pluriannuel de maintien et
-- de développement de l'offre d'accueil du jeune enfant (décret
-- n° 2025-253, CASF D. 214-10-1) si elle contient tous ses éléments.
--
-- Chaque élément est trouvé par l'en-tête de la convention
-- (schema_pluriannuel: {inventaire: "Annexe 2", …}, clés ci-dessous ou
-- codes "1", "4a"…), sinon par les titres de la convention et de ses
-- sous-pages (annexes, pas les bilans) et les en-têtes de leurs tableaux,
-- comparés sans accents ni majuscules à des mots clés.

-- the globals used on every page, as locals: a global is looked up
-- through the sandbox's environments, a local is not
local ipairs, type, tostring = ipairs, type, tostring
local table_concat = table.concat
local table_sort = table.sort
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

local JOINABLE = {string = true, number = true} -- what ".." takes

-- The places to search: where(i), where the i-th heading or table head
-- cell of the page and of its sub-pages (their titles too; page.tables,
-- else the table_head blocks) is; their texts folded, joined by "\n" (a
-- "\n" inside one becomes "\1" first: no keyword holds either, and
-- folding keeps both); the position where each starts there.
local function places(page)
	-- place i: its text texts[i] (tostring of the heading or cell); where
	-- it is: eager[i] when set, else the range's title .. mid .. texts[i]
	-- .. post (made when asked: most places are never named), or nil.
	-- The loops are written out: they run for every heading and column
	-- of every convention.
	local texts, eager, ranges, n = {}, {}, {}, 0
	local function range(from, title, mid, post)
		if n >= from then
			ranges[#ranges + 1] = {from, n, title, mid, post}
		end
	end
	local function scan(title, p)
		local tj, from = JOINABLE[type(title)], n + 1
		local o = p.outline or {}
		for i = 1, #o do
			local h = o[i]
			if h == nil then break end -- as ipairs
			local x = h.title
			local tx = type(x)
			n = n + 1
			if not (tj and JOINABLE[tx]) then -- raises the error of joining them
				eager[n] = title .. " › " .. h.title
			end
			texts[n] = tx == "string" and x or tostring(x or "")
		end
		range(from, title, " › ", "")
		from = n + 1
		local function head(cells)
			for _, c in ipairs(cells or {}) do
				local tc = type(c)
				n = n + 1
				if not (tj and JOINABLE[tc]) then
					eager[n] = title .. " › tableau, colonne « " .. c .. " »"
				end
				texts[n] = tc == "string" and c or tostring(c or "")
			end
		end
		if p.tables then -- the same heads as the blocks', cheaper
			for _, t in ipairs(p.tables) do head(t.head) end
		else
			for _, b in ipairs(p.blocks or {}) do
				if b.kind == "table_head" then head(b.cells) end
			end
		end
		range(from, title, " › tableau, colonne « ", " »")
	end
	scan(page.title, page)
	for _, sp in ipairs(page.subpages or {}) do
		if sp.type ~= "bilan" then -- bilans are not the convention's text
			local t = sp.title
			n = n + 1
			eager[n] = t
			texts[n] = type(t) == "string" and t or tostring(t or "")
			scan(t, sp)
		end
	end
	local function where(i)
		if eager[i] ~= nil then return eager[i] end
		for _, r in ipairs(ranges) do
			if r[1] <= i and i <= r[2] then
				return r[3] .. r[4] .. texts[i] .. r[5]
			end
		end
		return nil
	end
	-- the texts joined by "\n" and folded at once (folding works character
	-- by character); a "\n" inside one becomes "\1" (no keyword holds
	-- either): the "\n" are then where the texts start
	local all = texte.fold(table_concat(texts, "\n"))
	local starts, pos, plain = {}, 1, true
	for i = 1, n do
		starts[i] = pos
		local nl = all:find("\n", pos, true)
		if i == n then
			plain = nl == nil -- else a text holds one
		else
			pos = nl + 1
		end
	end
	if not plain then
		local escaped = {}
		for i = 1, n do escaped[i] = texts[i]:gsub("\n", "\1") end
		all, pos = texte.fold(table_concat(escaped, "\n")), 1
		for i = 1, n do
			starts[i] = pos
			pos = (all:find("\n", pos, true) or #all) + 1
		end
	end
	return where, all, starts
end

-- Letters from the rarest in French text; a search looks for a word from
-- its rarest letter on (string.find runs memchr on a needle's first
-- byte: "equipements" would stop at every "e"), then checks the letters
-- before. Others count as common.
local RARE = "wkzxyjqhgbfv'-pmcdolurntiase "
local anchors = {} -- word -> {position of its rarest letter, tail, head}

local function anchor(w)
	local a = anchors[w]
	if not a then
		local k, best = 1, #RARE + 1
		for i = 1, #w do
			local r = RARE:find(w:sub(i, i), 1, true) or #RARE + 1
			if r < best then k, best = i, r end
		end
		a = {k, w:sub(k), w:sub(1, k - 1)}
		anchors[w] = a
	end
	return a
end

-- The next position (from init) where all holds w, or nil.
local function find(all, w, init)
	local a = anchor(w)
	local k, tail, head = a[1], a[2], a[3]
	local at = all:find(tail, init + k - 1, true)
	while at and k > 1 and all:sub(at - k + 1, at - 1) ~= head do
		at = all:find(tail, at + 1, true)
	end
	return at and at - k + 1
end

-- The indexes of the first two places (ascending) with a where whose
-- text contains one of words: for each word, its first two such places,
-- found in the texts joined (all), whose starts are ascending.
local function first_two(all, starts, where, words)
	local hit = {}
	for _, w in ipairs(words) do
		local at, n = find(all, w, 1), 0
		while at and n < 2 do
			local lo, hi = 1, #starts -- the place that holds at
			while lo < hi do
				local mid = (lo + hi + 1) // 2
				if starts[mid] <= at then lo = mid else hi = mid - 1 end
			end
			if where(lo) ~= nil then
				hit[#hit + 1] = lo
				n = n + 1
			end
			at = starts[lo + 1] and find(all, w, starts[lo + 1])
		end
	end
	table_sort(hit)
	local out = {hit[1]}
	for i = 2, #hit do
		if #out == 2 then break end
		if hit[i] ~= out[#out] then out[#out + 1] = hit[i] end
	end
	return out
end

-- {elements = {{code, ref, libelle, present, ou = {…}}}, complet,
-- manquants = {refs}}.
function M.verifier(page)
	local declared = type(page.meta.schema_pluriannuel) == "table"
		and page.meta.schema_pluriannuel or {}
	local found, all, starts = places(page)
	local r = {elements = {}, manquants = {}}
	for _, e in ipairs(M.ELEMENTS) do
		local item = {code = e.code, ref = e.ref, libelle = e.libelle, ou = {}}
		local d = declared[e.cle] or declared[e.code]
		if d then
			item.ou[1] = tostring(d)
		else
			for _, i in ipairs(first_two(all, starts, found, e.mots)) do
				item.ou[#item.ou + 1] = found(i)
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
			e.present and ("oui : " .. table_concat(e.ou, " ; ")) or "**non trouvé**"}
	end
	local conclusion = r.complet
		and "La convention contient tous les éléments de l’article D. 214-10-1 du code de l’action sociale et des familles : elle peut tenir lieu de schéma pluriannuel."
		or ("Il manque " .. (#r.manquants > 1 and "les éléments " or "l’élément ") ..
			table_concat(r.manquants, ", ") ..
			" de l’article D. 214-10-1 du code de l’action sociale et des familles : en l’état, la convention ne peut pas tenir lieu de schéma pluriannuel.")
	return {markdown.table{head = {"Élément exigé", "Présent dans la convention"},
		rows = rows}, conclusion}
end

return M
