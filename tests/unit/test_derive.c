/*
 * Unit tests of the derive stage (derive.c, markdown_derive.c and the
 * hook side of script*.c): sites are made under build/tmp with mkdtemp,
 * the test changes into them and runs config, scan, load and derive as
 * main does; diagnostics are captured in a tmpfile.
 */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "derive.h"
#include "diag.h"
#include "load.h"
#include "markdown.h"
#include "scan.h"
#include "script.h"
#include "site.h"
#include "test.h"
#include "testutil.h"
#include "value.h"
#include "xalloc.h"

static char fixture[PATH_MAX];
static int home_fd = -1;
static FILE *diag_file;
static char diag_text[16384];
static struct config cfg;
/* -j of the next build: 2, so that every test runs the stage on two
 * workers whatever the machine has, unless a test says otherwise. */
static int jobs = 2;
static struct site site;

static void begin(void)
{
	char tmpl[] = "build/tmp/derive-XXXXXX";

	mkdir("build", 0755);
	mkdir("build/tmp", 0755);
	CHECK(mkdtemp(tmpl) != NULL);
	CHECK(chdir(tmpl) == 0);
	CHECK(getcwd(fixture, sizeof(fixture)) != NULL);
	diag_file = tmpfile();
	diag_set_stream(diag_file);
	diag_reset();
	diag_text[0] = '\0';
	memset(&cfg, 0, sizeof(cfg));
	memset(&site, 0, sizeof(site));
	jobs = 2;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void end(void)
{
	site_free(&site);
	config_free(&cfg);
	CHECK(fchdir(home_fd) == 0);
	CHECK(nftw(fixture, rm_entry, 16, FTW_DEPTH | FTW_PHYS) == 0);
	diag_set_stream(NULL);
	fclose(diag_file);
	diag_reset();
}

static const char *diags(void)
{
	size_t n;

	fflush(diag_file);
	rewind(diag_file);
	n = fread(diag_text, 1, sizeof(diag_text) - 1, diag_file);
	diag_text[n] = '\0';
	return diag_text;
}

/* config, scan, load, then derive (reference time 2026-03-15 12:00 UTC);
 * returns derive_site's result, or -2 when derive_new failed. */
static int build_with(derive_read_fn *read, void *ctx,
                      void (*before)(struct site *))
{
	struct config_flags flags;
	struct derive *dv;
	int r;

	config_flags_init(&flags);
	CHECK(config_load(&cfg, &flags) == 0);
	cfg.jobs = jobs;
	CHECK(scan_site(&cfg, &site) == 0);
	CHECK(load_site(&site, &cfg) == 0);
	site.reference_time = 1773576000;
	snprintf(site.reference_date, sizeof(site.reference_date),
	         "2026-03-15");
	if (before)
		before(&site);
	dv = derive_new(&cfg, &site);
	if (!dv) {
		diags();
		return -2;
	}
	derive_set_reader(dv, read, ctx);
	r = derive_site(dv, &site, &cfg);
	derive_free(dv);
	diags();
	return r;
}

static int build(void)
{
	return build_with(NULL, NULL, NULL);
}

static struct document *doc(const char *path)
{
	size_t i;

	for (i = 0; i < site.ndocs; i++)
		if (!strcmp(site.docs[i]->path, path))
			return site.docs[i];
	return NULL;
}

/* The page's body as HTML (static). */
static const char *html(struct page *p)
{
	static char out[16384];
	struct buf b = BUF_INIT;

	markdown_render(load_markdown(p), &b, NULL);
	snprintf(out, sizeof(out), "%s", buf_str(&b));
	buf_free(&b);
	return out;
}

/* The JSON of meta key (static). */
static const char *meta(struct page *p, const char *key)
{
	static char out[16384];
	struct buf b = BUF_INIT;

	value_to_json(value_get(p->meta, key), &b, 0);
	snprintf(out, sizeof(out), "%s", buf_str(&b));
	buf_free(&b);
	return out;
}

static void test_blocks(void)
{
	struct document *d;

	begin();
	test_put("scripts/ctg.lua", ""); /* no CTG hooks here */
	test_put(
	    "content/p.md",
	    "---\ntitle: P\n---\nAvant.\n\n"
	    "```derive\nreturn '**gras** et ' .. page.title\n```\n\n"
	    "```derive\nreturn {{'A', 'B'}, {1234.5, 'x|y'}}\n```\n\n"
	    "```derive\nreturn {{nom = 'n', v = 2}}\n```\n\n"
	    "```derive\nreturn paraphe.html('<p class=\"x\">', 'brut</p>')\n"
	    "```\n\n"
	    "```derive\nreturn nil\n```\n\n"
	    "```derive\nreturn 1234.5\n```\n\n"
	    "```derive\nreturn {'# Titre', paraphe.html('<hr>')}\n```\n\n"
	    "```lua\nreturn 1\n```\n\nAprès.\n");
	test_put("content/liste.md",
	         "- un\n\n  ```derive\n  return '*deux*'\n  ```"
	         "\n- trois\n");
	CHECK(build() == 0);
	CHECK_STR(diag_text, "");
	d = doc("p/");
	CHECK(d != NULL);
	if (d) {
		const char *
		    h = html(d->page),
		   *want[] = {
		       "<p>Avant.</p>\n<p><strong>gras</strong> et P</p>\n<div",
		       "<th align=\"right\">A</th>\n<th>B</th>",
		       "<td align=\"right\">1\xe2\x80\xaf"
		       "234,5</td>\n<td>x|y</td>",
		       "<th>nom</th>\n<th align=\"right\">v</th>",
		       "<td>n</td>\n<td align=\"right\">2</td>",
		       "</div>\n<p class=\"x\">brut</p>\n<p>1\xe2\x80\xaf"
		       "234,5</p>\n<h1 id=\"titre\">Titre</h1>\n<hr>\n"
		       "<pre><code class=\"language-lua\">return 1\n"
		       "</code></pre>\n<p>Après.</p>\n"};
		const char *at = h;

		for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
			const char *f = strstr(at, want[i]);

			CHECK_HAS(at, want[i]);
			at = f ? f + strlen(want[i]) : at;
		}
		CHECK(strstr(h, "derive") == NULL);
	}
	/* a block inside a list item is replaced there */
	if (doc("liste/"))
		CHECK_STR(html(doc("liste/")->page),
		          "<ul>\n<li>\n<p>un</p>\n<p><em>deux</em></p>\n</li>\n"
		          "<li>\n<p>trois</p>\n</li>\n</ul>\n");
	end();
}

/* The page table: outline, blocks and their lines, data files, sub-pages,
 * os; hook files run in lexical order; meta keeps its unchanged values
 * with their lines. */
static void test_page_model(void)
{
	struct document *d;

	begin();
	test_put("scripts/ctg.lua", "");
	test_put("scripts/b.lua",
	         "function on_page(page)\n"
	         "  page.meta.order = (page.meta.order or '') .. "
	         "'b'\nend\n");
	test_put(
	    "scripts/a.lua",
	    "local function list(t, f) local r = {} for i, x in ipairs(t) do "
	    "r[i] = f(x) end return r end\n"
	    "function on_page(page)\n"
	    "  if page.kind ~= 'bundle' then return end\n"
	    "  local m = page.meta\n"
	    "  m.order = (m.order or '') .. 'a'\n"
	    "  m.outline = list(page.outline, function(h) return h.id .. '@' "
	    ".. h.line end)\n"
	    "  m.blocks = list(page.blocks, function(b) return b.kind .. '@' "
	    ".. b.line .. ':' .. b.text end)\n"
	    "  m.lines = page.meta_lines\n"
	    "  m.sub = list(page.subpages, function(s) return s.name .. '=' "
	    ".. s.title end)\n"
	    "  local r = page.data.places[1]\n"
	    "  m.data = {r.annee, math.type(r.annee), r.commune, r.places, "
	    "r.vide == nil, page.data.ind[1].nom}\n"
	    "  m.misc = {page.path, page.src, page.current, page.version == "
	    "nil, os.date('!%Y-%m-%d %H:%M'), os.time() == 1773576000, "
	    "os.time{year = 2026, month = 1, day = 1, hour = 0}, "
	    "os.date('*t', 0).year}\n"
	    "end\n");
	test_put("content/ctg/index.md",
	         "---\ntitle: C\nx: 1\n---\n## Article 1\n\nTexte\nsuite.\n\n"
	         "| a | b |\n|---|---|\n| 1 | 2 |\n\n## Article 1\n");
	test_put("content/ctg/annexe.md", "---\ntitle: Annexe\n---\nA\n");
	test_put("content/ctg/places.csv",
	         "annee,commune,type,places,vide\n2026,\"Saint-A, B\",eaje_psu,"
	         "2.5,\n");
	test_put("content/ctg/ind.yaml", "- nom: x\n  n: 1\n");
	CHECK(build() == 0);
	CHECK_STR(diag_text, "");
	d = doc("ctg/");
	CHECK(d != NULL);
	if (!d)
		goto out;
	CHECK_STR(meta(d->page, "order"), "\"ab\"");
	CHECK_STR(meta(d->page, "outline"),
	          "[\"article-1@5\",\"article-1-1@14\"]");
	CHECK_STR(meta(d->page, "blocks"),
	          "[\"heading@5:Article 1\",\"paragraph@7:Texte\\nsuite.\","
	          "\"table_head@10:a | b\",\"table_row@12:1 | 2\","
	          "\"heading@14:Article 1\"]");
	CHECK_STR(meta(d->page, "lines"), "{\"title\":2,\"x\":3}");
	CHECK_STR(meta(d->page, "sub"), "[\"annexe=Annexe\"]");
	CHECK_STR(meta(d->page, "data"),
	          "[2026,\"integer\",\"Saint-A, B\",2.5,true,\"x\"]");
	CHECK_STR(meta(d->page, "misc"),
	          "[\"ctg/\",\"content/ctg/index.md\",true,true,"
	          "\"2026-03-15 12:00\",true,1767225600,1970]");
	/* values that did not change keep their source position */
	CHECK(value_get(d->page->meta, "x")->line == 3);
	CHECK_STR(meta(doc("ctg/annexe/")->page, "order"), "\"b\"");
out:
	end();
}

/* on_site sees every page and adds new ones; site is then a global. */
static void test_on_site(void)
{
	struct document *d;

	begin();
	test_put("scripts/ctg.lua", "");
	test_put(
	    "scripts/a.lua",
	    "function on_site(site)\n"
	    "  site.compte = #site.pages\n"
	    "  table.insert(site.pages, {path = 'tableau-de-bord', title = "
	    "'Tableau', content = 'Pages : ' .. #site.pages .. '\\n\\n"
	    "```derive\\nreturn \"dérivé \" .. site.compte\\n```\\n', meta = "
	    "{weight = 5}})\n"
	    "  return {{path = '/conventions/synthese/', content = '# "
	    "Synthèse\\n'}}\n"
	    "end\n"
	    "function on_page(page) page.meta.n = site.compte end\n");
	test_put("content/conventions/c.md", "C\n");
	CHECK(build() == 0);
	CHECK_STR(diag_text, "");
	CHECK(site.ndocs == 5);
	d = doc("tableau-de-bord/");
	CHECK(d != NULL);
	if (d) {
		CHECK_STR(d->src, "scripts/a.lua");
		CHECK(d->parent == site.home && d->weight == 5);
		CHECK_STR(d->page->title, "Tableau");
		CHECK_STR(html(d->page), "<p>Pages : 3</p>\n<p>dérivé 3</p>\n");
		CHECK_STR(meta(d->page, "n"), "3");
	}
	d = doc("conventions/synthese/");
	CHECK(d != NULL);
	if (d) {
		CHECK_STR(d->page->title, "Synthèse");
		CHECK(d->parent == doc("conventions/"));
		CHECK_STR(d->dir, "conventions");
		CHECK_STR(d->name, "synthese");
	}
	CHECK(site.docs[1] == doc("conventions/") &&
	      site.docs[3] == doc("conventions/synthese/"));
	end();

	begin();
	test_put("scripts/ctg.lua", "");
	test_put(
	    "scripts/a.lua",
	    "function on_site(site)\n"
	    "  return {{path = '../x'}, {path = 'c/'}, {path = 'a/versions'}, "
	    "{title = 'x'}, {path = 'Été'}}\n"
	    "end\n");
	test_put("content/c.md", "C\n");
	CHECK(build() == -1);
	CHECK_STR(diag_text,
	          "scripts/a.lua: error: on_site added a page at \"../x\": a "
	          "path must be made of slugs (lowercase letters, digits, "
	          "\"-\"), other than versions and compare\n"
	          "scripts/a.lua: error: on_site added a page at \"c/\", which "
	          "is the path of \"content/c.md\"\n"
	          "scripts/a.lua: error: on_site added a page at "
	          "\"a/versions\": a path must be made of slugs (lowercase "
	          "letters, digits, \"-\"), other than versions and compare\n"
	          "scripts/a.lua: error: on_site added a page without a path\n"
	          "scripts/a.lua: error: on_site added a page at \"Été\": a "
	          "path must be made of slugs (lowercase letters, digits, "
	          "\"-\"), other than versions and compare\n");
	CHECK(site.ndocs == 2);
	end();

	/* many pages at once, some appended, some returned */
	begin();
	test_put("scripts/ctg.lua", "");
	test_put(
	    "scripts/a.lua",
	    "function on_site(site)\n"
	    "  local r = {}\n"
	    "  for i = 1, 100 do\n"
	    "    table.insert(site.pages, {path = 'a' .. i, content = 'A'})\n"
	    "    r[i] = {path = 'b' .. i, content = 'B'}\n"
	    "  end\n"
	    "  return r\n"
	    "end\n");
	test_put("content/c.md", "C\n");
	CHECK(build() == 0);
	CHECK_STR(diag_text, "");
	CHECK(site.ndocs == 202);
	CHECK(doc("a100/") && doc("b1/") &&
	      !strcmp(doc("b1/")->src, "scripts/a.lua"));
	end();
}

/* Errors name the script or the page's file and line, and the page. */
static void test_errors(void)
{
	begin();
	test_put("scripts/ctg.lua", "");
	test_put("scripts/a.lua",
	         "local x = 1\n"
	         "function on_page(page)\n"
	         "  if page.kind ~= 'page' then return end\n"
	         "  if page.title == 'Boom' then error('boum') end\n"
	         "  paraphe.warn('attention')\n"
	         "  paraphe.warn('ligne', 5)\n"
	         "  paraphe.error('grave', 2)\n"
	         "end\n");
	test_put("content/boom.md", "---\ntitle: Boom\n---\n");
	test_put("content/ok.md",
	         "---\ntitle: OK\n---\nTexte.\n\n```derive\nlocal a = nil\n"
	         "return a.b\n```\n\n```derive\nreturn true\n```\n\n"
	         "```derive\nreturn +\n```\n");
	CHECK(build() == -1);
	CHECK_STR(diag_text,
	          "scripts/a.lua:4: error: boum (while processing "
	          "content/boom.md)\n"
	          "scripts/a.lua:5: warning: attention (while processing "
	          "content/ok.md)\n"
	          "content/ok.md:5: warning: ligne\n"
	          "content/ok.md:2: error: grave\n"
	          "content/ok.md:8: error: attempt to index a nil value "
	          "(local 'a') (while processing content/ok.md)\n"
	          "content/ok.md:12: error: a derive block must return a "
	          "string, a table or paraphe.html(...), not a boolean (while "
	          "processing content/ok.md)\n"
	          "content/ok.md:16: error: unexpected symbol near '+' "
	          "(while processing content/ok.md)\n");
	end();
	/* a syntax error in a hook file, and in a module it requires */
	begin();
	test_put("scripts/a.lua", "local x = require 'lib.m'\n");
	test_put("scripts/lib/m.lua", "\nlocal = 1\n");
	test_put("scripts/b.lua", "function on_page(\n");
	test_put("content/p.md", "P\n");
	CHECK(build() == -2);
	CHECK_STR(diag_text,
	          "scripts/lib/m.lua:2: error: <name> expected near '='\n"
	          "scripts/b.lua:2: error: <name> or '...' expected near "
	          "<eof>\n");
	end();
}

/* Each hostile hook of issue 5 ends in an error naming the script and
 * line, quickly, with no side effect. */
static void test_hostile(void)
{
	static const struct {
		const char *code, *want;
	} cases[] = {
	    {"os.execute('touch pwned')",
	     "attempt to call a nil value (field 'execute')"},
	    {"io.open('pwned', 'w')",
	     "attempt to index a nil value (global 'io')"},
	    {"while true do end", "instruction limit of 2000000 exceeded"},
	    {"local t = {} while true do t[#t + 1] = ('x'):rep(100) .. #t end",
	     "memory limit of 32 MiB exceeded"},
	    {"local f = function() end load(string.dump(f))",
	     "attempt to call a nil value (field 'dump')"},
	    {"require('os')", "module 'os' not found (only the files of "
	                      "scripts/ can be required)"},
	    {"require('../../etc/passwd')",
	     "invalid module name '../../etc/passwd'"},
	    {"paraphe.fmt_number = nil", "attempt to modify a read-only table"},
	    {"dofile('/etc/passwd')",
	     "attempt to call a nil value (global 'dofile')"},
	};
	char code[512], want[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		time_t t0 = time(NULL);

		begin();
		test_put(
		    "site.yaml",
		    "limits:\n  memory: 32 MiB\n  instructions: 2000000\n");
		snprintf(code, sizeof(code),
		         "function on_page(page)\n  %s\nend\n", cases[i].code);
		test_put("scripts/h.lua", code);
		test_put("content/p.md", "P\n");
		test_put("content/q.md", "Q\n");
		CHECK(build() == -1);
		snprintf(want, sizeof(want),
		         "scripts/h.lua:2: error: %s (while processing "
		         "content)\n",
		         cases[i].want);
		CHECK_HAS(diag_text, want);
		CHECK(access("pwned", F_OK) != 0);
		CHECK(time(NULL) - t0 < 20);
		end();
	}
	/* at load time, the hook file fails to load */
	begin();
	test_put("scripts/h.lua", "\nos.execute('touch pwned')\n");
	test_put("content/p.md", "P\n");
	CHECK(build() == -2);
	CHECK_STR(diag_text, "scripts/h.lua:2: error: attempt to call a nil "
	                     "value (field 'execute')\n");
	end();
}

/* A hook stopped by a limit is not called again; the same error on
 * several pages is reported once. */
static void test_repeats(void)
{
	begin();
	test_put("site.yaml", "limits:\n  instructions: 100000\n");
	test_put("scripts/ctg.lua", "");
	test_put("scripts/a.lua", "function on_page(page)\n  if page.kind == "
	                          "'page' then while true do end end\nend\n");
	test_put("scripts/b.lua", "function on_page(page)\n  if page.kind == "
	                          "'page' then error('b') end\nend\n");
	test_put("content/p.md", "P\n");
	test_put("content/q.md", "Q\n");
	CHECK(build() == -1);
	CHECK_STR(diag_text, "scripts/a.lua:2: error: instruction limit of "
	                     "100000 exceeded (while processing content/p.md)\n"
	                     "scripts/b.lua:2: error: b (while processing "
	                     "content/p.md)\n");
	end();
}

/* require: site modules, built-in ones, a site file over a built-in one,
 * each module run once. */
static void test_require(void)
{
	begin();
	test_put("scripts/ctg/texte.lua",
	         "return {fold = function(s) return 'X' end}\n");
	test_put("scripts/lib/util.lua",
	         "n = (n or 0) + 1\nreturn {v = 42, n = "
	         "function() return n end}\n");
	test_put("scripts/lib/deep/init.lua", "return 'deep'\n");
	test_put(
	    "scripts/a.lua",
	    "local u = require 'lib.util'\n"
	    "function on_page(page)\n"
	    "  page.meta.r = {require('lib.util').v, require('lib.util').n(), "
	    "require('lib.deep'), require('ctg.texte').fold('é'), "
	    "require('ctg').ao.competences(5000)[4], "
	    "pcall(require, 'a')}\n"
	    "end\n");
	test_put("content/p.md", "P\n");
	CHECK(build() == 0);
	CHECK_STR(diag_text, "");
	CHECK_STR(meta(doc("p/")->page, "r"),
	          "[42,1,\"deep\",\"X\",\"qualite\",false,\"module 'a' not "
	          "found (only the files of scripts/ can be required)\"]");
	end();
}

static struct page *text_page(const char *text)
{
	return load_text("content/ctg/index.md", text, strlen(text), "ctg",
	                 &cfg);
}

/* Two versions of the bundle ctg/: version 0 with its own text and a
 * sub-page, version 1 sharing the current page. */
static void add_versions(struct site *s)
{
	struct document *d = NULL;
	struct version *v;
	size_t i;

	for (i = 0; i < s->ndocs; i++)
		if (!strcmp(s->docs[i]->path, "ctg/"))
			d = s->docs[i];
	if (!d)
		return;
	d->versions = xcalloc(2, sizeof(*d->versions));
	d->nversions = 2;
	v = &d->versions[0];
	v->id = 0;
	memset(v->commit, 'a', 40);
	v->label = xstrdup("Convention initiale");
	v->date = xstrdup("2026-01-15");
	v->is_signed = 1;
	v->page =
	    text_page("---\ntitle: V0\n---\nAvant\n\n```derive\nreturn "
	              "page.title .. ' ' .. page.data.places[1].places .. "
	              "' ' .. page.path .. ' ' .. tostring(page.current) "
	              ".. ' ' .. page.version.label\n```\n");
	v->subpages = xcalloc(1, sizeof(*v->subpages));
	v->nsubpages = 1;
	v->subpages[0].src = xstrdup("content/ctg/annexe.md");
	v->subpages[0].name = xstrdup("annexe");
	v->subpages[0].slug = xstrdup("annexe");
	v->subpages[0].page = text_page("```derive\nreturn page.path .. ' ' .. "
	                                "page.data.places[1].places\n```\n");
	v = &d->versions[1];
	v->id = 1;
	memset(v->commit, 'b', 40);
	v->label = xstrdup("Avenant n°1");
	v->is_signed = 1;
	v->page = d->page; /* shared, as load_versions may do */
}

static int fake_read(void *ctx, const char *commit, const char *path,
                     struct buf *out)
{
	CHECK(ctx == (void *)&cfg);
	if (strcmp(path, "content/ctg/places.csv"))
		return 1;
	buf_printf(out, "places\n%s\n", commit[0] == 'a' ? "7" : "8");
	return 0;
}

static void test_versions(void)
{
	struct document *d;

	begin();
	test_put("scripts/ctg.lua", "");
	test_put("scripts/a.lua", "function on_page(page)\n  page.meta.n = "
	                          "(page.meta.n or 0) + 1\nend\n");
	test_put("content/ctg/index.md",
	         "```derive\nreturn page.data.places[1].places .. ' ' .. "
	         "tostring(page.current) .. ' ' .. page.version.label\n```\n");
	test_put("content/ctg/annexe.md", "A\n");
	test_put("content/ctg/places.csv", "places\n9\n");
	CHECK(build_with(fake_read, &cfg, add_versions) == 0);
	CHECK_STR(diag_text, "");
	d = doc("ctg/");
	if (d && d->nversions == 2) {
		CHECK_STR(html(d->page), "<p>9 true Avenant n°1</p>\n");
		CHECK_STR(meta(d->page, "n"), "1");
		CHECK_STR(
		    html(d->versions[0].page),
		    "<p>Avant</p>\n<p>V0 7 ctg/versions/0/ false Convention "
		    "initiale</p>\n");
		CHECK_STR(html(d->versions[0].subpages[0].page),
		          "<p>ctg/versions/0/annexe/ 7</p>\n");
		d->versions[1].page = NULL; /* the alias is not owned */
	}
	end();
}

/* The fields built when first read (versions, data, outline, blocks,
 * text, tables, subpages; outline of site.pages): pairs sees them all, in
 * order; one assigned first keeps its value; read after the page's
 * derive blocks, or from a page table kept for later, they show the text
 * before its derive blocks, as they would have shown it at first. */
static void test_lazy(void)
{
	struct document *d;

	begin();
	jobs = 1; /* z/ reads a page table that a/ kept: one state */
	test_put("scripts/ctg.lua", "");
	test_put(
	    "scripts/a.lua",
	    "local kept\n"
	    "local function titles(o) local r = {} for i, h in ipairs(o) do "
	    "r[i] = h.title end return table.concat(r, ',') end\n"
	    "function on_site(site) site.n = #site.pages end\n"
	    "function on_page(page)\n"
	    "  local m = page.meta\n"
	    "  if page.path == 'a/' then\n"
	    "    local keys = {}\n"
	    "    for k in pairs(page) do keys[#keys + 1] = k end\n"
	    "    m.keys = table.concat(keys, ',')\n"
	    "    m.text = page.text\n"
	    "    m.tables = page.tables\n"
	    "    kept = page\n"
	    "  elseif page.path == 'b/' then\n"
	    "    page.blocks = nil\n"
	    "    page.outline = 'mine'\n"
	    "    m.b = {tostring(page.blocks), page.outline}\n"
	    "  elseif page.path == 'z/' then\n"
	    "    m.kept = {#kept.blocks, titles(kept.outline), kept.text}\n"
	    "    local all = {}\n"
	    "    for _, p in ipairs(site.pages) do all[#all + 1] = p.path .. "
	    "'=' .. titles(p.outline) end\n"
	    "    m.site = table.concat(all, ' ')\n"
	    "  end\n"
	    "end\n");
	test_put("content/a.md",
	         "---\ntitle: A\n---\n## Un\n\nTexte *un*\nsuite.\n\n"
	         "| x | y |\n|---|--:|\n| 1 | 2 |\n|  | 3 |\n\n"
	         "```derive\nreturn '## Ajouté'\n```\n\n## Deux\n");
	test_put("content/b.md", "## B\n\nb\n");
	test_put("content/z.md", "Z\n");
	CHECK(build() == 0);
	CHECK_STR(diag_text, "");
	d = doc("a/");
	if (!d)
		goto out;
	CHECK_STR(meta(d->page, "keys"),
	          "\"path,src,title,type,kind,current,meta,meta_lines,"
	          "body_line,versions,data,outline,blocks,text,tables,parent,"
	          "subpages\"");
	CHECK_STR(meta(d->page, "text"),
	          "\"Un\\nTexte un\\nsuite.\\nx | y\\n1 | 2\\n3\\nDeux\"");
	CHECK_STR(meta(d->page, "tables"),
	          "[{\"line\":9,\"head\":[\"x\",\"y\"],\"rows\":[[\"1\",\"2\"],"
	          "[\"\",\"3\"]]}]");
	/* the derive block ran: a heading that the outlines do not show */
	CHECK_HAS(html(d->page), "<h2 id=\"ajoute\">Ajouté</h2>\n"
	                         "<h2 id=\"deux\">Deux</h2>\n");
	CHECK_STR(meta(doc("b/")->page, "b"), "[\"nil\",\"mine\"]");
	CHECK_STR(meta(doc("z/")->page, "kept"),
	          "[7,\"Un,Deux\",\"Un\\nTexte un\\nsuite.\\nx | y\\n1 | 2\\n3"
	          "\\nDeux\"]");
	CHECK_STR(meta(doc("z/")->page, "site"), "\"= a/=Un,Deux b/=B z/=\"");
out:
	end();
}

static const char *csv(const char *text)
{
	static char out[4096];
	struct value *v;
	struct buf b = BUF_INIT;
	size_t n;

	rewind(diag_file);
	CHECK(ftruncate(fileno(diag_file), 0) == 0);
	v = derive_csv(text, strlen(text), "d.csv");
	if (v)
		value_to_json(v, &b, 0);
	else
		buf_puts(&b, "NULL ");
	value_free(v);
	fflush(diag_file);
	rewind(diag_file);
	n = fread(out, 1, sizeof(out) - 1, diag_file);
	out[n] = '\0';
	snprintf(out + n, sizeof(out) - n, "%s", buf_str(&b));
	buf_free(&b);
	return out;
}

static void test_csv(void)
{
	diag_file = tmpfile();
	diag_set_stream(diag_file);
	CHECK_STR(csv("a,b,c\n1, 2.5 ,063\n-1.5,1e3,\n"),
	          "[{\"a\":1,\"b\":2.5,\"c\":\"063\"},{\"a\":-1.5,\"b\":"
	          "\"1e3\",\"c\":null}]");
	CHECK_STR(csv("\xEF\xBB\xBFnom;taux\r\n\"Saint-A; \"\"B\"\"\";58,5\r\n"
	              "\r\nx;\"1\"\r\n"),
	          "[{\"nom\":\"Saint-A; \\\"B\\\"\",\"taux\":58.5},"
	          "{\"nom\":\"x\",\"taux\":\"1\"}]");
	CHECK_STR(csv("a,b\n\"deux\nlignes\",x"),
	          "[{\"a\":\"deux\\nlignes\",\"b\":\"x\"}]");
	CHECK_STR(csv(""), "[]");
	CHECK_STR(csv("a,b\n"), "[]");
	CHECK_STR(csv("a,b\n1\n2,3,4\n5,6\n"),
	          "d.csv:2: error: row has 1 field, the header has 2\n"
	          "d.csv:3: error: row has 3 fields, the header has 2\nNULL ");
	CHECK_STR(csv("a,b\n\"x,1\n"),
	          "d.csv:2: error: quoted field is not closed\nNULL ");
	CHECK_STR(csv("a,b\n\"x\"y,1\n"),
	          "d.csv:2: error: unexpected text after a closing quote\n"
	          "NULL ");
	CHECK_STR(csv("a, a\n1,2\n"),
	          "d.csv:1: error: column \"a\" is named twice\nNULL ");
	CHECK_STR(csv("a,,b\n"), "d.csv:1: error: column 2 has no name\nNULL ");
	CHECK_STR(csv("a\n\xff\n"), "d.csv:2:1: error: invalid utf-8\nNULL ");
	diag_set_stream(NULL);
	fclose(diag_file);
	diag_reset();
}

/* Another worker's state gets site through script_set_global; an on_site
 * that fails keeps what the hooks before it did. */
static void test_globals(void)
{
	struct script *s = script_new(NULL);
	struct value *v = value_map(), *r = NULL;
	const char *code = "return {x.a, os.date('!%Y'), paraphe.fmt_number}";
	struct buf b = BUF_INIT;

	value_set_num(v, "a", 7);
	CHECK(script_hooks_open(s, 0) == 0);
	script_set_global(s, "x", v);
	CHECK(script_eval(s, "t.lua", code, strlen(code), NULL, &r) == 0);
	value_to_json(r, &b, 0);
	/* no paraphe/init.lua was registered: only the C part is there */
	CHECK_STR(buf_str(&b), "[7,\"1970\"]");
	value_free(r);
	value_free(v);
	buf_free(&b);
	script_free(s);

	begin();
	test_put("scripts/ctg.lua", "");
	test_put("scripts/a.lua", "function on_site(site) site.a = 1 end\n");
	test_put("scripts/b.lua",
	         "function on_site(site) site.b = 2 error('b') "
	         "end\nfunction on_page(page) page.meta.ab = "
	         "site.a + site.b end\n");
	test_put("content/p.md", "P\n");
	CHECK(build() == -1);
	CHECK_STR(diag_text, "scripts/b.lua:1: error: b\n");
	CHECK_STR(meta(doc("p/")->page, "ab"), "3");
	end();
}

/* On several workers, every state has what on_site left (site and the
 * hook file's own variables), pages get the same results as on one, and
 * a hook error on every page is reported once, for the first page. */
static void test_workers(void)
{
	char *one = NULL;
	const char *names[] = {"a", "b", "c", "d", "e", "f", "g"};
	char path[32];

	for (int j = 1; j <= 3; j += 2) {
		struct buf all = BUF_INIT;

		begin();
		jobs = j;
		test_put("scripts/ctg.lua", "");
		test_put("scripts/w.lua",
		         "local count\n"
		         "function on_site(site) count = #site.pages; "
		         "site.mark = 'm' end\n"
		         "function on_page(page)\n"
		         "  page.meta.n = count .. site.mark .. #page.outline\n"
		         "  if page.meta.boom then error('boom') end\n"
		         "end\n");
		for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
			snprintf(path, sizeof(path), "content/%s.md", names[i]);
			test_put(path, i % 2 ? "---\nboom: true\n---\n## T\n"
			                     : "## T\n\n## U\n");
		}
		CHECK(build() == -1);
		CHECK(diag_errors() == 1);
		CHECK_STR(diag_text,
		          "scripts/w.lua:5: error: boom (while processing "
		          "content/b.md)\n");
		for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
			snprintf(path, sizeof(path), "%s/", names[i]);
			if (doc(path))
				buf_printf(&all, "%s ",
				           meta(doc(path)->page, "n"));
		}
		CHECK_HAS(buf_str(&all), "\"8m2\" \"8m1\" ");
		if (!one)
			one = buf_detach(&all);
		else
			CHECK_STR(buf_str(&all), one);
		buf_free(&all);
		end();
	}
	free(one);
}

int main(void)
{
	home_fd = open(".", O_RDONLY | O_DIRECTORY);
	RUN(test_blocks);
	RUN(test_page_model);
	RUN(test_on_site);
	RUN(test_errors);
	RUN(test_hostile);
	RUN(test_repeats);
	RUN(test_require);
	RUN(test_versions);
	RUN(test_lazy);
	RUN(test_workers);
	RUN(test_csv);
	RUN(test_globals);
	close(home_fd);
	TEST_END();
}
