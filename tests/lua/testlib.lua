-- A tiny test library for the Lua tests of tests/lua/, run by
-- tests/unit/test_ctg_scripts.c in a hook state (registered there as the
-- module "testlib"). Each file calls t.test(name, fn) and ends with
-- `return t.done()`: the list of {name, ok, message} that the C runner
-- prints as PASS/FAIL lines.
local M = {results = {}}

local function show(v, depth)
	depth = depth or 0
	if type(v) == "string" then return string.format("%q", v) end
	if type(v) ~= "table" or depth > 4 then return tostring(v) end
	local keys, parts = {}, {}
	for k in pairs(v) do keys[#keys + 1] = k end
	table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
	for _, k in ipairs(keys) do
		parts[#parts + 1] = tostring(k) .. "=" .. show(v[k], depth + 1)
	end
	return "{" .. table.concat(parts, ", ") .. "}"
end
M.show = show

local function equal(a, b)
	if type(a) ~= type(b) then return false end
	if type(a) ~= "table" then return a == b end
	for k, v in pairs(a) do
		if not equal(v, b[k]) then return false end
	end
	for k in pairs(b) do
		if a[k] == nil then return false end
	end
	return true
end

function M.eq(got, want, what)
	if not equal(got, want) then
		error((what and (what .. ": ") or "") .. "expected " .. show(want) ..
			", got " .. show(got), 2)
	end
end

function M.near(got, want, eps, what)
	if type(got) ~= "number" or math.abs(got - want) > (eps or 1e-9) then
		error((what and (what .. ": ") or "") .. "expected " .. tostring(want) ..
			" (±" .. tostring(eps or 1e-9) .. "), got " .. show(got), 2)
	end
end

function M.has(s, sub, what)
	if type(s) ~= "string" or not s:find(sub, 1, true) then
		error((what and (what .. ": ") or "") .. "expected " .. show(sub) ..
			" in " .. show(s), 2)
	end
end

function M.hasnt(s, sub, what)
	if type(s) == "string" and s:find(sub, 1, true) then
		error((what and (what .. ": ") or "") .. "did not expect " .. show(sub) ..
			" in " .. show(s), 2)
	end
end

function M.test(name, fn)
	local ok, err = pcall(fn)
	M.results[#M.results + 1] = {name = name, ok = ok,
		message = not ok and tostring(err) or nil}
end

function M.done()
	local r = M.results
	M.results = {}
	return r
end

-- U+202F, the narrow no-break space of French numbers.
M.NB = "\u{202F}"

return M
