/*
 * Tests of the default scripts (scripts/): the Lua tests of tests/lua/
 * (values checked by hand), run in a hook state through script_eval, one
 * PASS/FAIL line per Lua test; then sites built through the derive stage
 * to check the diagnostics and derived sections of the CTG hooks.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "derive.h"
#include "derive_int.h"
#include "diag.h"
#include "fs.h"
#include "load.h"
#include "markdown.h"
#include "scan.h"
#include "script.h"
#include "site.h"
#include "test.h"
#include "testutil.h"
#include "value.h"
#include "xalloc.h"

#define LUA_TESTS "tests/lua"

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints one line per result of a Lua test file. */
static void report(const char *file, const struct value *results)
{
	size_t i;

	for (i = 0; i < value_len(results); i++) {
		const struct value *r = results->u.list.items[i];
		const char *name = value_get_str(r, "name");

		if (value_truthy(value_get(r, "ok"))) {
			printf("PASS %s:%s\n", file, name ? name : "?");
		} else {
			printf("FAIL %s:%s\n", file, name ? name : "?");
			fprintf(stderr, "%s: %s: %s\n", file, name ? name : "?",
			        value_get_str(r, "message"));
			test_failed_tests++;
		}
	}
	fflush(stdout);
}

/* Runs every tests/lua/test_*.lua file in one hook state. */
static void run_lua_tests(void)
{
	struct script *s = script_new(NULL);
	struct value *hooks = value_list(), *results;
	struct buf text = BUF_INIT, path = BUF_INIT;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *e;
	DIR *d;

	CHECK(derive_load_scripts(s, hooks) == 0);
	CHECK(fs_read(LUA_TESTS "/testlib.lua", 0, &text) == 0);
	script_add_file(s, "scripts/testlib/init.lua", buf_str(&text),
	                text.len);
	CHECK(script_hooks_open(s, 1773576000) == 0);
	d = opendir(LUA_TESTS);
	CHECK(d != NULL);
	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, "test_", 5) &&
		    strstr(e->d_name, ".lua")) {
			names = xgrow(names, &cap, n + 1, sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
	if (d)
		closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	CHECK(n >= 8);
	for (i = 0; i < n; i++) {
		buf_reset(&text);
		buf_reset(&path);
		buf_printf(&path, "%s/%s", LUA_TESTS, names[i]);
		CHECK(fs_read(buf_str(&path), 0, &text) == 0);
		if (script_eval(s, buf_str(&path), buf_str(&text), text.len,
		                NULL, &results) < 0) {
			printf("FAIL %s\n", names[i]);
			test_failed_tests++;
		} else {
			report(names[i], results);
		}
		value_free(results);
		free(names[i]);
	}
	free(names);
	buf_free(&text);
	buf_free(&path);
	value_free(hooks);
	script_free(s);
}

/* ---- sites built through the derive stage ---- */

static char fixture[PATH_MAX];
static int home_fd = -1;
static FILE *diag_file;
static char diag_text[16384];
static struct config cfg;
static struct site site;

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void begin(void)
{
	char tmpl[] = "build/tmp/ctg-XXXXXX";

	mkdir("build", 0755);
	mkdir("build/tmp", 0755);
	CHECK(mkdtemp(tmpl) != NULL);
	CHECK(chdir(tmpl) == 0);
	CHECK(getcwd(fixture, sizeof(fixture)) != NULL);
	diag_file = tmpfile();
	diag_set_stream(diag_file);
	diag_reset();
	memset(&cfg, 0, sizeof(cfg));
	memset(&site, 0, sizeof(site));
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

/* config, scan, load and derive at 2026-03-15 12:00 UTC; returns
 * derive_site's result (-2: derive_new failed), diagnostics in
 * diag_text. */
static int build(void)
{
	struct config_flags flags;
	struct derive *dv;
	int r = -2;
	size_t n;

	config_flags_init(&flags);
	CHECK(config_load(&cfg, &flags) == 0);
	CHECK(scan_site(&cfg, &site) == 0);
	CHECK(load_site(&site, &cfg) == 0);
	site.reference_time = 1773576000;
	snprintf(site.reference_date, sizeof(site.reference_date),
	         "2026-03-15");
	if ((dv = derive_new(&cfg, &site))) {
		r = derive_site(dv, &site, &cfg);
		derive_free(dv);
	}
	fflush(diag_file);
	rewind(diag_file);
	n = fread(diag_text, 1, sizeof(diag_text) - 1, diag_file);
	diag_text[n] = '\0';
	return r;
}

static struct page *page_at(const char *path)
{
	size_t i;

	for (i = 0; i < site.ndocs; i++)
		if (!strcmp(site.docs[i]->path, path))
			return site.docs[i]->page;
	return NULL;
}

static const char *html(const char *path)
{
	static char out[65536];
	struct page *p = page_at(path);
	struct buf b = BUF_INIT;

	if (p && load_markdown(p))
		markdown_render(p->md, &b, NULL);
	snprintf(out, sizeof(out), "%s", buf_str(&b));
	buf_free(&b);
	return out;
}

/* The JSON of a value inside a page's meta, by a path of keys. */
static const char *meta(const char *path, const char *k1, const char *k2)
{
	static char out[8192];
	struct page *p = page_at(path);
	const struct value *v = p ? value_get(p->meta, k1) : NULL;
	struct buf b = BUF_INIT;

	if (k2)
		v = value_get(v, k2);
	value_to_json(v, &b, 0);
	snprintf(out, sizeof(out), "%s", buf_str(&b));
	buf_free(&b);
	return out;
}

#define NB "\xe2\x80\xaf" /* U+202F */

static const char convention[] =
    "---\ntitle: CTG\ntype: convention\n"
    "territoire: \"Communauté de communes du Val d’Ambreuse\"\n"
    "competences_transferees: true\ncommunes:\n"
    "  - {nom: \"Vernasse-sur-Ambreuse\", insee: \"63481\", population: "
    "12340, enfants_moins_3_ans: 398}\n"
    "  - {nom: \"Saint-Ausbert-des-Combes\", insee: \"63484\", population: "
    "5180, enfants_moins_3_ans: 171}\n"
    "  - {nom: \"Montaudière\", insee: \"63487\", population: 3870, "
    "enfants_moins_3_ans: 118}\n"
    "  - {nom: \"Charbonnelles\", insee: \"63489\", population: 1460, "
    "enfants_moins_3_ans: 44}\n"
    "  - {nom: \"Vialesse\", insee: \"63493\", population: 820, "
    "enfants_moins_3_ans: 21}\n"
    "  - {nom: \"Les Éparvières\", insee: \"63496\", population: 610, "
    "enfants_moins_3_ans: 16}\n"
    "date_effet: 2026-01-01\ndate_fin: 2030-12-31\n"
    "actes:\n  - id: \"063-200097418-20251211-2025_118-DE\"\n"
    "    publication: 2025-12-16\n"
    "---\n## Les objectifs conjoints\n\nTexte.\n\n## Les indicateurs\n\n"
    "### Autorités organisatrices\n\n"
    "```derive\nreturn require('ctg').ao.tableau(page)\n```\n\n"
    "### Offre d’accueil\n\n"
    "```derive\nlocal places = require('ctg').places\nreturn "
    "{places.tableau(page), places.graphique(page), "
    "places.tableau_communes(page)}\n```\n\n"
    "### Durée\n\n```derive\nreturn require('ctg').duree.texte(page)\n```"
    "\n\n### Actes\n\n```derive\nreturn require('ctg').acte.tableau(page)"
    "\n```\n\n### Schéma pluriannuel\n\n```derive\nreturn "
    "require('ctg').schema.tableau(page)\n```\n";

static const char places_csv[] =
    "annee,commune,type,places\n"
    "2026,Vernasse-sur-Ambreuse,eaje_psu,64\n"
    "2026,Vernasse-sur-Ambreuse,micro_creche_paje,12\n"
    "2026,Vernasse-sur-Ambreuse,assistants_maternels,150\n"
    "2026,Vernasse-sur-Ambreuse,rpe_etp,2.0\n"
    "2026,Saint-Ausbert-des-Combes,eaje_psu,20\n"
    "2026,Saint-Ausbert-des-Combes,micro_creche_paje,10\n"
    "2026,Saint-Ausbert-des-Combes,mam,12\n"
    "2026,Saint-Ausbert-des-Combes,assistants_maternels,74\n"
    "2026,Saint-Ausbert-des-Combes,rpe_etp,0.8\n"
    "2026,Montaudière,micro_creche_paje,10\n"
    "2026,Montaudière,mam,8\n"
    "2026,Montaudière,assistants_maternels,52\n"
    "2026,Montaudière,rpe_etp,0.5\n"
    "2026,Charbonnelles,assistants_maternels,22\n"
    "2026,Vialesse,assistants_maternels,9\n"
    "2026,Les Éparvières,assistants_maternels,6\n";

static const char *bilan(int year, int eaje, const char *statut)
{
	static char text[4096];

	snprintf(
	    text, sizeof(text),
	    "---\ntitle: Point d’étape %d\ntype: bilan\nconvention: ctg\n"
	    "nature: point-etape\nperiode: \"%d\"\ndate: %d-02-15\n"
	    "indicateurs:\n  - {axe: Petite enfance, nom: Places en EAJE "
	    "financées par la PSU, unite: places, initial: 84, cible: 110, "
	    "realise: %d}\n  - {axe: Parentalité, nom: Familles au LAEP, "
	    "unite: familles, initial: 64, cible: 110, realise: 80}\n"
	    "actions:\n  - {axe: Petite enfance, action: \"1.1\", statut: "
	    "%s}\n  - {axe: Petite enfance, action: \"1.2\", statut: En "
	    "cours, avancement: 40}\n  - {axe: Parentalité, action: "
	    "\"3.1\", statut: Non engagée}\n---\n"
	    "## Indicateurs\n\n```derive\nlocal b = require('ctg').bilan\n"
	    "return {b.tableau_indicateurs(page), "
	    "b.graphique_indicateurs(page)}\n```\n\n## Actions\n\n"
	    "```derive\nreturn require('ctg').bilan.tableau_actions(page)\n"
	    "```\n\n## Évolution\n\n```derive\nreturn "
	    "require('ctg').bilan.tableau_evolution(page)\n```\n",
	    year, year, year + 1, eaje, statut);
	return text;
}

/* A convention like the demo's, with its annexes, data and two bilans:
 * no diagnostic, the derived values in meta, the derived sections. */
static void test_convention(void)
{
	const char *h;

	begin();
	test_put("content/ctg/index.md", convention);
	test_put("content/ctg/places.csv", places_csv);
	test_put(
	    "content/ctg/annexe-1.md",
	    "---\ntitle: Annexe 1 – Diagnostic partagé\n---\n"
	    "## 1° Les équipements, services et modes d’accueil existants\n\n"
	    "## 2° Les besoins des enfants et de leurs familles\n\n"
	    "## 3° Les zones où l’offre est insuffisante ou difficile d’accès"
	    "\n");
	test_put(
	    "content/ctg/annexe-3.md",
	    "---\ntitle: Annexe 3 – Plan d’actions\n---\n"
	    "## Action 1.2 – Rendre l’offre accessible aux familles qui "
	    "rencontrent des difficultés particulières\n\n"
	    "## Action 1.3 – Faire progresser la qualité de l’accueil\n\n"
	    "| Mode | Emplois et compétences | Projet d’investissement | Coût "
	    "estimatif | Calendrier prévisionnel |\n|---|---|---|---|---|\n"
	    "| EAJE | 8 ETP | Multi-accueil | 2,04 M€ | 2027 |\n");
	test_put("content/ctg/bilan-2026.md", bilan(2026, 92, "Réalisée"));
	test_put("content/ctg/bilan-2027.md", bilan(2027, 100, "Réalisée"));
	CHECK(build() == 0);
	CHECK_STR(diag_text, "");
	/* tables made in Lua convert with their keys sorted */
	CHECK_STR(meta("ctg/", "ctg", "duree"),
	          "{\"debut\":\"2026-01-01\","
	          "\"duree\":\"5 ans\",\"fin\":\"2030-12-31\",\"fin_max\":"
	          "\"2030-12-31\",\"statut\":\"en vigueur\"}");
	CHECK_HAS(meta("ctg/", "ctg", "autorites"),
	          "\"nom\":\"Communauté de communes du Val d’Ambreuse\","
	          "\"population\":24280,\"rpe_depuis\":\"2026-01-01\","
	          "\"rpe_obligatoire\":true,\"schema_pluriannuel\":true,"
	          "\"type\":\"epci\"}]");
	CHECK_STR(meta("ctg/", "ctg", "places"),
	          "{\"annees\":[2026],\"enfants_moins_3_ans\":768,\"moins_3\":"
	          "449,\"taux_couverture\":58.4635416666667}");
	CHECK_STR(meta("ctg/", "ctg", "schema_pluriannuel"),
	          "{\"complet\":true,\"manquants\":[]}");
	CHECK_HAS(meta("ctg/", "ctg", "actes"),
	          "[{\"date\":\"2025-12-11\",\"departement\":\"063\",\"id\":"
	          "\"063-200097418-20251211-2025_118-DE\",\"nature\":\"DE\"");
	h = html("ctg/");
	CHECK_HAS(h, "<td>Communauté de communes du Val d’Ambreuse (pour "
	             "Vernasse-sur-Ambreuse, Saint-Ausbert-des-Combes, "
	             "Montaudière, Charbonnelles, Vialesse, Les "
	             "Éparvières)</td>\n<td align=\"right\">24" NB "280</td>");
	CHECK_HAS(h, "<td>EAJE financés par la PSU</td>\n<td>places</td>\n"
	             "<td align=\"right\">84</td>");
	CHECK_HAS(h, "<td>Relais petite enfance</td>\n<td>ETP</td>\n"
	             "<td align=\"right\">3,3</td>");
	CHECK_HAS(h, "<td><strong>Taux de couverture</strong></td>\n<td>places "
	             "pour 100 enfants</td>\n<td align=\"right\">58,5</td>");
	CHECK_HAS(h, "<figure class=\"graphique\"><svg xmlns=");
	CHECK_HAS(h, ">313 places</text>");
	CHECK_HAS(h, "<td>Vernasse-sur-Ambreuse</td>\n<td align=\"right\">398"
	             "</td>\n<td align=\"right\">226</td>\n<td align=\"right\">"
	             "56,8</td>");
	CHECK_HAS(h, "<p>La convention s’applique du 1er janvier 2026 au 31 "
	             "décembre 2030, soit 5 ans");
	CHECK_HAS(h, "<td><code>063-200097418-20251211-2025_118-DE</code></td>"
	             "\n<td>063</td>\n<td>200097418</td>\n<td>11 décembre "
	             "2025</td>");
	CHECK_HAS(h, "<td>4° b) Besoins en emplois et en compétences</td>\n"
	             "<td>oui : Annexe 3 – Plan d’actions › tableau, colonne « "
	             "Emplois et compétences »</td>");
	CHECK_HAS(h, "<td>oui : CTG › Les indicateurs</td>");
	CHECK_HAS(h, "elle peut tenir lieu de schéma pluriannuel.</p>");
	CHECK(strstr(h, "derive") == NULL);
	/* the bilans: indicators, actions, the evolution from 2026 to 2027 */
	CHECK_HAS(meta("ctg/bilan-2027/", "ctg", "evolution"),
	          "\"src\":\"content/ctg/bilan-2026.md\",\"title\":\"Point "
	          "d’étape 2026\"}}");
	h = html("ctg/bilan-2027/");
	/* (100 - 84) / (110 - 84) = 61.5 %; +16 = +19 % of 84 */
	CHECK_HAS(h, "<td align=\"right\">100</td>\n<td align=\"right\">+16 "
	             "(+19" NB "%)</td>\n<td align=\"right\">62" NB "%</td>");
	CHECK_HAS(h, ">Places en EAJE financées par la PSU</text>");
	CHECK_HAS(h, "<td>Réalisée</td>\n<td align=\"right\">1</td>\n"
	             "<td align=\"right\">33" NB "%</td>");
	CHECK_HAS(h, ">Petite enfance (2 actions)</text>");
	CHECK_HAS(h, ">70" NB "%</text>");
	CHECK_HAS(h, "<p>Évolution depuis le bilan précédent, <a "
	             "href=\"../../ctg/bilan-2026/\">Point d’étape 2026</a> "
	             "(2026) :</p>");
	CHECK_HAS(h, "<td>Places en EAJE financées par la PSU</td>\n<td "
	             "align=\"right\">92</td>\n<td align=\"right\">100</td>\n"
	             "<td align=\"right\">+8</td>");
	CHECK_HAS(h, "<td>Familles au LAEP</td>\n<td align=\"right\">80</td>"
	             "\n<td align=\"right\">80</td>\n<td align=\"right\">0"
	             "</td>");
	CHECK_HAS(html("ctg/bilan-2026/"), "<p><em>Premier bilan de la "
	                                   "convention");
	end();
}

/* The CTG diagnostics, at the lines of the front matter and text. */
static void test_diagnostics(void)
{
	begin();
	test_put("content/bad/index.md",
	         "---\ntitle: Mauvaise\ntype: convention\nterritoire: CC\n"
	         "competences_transferees: true\ncommunes:\n  - nom: A\n"
	         "    population: 9000\n  - nom: B\n    population: 2000\n"
	         "date_effet: 2026-01-01\ndate_fin: 2031-06-30\nactes:\n"
	         "  - id: \"063-123-20260101-1-DE\"\n---\nFait à … le 20xx.\n\n"
	         "Texte sans blanc…\n\n```\nCommune A\n```\n");
	test_put("content/bad/annexe.md",
	         "---\ntitle: Annexe\n---\n(A adapter)\n");
	test_put("content/autre.md", "Commune A\n");
	CHECK(build() == -1);
	CHECK_STR(
	    diag_text,
	    "content/bad/index.md:12: error: 'date_fin' (2031-06-30) is "
	    "after 2030-12-31: a CTG ends at the latest on 31 December of "
	    "the fourth year after it starts\n"
	    "content/bad/index.md:14: error: invalid prefecture identifier "
	    "\"063-123-20260101-1-DE\": the SIREN \"123\" must be 9 "
	    "digits\n"
	    "content/bad/index.md:7: warning: an organising authority has "
	    "more than 10,000 inhabitants but the convention lacks "
	    "item(s) 1°, 2°, 3°, 4° a), 4° b), 4° c), 4° d), 4° e), 4° "
	    "f), 4° g), 4° h) of CASF D. 214-10-1: it cannot stand in for "
	    "the schéma pluriannuel\n"
	    "content/bad/index.md:16: warning: unfilled placeholder "
	    "\"20xx\" of the national model\n"
	    "content/bad/index.md:16: warning: unfilled placeholder "
	    "\"…\" of the national model\n"
	    "content/bad/annexe.md:4: warning: unfilled placeholder "
	    "\"(A adapter\" of the national model\n");
	end();
	/* a site can turn the CTG hooks off */
	begin();
	test_put("scripts/ctg.lua", "-- pas de CTG ici\n");
	test_put("content/bad/index.md",
	         "---\ntype: convention\ndate_effet: "
	         "2026-01-01\ndate_fin: 2040-01-01\n---\n"
	         "20xx\n");
	CHECK(build() == 0);
	CHECK_STR(diag_text, "");
	end();
}

int main(void)
{
	run_lua_tests();
	home_fd = open(".", O_RDONLY | O_DIRECTORY);
	RUN(test_convention);
	RUN(test_diagnostics);
	close(home_fd);
	TEST_END();
}
