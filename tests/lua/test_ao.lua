-- ctg.ao: the organising authorities (CASF L. 214-1-3) of the demo's
-- territory and variations, populations summed by hand.
local t = require "testlib"
local ao = require "ctg.ao"

local function communes()
	return {
		{nom = "Vernasse-sur-Ambreuse", insee = "63481", population = 12340},
		{nom = "Saint-Ausbert-des-Combes", insee = "63484", population = 5180},
		{nom = "Montaudière", insee = "63487", population = 3870},
		{nom = "Charbonnelles", insee = "63489", population = 1460},
		{nom = "Vialesse", insee = "63493", population = 820},
		{nom = "Les Éparvières", insee = "63496", population = 610},
	}
end

t.test("thresholds", function()
	t.eq(ao.competences(3500), {"recenser", "informer"})
	t.eq(ao.competences(3501), {"recenser", "informer", "planifier", "qualite"})
	t.eq(ao.competences(nil), {"recenser", "informer"})
end)

t.test("epci", function()
	local a = ao.autorites{territoire = "CC du Val", competences_transferees = true,
		communes = communes()}
	t.eq(#a, 1)
	t.eq(a[1].nom, "CC du Val")
	t.eq(a[1].type, "epci")
	-- 12340 + 5180 + 3870 + 1460 + 820 + 610
	t.eq(a[1].population, 24280)
	t.eq(a[1].competences, {"recenser", "informer", "planifier", "qualite"})
	t.eq(a[1].schema_pluriannuel, true)
	t.eq(a[1].rpe_obligatoire, true)
	t.eq(a[1].rpe_depuis, "2026-01-01")
	t.eq(#a[1].communes, 6)
	t.eq(ao.population_max{competences_transferees = true, communes = communes()}, 24280)
end)

t.test("communes", function()
	local a = ao.autorites{communes = communes()}
	t.eq(#a, 6)
	t.eq(a[1].nom, "Vernasse-sur-Ambreuse")
	t.eq(a[1].type, "commune")
	t.eq(a[1].schema_pluriannuel, true)
	t.eq(#a[2].competences, 4) -- 5180
	t.eq(a[2].schema_pluriannuel, false)
	t.eq(#a[3].competences, 4) -- 3870
	t.eq(a[4].competences, {"recenser", "informer"}) -- 1460
	t.eq(a[6].population, 610)
end)

t.test("partial_transfer", function()
	-- the three smallest communes: 1460 + 820 + 610 = 2890
	local a = ao.autorites{epci = "CC", communes = communes(),
		competences_transferees = {"63489", "Vialesse", 63496}}
	t.eq(#a, 4)
	t.eq(a[1].nom, "CC")
	t.eq(a[1].population, 2890)
	t.eq(a[1].competences, {"recenser", "informer"})
	t.eq(a[1].schema_pluriannuel, false)
	t.eq(a[2].nom, "Vernasse-sur-Ambreuse")
	-- a commune that kept its competences: 24280 - 12340 = 11940
	local c = communes()
	c[1].transfert = false
	a = ao.autorites{territoire = "CC", competences_transferees = true, communes = c}
	t.eq(a[1].population, 11940)
	t.eq(a[1].schema_pluriannuel, true)
	t.eq(a[2].nom, "Vernasse-sur-Ambreuse")
	-- exactly 10 000 is not above the threshold
	a = ao.autorites{communes = {{nom = "X", population = 10000}}}
	t.eq(a[1].schema_pluriannuel, false)
	t.eq(ao.autorites{}, {})
end)

t.test("tableau", function()
	local md = ao.tableau{meta = {territoire = "CC du Val", competences_transferees = true,
		communes = communes()}}
	t.has(md, "| Autorité organisatrice | Habitants | Compétences | Obligations renforcées |\n|---|---:|---|---|\n")
	t.has(md, "| CC du Val (pour Vernasse-sur-Ambreuse, Saint-Ausbert-des-Combes, Montaudière, Charbonnelles, Vialesse, Les Éparvières) | 24" .. t.NB .. "280 | recenser les besoins")
	t.has(md, "soutenir la qualité des modes d’accueil | schéma pluriannuel")
	t.has(md, "relais petite enfance, obligatoire depuis le 1er janvier 2026 |")
	t.has(ao.tableau{meta = {}}, "Aucune commune")
end)

return t.done()
