/*
 * Unit tests of the foundation modules: buf, esc, utf8, slug, value, diag.
 */
#include <stdlib.h>

#include "buf.h"
#include "diag.h"
#include "esc.h"
#include "slug.h"
#include "test.h"
#include "utf8.h"
#include "value.h"

static void test_buf(void)
{
	struct buf b = BUF_INIT;
	char *s;

	CHECK_STR(buf_str(&b), "");
	buf_puts(&b, "abc");
	buf_putc(&b, 'd');
	buf_printf(&b, "%d-%s", 42, "x");
	CHECK_STR(buf_str(&b), "abcd42-x");
	CHECK(b.len == 8 && b.data[b.len] == '\0');
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%0100d", i);
	CHECK(b.len == 8 + 100000);
	buf_truncate(&b, 3);
	CHECK_STR(buf_str(&b), "abc");
	s = buf_detach(&b);
	CHECK_STR(s, "abc");
	CHECK(b.data == NULL && b.len == 0);
	free(s);
	s = buf_detach(&b);
	CHECK_STR(s, "");
	free(s);
	buf_free(&b);
}

static void test_esc(void)
{
	struct buf b = BUF_INIT;

	esc_html_str(&b, "<a href=\"x\">Tom & 'Jerry'</a>");
	CHECK_STR(
	    buf_str(&b),
	    "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
	buf_reset(&b);
	esc_attr_str(&b, "a=b`c");
	CHECK_STR(buf_str(&b), "a&#61;b&#96;c");
	buf_reset(&b);
	esc_url(&b, "javascript:alert(1)", 19);
	CHECK_STR(buf_str(&b), "#");
	buf_reset(&b);
	esc_url(&b, " JaVa\tScRiPt:alert(1)", 21);
	CHECK_STR(buf_str(&b), "#");
	buf_reset(&b);
	esc_url(&b, "https://ex.fr/a b?x=1&y=é", 26);
	CHECK_STR(buf_str(&b), "https://ex.fr/a%20b?x&#61;1&amp;y&#61;%C3%A9");
	buf_reset(&b);
	esc_url(&b, "../annexe-1/#article-2", 22);
	CHECK_STR(buf_str(&b), "../annexe-1/#article-2");
	buf_reset(&b);
	esc_json(&b, "a\"b\\c\n</script>\x01\xff", 17);
	CHECK_STR(buf_str(&b),
	          "a\\\"b\\\\c\\n\\u003c/script\\u003e\\u0001\xEF\xBF\xBD");
	buf_free(&b);
}

static void test_utf8(void)
{
	int line, col;
	uint32_t cp;

	CHECK(utf8_check("été", 5) == 5);
	CHECK(utf8_check("ab\xC3", 3) == 2);
	CHECK(utf8_check("\xC0\x80", 2) == 0);     /* overlong NUL */
	CHECK(utf8_check("\xED\xA0\x80", 3) == 0); /* surrogate */
	CHECK(utf8_check("\xF4\x90\x80\x80", 4) == 0);
	CHECK(utf8_decode("\xE2\x82\xAC", 3, &cp) == 3 && cp == 0x20AC);
	utf8_position("ab\nçd\xff", 6, &line, &col);
	CHECK(line == 2 && col == 3);
}

static void check_slug(const char *in, const char *want)
{
	char *s = slug_new(in);

	CHECK_STR(s, want);
	free(s);
}

static void test_slug(void)
{
	check_slug("Article 375", "article-375");
	check_slug("Livre Ier", "livre-ier");
	check_slug("Article 4 - Les objectifs…", "article-4-les-objectifs");
	check_slug("Préambule", "preambule");
	check_slug("  Œuvre d'Ægir — Straße ", "oeuvre-d-aegir-strasse");
	check_slug("Łódź", "lodz");
	check_slug("Annexe 1 – Diagnostic partagé",
	           "annexe-1-diagnostic-partage");
	check_slug("!!!", "");
	check_slug("日本", "");
	check_slug("a\xff"
	           "b",
	           "a-b");
}

static void test_value_json(void)
{
	struct value *m = value_map(), *l = value_list(), *c;
	struct buf b = BUF_INIT;

	value_set_str(m, "title", "CTG <2026>");
	value_set_num(m, "n", 3);
	value_set_num(m, "x", 2.5);
	value_push(l, value_bool(1));
	value_push(l, value_nil());
	value_set(m, "l", l);
	value_set_num(m, "n", 4); /* replaced in place */
	value_to_json(m, &b, 0);
	CHECK_STR(buf_str(&b), "{\"title\":\"CTG \\u003c2026\\u003e\",\"n\":4,"
	                       "\"x\":2.5,\"l\":[true,null]}");
	buf_reset(&b);
	value_to_json(l, &b, 2);
	CHECK_STR(buf_str(&b), "[\n  true,\n  null\n]");
	c = value_copy(m);
	CHECK(value_equal(c, m));
	value_set_num(c, "x", 3);
	CHECK(!value_equal(c, m));
	CHECK_STR(value_get_str(m, "title"), "CTG <2026>");
	CHECK(value_get(m, "nope") == NULL && value_len(m) == 4);
	buf_reset(&b);
	value_to_text(value_get(m, "n"), &b);
	CHECK_STR(buf_str(&b), "4");
	value_free(c);
	value_free(m);
	buf_free(&b);
}

static void test_diag(void)
{
	FILE *f = tmpfile();
	char line[256] = "";

	diag_reset();
	diag_set_stream(f);
	diag_error("content/a.md", 3, 7, "unknown key '%s'", "x");
	diag_warning(NULL, 0, 0, "no commit");
	diag_note("x", 0, 0, "hidden unless verbose");
	diag_set_stream(NULL);
	CHECK(diag_errors() == 1 && diag_warnings() == 1);
	rewind(f);
	CHECK(fgets(line, sizeof(line), f) != NULL);
	CHECK_STR(line, "content/a.md:3:7: error: unknown key 'x'\n");
	CHECK(fgets(line, sizeof(line), f) != NULL);
	CHECK_STR(line, "paraphe: warning: no commit\n");
	CHECK(fgets(line, sizeof(line), f) == NULL);
	fclose(f);
	diag_reset();
}

int main(void)
{
	RUN(test_buf);
	RUN(test_esc);
	RUN(test_utf8);
	RUN(test_slug);
	RUN(test_value_json);
	RUN(test_diag);
	TEST_END();
}
