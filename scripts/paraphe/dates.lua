-- paraphe.dates : calcul sur les dates AAAA-MM-JJ (calendrier grégorien,
-- sans fuseau horaire).
--
--   parse(s)          y, m, d, ou nil si s n'est pas une date valide
--   days(s)           jours depuis le 1970-01-01 (nil si invalide)
--   from_days(n)      la date AAAA-MM-JJ du jour n
--   add_days(s, n)    la date n jours après s
--   compare(a, b)     -1, 0 ou 1
--   today()           la date de référence de la construction (os.date)
local fmt = require "paraphe.fmt"

local M = {}

M.parse = fmt.parse_date

-- H. Hinnant's days_from_civil and civil_from_days.
function M.days(s)
	local y, m, d = M.parse(s)
	if not y then return nil end
	if m <= 2 then y = y - 1 end
	local era = (y >= 0 and y or y - 399) // 400
	local yoe = y - era * 400
	local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
	local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
	return era * 146097 + doe - 719468
end

function M.from_days(n)
	n = n + 719468
	local era = (n >= 0 and n or n - 146096) // 146097
	local doe = n - era * 146097
	local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
	local y = yoe + era * 400
	local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
	local mp = (5 * doy + 2) // 153
	local d = doy - (153 * mp + 2) // 5 + 1
	local m = mp + (mp < 10 and 3 or -9)
	if m <= 2 then y = y + 1 end
	return string.format("%04d-%02d-%02d", y, m, d)
end

function M.add_days(s, n)
	local d = M.days(s)
	return d and M.from_days(d + n) or nil
end

function M.compare(a, b)
	local x, y = M.days(a), M.days(b)
	if not x or not y then return nil end
	return x < y and -1 or (x > y and 1 or 0)
end

function M.today()
	return os.date("!%Y-%m-%d")
end

return M
