-- ctg.duree: the end at the latest on 31 December of year N+4, lengths
-- and statuses counted by hand. The reference date is 2026-03-15.
local t = require "testlib"
local duree = require "ctg.duree"

t.test("demo", function()
	local r = duree.verifier{date_effet = "2026-01-01", date_fin = "2030-12-31"}
	t.eq(r.erreur, nil)
	t.eq(r.conforme, true)
	t.eq(r.fin_max, "2030-12-31")
	t.eq(r.duree, "5 ans")
	t.eq(r.statut, "en vigueur")
	t.eq(r.date_reference, "2026-03-15")
end)

t.test("too_long", function()
	local r = duree.verifier{date_effet = "2026-01-01", date_fin = "2031-06-30"}
	t.eq(r.conforme, false)
	t.eq(r.erreur, "'date_fin' (2031-06-30) is after 2030-12-31: a CTG ends at the latest on 31 December of the fourth year after it starts")
	-- starting mid-year still ends on 31 December of N+4: 54 months
	r = duree.verifier{date_effet = "2026-07-01", date_fin = "2030-12-31"}
	t.eq(r.conforme, true)
	t.eq(r.duree, "54 mois")
end)

t.test("statuses", function()
	local m = {date_effet = "2026-01-01", date_fin = "2030-12-31"}
	t.eq(duree.verifier(m, "2025-12-31").statut, "à venir")
	t.eq(duree.verifier(m, "2026-01-01").statut, "en vigueur")
	t.eq(duree.verifier(m, "2030-12-31").statut, "en vigueur")
	t.eq(duree.verifier(m, "2031-01-01").statut, "échue")
end)

t.test("bad_dates", function()
	-- a missing date is no error: the keys are optional
	local r = duree.verifier{date_effet = "2026-01-01"}
	t.eq(r.erreur, nil)
	t.eq(r.absent, "date_fin")
	t.eq(r.fin_max, "2030-12-31")
	t.eq(duree.verifier{date_fin = "2030-12-31"}.absent, "date_effet")
	t.eq(duree.texte{meta = {}}, "*Les dates de la convention sont incomplètes ou invalides.*")
	t.eq(duree.verifier{date_effet = "2026-02-30", date_fin = "2030-12-31"}.erreur,
		"'date_effet' \"2026-02-30\" is not a date (YYYY-MM-DD)")
	t.eq(duree.verifier{date_effet = "2026-01-01", date_fin = "2025-12-31"}.erreur,
		"'date_fin' (2025-12-31) is before the start (2026-01-01)")
	-- the signature date stands in for date_effet
	r = duree.verifier{signature = {date = "2026-01-15"}, date_fin = "2030-12-31"}
	t.eq(r.debut, "2026-01-15")
	t.eq(r.erreur, nil)
end)

t.test("lengths", function()
	t.eq(duree.longueur("2026-01-01", "2026-12-31"), "1 an")
	t.eq(duree.longueur("2026-01-15", "2027-07-14"), "18 mois")
	-- 31 days of January + 14 of February
	t.eq(duree.longueur("2026-01-01", "2026-02-14"), "45 jours")
	t.eq(duree.longueur("2026-01-01", "2026-01-01"), "1 jour")
end)

t.test("texte", function()
	local s = duree.texte{meta = {date_effet = "2026-01-01", date_fin = "2030-12-31"}}
	t.eq(s, "La convention s’applique du 1er janvier 2026 au 31 décembre 2030, " ..
		"soit 5 ans (au plus tard le 31 décembre 2030). À la date de référence " ..
		"de cette publication, le 15 mars 2026, elle est en vigueur.")
end)

return t.done()
