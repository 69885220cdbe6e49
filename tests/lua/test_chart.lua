-- paraphe.chart: accessible SVG (role, title, description, visible values,
-- patterns and a legend rather than colour).
local t = require "testlib"
local NB = t.NB

t.test("bar_one_series", function()
	local h = paraphe.chart.bar{title = "Places <2026> & plus",
		labels = {"EAJE", "MAM"}, values = {84, 20}, unit = "places"}
	t.eq(paraphe.is_html(h), true)
	local s = h.html
	t.has(s, '<figure class="graphique"><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="')
	local id = s:match('<title id="(graphique%-%x+)%-titre">')
	t.eq(type(id), "string")
	t.has(s, 'aria-labelledby="' .. id .. '-titre ' .. id .. '-desc"')
	t.has(s, '<title id="' .. id .. '-titre">Places &lt;2026&gt; &amp; plus</title>')
	t.has(s, '<desc id="' .. id .. '-desc">EAJE : 84 places ; MAM : 20 places.</desc>')
	-- visible title and values; the longest bar spans the area (510)
	t.has(s, '>Places &lt;2026&gt; &amp; plus</text>')
	t.has(s, 'width="510" height="16" fill="currentColor"')
	t.has(s, '>84 places</text>')
	-- 20 / 84 × 510 = 121.4
	t.has(s, 'width="121" height="16" fill="currentColor"')
	t.has(s, '>20 places</text>')
	t.hasnt(s, "style=")
	t.hasnt(s, "<script")
	-- stable: the same chart gives the same text
	t.eq(paraphe.chart.bar{title = "Places <2026> & plus",
		labels = {"EAJE", "MAM"}, values = {84, 20}, unit = "places"}.html, s)
end)

t.test("bar_series", function()
	local s = paraphe.chart.bar{title = "T", labels = {"EAJE"},
		series = {{name = "2026", values = {84}}, {name = "2030", values = {1234.5}}},
		description = "Ma description"}.html
	t.has(s, '<desc id="graphique-')
	t.has(s, '-desc">Ma description</desc>')
	-- the second series is hatched, and the legend names both
	t.has(s, '-hachures)"')
	t.has(s, '<pattern id="graphique-')
	t.has(s, '>2026</text>')
	t.has(s, '>2030</text>')
	t.has(s, '>1' .. NB .. '234,5</text>')
	-- 84 / 1234.5 × 510 = 34.7
	t.has(s, 'width="35" height="16" fill="currentColor"')
end)

t.test("progress", function()
	local s = paraphe.chart.progress{title = "Avancement", items = {
		{label = "Axe 1", value = 45}, {label = "Axe 2", value = 120},
		{label = "Axe 3", value = 3, max = 8}, {label = "Axe 4"}}}.html
	t.has(s, 'role="img"')
	-- track, then the part reached: 45 % of 510 = 229.5 -> 230
	t.has(s, 'width="510" height="15" fill="none" stroke="currentColor"')
	t.has(s, 'width="230" height="15" fill="currentColor"')
	t.has(s, '>45' .. NB .. '%</text>')
	-- over the target: a full bar, the true value written
	t.has(s, 'width="510" height="15" fill="currentColor"')
	t.has(s, '>120' .. NB .. '%</text>')
	-- 3 of 8: 191.25 -> 191
	t.has(s, 'width="191" height="15" fill="currentColor"')
	t.has(s, '>3 sur 8</text>')
	t.has(s, '>non renseigné</text>')
	t.has(s, '-desc">Axe 1 : 45' .. NB .. '% ; Axe 2 : 120' .. NB .. '% ; Axe 3 : 3 sur 8 ; Axe 4 : non renseigné.</desc>')
	local one = paraphe.chart.progress{title = "Un", label = "Fait", value = 50}.html
	t.has(one, '>50' .. NB .. '%</text>')
	t.eq((pcall(paraphe.chart.bar, {labels = {}})), false)
end)

return t.done()
