-- paraphe.fmt, paraphe.dates, paraphe.table, sorted_pairs: values checked
-- by hand.
local t = require "testlib"
local NB = t.NB

t.test("fmt_number", function()
	t.eq(paraphe.fmt_number(1234.5), "1" .. NB .. "234,5")
	t.eq(paraphe.fmt_number(1234567), "1" .. NB .. "234" .. NB .. "567")
	t.eq(paraphe.fmt_number(999), "999")
	t.eq(paraphe.fmt_number(-1234.56), "-1" .. NB .. "234,56")
	t.eq(paraphe.fmt_number(3.0), "3")
	t.eq(paraphe.fmt_number(2 / 3), "0,67")
	t.eq(paraphe.fmt_number(2 / 3, 1), "0,7")
	t.eq(paraphe.fmt_number(449 / 768 * 100, 1), "58,5")
	t.eq(paraphe.fmt_number(84, 2), "84,00")
	t.eq(paraphe.fmt_number(-0.04, 1), "0,0")
	t.eq(paraphe.fmt_number(0.1 + 0.2), "0,3")
	t.eq(paraphe.fmt_number("12"), "12")
	t.eq(paraphe.fmt_number(nil), "")
	t.eq(paraphe.fmt_number("abc"), "abc")
	t.eq(paraphe.fmt_number(0 / 0), "–")
end)

t.test("fmt_percent_signed", function()
	t.eq(paraphe.fmt_percent(58.4635, 1), "58,5" .. NB .. "%")
	t.eq(paraphe.fmt_percent(100, 0), "100" .. NB .. "%")
	t.eq(paraphe.fmt_percent(nil), "")
	t.eq(paraphe.fmt_signed(12), "+12")
	t.eq(paraphe.fmt_signed(-3), "-3")
	t.eq(paraphe.fmt_signed(0), "0")
	t.eq(paraphe.fmt_signed(0.004, 1), "0,0")
	t.eq(paraphe.fmt_signed(1500), "+1" .. NB .. "500")
end)

t.test("fmt_date", function()
	t.eq(paraphe.fmt_date("2025-12-18"), "18 décembre 2025")
	t.eq(paraphe.fmt_date("2026-01-01"), "1er janvier 2026")
	t.eq(paraphe.fmt_date("2024-02-29"), "29 février 2024")
	t.eq(paraphe.fmt_date("2025-02-29"), "2025-02-29")
	t.eq(paraphe.fmt_date("2025-13-01"), "2025-13-01")
	t.eq(paraphe.fmt_date("demain"), "demain")
	t.eq(paraphe.fmt_date(0), "1er janvier 1970")
	t.eq(paraphe.fmt_date({year = 2030, month = 12, day = 31}), "31 décembre 2030")
	-- the build's reference time: 1773576000 = 2026-03-15 12:00 UTC
	t.eq(paraphe.fmt_date(os.time()), "15 mars 2026")
	t.eq(os.date("!%Y-%m-%d %H:%M:%S"), "2026-03-15 12:00:00")
end)

t.test("dates", function()
	local d = paraphe.dates
	t.eq(d.days("1970-01-01"), 0)
	t.eq(d.days("2026-01-01"), 20454) -- 1767225600 / 86400
	t.eq(d.from_days(20454), "2026-01-01")
	t.eq(d.from_days(-1), "1969-12-31")
	t.eq(d.add_days("2024-02-28", 1), "2024-02-29")
	t.eq(d.add_days("2030-12-31", 1), "2031-01-01")
	t.eq(d.add_days("2026-03-01", -1), "2026-02-28")
	t.eq(d.compare("2026-01-01", "2025-12-31"), 1)
	t.eq(d.compare("2026-01-01", "2026-01-01"), 0)
	t.eq(d.compare("x", "2026-01-01"), nil)
	t.eq(d.today(), "2026-03-15")
end)

t.test("sorted_pairs", function()
	local keys = {}
	for k, v in paraphe.sorted_pairs({b = 1, a = 2, [10] = 3, [2] = 4, B = 5}) do
		keys[#keys + 1] = tostring(k) .. "=" .. v
	end
	t.eq(table.concat(keys, " "), "2=4 10=3 B=5 a=2 b=1")
end)

t.test("table", function()
	t.eq(paraphe.table{{"Nom", "Places"}, {"EAJE", 84}, {"MAM", 1234.5}},
		"| Nom | Places |\n|---|---:|\n| EAJE | 84 |\n| MAM | 1" .. NB .. "234,5 |\n")
	t.eq(paraphe.table{head = {"A", "B"}, rows = {{"x|y\nz", true}, {nil, false}},
		caption = "Titre", align = {"center", "right"}},
		"**Titre**\n\n| A | B |\n|:---:|---:|\n| x\\|y z | oui |\n|  | non |\n")
	t.eq(paraphe.table{{b = 1, a = "x"}, {b = 2, a = "y"}},
		"| a | b |\n|---|---:|\n| x | 1 |\n| y | 2 |\n")
	t.eq(paraphe.table{}, "")
	local ok, err = pcall(paraphe.table, {{paraphe.html("<b>")}})
	t.eq(ok, false)
	t.has(err, "a table cell cannot hold paraphe.html")
	t.eq(paraphe.escape_md("*a* [b] <c> #1 |"), "\\*a\\* \\[b\\] \\<c\\> \\#1 \\|")
end)

t.test("html", function()
	local h = paraphe.html("<p>", "a", nil, paraphe.html("</p>"))
	t.eq(paraphe.is_html(h), true)
	t.eq(h.html, "<p>a</p>")
	t.eq(tostring(h), "<p>a</p>")
	t.eq((h .. "<br>").html, "<p>a</p><br>")
	t.eq(("<hr>" .. h).html, "<hr><p>a</p>")
	t.eq(paraphe.is_html("<p>"), false)
	t.eq((pcall(paraphe.html, 1)), false)
end)

return t.done()
