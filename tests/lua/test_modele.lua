-- ctg.modele: placeholders of the national model left in the text.
local t = require "testlib"
local modele = require "ctg.modele"

t.test("dans", function()
	t.eq(modele.dans("La Caisse des Allocations familiales de … représentée par M …"), {"…"})
	t.eq(modele.dans("stratégie de lutte contre la pauvreté…"), {})
	t.eq(modele.dans("Données socio-économiques (emploi, vulnérabilité…)"), {"…"})
	t.eq(modele.dans("représenté par son Président, M…), dûment"), {"…"})
	t.eq(modele.dans("Fait à …………Le……20XX"), {"20xx", "…"})
	t.eq(modele.dans("Plan d’actions 20xx -20xx"), {"20xx"})
	t.eq(modele.dans("(A adapter en fonction du nombre)"), {"(A adapter"})
	t.eq(modele.dans("(à adapter et compléter par la collectivité)"), {"(A adapter"})
	t.eq(modele.dans("de la commune de (XXX) en date"), {"XXX"})
	t.eq(modele.dans("XXL ou XXXL"), {})
	t.eq(modele.dans("Commune A"), {"Commune A"})
	t.eq(modele.dans("Commune Amboise, Commune de Riom"), {})
	t.eq(modele.dans("en date du ... 2025"), {"…"})
	t.eq(modele.dans("La convention du 15 janvier 2026."), {})
end)

t.test("trouver", function()
	local page = {meta = {titre = "CTG", date_effet = "20xx-01-01",
		signataires = {{nom = "M …"}}}, meta_lines = {date_effet = 5, signataires = 6},
		blocks = {
			{kind = "paragraph", line = 10, text = "Ligne un\nde … ici"},
			{kind = "code", line = 20, text = "20xx"},
			{kind = "table_row", line = 30, text = "Commune A | 20xx"},
			{kind = "heading", line = 40, text = "Annexe 3 – Plan d’actions 2026-2030"}}}
	local f = modele.trouver(page)
	t.eq(f, {{line = 5, texte = "20xx"}, {line = 6, texte = "…"},
		{line = 11, texte = "…"}, {line = 30, texte = "20xx"},
		{line = 30, texte = "Commune A"}})
end)

-- page.text says where no placeholder can be: the blocks are then not
-- read at all; where one may be, the blocks are read as before.
t.test("trouver_text", function()
	local untouchable = setmetatable({}, {__index = function() error("blocks read") end})
	local page = {meta = {}, text = "Rien ici : 2026, (à voir), Commune de Riom,\nune fin… et 20 x",
		blocks = untouchable}
	t.eq(modele.trouver(page), {})
	local blocks = {{kind = "paragraph", line = 7, text = "un\nLe 20XX (à adapter)"},
		{kind = "code", line = 9, text = "20xx"},
		{kind = "table_head", line = 12, text = "Commune | Places"},
		{kind = "table_row", line = 14, text = "Commune B | …"}}
	local texts = {}
	for _, b in ipairs(blocks) do
		if b.kind ~= "code" then texts[#texts + 1] = b.text end
	end
	local want = {{line = 8, texte = "20xx"}, {line = 8, texte = "(A adapter"},
		{line = 14, texte = "Commune B"}, {line = 14, texte = "…"}}
	t.eq(modele.trouver{meta = {}, blocks = blocks}, want)
	t.eq(modele.trouver{meta = {}, blocks = blocks, text = table.concat(texts, "\n")}, want)
	-- each needle alone is enough to read the blocks
	for _, s in ipairs({"20xX", "(A\u{a0}adàpter", "XXX", "Commune Z", "…)", "(...", "x\n…",
		"……", "a ..."}) do
		local read = false
		local spy = setmetatable({}, {__index = function() read = true end})
		modele.trouver{meta = {}, text = "début " .. s .. " fin", blocks = spy}
		t.eq(read, true, s)
	end
	-- and these are not
	for _, s in ipairs({"20 xx", "(a  adapter", "XX X", "Commune d", "fin…", "fin...", "(à voir)"}) do
		modele.trouver{meta = {}, text = "début " .. s .. " fin", blocks = untouchable}
	end
end)

return t.done()
