/*
 * Unit tests of markdown.c and markdown_html.c: our renderer against
 * cmark-gfm's own HTML renderer (the reference, which is why this test
 * includes cmark-gfm), the region around tables, heading ids and the table
 * of contents, raw HTML, URLs, bad bytes and pathological input.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "buf.h"
#include "markdown.h"
#include "test.h"
#include "value.h"

/* Renders text (n bytes) with markdown.c; the caller frees. */
static char *render_n(const char *text, size_t n, int unsafe, struct value *toc)
{
	struct markdown_options opt = {unsafe};
	struct markdown *md = markdown_parse(text, n, &opt);
	struct buf out = BUF_INIT;

	markdown_render(md, &out, toc);
	markdown_free(md);
	return buf_detach(&out);
}

static char *render(const char *text)
{
	return render_n(text, strlen(text), 0, NULL);
}

#define CHECK_RENDER(text, expected)                                           \
	do {                                                                   \
		char *got_ = render(text);                                     \
		CHECK_STR(got_, expected);                                     \
		free(got_);                                                    \
	} while (0)

/* cmark-gfm's own rendering with the same extensions and options. */
static char *reference(const char *text)
{
	static const char *const names[] = {
	    "table", "strikethrough", "autolink", "tagfilter", "tasklist"};
	int opt = CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8;
	cmark_parser *p;
	cmark_node *doc;
	char *html;
	size_t i;

	cmark_gfm_core_extensions_ensure_registered();
	p = cmark_parser_new(opt);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		cmark_parser_attach_syntax_extension(
		    p, cmark_find_syntax_extension(names[i]));
	cmark_parser_feed(p, text, strlen(text));
	doc = cmark_parser_finish(p);
	html =
	    cmark_render_html(doc, opt, cmark_parser_get_syntax_extensions(p));
	cmark_node_free(doc);
	cmark_parser_free(p);
	return html;
}

/* The opening of the region around every table. */
#define REGION                                                                 \
	"<div class=\"defilement\" role=\"region\" tabindex=\"0\" "            \
	"aria-label=\"Tableau\">"

/* Replaces every from by to in s, in place (to is not longer). */
static void replace_all(char *s, const char *from, const char *to)
{
	size_t nf = strlen(from), nt = strlen(to);
	char *p;

	while ((p = strstr(s, from))) {
		memcpy(p, to, nt);
		memmove(p + nt, p + nf, strlen(p + nf) + 1);
	}
}

/* esc.h escapes ' (and = in attributes) where cmark does not, and cmark
 * writes ' in URLs as &#x27;: the same HTML once decoded. */
static void normalise(char *html)
{
	replace_all(html, "&#39;", "'");
	replace_all(html, "&#x27;", "'");
	replace_all(html, "&#61;", "=");
	/* our footnote back-links are labelled in French */
	replace_all(html, "Back to content", "Retour au texte");
	/* our tables are wrapped in a scrolling region (test_table_region) */
	replace_all(html, REGION "\n", "");
	replace_all(html, "</table>\n</div>\n", "</table>\n");
}

/* Inputs without headings (we add ids) and without raw HTML (we escape
 * it), where our output must be cmark-gfm's. */
static const char *const differential_inputs[] = {
    "Du *texte* en **gras** et ***les deux***, _souligné_ __fort__.\n",
    "Un [lien](https://example.org/a?b=1&c=2 \"Titre du lien\") et "
    "[un autre](/chemin/relatif).\n",
    "![Logo de la CAF](images/logo.png \"Le logo\") et "
    "![alt *mis en forme* `code`](a.png)\n",
    "- un\n- deux\n  - deux.un\n  - deux.deux\n    1. profond\n- trois\n",
    "3. trois\n4. quatre\n\n\n7) sept\n\n0. zéro\n",
    "- un\n\n- deux (liste lâche)\n\n  second paragraphe\n",
    "Le code `x < y && z` en ligne, et ``avec ` accent``.\n",
    "```lua\nlocal x = 1 < 2\n```\n\n```\nsans info\n```\n\n    indenté\n"
    "    <b>\n",
    "```c main.c extra\nint main(void) { return 0; }\n```\n",
    "> Une citation\n> sur deux lignes\n>\n> > imbriquée\n",
    "| Gauche | Centre | Droite | Aucun |\n"
    "|:-------|:------:|-------:|-------|\n"
    "| a | b | c | d |\n| *e* | `f` | [g](h) | ~~i~~ |\n",
    "| seul en-tête |\n|---|\n",
    "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n| seul |\n",
    "| a \\| b | `c\\|d` |\n|--:|:-:|\n| ![i](x.png) | y[^t] |\n\n"
    "[^t]: note de tableau\n",
    "~~barré~~ et ~simple~\n",
    "Voir https://www.caf.fr/page et www.example.com et contact@caf.fr.\n",
    "<https://example.org/x> et <mailto:a@b.fr>\n",
    "Une note[^1] et une autre[^deux].\n\n[^1]: Première note.\n"
    "[^deux]: Seconde note\n    sur deux lignes.\n",
    "A[^n] B[^N] C[^n]\n\n[^n]: Partagée.\n\n    Deuxième paragraphe.\n",
    "X[^c] et [^absente]\n\n[^c]: texte\n\n        code\n",
    "[^a]: voir[^b]\n\nTexte[^a] et[^b].\n\n[^b]: B\n",
    "- [ ] à faire\n- [x] fait\n- [X] fait aussi\n- pas une tâche\n",
    "1. [ ] tâche ordonnée\n\n2. [x] lâche\n",
    "Ligne avec deux espaces  \nsuite, et antislash\\\nfin.\n",
    "Entités : &amp; &copy; &#233; &#x4E2D; &nbsp; &lt;pas une balise&gt; "
    "&bogus;\n",
    "Avant\n\n---\n\n***\n\n___\n\nAprès\n",
    "Échappements : \\*pas emph\\* \\[pas lien\\] \\` et \"guillemets\" & "
    "esperluette < inférieur > supérieur.\n",
    "[réf][Une Ref] et [Une Ref].\n\n"
    "[une ref]: https://example.org/r%C3%A9f 'Titre simple'\n",
    "* a\n* b\n\n+ c\n",
    "Texte\navec retour\nsouple.\n",
    "Lien avec image : [![img](i.png)](https://x.org) [vide]() "
    "[espace](<a b>)\n",
    "**Gras avec [lien *emph*](u)** et `code` dans ~~barré **gras**~~\n",
    "> - liste dans citation\n>   ```\n>   code\n>   ```\n",
    "L'article 2 de l'avenant « n° 3 » — c'est ça.\n",
    "",
    "  \n\n",
    "-\tun\n\n\tdeux\n",
    "![](vide.png) ![](<> \"titre\")\n",
    "- a[^x]\n  - b\n\n[^x]: n\n",
};

static void test_differential(void)
{
	size_t i,
	    n = sizeof(differential_inputs) / sizeof(*differential_inputs);

	for (i = 0; i < n; i++) {
		char *got = render(differential_inputs[i]);
		char *want = reference(differential_inputs[i]);

		normalise(got);
		normalise(want);
		if (strcmp(got, want))
			fprintf(stderr, "differential input %zu: %s\n", i,
			        differential_inputs[i]);
		CHECK_STR(got, want);
		free(got);
		free(want);
	}
}

/* Every table, wherever it is, scrolls inside its own region; the rest
 * of the output is cmark-gfm's (test_differential). */
static void test_table_region(void)
{
	CHECK_RENDER("| a | b |\n|---|--:|\n| 1 | 2 |\n",
	             REGION "\n<table>\n<thead>\n<tr>\n<th>a</th>\n"
	                    "<th align=\"right\">b</th>\n</tr>\n</thead>\n"
	                    "<tbody>\n<tr>\n<td>1</td>\n"
	                    "<td align=\"right\">2</td>\n</tr>\n</tbody>\n"
	                    "</table>\n</div>\n");
	CHECK_RENDER("Avant\n\n| x |\n|---|\n\nAprès\n",
	             "<p>Avant</p>\n" REGION "\n<table>\n<thead>\n<tr>\n"
	             "<th>x</th>\n</tr>\n</thead>\n</table>\n</div>\n"
	             "<p>Après</p>\n");
	CHECK_RENDER("> | x |\n> |---|\n> | y |\n\n- | z |\n  |---|\n",
	             "<blockquote>\n" REGION "\n<table>\n<thead>\n<tr>\n"
	             "<th>x</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
	             "<td>y</td>\n</tr>\n</tbody>\n</table>\n</div>\n"
	             "</blockquote>\n<ul>\n<li>\n" REGION "\n<table>\n"
	             "<thead>\n<tr>\n<th>z</th>\n</tr>\n</thead>\n"
	             "</table>\n</div>\n</li>\n</ul>\n");
	/* two tables, one region each */
	CHECK_RENDER("| a |\n|---|\n\n| b |\n|---|\n",
	             REGION "\n<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n"
	                    "</thead>\n</table>\n</div>\n" REGION
	                    "\n<table>\n<thead>\n<tr>\n<th>b</th>\n</tr>\n"
	                    "</thead>\n</table>\n</div>\n");
}

static void test_heading_ids(void)
{
	CHECK_RENDER("## Article 1 - Objet\n",
	             "<h2 id=\"article-1-objet\">Article 1 - Objet</h2>\n");
	CHECK_RENDER("## Préambule\n\n## Préambule\n\n# Préambule\n",
	             "<h2 id=\"preambule\">Préambule</h2>\n"
	             "<h2 id=\"preambule-1\">Préambule</h2>\n"
	             "<h1 id=\"preambule-2\">Préambule</h1>\n");
	/* a heading whose own slug is a generated one */
	CHECK_RENDER("# A\n# A\n# A-1\n# A 1\n",
	             "<h1 id=\"a\">A</h1>\n<h1 id=\"a-1\">A</h1>\n"
	             "<h1 id=\"a-1-1\">A-1</h1>\n<h1 id=\"a-1-2\">A 1</h1>\n");
	CHECK_RENDER("#\n\n## !!!\n", "<h1 id=\"section\"></h1>\n"
	                              "<h2 id=\"section-1\">!!!</h2>\n");
	CHECK_RENDER("### L'*article* `x_y` [lien](u)\n",
	             "<h3 id=\"l-article-x-y-lien\">L&#39;<em>article</em> "
	             "<code>x_y</code> <a href=\"u\">lien</a></h3>\n");
	CHECK_RENDER("Titre\nsur deux lignes\n===\n",
	             "<h1 id=\"titre-sur-deux-lignes\">Titre\nsur deux "
	             "lignes</h1>\n");
	CHECK_RENDER("> ## Cité\n", "<blockquote>\n<h2 id=\"cite\">Cité</h2>\n"
	                            "</blockquote>\n");
}

static void test_toc(void)
{
	struct value *toc = value_list();
	struct buf json = BUF_INIT;
	char *html =
	    render_n("# Convention\n\nTexte.\n\n## Article 1 - Objet\n\n"
	             "### 1.1 *Détail*\n\n## Article 1 - Objet\n",
	             strlen("# Convention\n\nTexte.\n\n## Article 1 - "
	                    "Objet\n\n### 1.1 *Détail*\n\n## Article 1 "
	                    "- Objet\n"),
	             0, toc);

	value_to_json(toc, &json, 0);
	CHECK_STR(
	    buf_str(&json),
	    "[{\"level\":1,\"id\":\"convention\",\"title\":\"Convention\"},"
	    "{\"level\":2,\"id\":\"article-1-objet\",\"title\":\"Article 1 "
	    "- Objet\"},"
	    "{\"level\":3,\"id\":\"1-1-detail\",\"title\":\"1.1 Détail\"},"
	    "{\"level\":2,\"id\":\"article-1-objet-1\",\"title\":\"Article "
	    "1 - Objet\"}]");
	CHECK_HAS(html, "<h3 id=\"1-1-detail\">1.1 <em>Détail</em></h3>");
	free(html);
	buf_free(&json);
	value_free(toc);

	/* a toc that is not a list is left alone; NULL is allowed */
	toc = value_map();
	html = render_n("# T\n", 4, 0, toc);
	CHECK(value_len(toc) == 0);
	CHECK_STR(html, "<h1 id=\"t\">T</h1>\n");
	free(html);
	value_free(toc);
}

static void test_title(void)
{
	static const char text[] =
	    "# Titre *principal* `v2`\n\nIntro\n\n# Autre\n";
	struct markdown *md = markdown_parse(text, strlen(text), NULL);
	struct buf out = BUF_INIT;
	char *t = markdown_title(md);

	CHECK_STR(t, "Titre principal v2");
	free(t);
	markdown_drop_title(md);
	markdown_render(md, &out, NULL);
	CHECK_STR(buf_str(&out), "<p>Intro</p>\n<h1 id=\"autre\">Autre</h1>\n");
	CHECK(markdown_title(md) == NULL);
	buf_free(&out);
	markdown_free(md);
	md = markdown_parse("Intro\n\n# Pas en tête\n", 21, NULL);
	CHECK(markdown_title(md) == NULL);
	markdown_drop_title(md); /* nothing to drop */
	markdown_free(md);
	markdown_free(NULL);
}

static void test_raw_html(void)
{
	static const char block[] =
	    "<script>alert(1)</script>\n\n<div>ok</div>\n";
	static const char inl[] = "a <b>gras</b> et <script>x</script>\n";
	char *got;

	CHECK_RENDER(block, "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
	                    "<p>&lt;div&gt;ok&lt;/div&gt;</p>\n");
	CHECK_RENDER(inl, "<p>a &lt;b&gt;gras&lt;/b&gt; et "
	                  "&lt;script&gt;x&lt;/script&gt;</p>\n");
	CHECK_RENDER("<!-- commentaire -->\n",
	             "<p>&lt;!-- commentaire --&gt;</p>\n");
	/* unsafe: output as is, but GFM's tag filter still applies */
	got = render_n(block, strlen(block), 1, NULL);
	CHECK_STR(got, "&lt;script>alert(1)&lt;/script>\n<div>ok</div>\n");
	free(got);
	got = render_n(inl, strlen(inl), 1, NULL);
	CHECK_STR(got, "<p>a <b>gras</b> et &lt;script>x&lt;/script></p>\n");
	free(got);
	got = render_n("<IFRAME src=x></iframe><p/>\n", 27, 1, NULL);
	CHECK_STR(got, "&lt;IFRAME src=x>&lt;/iframe><p/>\n");
	free(got);
	/* code is code in both modes */
	got = render_n("`<script>`\n", 11, 1, NULL);
	CHECK_STR(got, "<p><code>&lt;script&gt;</code></p>\n");
	free(got);
}

static void test_urls(void)
{
	CHECK_RENDER("[x](javascript:alert(1))\n",
	             "<p><a href=\"#\">x</a></p>\n");
	CHECK_RENDER("[x](JaVaScRiPt:alert(1) \"t\")\n",
	             "<p><a href=\"#\" title=\"t\">x</a></p>\n");
	CHECK_RENDER("<javascript:alert(1)>\n",
	             "<p><a href=\"#\">javascript:alert(1)</a></p>\n");
	CHECK_RENDER("![i](data:text/html,x)\n",
	             "<p><img src=\"#\" alt=\"i\" /></p>\n");
	CHECK_RENDER("[x](\"onmouseover=alert(1))\n",
	             "<p><a href=\"%22onmouseover&#61;alert(1)\">x</a></p>\n");
	CHECK_RENDER("[x](/a \"t\\\" onclick=\\\"y\")\n",
	             "<p><a href=\"/a\" title=\"t&quot; onclick&#61;&quot;y\">"
	             "x</a></p>\n");
}

static void test_bad_bytes(void)
{
	static const char bad[] =
	    "a\xff\xfe b\0c \xc3\n\n# T\xc3\xa9\xe2\x82\n";
	char *got = render_n(bad, sizeof(bad) - 1, 0, NULL);

	CHECK_STR(got, "<p>a\xef\xbf\xbd\xef\xbf\xbd b\xef\xbf\xbd"
	               "c \xef\xbf\xbd</p>\n"
	               "<h1 id=\"te\">T\xc3\xa9\xef\xbf\xbd</h1>\n");
	free(got);
	got = render_n(NULL, 0, 0, NULL);
	CHECK_STR(got, "");
	free(got);
}

/* Rendering appends to what the buffer holds, and again gives the same
 * ids (they are unique per rendering). */
static void test_append(void)
{
	struct markdown *md = markdown_parse("# T\n\na\n", 7, NULL);
	struct buf out = BUF_INIT;

	buf_puts(&out, "<main>");
	markdown_render(md, &out, NULL);
	markdown_render(md, &out, NULL);
	CHECK_STR(buf_str(&out), "<main><h1 id=\"t\">T</h1>\n<p>a</p>\n"
	                         "<h1 id=\"t\">T</h1>\n<p>a</p>\n");
	buf_free(&out);
	markdown_free(md);
}

/* Appends s n times to b. */
static void repeat(struct buf *b, const char *s, size_t n)
{
	while (n--)
		buf_puts(b, s);
}

static void check_fast(const char *what, struct buf *in)
{
	clock_t t0 = clock();
	char *got = render_n(in->data, in->len, 0, NULL);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;

	if (getenv("TEST_TIMES") || secs >= 5)
		fprintf(stderr, "%s: %.1f s\n", what, secs);
	CHECK(secs < 5);
	CHECK(got != NULL);
	free(got);
	buf_reset(in);
}

static void test_pathological(void)
{
	struct buf in = BUF_INIT;

	repeat(&in, ">", 10000);
	buf_puts(&in, " x\n");
	check_fast("nested quotes", &in);
	repeat(&in, "[", 50000);
	check_fast("brackets", &in);
	repeat(&in, "*a ", 30000);
	check_fast("emphasis openers", &in);
	repeat(&in, "- ", 5000);
	buf_puts(&in, "x\n");
	check_fast("nested lists", &in);
	repeat(&in, "# Même titre\n", 20000);
	check_fast("duplicate headings", &in);
	repeat(&in, "x[^1] ", 20000);
	buf_puts(&in, "\n\n[^1]: note\n");
	check_fast("footnote references", &in);
	repeat(&in, "| a ", 300);
	buf_puts(&in, "|\n");
	repeat(&in, "|-", 300);
	buf_puts(&in, "|\n");
	repeat(&in, "| b\n", 300);
	check_fast("wide table", &in);
	buf_free(&in);
}

/* Parsing and rendering from several threads at once, the first use of
 * the module in this process (it registers the extensions). */
static void *parse_in_thread(void *arg)
{
	char *html = render("| a |\n|---|\n| ~~b~~ |\n");

	(void)arg;
	return html;
}

static void test_threads(void)
{
	pthread_t th[4];
	void *res;
	size_t i;

	for (i = 0; i < 4; i++)
		CHECK(pthread_create(&th[i], NULL, parse_in_thread, NULL) == 0);
	for (i = 0; i < 4; i++) {
		CHECK(pthread_join(th[i], &res) == 0);
		CHECK_HAS(res, "<td><del>b</del></td>");
		free(res);
	}
}

int main(void)
{
	RUN(test_threads);
	RUN(test_differential);
	RUN(test_table_region);
	RUN(test_heading_ids);
	RUN(test_toc);
	RUN(test_title);
	RUN(test_raw_html);
	RUN(test_urls);
	RUN(test_bad_bytes);
	RUN(test_append);
	RUN(test_pathological);
	TEST_END();
}
