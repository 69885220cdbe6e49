/*
 * Unit tests of the diff module (diff*.c) and of seqdiff
 * (history_xdiff.c): tokens, word diffs with exact HTML, number deltas,
 * front matter rows, sections (summary, table of contents), the
 * side-by-side view, bundles, pathological input. Generated cases and
 * golden files are in test_diff_cases.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diff.h"
#include "diff_int.h"
#include "load.h"
#include "markdown.h"
#include "seqdiff.h"
#include "site.h"
#include "test.h"
#include "value.h"

#define INS(x) "<ins><span class=\"visually-hidden\">ajout : </span>" x "</ins>"
#define DEL(x)                                                                 \
	"<del><span class=\"visually-hidden\">suppression : </span>" x "</"    \
	"del>"
#define INTRO "<p class=\"diff-repere\" id=\"d_debut\">Début du texte</p>\n"

static struct page *page_of(const char *text)
{
	static struct config cfg; /* load_text reads unsafe_html only */

	return load_text("t.md", text, strlen(text), "t", &cfg);
}

/* The inline (side 0) or side-by-side HTML of the diff of two texts. */
static char *html_of(const char *a, const char *b, int side)
{
	struct page *pa = page_of(a), *pb = page_of(b);
	struct diff *df = diff_new(pa, pb);
	struct diff_view v = {side, "../", "../../0/", ""};
	struct buf out = BUF_INIT;

	diff_html(df, &v, &out);
	diff_free(df);
	page_free(pa);
	page_free(pb);
	return buf_detach(&out);
}

#define CHECK_DIFF(a, b, expected)                                             \
	do {                                                                   \
		char *got_ = html_of(a, b, 0);                                 \
		CHECK_STR(got_, expected);                                     \
		free(got_);                                                    \
	} while (0)

/* ---- seqdiff ---- */

static char *script(const char *const *a, size_t na, const char *const *b,
                    size_t nb, enum seqdiff_algo algo)
{
	struct seqdiff_run *r;
	size_t n = seqdiff(a, na, b, nb, algo, &r), ia = 0, ib = 0;
	struct buf out = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		/* runs cover both sequences in order */
		CHECK(r[i].op == SEQDIFF_INSERT || r[i].a == ia);
		CHECK(r[i].op == SEQDIFF_DELETE || r[i].b == ib);
		buf_printf(&out, "%c%zu", "=-+"[r[i].op], r[i].n);
		ia += r[i].op != SEQDIFF_INSERT ? r[i].n : 0;
		ib += r[i].op != SEQDIFF_DELETE ? r[i].n : 0;
	}
	CHECK(ia == na && ib == nb);
	free(r);
	return buf_detach(&out);
}

#define CHECK_SCRIPT(a, b, expected)                                           \
	do {                                                                   \
		char *s_ = script(a, sizeof(a) / sizeof(*a), b,                \
		                  sizeof(b) / sizeof(*b), SEQDIFF_PATIENCE);   \
		CHECK_STR(s_, expected);                                       \
		free(s_);                                                      \
	} while (0)

static void test_seqdiff(void)
{
	static const char *const a[] = {"le", "conseil", "général", "."};
	static const char *const b[] = {"le", "conseil", "départemental", "."};
	static const char *const c[] = {"le", "conseil", "."};
	static const char *const d[] = {"x", "le", "conseil", "général", "."};
	/* one token per line: a token holding a line break is one token */
	static const char *const e[] = {"a\nb", "c\\n"};
	static const char *const f[] = {"a", "b", "c\n"};
	char *s;

	CHECK_SCRIPT(a, a, "=4");
	CHECK_SCRIPT(a, b, "=2-1+1=1");
	CHECK_SCRIPT(a, c, "=2-1=1");
	CHECK_SCRIPT(c, a, "=2+1=1");
	CHECK_SCRIPT(a, d, "+1=4");
	CHECK_SCRIPT(e, f, "-2+3");
	s = script(a, 4, NULL, 0, SEQDIFF_MYERS);
	CHECK_STR(s, "-4");
	free(s);
	s = script(NULL, 0, NULL, 0, SEQDIFF_MINIMAL);
	CHECK_STR(s, "");
	free(s);
}

/* ---- words ---- */

static void test_full_stop(void)
{
	/* punctuation is a token: the full stop stays unmarked */
	CHECK_DIFF("Le conseil général.\n", "Le conseil départemental.\n",
	           INTRO "<p>Le conseil " DEL("général")
	               INS("départemental") ".</p>\n");
	CHECK_DIFF("Le conseil général.\n", "Le conseil général !\n",
	           INTRO "<p>Le conseil général" DEL(".") INS(" !") "</p>\n");
}

static void test_elision(void)
{
	CHECK_DIFF("Voir l'article 3.\n", "Voir l'annexe 3.\n",
	           INTRO "<p>Voir l&#39;" DEL("article")
	               INS("annexe") " 3.</p>\n");
	CHECK_DIFF("Voir l’article 3.\n", "Voir l’annexe 3.\n",
	           INTRO "<p>Voir l’" DEL("article") INS("annexe") " 3.</p>\n");
	/* hyphenated names are one word */
	CHECK_DIFF("À Saint-Ausbert-des-Combes.\n", "À Saint-Ausbert.\n",
	           INTRO "<p>À " DEL("Saint-Ausbert-des-Combes")
	               INS("Saint-Ausbert") ".</p>\n");
}

static void test_rewrap(void)
{
	const char *a = "Un texte assez long\nqui court sur deux lignes.  \n\n"
	                "- un\n- deux\n";
	const char *b = "Un texte   assez\r\nlong qui court sur deux\r\n"
	                "lignes.\r\n\r\n* un\n* deux\n";
	struct page *pa = page_of(a), *pb = page_of(b);
	struct diff *df = diff_new(pa, pb);

	CHECK(!diff_changed(df));
	diff_free(df);
	page_free(pa);
	page_free(pb);
	CHECK_DIFF(a, b,
	           "<p class=\"diff-inchange\" id=\"d_debut\"><a href=\""
	           "../\">Début du texte</a> <span class=\"diff-etat\">"
	           "(inchangé)</span></p>\n");
}

static void test_spaces(void)
{
	CHECK_DIFF("a b c\n", "a x c\n",
	           INTRO "<p>a " DEL("b") INS("x") " c</p>\n");
	CHECK_DIFF("a b\n", "a x b\n", INTRO "<p>a " INS("x") " b</p>\n");
	CHECK_DIFF("a b.\n", "a.\n", INTRO "<p>a" DEL(" b") ".</p>\n");
	CHECK_DIFF("a b\n", "a, b\n", INTRO "<p>a" INS(",") " b</p>\n");
	/* markup is part of a word: emphasis added is a change, kept
	 * emphasis stays open across one */
	CHECK_DIFF("a *b c* d\n", "a *b x* d\n",
	           INTRO "<p>a <em>b " DEL("c") INS("x") "</em> d</p>\n");
	CHECK_DIFF("a b\n", "a **b**\n",
	           INTRO
	           "<p>a " DEL("b") "<strong>" INS("b") "</strong></p>\n");
	/* struck-through text is <s>: <del> means deleted */
	CHECK_DIFF("a ~~b~~ c\n", "a ~~b~~ d\n",
	           INTRO "<p>a <s>b</s> " DEL("c") INS("d") "</p>\n");
}

static void test_numbers(void)
{
	struct buf b = BUF_INIT;
	double v;

	CHECK_DIFF(
	    "| Commune | Places |\n|---|---|\n| Vialesse | 40 |\n",
	    "| Commune | Places |\n|---|---|\n| Vialesse | 52 |\n",
	    INTRO
	    "<div class=\"defilement\" role=\"region\" "
	    "tabindex=\"0\" aria-label=\"Tableau\">\n<table>\n"
	    "<thead>\n<tr>\n<th>Commune</th>\n<th>Places</th>\n"
	    "</tr>\n</thead>\n<tbody>\n<tr>\n<td>Vialesse</td>\n"
	    "<td>" DEL("40") "<span class=\"diff-annot\" "
	                     "aria-hidden=\"true\"> → </span>" INS(
	                         "52") "<span class=\"diff-annot\"> (+12, "
	                               "+30\xe2\x80\xaf%)</span></td>\n</tr>\n"
	                               "</tbody>\n</table>\n</div>\n");
	/* "12 340" is one number, written with a plain space or not */
	CHECK_DIFF(
	    "Soit 12 340 habitants.\n", "Soit 12 500 habitants.\n",
	    INTRO "<p>Soit " DEL(
	        "12 340") "<span class=\"diff-annot\" "
	                  "aria-hidden=\"true\"> → </span>" INS(
	                      "12 500") "<span class=\"diff-annot\"> (+160, "
	                                "+1,3\xe2\x80\xaf%)</span> "
	                                "habitants.</p>\n");
	/* no delta in headings: "Article 4" → "Article 5" is a renumbering */
	CHECK_DIFF("## Article 4\n\nTexte.\n", "## Article 5\n\nTexte.\n",
	           "<h2 id=\"article-5\">Article " DEL("4")
	               INS("5") "</h2>\n<p>Texte.</p>\n");
	CHECK(diff_number("12\xe2\x80\xaf"
	                  "340,5",
	                  10, &v) &&
	      v == 12340.5);
	CHECK(!diff_number("063", 3, &v)); /* a code */
	CHECK(!diff_number("1er", 3, &v));
	diff_format_delta(40, 52, &b);
	CHECK_STR(buf_str(&b), "+12, +30\xe2\x80\xaf%");
	buf_reset(&b);
	diff_format_delta(2030, 2031, &b); /* percentage rounds to 0 */
	CHECK_STR(buf_str(&b), "+1");
	buf_reset(&b);
	diff_format_delta(0, 5, &b);
	CHECK_STR(buf_str(&b), "+5");
	buf_reset(&b);
	diff_format_delta(24280, 22000.5, &b);
	CHECK_STR(buf_str(&b), "\xe2\x88\x92"
	                       "2\xe2\x80\xaf"
	                       "279,5, "
	                       "\xe2\x88\x92"
	                       "9,4\xe2\x80\xaf%");
	buf_reset(&b);
	diff_format_number(1234567, 0, &b);
	CHECK_STR(buf_str(&b), "1\xe2\x80\xaf"
	                       "234\xe2\x80\xaf"
	                       "567");
	buf_free(&b);
}

static void test_code_and_atoms(void)
{
	CHECK_DIFF("```sh\nun\ndeux\n```\n", "```sh\nun\ntrois\n```\n",
	           INTRO "<pre><code class=\"language-sh\">un\n" DEL("deux\n")
	               INS("trois\n") "</code></pre>\n");
	CHECK_DIFF("Voir `a` et ![x](i.png).\n", "Voir `b` et ![x](i.png).\n",
	           INTRO "<p>Voir " DEL("<code>a</code>")
	               INS("<code>b</code>") " et <img src=\"i.png\" alt=\"x\" "
	                                     "/>.</p>\n");
	CHECK_DIFF("a\n\n---\n", "a\n\n***\n\nb\n",
	           INTRO "<p>a</p>\n<hr />\n<p>" INS("b") "</p>\n");
}

/* ---- blocks and sections ---- */

static void test_lists(void)
{
	/* a list item split in two */
	CHECK_DIFF(
	    "1. un\n2. deux et trois\n3. quatre\n",
	    "1. un\n2. deux\n3. trois\n4. quatre\n",
	    INTRO
	    "<ol>\n<li value=\"1\">un</li>\n<li value=\"2\">"
	    "deux" DEL(
	        " et trois") "</li>\n<li value=\"3\">"
	                     "<ins class=\"diff-bloc\"><span class=\"visually-"
	                     "hidden\">ajout : </span>trois</ins></li>\n"
	                     "<li value=\"4\">quatre</li>\n</ol>\n");
}

static struct value *summary_of(const char *a, const char *b,
                                struct value **toc)
{
	struct page *pa = page_of(a), *pb = page_of(b);
	struct diff *df = diff_new(pa, pb);
	struct diff_view v = {0, "../", "../../0/", "p_"};
	struct value *s = diff_summary(df, &v);

	*toc = diff_toc(df, &v);
	diff_free(df);
	page_free(pa);
	page_free(pb);
	return s;
}

static const char *item_str(const struct value *list, size_t i, const char *key)
{
	return i < value_len(list) ? value_get_str(list->u.list.items[i], key)
	                           : NULL;
}

static void test_sections(void)
{
	const char *a = "## Article 1 - Objet\n\nObjet.\n\n"
	                "## Article 2 - Durée\n\nQuatre ans.\n\n"
	                "## Article 3 - Fin\n\nRésiliation.\n\n"
	                "## Article 4 - Recours\n\nTribunal.\n";
	const char *b = "## Article 1 - Objet\n\nObjet.\n\n"
	                "## Article 2 - Places nouvelles\n\nVingt places.\n\n"
	                "## Article 3 - Durée\n\nQuatre ans.\n\n"
	                "## Article 4 - Fin\n\nRésiliation modifiée.\n";
	struct value *toc, *s = summary_of(a, b, &toc);

	CHECK(value_len(s) == 4);
	CHECK_STR(item_str(s, 0, "status"), "ajoute");
	CHECK_STR(item_str(s, 0, "id"), "p_article-2-places-nouvelles");
	CHECK_STR(item_str(s, 1, "status"), "renumerote");
	CHECK_STR(item_str(s, 1, "old_title"), "Article 2 - Durée");
	CHECK_STR(item_str(s, 1, "link"), "../#article-3-duree");
	CHECK_STR(item_str(s, 2, "status"), "modifie");
	CHECK_STR(item_str(s, 3, "status"), "supprime");
	CHECK_STR(item_str(s, 3, "id"), "p_suppr_article-4-recours");
	CHECK_STR(item_str(s, 3, "link"), "../../0/#article-4-recours");
	CHECK(value_len(toc) == 5);
	CHECK_STR(item_str(toc, 0, "status"), "inchange");
	value_free(s);
	value_free(toc);
	/* an unchanged article is one line linking to the full text */
	CHECK_DIFF(
	    "## A\n\nx\n\n## B\n\nTexte y.\n",
	    "## A\n\nx\n\n## B\n\nTexte z.\n",
	    "<h2 class=\"diff-inchange\" id=\"a\"><a href=\"../#a\">A</a>"
	    " <span class=\"diff-etat\">(inchangé)</span></h2>\n"
	    "<h2 id=\"b\">B</h2>\n<p>Texte " DEL("y") INS("z") ".</p>\n");
	/* nothing in common: the old paragraph out, the new one in */
	CHECK_DIFF("Alpha.\n", "Omega\n",
	           INTRO "<p>" DEL("Alpha.") "</p>\n<p>" INS("Omega") "</p>\n");
}

static void test_side_by_side(void)
{
	char *h = html_of("## A\n\nun deux\n\nfin\n",
	                  "## A\n\nun trois\n\nfin\n"
	                  "\najout\n",
	                  1);

	CHECK_STR(
	    h,
	    "<h2 id=\"a\">A</h2>\n<div class=\"diff-paire\">\n"
	    "<div class=\"diff-avant\">\n<p>un " DEL(
	        "deux") "</p>"
	                "</div>\n<div class=\"diff-apres\">\n<p>un " INS(
	                    "trois") "</p></div>\n</div>\n<p>fin</p>\n"
	                             "<div class=\"diff-paire\">\n<div class=\""
	                             "diff-avant diff-vide\"></div>\n<div "
	                             "class=\"diff-apres\">\n<p>" INS(
	                                 "ajout") "</p></div>\n</div>\n");
	free(h);
}

static void test_meta(void)
{
	struct page *a = page_of("---\ntitle: T\ncommunes:\n  - nom: A\n"
	                         "    population: 40\n  - nom: B\n"
	                         "    population: 7\nduree: 4\n---\nx\n");
	struct page *b = page_of("---\ntitle: T\ncommunes:\n  - nom: A\n"
	                         "    population: 52\n  - nom: N\n"
	                         "    population: 1\n  - nom: B\n"
	                         "    population: 7\nsigne: true\n---\nx\n");
	struct value *rows = diff_meta(a->meta, b->meta);

	CHECK(value_len(rows) == 5);
	CHECK_STR(item_str(rows, 0, "field"), "communes.1.population");
	CHECK_STR(item_str(rows, 0, "before"), "40");
	CHECK_STR(item_str(rows, 0, "after"), "52");
	CHECK_STR(item_str(rows, 0, "delta"), "+12, +30\xe2\x80\xaf%");
	/* a commune inserted in the middle, not every one after changed */
	CHECK_STR(item_str(rows, 1, "field"), "communes.2.nom");
	CHECK(value_get(rows->u.list.items[1], "before")->type == VALUE_NIL);
	CHECK_STR(item_str(rows, 2, "field"), "communes.2.population");
	CHECK_STR(item_str(rows, 3, "field"), "signe");
	CHECK_STR(item_str(rows, 3, "after"), "oui");
	CHECK_STR(item_str(rows, 4, "field"), "duree");
	CHECK(value_get(rows->u.list.items[4], "after")->type == VALUE_NIL);
	value_free(rows);
	rows = diff_meta(NULL, NULL);
	CHECK(value_len(rows) == 0);
	value_free(rows);
	page_free(a);
	page_free(b);
}

static void test_bundle(void)
{
	struct page *m = page_of("Texte.\n"), *a1 = page_of("Annexe un.\n");
	struct page *a2 = page_of("# Annexe 2\n\n## Lieux\n\nIci.\n");
	char s1[] = "annexe-1", s2[] = "annexe-2";
	struct subpage old[] = {{s1, s1, s1, a1}};
	struct subpage new[] = {{s1, s1, s1, a1}, {s2, s2, s2, a2}};
	struct diff_text ta = {m, old, 1}, tb = {m, new, 2};
	struct diff_doc *dd = diff_doc_new(&ta, &tb);
	struct diff_view v = {0, "../", "../../0/", ""};
	struct value *val = diff_doc_value(dd, &v), *subs;

	CHECK(diff_doc_changed(dd));
	subs = value_get(val, "subpages");
	CHECK(value_len(subs) == 2);
	CHECK_STR(item_str(subs, 0, "status"), "inchange");
	CHECK(!value_get(subs->u.list.items[0], "html"));
	CHECK_STR(item_str(subs, 1, "status"), "ajoute");
	CHECK_STR(item_str(subs, 1, "title"), "Annexe 2");
	CHECK_STR(item_str(subs, 1, "link"), "../annexe-2/");
	CHECK_HAS(item_str(subs, 1, "html"), "<h2 id=\"s_annexe-2_lieux\">");
	CHECK(!value_truthy(value_get(val, "changed")) == 0);
	value_free(val);
	diff_doc_free(dd);
	page_free(m);
	page_free(a1);
	page_free(a2);
}

/* A page straight from the parser, whatever the bytes. */
static struct page *page_md(const char *text)
{
	struct page *p = page_new();

	p->md = markdown_parse(text, strlen(text), NULL);
	return p;
}

static char *html_md(const char *a, const char *b, int side)
{
	struct page *pa = page_md(a), *pb = page_md(b);
	struct diff *df = diff_new(pa, pb);
	struct diff_view v = {side, NULL, NULL, NULL};
	struct buf out = BUF_INIT;

	diff_html(df, &v, &out);
	diff_free(df);
	page_free(pa);
	page_free(pb);
	return buf_detach(&out);
}

/* Deep nesting, no text, bad bytes: an answer, never a crash. */
static void test_pathological(void)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	char *h;

	for (int i = 0; i < 5000; i++)
		buf_puts(&a, "> ");
	buf_puts(&a, "fond\n");
	for (int i = 0; i < 2000; i++)
		buf_printf(&b, "%*s- x *y **z [w](u) `v`\n", 2 * (i % 100), "");
	buf_puts(&b, "\xff\xfe mot \xc3\n");
	h = html_md(buf_str(&a), buf_str(&b), 0);
	CHECK(strstr(h,
	             "<del class=\"diff-bloc\"><span class=\"visually-"
	             "hidden\">suppression : </span>\n<blockquote>") != NULL);
	CHECK(strstr(h, "mot \xef\xbf\xbd") != NULL);
	free(h);
	h = html_md(buf_str(&b), buf_str(&a), 1);
	CHECK(strstr(h, "diff-paire") != NULL);
	free(h);
	h = html_md("", "", 0);
	CHECK_STR(h, "");
	free(h);
	h = html_md("", "Un[^1].\n\n[^1]: note\n", 0);
	CHECK_HAS(h, "data-footnotes id=\"d_notes\"");
	free(h);
	buf_free(&a);
	buf_free(&b);
}

int main(void)
{
	RUN(test_seqdiff);
	RUN(test_full_stop);
	RUN(test_elision);
	RUN(test_rewrap);
	RUN(test_spaces);
	RUN(test_numbers);
	RUN(test_code_and_atoms);
	RUN(test_lists);
	RUN(test_sections);
	RUN(test_side_by_side);
	RUN(test_meta);
	RUN(test_bundle);
	RUN(test_pathological);
	TEST_END();
}
