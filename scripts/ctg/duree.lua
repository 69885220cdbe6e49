-- ctg.duree : la durée d'une CTG. Elle court de date_effet (à défaut, la
-- date de signature) à date_fin, au plus tard le 31 décembre de la
-- quatrième année qui suit celle du début (N+4) ; son statut à la date de
-- référence de la construction est « à venir », « en vigueur » ou
-- « échue ».
local fmt = require "paraphe.fmt"
local dates = require "paraphe.dates"

local M = {}

-- The length between two dates, inclusive, in words ("5 ans", "18 mois",
-- "45 jours").
function M.longueur(debut, fin)
	local y1, m1, d1 = dates.parse(debut)
	local y2, m2, d2 = dates.parse(dates.add_days(fin, 1) or "")
	if not y1 or not y2 then return nil end
	if d1 == d2 then
		local months = (y2 - y1) * 12 + (m2 - m1)
		if months % 12 == 0 then
			local n = months // 12
			return n .. (n > 1 and " ans" or " an")
		end
		return months .. " mois"
	end
	local n = dates.days(fin) - dates.days(debut) + 1
	return n .. (n > 1 and " jours" or " jour")
end

-- {debut, fin, fin_max, duree, statut, conforme, erreur, absent}: erreur
-- says what is wrong (in English, for the diagnostic), or is nil; absent
-- names the missing date when the front matter does not give both (then
-- nothing can be checked, and it is not an error: the keys are optional).
function M.verifier(meta, today)
	local r = {}
	local debut = meta.date_effet
	if not debut and type(meta.signature) == "table" then
		debut = meta.signature.date
	end
	r.debut, r.fin = debut, meta.date_fin
	if debut == nil then
		r.absent = "date_effet"
		return r
	elseif not dates.parse(debut) then
		r.erreur = "'date_effet' \"" .. tostring(debut) .. "\" is not a date (YYYY-MM-DD)"
		return r
	end
	local y = dates.parse(debut)
	r.fin_max = string.format("%04d-12-31", y + 4)
	if r.fin == nil then
		r.absent = "date_fin"
		return r
	elseif not dates.parse(r.fin) then
		r.erreur = "'date_fin' \"" .. tostring(r.fin) .. "\" is not a date (YYYY-MM-DD)"
		return r
	end
	if dates.compare(r.fin, debut) < 0 then
		r.erreur = "'date_fin' (" .. r.fin .. ") is before the start (" .. debut .. ")"
		return r
	end
	r.conforme = dates.compare(r.fin, r.fin_max) <= 0
	if not r.conforme then
		r.erreur = "'date_fin' (" .. r.fin .. ") is after " .. r.fin_max ..
			": a CTG ends at the latest on 31 December of the fourth year after it starts"
	end
	r.duree = M.longueur(debut, r.fin)
	today = today or dates.today()
	if dates.compare(today, debut) < 0 then
		r.statut = "à venir"
	elseif dates.compare(today, r.fin) <= 0 then
		r.statut = "en vigueur"
	else
		r.statut = "échue"
	end
	r.date_reference = today
	return r
end

-- A sentence on the convention's dates and status (Markdown).
function M.texte(page)
	local r = M.verifier(page.meta)
	if r.erreur or r.absent then
		return "*Les dates de la convention sont incomplètes ou invalides.*"
	end
	local verbe = {["à venir"] = "n’est pas encore entrée en vigueur",
		["en vigueur"] = "est en vigueur", ["échue"] = "est échue"}
	return string.format("La convention s’applique du %s au %s, soit %s " ..
		"(au plus tard le %s). À la date de référence de cette publication, " ..
		"le %s, elle %s.", fmt.date(r.debut), fmt.date(r.fin), r.duree,
		fmt.date(r.fin_max), fmt.date(r.date_reference), verbe[r.statut])
end

return M
