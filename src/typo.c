/*
 * typo: French typography of text and of the text of HTML (see typo.h).
 */
#include "typo.h"

#include <string.h>
#include <strings.h>

#define NBSP "\xc2\xa0"      /* U+00A0 no-break space */
#define NNBSP "\xe2\x80\xaf" /* U+202F narrow no-break space */

/* The length of the space at s (an ASCII blank, U+00A0 or U+202F), or 0. */
static size_t space_len(const char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n'))
		return 1;
	if (n >= 2 && !memcmp(s, NBSP, 2))
		return 2;
	if (n >= 3 && !memcmp(s, NNBSP, 3))
		return 3;
	return 0;
}

/* The no-break space that goes before the character at s, or NULL. */
static const char *space_before(const char *s, size_t n)
{
	if (!n)
		return NULL;
	if (s[0] == ';' || s[0] == '!' || s[0] == '?')
		return NNBSP;
	if (s[0] == ':' || (n >= 2 && !memcmp(s, "\xc2\xbb", 2))) /* » */
		return NBSP;
	return NULL;
}

/* 1 for the bytes typo_text must look at: ASCII blanks and the lead byte
 * of U+00A0, U+00AB «, U+00BB » (0xC2) and U+202F (0xE2); the others are
 * copied in runs. */
static const unsigned char looked_at[256] = {
    [' '] = 1, ['\t'] = 1, ['\n'] = 1, [0xC2] = 1, [0xE2] = 1};

void typo_text(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, k, run;
	int after_open = 0; /* the last character put was « */

	while (i < n) {
		for (k = i; k < n; k++) {
			unsigned char next =
			    k + 1 < n ? (unsigned char)s[k + 1] : 0;

			if (!looked_at[(unsigned char)s[k]])
				continue;
			/* a lone space inside the run (not after «, which
			 * starts a run) before an ordinary character stays */
			if (s[k] == ' ' && k > i && next && !looked_at[next] &&
			    !strchr(";!?:", next))
				continue;
			break;
		}
		if (k > i) {
			buf_put(out, s + i, k - i);
			after_open = 0;
			i = k;
			continue;
		}
		if (!space_len(s + i, n - i)) {
			after_open =
			    n - i >= 2 && !memcmp(s + i, "\xc2\xab", 2);
			k = after_open ? 2 : 1;
			buf_put(out, s + i, k);
			i += k;
			continue;
		}
		for (k = i; (run = space_len(s + k, n - k)) > 0; k += run)
			;
		if (after_open)
			buf_puts(out, NBSP);
		else if (space_before(s + k, n - k))
			buf_puts(out, space_before(s + k, n - k));
		else
			buf_put(out, s + i, k - i);
		after_open = 0;
		i = k;
	}
}

/* Elements whose content is never typeset: code and raw text. */
static int verbatim(const char *name, size_t len, int *raw)
{
	static const char *const code[] = {"pre", "code", "kbd", "samp", "var"};
	static const char *const rawtext[] = {"script", "style", "textarea"};

	*raw = 0;
	for (size_t i = 0; i < sizeof(rawtext) / sizeof(*rawtext); i++)
		if (strlen(rawtext[i]) == len &&
		    !strncasecmp(name, rawtext[i], len))
			return *raw = 1;
	for (size_t i = 0; i < sizeof(code) / sizeof(*code); i++)
		if (strlen(code[i]) == len && !strncasecmp(name, code[i], len))
			return 1;
	return 0;
}

/* The end of the markup that starts at html[i] == '<' (one past its last
 * byte): a comment, a declaration or a tag whose quoted attribute values
 * may hold '>'. */
static size_t markup_end(const char *html, size_t n, size_t i)
{
	char quote = 0;

	if (n - i >= 4 && !memcmp(html + i, "<!--", 4)) {
		for (size_t k = i + 4; k + 3 <= n; k++)
			if (!memcmp(html + k, "-->", 3))
				return k + 3;
		return n;
	}
	for (size_t k = i + 1; k < n; k++) {
		if (quote) {
			if (html[k] == quote)
				quote = 0;
		} else if (html[k] == '"' || html[k] == '\'') {
			quote = html[k];
		} else if (html[k] == '>') {
			return k + 1;
		}
	}
	return n;
}

/* The end of the raw text of element (name, len) that starts at i: the
 * start of its closing tag, or n. */
static size_t rawtext_end(const char *html, size_t n, size_t i,
                          const char *name, size_t len)
{
	for (size_t k = i; k + 2 + len <= n; k++)
		if (html[k] == '<' && html[k + 1] == '/' &&
		    !strncasecmp(html + k + 2, name, len))
			return k;
	return n;
}

void typo_html(struct buf *out, const char *html, size_t n)
{
	size_t i = 0, depth = 0; /* depth: open code-like elements */

	while (i < n) {
		size_t end, len = 0;
		const char *name;
		int closing, raw;

		if (html[i] != '<') {
			const char *lt = memchr(html + i, '<', n - i);

			end = lt ? (size_t)(lt - html) : n;
			if (depth)
				buf_put(out, html + i, end - i);
			else
				typo_text(out, html + i, end - i);
			i = end;
			continue;
		}
		end = markup_end(html, n, i);
		closing = i + 1 < n && html[i + 1] == '/';
		name = html + i + 1 + closing;
		while (name + len < html + end &&
		       ((name[len] | 0x20) >= 'a' && (name[len] | 0x20) <= 'z'))
			len++;
		buf_put(out, html + i, end - i);
		i = end;
		if (!len || !verbatim(name, len, &raw) || html[end - 2] == '/')
			continue;
		if (closing) {
			depth -= depth > 0;
		} else if (raw) {
			end = rawtext_end(html, n, i, name, len);
			buf_put(out, html + i, end - i);
			i = end;
		} else {
			depth++;
		}
	}
}
