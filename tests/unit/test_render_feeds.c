/* Unit tests of render_feeds.c: the search excerpt of a page's HTML. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "render_int.h"
#include "test.h"

#define CHECK_EXCERPT(html, want)                                              \
	do {                                                                   \
		char *got_ = render_excerpt(html);                             \
		CHECK_STR(got_, want);                                         \
		free(got_);                                                    \
	} while (0)

/* Tags dropped (each counts as a blank), entities decoded, blanks made
 * one space, no cut. */
static void test_short(void)
{
	CHECK_EXCERPT("<h2 id=\"a\">Objet</h2>\n<p>Un &amp; deux\n  "
	              "<em>trois</em>&#39;</p>\n",
	              "Objet Un & deux trois '");
	CHECK_EXCERPT("", "");
	CHECK_EXCERPT(NULL, "");
}

/* A long text is cut at the last space within 220 bytes, with "…",
 * however much text follows; exactly 220 bytes is not cut. */
static void test_cut(void)
{
	struct buf h = BUF_INIT, want = BUF_INIT;

	for (int i = 0; i < 55; i++) /* 55 × "mot " = 220 bytes */
		buf_puts(&h, "mot ");
	buf_puts(&want, buf_str(&h));
	buf_truncate(&want, want.len - 1);
	buf_puts(&h, " \n </p>  ");
	CHECK_EXCERPT(buf_str(&h), buf_str(&want)); /* 219 bytes: whole */
	buf_reset(&h);
	buf_puts(&h, "<p>");
	for (int i = 0; i < 2000; i++)
		buf_puts(&h, "mot ");
	buf_puts(&h, "</p>");
	buf_truncate(&want, 219); /* cut at the space of byte 219 */
	buf_puts(&want, "…");
	CHECK_EXCERPT(buf_str(&h), buf_str(&want));
	/* one long word: cut at a character boundary */
	buf_reset(&h);
	for (int i = 0; i < 150; i++)
		buf_puts(&h, "é");
	buf_reset(&want);
	for (int i = 0; i < 110; i++)
		buf_puts(&want, "é");
	buf_puts(&want, "…");
	CHECK_EXCERPT(buf_str(&h), buf_str(&want));
	buf_free(&h);
	buf_free(&want);
}

int main(void)
{
	RUN(test_short);
	RUN(test_cut);
	TEST_END();
}
