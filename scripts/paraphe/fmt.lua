-- paraphe.fmt : nombres et dates écrits à la française.
--
--   number(1234.5)      "1 234,5"  (espace fine insécable U+202F entre
--                                   les milliers, virgule décimale)
--   number(2/3, 1)      "0,7"      (decimals : nombre fixe de décimales ;
--                                   sans lui, au plus 2, zéros retirés)
--   percent(58.46, 1)   "58,5 %"   (espace fine insécable avant %)
--   signed(12)          "+12"      (signe toujours écrit, "0" pour zéro)
--   date("2026-01-01")  "1er janvier 2026" ; un nombre est un instant
--                       (secondes depuis 1970, UTC) ; une table
--                       {year=, month=, day=} aussi ; une chaîne qui n'est
--                       pas une date AAAA-MM-JJ valide est rendue telle quelle.
local M = {}

M.NNBSP = "\u{202F}"

local MONTHS = {"janvier", "février", "mars", "avril", "mai", "juin",
	"juillet", "août", "septembre", "octobre", "novembre", "décembre"}

-- "1234567" -> "1 234 567"
local function group(digits)
	local first = #digits % 3
	if first == 0 then first = 3 end
	local parts = {digits:sub(1, first)}
	for i = first + 1, #digits, 3 do
		parts[#parts + 1] = digits:sub(i, i + 2)
	end
	return table.concat(parts, M.NNBSP)
end

function M.number(x, decimals)
	local n = tonumber(x)
	if not n then return x == nil and "" or tostring(x) end
	if n ~= n then return "–" end
	if n == math.huge or n == -math.huge then return n > 0 and "∞" or "-∞" end
	local s
	if decimals then
		s = string.format("%." .. math.floor(decimals) .. "f", n)
	elseif math.tointeger(n) then
		s = string.format("%d", math.tointeger(n))
	else
		s = string.format("%.2f", n):gsub("0+$", ""):gsub("%.$", "")
	end
	local sign, int, frac = s:match("^(%-?)(%d+)%.?(%d*)$")
	if not int then return s end -- very large numbers: %e
	if sign == "-" and not (int .. frac):find("[1-9]") then sign = "" end
	return sign .. group(int) .. (frac ~= "" and ("," .. frac) or "")
end

function M.percent(x, decimals)
	if tonumber(x) == nil then return "" end
	return M.number(x, decimals) .. M.NNBSP .. "%"
end

function M.signed(x, decimals)
	local n = tonumber(x)
	if not n then return "" end
	local s = M.number(n, decimals)
	if n > 0 and s:find("[1-9]") then return "+" .. s end
	return s
end

-- The parts of a valid YYYY-MM-DD date, or nil.
function M.parse_date(s)
	if type(s) ~= "string" then return nil end
	local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
	y, m, d = tonumber(y), tonumber(m), tonumber(d)
	if not y or m < 1 or m > 12 or d < 1 then return nil end
	local leap = (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0
	local mdays = {31, leap and 29 or 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	if d > mdays[m] then return nil end
	return y, m, d
end

function M.date(v)
	if type(v) == "number" then
		v = os.date("!%Y-%m-%d", math.floor(v))
	elseif type(v) == "table" and v.year then
		v = string.format("%04d-%02d-%02d", v.year, v.month or 1, v.day or 1)
	end
	local y, m, d = M.parse_date(v)
	if not y then return v == nil and "" or tostring(v) end
	return string.format("%d%s %s %d", d, d == 1 and "er" or "", MONTHS[m], y)
end

return M
