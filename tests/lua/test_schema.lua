-- ctg.schema: the D. 214-10-1 checklist, from headings, table heads and
-- the front matter.
local t = require "testlib"
local schema = require "ctg.schema"

local function h(title) return {level = 2, id = "x", title = title, line = 1} end

-- Headings and table heads as in the demo convention and its annexes.
local function demo()
	return {title = "Convention", meta = {},
		outline = {h("Article 4 - Les objectifs partagés au regard des besoins"),
			h("Les indicateurs")},
		blocks = {},
		subpages = {
			{title = "Annexe 1 – Diagnostic partagé", outline = {
				h("1° Les équipements, services et modes d’accueil existants"),
				h("2° Les besoins des enfants et de leurs familles"),
				h("3° Les zones où l’offre est insuffisante ou difficile d’accès")}, blocks = {}},
			{title = "Annexe 3 – Plan d’actions", outline = {
				h("Action 1.2 – Rendre l’offre accessible aux familles qui rencontrent des difficultés particulières"),
				h("Action 1.3 – Faire progresser la qualité de l’accueil")},
				blocks = {{kind = "table_head", line = 40, cells = {"Mode d’accueil",
					"Emplois et compétences nécessaires", "Projet d’investissement",
					"Coût estimatif", "Calendrier prévisionnel"}}}},
		}}
end

t.test("demo_complete", function()
	local r = schema.verifier(demo())
	t.eq(r.manquants, {})
	t.eq(r.complet, true)
	t.eq(#r.elements, 11)
	t.eq(r.elements[1].ou[1], "Annexe 1 – Diagnostic partagé › 1° Les équipements, services et modes d’accueil existants")
	t.eq(r.elements[2].ou, {"Convention › Article 4 - Les objectifs partagés au regard des besoins",
		"Annexe 1 – Diagnostic partagé › 2° Les besoins des enfants et de leurs familles"})
	t.eq(r.elements[5].ref, "4° b)")
	t.eq(r.elements[5].ou, {"Annexe 3 – Plan d’actions › tableau, colonne « Emplois et compétences nécessaires »"})
	t.eq(r.elements[9].ou, {"Annexe 3 – Plan d’actions › tableau, colonne « Coût estimatif »"})
	t.eq(r.elements[11].ou, {"Convention › Les indicateurs"})
end)

t.test("missing", function()
	local p = demo()
	p.subpages[2] = nil
	local r = schema.verifier(p)
	t.eq(r.complet, false)
	t.eq(r.manquants, {"4° b)", "4° c)", "4° d)", "4° e)", "4° f)", "4° g)"})
	-- the front matter can say where an item is
	p.meta.schema_pluriannuel = {emplois = "Annexe 3, action 1.5", ["4c"] = "Annexe 3, action 1.2"}
	r = schema.verifier(p)
	t.eq(r.elements[5].ou, {"Annexe 3, action 1.5"})
	t.eq(r.elements[6].present, true)
	t.eq(r.manquants, {"4° d)", "4° e)", "4° f)", "4° g)"})
	local md = schema.tableau(p)
	t.has(md[1], "| 4° d) Soutien à la qualité des modes d’accueil | **non trouvé** |")
	t.has(md[1], "| 4° b) Besoins en emplois et en compétences | oui : Annexe 3, action 1.5 |")
	t.eq(md[2], "Il manque les éléments 4° d), 4° e), 4° f), 4° g) de l’article D. 214-10-1 du code de l’action sociale et des familles : en l’état, la convention ne peut pas tenir lieu de schéma pluriannuel.")
	t.eq(schema.verifier{title = "Vide", meta = {}}.manquants[11], "4° h)")
	t.has(schema.tableau(demo())[2], "elle peut tenir lieu de schéma pluriannuel.")
end)

-- page.tables gives the same table heads as the table_head blocks.
t.test("tables", function()
	local p = demo()
	local blocks = p.subpages[2].blocks
	p.outline[#p.outline + 1] = h("Annexes")
	p.blocks = {{kind = "paragraph", line = 1, text = "x"},
		{kind = "table_head", line = 3, text = "Qualité | Calendrier", cells = {"Qualité", "Calendrier"}},
		{kind = "table_row", line = 5, text = "a | b", cells = {"a", "b"}},
		{kind = "table_head", line = 8, text = "Zones\nmal couvertes", cells = {"Zones\nmal couvertes"}}}
	local r = schema.verifier(p)
	p.tables = {{line = 3, head = {"Qualité", "Calendrier"}, rows = {{"a", "b"}}},
		{line = 8, head = {"Zones\nmal couvertes"}, rows = {}}}
	p.blocks = setmetatable({}, {__index = function() error("blocks read") end})
	t.eq(schema.verifier(p), r)
	t.eq(r.elements[10].ou, {"Convention › tableau, colonne « Calendrier »",
		"Annexe 3 – Plan d’actions › tableau, colonne « Calendrier prévisionnel »"})
	t.eq(r.elements[3].ou[1], "Convention › tableau, colonne « Zones\nmal couvertes »")
	t.eq(#blocks, 1)
end)

return t.done()
