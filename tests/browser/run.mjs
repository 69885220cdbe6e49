// Browser tests of the default theme, on a built site opened through
// file:// URLs (no server): node run.mjs SITE_DIR SCREENSHOT_DIR
//
// One page of each kind (body data-genre and data-type, the first in path
// order) is checked at 1280 and 375 px wide:
//   axe_KIND_WIDTH      0 axe-core violations for the WCAG 2.1 A and AA
//                       rules (tags wcag2a, wcag2aa, wcag21a, wcag21aa);
//   clean_KIND          no request leaves file:// (no third-party
//                       resource), no error in the console (a CSP
//                       violation is one), no script error;
//   reflow_KIND         at 320 px, nothing but a scrolling region is wider
//                       than the window (WCAG 1.4.10);
// and a screenshot of each goes to SCREENSHOT_DIR/KIND-WIDTH.png. Then:
//   keyboard_KIND       a Tab walk of the changes pages (when the site has
//                       them) and of a version page: the skip link comes
//                       first and moves the focus into the main content,
//                       the focus is always visible, every focusable
//                       element is reached, and every change (ins, del) is
//                       reached or linked from something reached;
//   search_filters      the search page filters its list as one types.
// Prints "PASS name" / "FAIL name" lines (tests/run.sh counts them).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run",
	"--disable-background-networking", "--disable-component-update",
	"--disable-sync",
	// lets axe-core read the style sheets (its CSSOM checks) from file://
	"--allow-file-access-from-files"];
const WIDTHS = [1280, 375];
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const [site, shots] = process.argv.slice(2);
let failures = 0;
function pass(name) { console.log(`PASS ${name}`); }
function fail(name, why) {
	failures++;
	console.log(`FAIL ${name}`);
	console.error(`  ${name}: ${why}`);
}

// Every HTML file of the site, in path order.
function htmlFiles(dir) {
	const out = [];
	const walk = (d) => {
		for (const e of fs.readdirSync(d, { withFileTypes: true })
			.sort((a, b) => (a.name < b.name ? -1 : 1))) {
			const p = path.join(d, e.name);
			if (e.isDirectory()) walk(p);
			else if (e.name.endsWith(".html")) out.push(p);
		}
	};
	walk(dir);
	return out;
}

// The first page of each kind: "genre" alone, or "genre-type" when the
// type is not "page" (a convention, a bilan).
function pageKinds(dir) {
	const kinds = new Map();
	for (const f of htmlFiles(dir)) {
		const head = fs.readFileSync(f, "utf8");
		const m = head.match(/<body data-genre="([^"]*)" data-type="([^"]*)"/);
		if (!m) continue;
		const kind = m[2] && m[2] !== "page" ? `${m[1]}-${m[2]}` : m[1];
		if (!kinds.has(kind)) kinds.set(kind, f);
	}
	return kinds;
}

async function open(context, file, width, problems) {
	const page = await context.newPage();
	await page.setViewportSize({ width, height: 900 });
	page.on("request", (r) => {
		const u = r.url();
		if (!u.startsWith("file:") && !u.startsWith("data:"))
			problems.push(`request to ${u}`);
	});
	page.on("console", (m) => {
		if (m.type() === "error") problems.push(`console: ${m.text()}`);
	});
	page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
	await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
	return page;
}

async function axe(page) {
	await page.evaluate(AXE);
	return page.evaluate(async (tags) => {
		const r = await window.axe.run(document, {
			runOnly: { type: "tag", values: tags },
			resultTypes: ["violations"],
		});
		return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ` +
			v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
	}, TAGS);
}

// Elements wider than the window that are not inside a scrolling region.
async function overflow(page) {
	return page.evaluate(() => {
		const w = document.documentElement.clientWidth;
		const bad = [];
		for (const e of document.body.querySelectorAll("*")) {
			const r = e.getBoundingClientRect();
			if (r.right <= w + 1 || e.closest(".defilement, pre, .texte table"))
				continue;
			if (getComputedStyle(e).position === "absolute") continue;
			bad.push(`${e.tagName.toLowerCase()}.${e.className} (${Math.round(r.right)} px)`);
		}
		return bad.slice(0, 5);
	});
}

async function checkKinds(browser, kinds) {
	for (const [kind, file] of kinds) {
		const problems = [];
		const context = await browser.newContext({ reducedMotion: "reduce" });
		for (const width of WIDTHS) {
			const page = await open(context, file, width, problems);
			const v = await axe(page);
			if (v.length === 0) pass(`axe_${kind}_${width}`);
			else fail(`axe_${kind}_${width}`, `${path.relative(site, file)}\n    ${v.join("\n    ")}`);
			await page.screenshot({ path: path.join(shots, `${kind}-${width}.png`), fullPage: true });
			await page.close();
		}
		const narrow = await open(context, file, 320, problems);
		const wide = await overflow(narrow);
		if (wide.length === 0) pass(`reflow_${kind}`);
		else fail(`reflow_${kind}`, `${path.relative(site, file)} at 320 px: ${wide.join(", ")}`);
		await narrow.close();
		if (problems.length === 0) pass(`clean_${kind}`);
		else fail(`clean_${kind}`, `${path.relative(site, file)}: ${[...new Set(problems)].join("; ")}`);
		await context.close();
	}
}

// Presses Tab until the focus comes back to the start; returns what was
// focused, in order, with whether its focus was visible.
async function tabWalk(page) {
	const seen = [];
	await page.evaluate(() => document.activeElement && document.activeElement.blur());
	for (let i = 0; i < 3000; i++) {
		await page.keyboard.press("Tab");
		const f = await page.evaluate(() => {
			const e = document.activeElement;
			if (!e || e === document.body) return null;
			if (!e.dataset.ppMarque) e.dataset.ppMarque = String((window.ppCompte = (window.ppCompte || 0) + 1));
			const s = getComputedStyle(e);
			return {
				key: e.dataset.ppMarque,
				tag: e.tagName.toLowerCase(),
				text: (e.textContent || "").trim().slice(0, 40),
				href: e.getAttribute("href"),
				visible: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) ||
					s.boxShadow !== "none",
				skip: e.classList.contains("lien-evitement"),
			};
		});
		if (!f || (seen.length && f.key === seen[0].key)) break;
		seen.push(f);
	}
	return seen;
}

async function keyboard(browser, kind, file) {
	const name = `keyboard_${kind}`;
	const context = await browser.newContext({ reducedMotion: "reduce" });
	const page = await open(context, file, 1280, []);
	const walk = await tabWalk(page);
	const problems = [];
	if (!walk.length || !walk[0].skip) problems.push("the skip link is not the first stop");
	for (const f of walk)
		if (!f.visible) problems.push(`focus not visible on <${f.tag}> "${f.text}"`);
	// every focusable element, visible, reached
	const missed = await page.evaluate((keys) => {
		const sel = "a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])";
		const out = [];
		for (const e of document.querySelectorAll(sel)) {
			if (e.closest("[hidden]") || e.disabled || !e.getClientRects().length) continue;
			if (!keys.includes(e.dataset.ppMarque || "")) out.push(`<${e.tagName.toLowerCase()}> "${(e.textContent || "").trim().slice(0, 40)}"`);
		}
		return out;
	}, walk.map((f) => f.key));
	if (missed.length) problems.push(`not reached: ${missed.slice(0, 5).join(", ")}`);
	// every change reached: focused itself or inside something focused,
	// or inside (or after) a target of a link that was focused
	const unreached = await page.evaluate((hrefs) => {
		const targets = new Set(hrefs.filter((h) => h && h.startsWith("#")).map((h) => h.slice(1)));
		const heads = [...document.querySelectorAll("main [id]")];
		const out = [];
		for (const c of document.querySelectorAll("main ins, main del")) {
			if (c.closest(".legende")) continue;
			let ok = false;
			for (let e = c; e && !ok; e = e.parentElement)
				if (e.id && targets.has(e.id) || e.dataset.ppMarque) ok = true;
			// the nearest element with an id before the change
			let before = null;
			for (const h of heads)
				if (h.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING) before = h;
			if (before && targets.has(before.id)) ok = true;
			if (!ok) out.push((c.textContent || "").trim().slice(0, 30));
		}
		return out;
	}, walk.map((f) => f.href));
	if (unreached.length) problems.push(`changes not reachable: ${unreached.slice(0, 5).join(" | ")}`);
	// the skip link moves the focus into the main content
	await page.evaluate(() => document.activeElement && document.activeElement.blur());
	await page.keyboard.press("Tab");
	await page.keyboard.press("Enter");
	await page.keyboard.press("Tab");
	const inMain = await page.evaluate(() => !!document.activeElement.closest("main"));
	if (!inMain) problems.push("after the skip link, Tab does not go into the main content");
	if (problems.length) fail(name, `${path.relative(site, file)} (${walk.length} stops): ${problems.join("; ")}`);
	else pass(name);
	await context.close();
}

async function search(browser, file) {
	const context = await browser.newContext();
	const page = await open(context, file, 1280, []);
	const all = await page.locator("#pp_documents li:not([hidden])").count();
	await page.fill("#pp_filtre_champ", "avenant annexe");
	await page.waitForTimeout(400);
	const some = await page.locator("#pp_documents li:not([hidden])").count();
	const status = await page.textContent("#pp_filtre_compte");
	if (all > 1 && some >= 1 && some < all && /sur/.test(status)) pass("search_filters");
	else fail("search_filters", `${all} documents, ${some} after filtering, status "${status}"`);
	await context.close();
}

async function main() {
	const kinds = pageKinds(site);
	fs.mkdirSync(shots, { recursive: true });
	const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
	try {
		await checkKinds(browser, kinds);
		const walks = [...kinds].filter(([k]) => /^(changes|compare)/.test(k));
		const version = [...kinds].find(([k]) => k.startsWith("version"));
		if (version) walks.push(version);
		for (const [kind, file] of walks) await keyboard(browser, kind, file);
		if (kinds.has("search")) await search(browser, kinds.get("search"));
		else fail("search_filters", "no search page");
	} finally {
		await browser.close();
	}
	process.exitCode = failures ? 1 : 0;
}

main().catch((e) => {
	console.log("FAIL browser_run");
	console.error(e && e.stack ? e.stack : String(e));
	process.exitCode = 1;
});
