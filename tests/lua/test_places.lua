-- ctg.places: the demo's places.csv (2026), summed by hand, and a second
-- year for the changes.
local t = require "testlib"
local places = require "ctg.places"
local NB = t.NB

local CSV = [[
2026,Vernasse-sur-Ambreuse,eaje_psu,64
2026,Vernasse-sur-Ambreuse,micro_creche_paje,12
2026,Vernasse-sur-Ambreuse,assistants_maternels,150
2026,Vernasse-sur-Ambreuse,rpe_etp,2.0
2026,Vernasse-sur-Ambreuse,alsh_periscolaire,320
2026,Vernasse-sur-Ambreuse,alsh_extrascolaire,96
2026,Vernasse-sur-Ambreuse,accueil_jeunes,24
2026,Saint-Ausbert-des-Combes,eaje_psu,20
2026,Saint-Ausbert-des-Combes,micro_creche_paje,10
2026,Saint-Ausbert-des-Combes,mam,12
2026,Saint-Ausbert-des-Combes,assistants_maternels,74
2026,Saint-Ausbert-des-Combes,rpe_etp,0.8
2026,Saint-Ausbert-des-Combes,alsh_periscolaire,140
2026,Saint-Ausbert-des-Combes,alsh_extrascolaire,48
2026,Saint-Ausbert-des-Combes,accueil_jeunes,16
2026,Montaudière,micro_creche_paje,10
2026,Montaudière,mam,8
2026,Montaudière,assistants_maternels,52
2026,Montaudière,rpe_etp,0.5
2026,Montaudière,alsh_periscolaire,96
2026,Montaudière,alsh_extrascolaire,36
2026,Charbonnelles,assistants_maternels,22
2026,Charbonnelles,alsh_periscolaire,40
2026,Vialesse,assistants_maternels,9
2026,Vialesse,alsh_periscolaire,24
2026,Les Éparvières,assistants_maternels,6
]]

local function rows()
	local r = {}
	for y, c, ty, n in CSV:gmatch("(%d+),([^,]+),([%w_]+),([%d.]+)\n") do
		r[#r + 1] = {annee = tonumber(y), commune = c, type = ty, places = tonumber(n)}
	end
	return r
end

local COMMUNES = {
	{nom = "Vernasse-sur-Ambreuse", enfants_moins_3_ans = 398},
	{nom = "Saint-Ausbert-des-Combes", enfants_moins_3_ans = 171},
	{nom = "Montaudière", enfants_moins_3_ans = 118},
	{nom = "Charbonnelles", enfants_moins_3_ans = 44},
	{nom = "Vialesse", enfants_moins_3_ans = 21},
	{nom = "Les Éparvières", enfants_moins_3_ans = 16},
}

t.test("totals_2026", function()
	local s = places.synthese(rows(), COMMUNES)
	t.eq(#rows(), 26)
	t.eq(s.annees, {2026})
	t.eq(s.types, {"eaje_psu", "micro_creche_paje", "mam", "assistants_maternels",
		"rpe_etp", "alsh_periscolaire", "alsh_extrascolaire", "accueil_jeunes"})
	t.eq(s.par_type.eaje_psu[2026], 84)            -- 64 + 20
	t.eq(s.par_type.micro_creche_paje[2026], 32)   -- 12 + 10 + 10
	t.eq(s.par_type.mam[2026], 20)                 -- 12 + 8
	t.eq(s.par_type.assistants_maternels[2026], 313) -- 150+74+52+22+9+6
	t.near(s.par_type.rpe_etp[2026], 3.3, 1e-9)    -- 2.0 + 0.8 + 0.5
	t.eq(s.par_type.alsh_periscolaire[2026], 620)  -- 320+140+96+40+24
	t.eq(s.par_type.alsh_extrascolaire[2026], 180) -- 96 + 48 + 36
	t.eq(s.par_type.accueil_jeunes[2026], 40)      -- 24 + 16
	t.eq(s.moins_3[2026], 449)                     -- 84 + 32 + 20 + 313
	t.eq(s.enfants, 768)                           -- 398+171+118+44+21+16
end)

t.test("coverage", function()
	local s = places.synthese(rows(), COMMUNES)
	-- 449 / 768 × 100 = 58.4635…, the demo's initial 58,5
	t.near(s.taux[2026], 58.463541666666667, 1e-9)
	t.eq(paraphe.fmt_number(s.taux[2026], 1), "58,5")
	-- Vernasse: (64 + 12 + 150) / 398 = 56.78…; Saint-Ausbert: 116 / 171
	t.eq(s.par_commune["Vernasse-sur-Ambreuse"][2026], 226)
	t.near(s.taux_commune["Vernasse-sur-Ambreuse"][2026], 56.783919597989950, 1e-9)
	t.eq(s.par_commune["Saint-Ausbert-des-Combes"][2026], 116)
	t.near(s.taux_commune["Saint-Ausbert-des-Combes"][2026], 67.836257309941520, 1e-9)
	t.near(s.taux_commune["Vialesse"][2026], 42.857142857142857, 1e-9)
	t.eq(s.taux_commune["Les Éparvières"][2026], 37.5)
	-- without children counts, no rate
	local n = places.synthese(rows(), {{nom = "X"}})
	t.eq(n.enfants, nil)
	t.eq(n.taux[2026], nil)
end)

t.test("two_years", function()
	local r = rows()
	r[#r + 1] = {annee = 2027, commune = "Montaudière", type = "eaje_psu", places = 24}
	r[#r + 1] = {annee = 2027, commune = "Vernasse-sur-Ambreuse", type = "eaje_psu", places = 84}
	r[#r + 1] = {annee = "2027", commune = "Charbonnelles", type = "creche_entreprise", places = "6"}
	local s = places.synthese(r, COMMUNES)
	t.eq(s.annees, {2026, 2027})
	t.eq(s.par_type.eaje_psu[2027], 108)
	t.eq(s.types[#s.types], "creche_entreprise")
	t.eq(places.type("creche_entreprise").libelle, "creche_entreprise")
	t.eq(s.moins_3[2027], 108) -- the unknown type is not for the under-3
	local md = places.tableau{meta = {communes = COMMUNES}, data = {places = r}}
	t.has(md, "| Mode d’accueil ou dispositif | Unité | 2026 | 2027 | Évolution |")
	-- 84 -> 108: +24, 24 / 84 = 28.6 %
	t.has(md, "| EAJE financés par la PSU | places | 84 | 108 | +24 (+29" .. NB .. "%) |")
	t.has(md, "| Micro-crèches PAJE | places | 32 |  |  |")
	t.has(md, "| **Total des places pour les moins de 3 ans** | places | 449 | 108 | -341 (-76" .. NB .. "%) |")
	-- 108 / 768 = 14.06
	t.has(md, "| **Taux de couverture** | places pour 100 enfants | 58,5 | 14,1 |  |")
end)

t.test("render", function()
	local page = {meta = {communes = COMMUNES}, data = {places = rows()}}
	local md = places.tableau(page)
	t.has(md, "| Relais petite enfance | ETP | 3,3 |")
	t.has(md, "| Assistants maternels à domicile | places | 313 |")
	t.has(md, "| **Taux de couverture** | places pour 100 enfants | 58,5 |")
	local c = places.tableau_communes(page)
	t.has(c, "| Vernasse-sur-Ambreuse | 398 | 226 | 56,8 |")
	t.has(c, "| Vialesse | 21 | 9 | 42,9 |")
	t.has(c, "| **Total** | 768 | 449 | 58,5 |")
	local g = places.graphique(page).html
	t.has(g, ">Places d’accueil pour les enfants de moins de 3 ans</text>")
	t.has(g, ">313 places</text>")
	t.has(g, ">EAJE financés par la PSU</text>")
	t.has(places.tableau{meta = {}, data = {}}, "Aucune donnée")
	t.eq(places.graphique{meta = {}, data = {}}, nil)
	-- another data file, named in the front matter
	t.has(places.tableau{meta = {donnees_places = "offre"}, data = {offre = rows()}},
		"| 449 |")
end)

return t.done()
