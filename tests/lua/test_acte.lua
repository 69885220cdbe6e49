-- ctg.acte: prefecture identifiers parsed and checked.
local t = require "testlib"
local acte = require "ctg.acte"

t.test("parse", function()
	local a = acte.parse("063-216300699-20251217-251217014-DE")
	t.eq(a, {id = "063-216300699-20251217-251217014-DE", departement = "063",
		siren = "216300699", date = "2025-12-17", numero = "251217014",
		nature = "DE", nature_libelle = "délibération", siren_valide = true})
	a = acte.parse("02A-200012345-20240229-A_1-CC")
	t.eq(a.departement, "02A")
	t.eq(a.date, "2024-02-29")
	t.eq(a.numero, "A_1")
	t.eq(a.nature_libelle, "contrat, convention ou avenant")
	t.eq(acte.parse("974-123456789-20260101-1-AU").nature_libelle, "autre")
end)

t.test("invalid", function()
	local function why(id) return select(2, acte.parse(id)) end
	t.eq(why("63-216300699-20251217-1-DE"), "the département \"63\" must be 3 digits, or 02A or 02B")
	t.eq(why("02C-216300699-20251217-1-DE"), "the département \"02C\" must be 3 digits, or 02A or 02B")
	t.eq(why("063-21630069-20251217-1-DE"), "the SIREN \"21630069\" must be 9 digits")
	t.eq(why("063-216300699-20250229-1-DE"), "the decision date \"20250229\" is not a real date (YYYYMMDD)")
	t.eq(why("063-216300699-2025121-1-DE"), "the decision date \"2025121\" is not a real date (YYYYMMDD)")
	t.eq(why("063-216300699-20251217-n°1-DE"), "the number \"n°1\" may only hold letters, digits and \"_\"")
	t.eq(why("063-216300699-20251217-1-XX"), "the nature \"XX\" must be DE, AR, AI, CC, BF or AU")
	t.eq(why("063-216300699-20251217-a-b-DE"), "expected five parts separated by \"-\" (département-SIREN-date-number-nature)")
	t.eq(why(nil), "not a string")
end)

t.test("siren", function()
	-- Luhn: 2 + 2 + 6 + 6 + 0 + 0 + 6 + 9 + 9 = 40
	t.eq(acte.siren_valide("216300699"), true)
	-- 7 + 6 + 2 + 7 + 2 + 9 + 3 + 4 + 0 = 40
	t.eq(acte.siren_valide("732829320"), true)
	-- 1 + 4 + 3 + 8 + 5 + 3 + 7 + 7 + 9 = 47
	t.eq(acte.siren_valide("123456789"), false)
	t.eq(acte.siren_valide("12345"), false)
end)

t.test("page", function()
	local page = {meta = {actes = {
		{id = "063-200097418-20251211-2025_118-DE", transmission = "2025-12-15", publication = "2025-12-16"},
		"063-216300699-20251217-251217014-DE"}},
		versions = {{id = 0, trailers = {Acte = "063-200097418-20251211-2025_118-DE"}},
			{id = 1, trailers = {Acte = "063-200097418-20270301-270301004-CC", Publication = "2027-03-20"}}}}
	local l = acte.de_la_page(page)
	t.eq(#l, 3)
	t.eq(l[1].publication, "2025-12-16")
	t.eq(l[1].siren, "200097418")
	t.eq(l[2].numero, "251217014")
	t.eq(l[3].version, 1)
	t.eq(l[3].date, "2027-03-01")
	local md = acte.tableau(page)
	t.has(md, "| `063-200097418-20251211-2025_118-DE` | 063 | 200097418 | 11 décembre 2025 | 2025_118 | DE (délibération) | 16 décembre 2025 |")
	t.has(md, "| CC (contrat, convention ou avenant) | 20 mars 2027 |")
end)

return t.done()
