-- paraphe.chart : graphiques SVG accessibles, écrits dans la page.
--
-- Chaque graphique est une image SVG (role="img") dont le nom accessible
-- est son titre (<title>) et sa description (<desc>, par défaut la liste
-- des valeurs) ; le titre et toutes les valeurs y sont aussi écrits en
-- texte visible. Les séries se distinguent par des motifs (plein, hachures,
-- points, quadrillage, contour) et une légende, jamais par la seule
-- couleur ; tout est dessiné en currentColor, la couleur du texte, et ne
-- dépend d'aucune feuille de style ni d'aucun attribut style (la politique
-- de sécurité du thème les interdit).
--
--   bar{title=, description=, labels={…}, values={…} ou
--       series={{name=, values={…}}, …}, unit=, decimals=}
--       barres horizontales, une ligne par étiquette, une barre par série
--   progress{title=, description=, items={{label=, value=, max=100,
--            text=}, …}} ou progress{title=, label=, value=, max=}
--       barres de progression : une piste vide, la part atteinte pleine, et
--       le texte (« 45 % » par défaut, ou text)
--
-- Les deux rendent une valeur paraphe.html (<figure class="graphique">).
local fmt = require "paraphe.fmt"

local M = {}

local W = 640          -- largeur de la vue
local FONT = 14
local PATTERNS = {"plein", "hachures", "points", "quadrillage", "contour"}

local function esc(s)
	return (tostring(s):gsub("[&<>\"']", {["&"] = "&amp;", ["<"] = "&lt;",
		[">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;"}))
end

-- A short stable id made from the chart's text (FNV-1a).
local function make_id(s)
	local h = 2166136261
	for i = 1, #s do
		h = ((h ~ s:byte(i)) * 16777619) & 0xffffffff
	end
	return string.format("graphique-%08x", h)
end

local function defs(id)
	return table.concat({
		'<defs>',
		'<pattern id="', id, '-hachures" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">',
		'<rect width="6" height="6" fill="none"/><line x1="0" y1="0" x2="0" y2="6" stroke="currentColor" stroke-width="2.5"/></pattern>',
		'<pattern id="', id, '-points" width="5" height="5" patternUnits="userSpaceOnUse">',
		'<circle cx="2.5" cy="2.5" r="1.3" fill="currentColor"/></pattern>',
		'<pattern id="', id, '-quadrillage" width="6" height="6" patternUnits="userSpaceOnUse">',
		'<path d="M0 0H6M0 0V6" stroke="currentColor" stroke-width="1.2" fill="none"/></pattern>',
		'</defs>'})
end

local function fill_of(id, k)
	local p = PATTERNS[(k - 1) % #PATTERNS + 1]
	if p == "plein" then return 'fill="currentColor"' end
	if p == "contour" then return 'fill="none"' end
	return 'fill="url(#' .. id .. '-' .. p .. ')"'
end

local function text(x, y, s, attrs)
	return string.format('<text x="%d" y="%d"%s>%s</text>', x, y,
		attrs and (" " .. attrs) or "", esc(s))
end

local function frame(id, title, desc, height, body)
	return paraphe.html(
		'<figure class="graphique">',
		string.format('<svg xmlns="http://www.w3.org/2000/svg" role="img" '
			.. 'aria-labelledby="%s-titre %s-desc" viewBox="0 0 %d %d" '
			.. 'width="100%%" font-size="%d" fill="currentColor">',
			id, id, W, height, FONT),
		'<title id="', id, '-titre">', esc(title), '</title>',
		'<desc id="', id, '-desc">', esc(desc), '</desc>',
		body, '</svg></figure>')
end

local function value_text(v, unit, decimals)
	local s = fmt.number(v, decimals)
	if unit and unit ~= "" then
		s = s .. (unit == "%" and fmt.NNBSP or " ") .. unit
	end
	return s
end

-- The series of a bar chart, whatever the form.
local function series_of(t)
	if t.series then return t.series end
	return {{name = t.name, values = t.values or {}}}
end

function M.bar(t)
	assert(type(t) == "table" and t.title, "chart.bar: a title is needed")
	local labels, series = t.labels or {}, series_of(t)
	local max, parts, desc = 0, {}, {}
	for _, s in ipairs(series) do
		for i = 1, #labels do
			local v = tonumber(s.values[i]) or 0
			if v > max then max = v end
		end
	end
	local id = make_id(t.title .. table.concat(labels, "|"))
	local y, barh, area = 30, 16, W - 130
	parts[#parts + 1] = defs(id)
	parts[#parts + 1] = text(0, 18, t.title, 'font-weight="bold"')
	if #series > 1 then -- the legend: a swatch and a name per series
		local x = 0
		y = y + 8
		for k, s in ipairs(series) do
			parts[#parts + 1] = string.format(
				'<rect x="%d" y="%d" width="14" height="14" %s stroke="currentColor"/>',
				x, y - 12, fill_of(id, k))
			parts[#parts + 1] = text(x + 20, y, s.name or ("Série " .. k))
			x = x + 40 + 9 * utf8.len(tostring(s.name or "Série 00"))
		end
		y = y + 14
	end
	for i, label in ipairs(labels) do
		y = y + 20
		parts[#parts + 1] = text(0, y, label)
		local d = {}
		for k, s in ipairs(series) do
			local v = tonumber(s.values[i])
			local w = (v and max > 0) and math.floor(area * v / max + 0.5) or 0
			y = y + 4
			parts[#parts + 1] = string.format(
				'<rect x="0" y="%d" width="%d" height="%d" %s stroke="currentColor"/>',
				y, w, barh, fill_of(id, k))
			local vt = v and value_text(v, t.unit, t.decimals) or "non renseigné"
			parts[#parts + 1] = text(w + 6, y + barh - 3, vt)
			d[#d + 1] = (#series > 1 and ((s.name or ("série " .. k)) .. " : ") or "") .. vt
			y = y + barh
		end
		desc[#desc + 1] = label .. " : " .. table.concat(d, ", ")
	end
	return frame(id, t.title, t.description or (table.concat(desc, " ; ") .. "."),
		y + 10, table.concat(parts))
end

function M.progress(t)
	assert(type(t) == "table" and t.title, "chart.progress: a title is needed")
	local items = t.items or {{label = t.label, value = t.value, max = t.max,
		text = t.text}}
	local id = make_id(t.title .. #items)
	local parts, desc, y, area = {}, {}, 30, W - 130
	parts[#parts + 1] = text(0, 18, t.title, 'font-weight="bold"')
	for _, it in ipairs(items) do
		local v, max = tonumber(it.value), tonumber(it.max) or 100
		local ratio = (v and max > 0) and math.max(0, math.min(1, v / max)) or 0
		local vt = it.text or (v and (max == 100 and fmt.percent(v, t.decimals)
			or (fmt.number(v, t.decimals) .. " sur " .. fmt.number(max)))
			or "non renseigné")
		y = y + 20
		parts[#parts + 1] = text(0, y, it.label or "")
		y = y + 4
		parts[#parts + 1] = string.format(
			'<rect x="0.5" y="%d.5" width="%d" height="15" fill="none" stroke="currentColor"/>',
			y, area)
		parts[#parts + 1] = string.format(
			'<rect x="0.5" y="%d.5" width="%d" height="15" fill="currentColor"/>',
			y, math.floor(area * ratio + 0.5))
		parts[#parts + 1] = text(area + 8, y + 13, vt)
		desc[#desc + 1] = (it.label and (it.label .. " : ") or "") .. vt
		y = y + 16
	end
	return frame(id, t.title, t.description or (table.concat(desc, " ; ") .. "."),
		y + 10, table.concat(parts))
end

return M
