/* Unit tests of typo.c: French typography of text and of HTML text. */
#include <stdlib.h>

#include "test.h"
#include "typo.h"

#define NB "\xc2\xa0"
#define NNB "\xe2\x80\xaf"

static char *text(const char *s)
{
	struct buf b = BUF_INIT;

	typo_text(&b, s, strlen(s));
	return buf_detach(&b);
}

static char *html(const char *s)
{
	struct buf b = BUF_INIT;

	typo_html(&b, s, strlen(s));
	return buf_detach(&b);
}

#define CHECK_TEXT(in, want)                                                   \
	do {                                                                   \
		char *got_ = text(in);                                         \
		CHECK_STR(got_, want);                                         \
		free(got_);                                                    \
	} while (0)

#define CHECK_HTML(in, want)                                                   \
	do {                                                                   \
		char *got_ = html(in);                                         \
		CHECK_STR(got_, want);                                         \
		free(got_);                                                    \
	} while (0)

static void test_punctuation(void)
{
	CHECK_TEXT("Objet : la convention", "Objet" NB ": la convention");
	CHECK_TEXT("Vraiment ? Oui ! Et ; puis",
	           "Vraiment" NNB "? Oui" NNB "! Et" NNB "; puis");
	CHECK_TEXT("« Les Petits Cailloux »",
	           "«" NB "Les Petits Cailloux" NB "»");
	/* a run of spaces, no-break or not, becomes one */
	CHECK_TEXT("a  \t: b", "a" NB ": b");
	CHECK_TEXT("a" NB "? b", "a" NNB "? b");
	CHECK_TEXT("a" NNB ": b", "a" NB ": b");
	CHECK_TEXT("fin :", "fin" NB ":");
	/* inside a run of words: a lone space before punctuation, after «,
	 * before » or followed by another blank still counts */
	CHECK_TEXT("un mot ; deux mots : trois « quatre » cinq  six",
	           "un mot" NNB "; deux mots" NB ": trois «" NB "quatre" NB
	           "» cinq  six");
	CHECK_TEXT("a b\tc d\n? e", "a b\tc d" NNB "? e");
}

static void test_nothing_inserted(void)
{
	/* no space typed: nothing changes (URLs, times, entities, English) */
	CHECK_TEXT("https://example.fr/a?b=c", "https://example.fr/a?b=c");
	CHECK_TEXT("10:30, Note: x; y!", "10:30, Note: x; y!");
	CHECK_TEXT("&amp; &#39;", "&amp; &#39;");
	CHECK_TEXT("«mot»", "«mot»");
	CHECK_TEXT("", "");
	CHECK_TEXT("a b c", "a b c");
	/* idempotent */
	CHECK_TEXT("a" NB ": b" NNB "!", "a" NB ": b" NNB "!");
}

static void test_html_text_only(void)
{
	CHECK_HTML("<p title=\"a : b\">Objet : <code>x : y</code> fin !</p>",
	           "<p title=\"a : b\">Objet" NB ": <code>x : y</code> fin" NNB
	           "!</p>");
	CHECK_HTML("<pre><code>a ; b\n</code></pre><p>a ; b</p>",
	           "<pre><code>a ; b\n</code></pre><p>a" NNB "; b</p>");
	CHECK_HTML("<script type=\"application/ld+json\">{\"a\": \"b ; <c\"}"
	           "</script>x ?",
	           "<script type=\"application/ld+json\">{\"a\": \"b ; <c\"}"
	           "</script>x" NNB "?");
	CHECK_HTML("<!-- a : b --><a href=\"x?y\">lien ?</a>",
	           "<!-- a : b --><a href=\"x?y\">lien" NNB "?</a>");
	CHECK_HTML("<a title='x > y : z'>t :</a>",
	           "<a title='x > y : z'>t" NB ":</a>");
	CHECK_HTML("<kbd>Ctrl :</kbd> <br/> a :",
	           "<kbd>Ctrl :</kbd> <br/> a" NB ":");
}

static void test_bad_html(void)
{
	/* unclosed markup passes through, never read past the end */
	CHECK_HTML("a : <p", "a" NB ": <p");
	CHECK_HTML("<!-- a : b", "<!-- a : b");
	CHECK_HTML("<code>a : b", "<code>a : b");
	CHECK_HTML("</code>a : b", "</code>a" NB ": b");
	CHECK_HTML("<script>a : b", "<script>a : b");
	CHECK_HTML("<", "<");
	CHECK_HTML("<a href=\"", "<a href=\"");
}

int main(void)
{
	RUN(test_punctuation);
	RUN(test_nothing_inserted);
	RUN(test_html_text_only);
	RUN(test_bad_html);
	TEST_END();
}
