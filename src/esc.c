/*
 * esc: escaping by output context (see esc.h). Rules:
 *
 *   html  & → &amp;  < → &lt;  > → &gt;  " → &quot;  ' → &#39;
 *   attr  the html rules, plus ` → &#96;, = → &#61;, and C0 controls other
 *         than tab/newline as &#NN; (attributes are always double-quoted)
 *   url   bytes outside [A-Za-z0-9-._~:/?#[]@!$&'()*+,;=%] are
 *         percent-encoded (%XX, upper case), then the result goes through
 *         the attr rules; a scheme other than http, https, mailto, tel
 *         (case-insensitive, ignoring ASCII whitespace and controls, which
 *         browsers strip) makes the whole URL "#"
 *   json  " → \"  \ → \\  controls → \n \t \r \b \f or \u00XX,
 *         < > & → \u003c \u003e \u0026, U+2028/2029 → \u2028/\u2029,
 *         invalid UTF-8 → U+FFFD
 *
 * The html and attr rules are one 256-entry table each: the entity of a
 * byte, or NULL to copy it.
 */
#include "esc.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "utf8.h"

static const char *html_entity[256] = {
    ['&'] = "&amp;",  ['<'] = "&lt;",   ['>'] = "&gt;",
    ['"'] = "&quot;", ['\''] = "&#39;",
};

static const char *attr_entity[256] = {
    ['&'] = "&amp;",  ['<'] = "&lt;",  ['>'] = "&gt;",  ['"'] = "&quot;",
    ['\''] = "&#39;", ['`'] = "&#96;", ['='] = "&#61;", [1] = "&#1;",
    [2] = "&#2;",     [3] = "&#3;",    [4] = "&#4;",    [5] = "&#5;",
    [6] = "&#6;",     [7] = "&#7;",    [8] = "&#8;",    [11] = "&#11;",
    [12] = "&#12;",   [13] = "&#13;",  [14] = "&#14;",  [15] = "&#15;",
    [16] = "&#16;",   [17] = "&#17;",  [18] = "&#18;",  [19] = "&#19;",
    [20] = "&#20;",   [21] = "&#21;",  [22] = "&#22;",  [23] = "&#23;",
    [24] = "&#24;",   [25] = "&#25;",  [26] = "&#26;",  [27] = "&#27;",
    [28] = "&#28;",   [29] = "&#29;",  [30] = "&#30;",  [31] = "&#31;",
    [127] = "&#127;",
};

/* Copies runs of bytes without an entity in one go. A NUL byte is dropped:
 * it has no place in HTML. */
static void esc_table(struct buf *out, const char *s, size_t n,
                      const char *const table[256])
{
	size_t start = 0, i;

	if (!n)
		return; /* s may be NULL */
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *ent = table[c];

		if (!ent && c != 0)
			continue;
		buf_put(out, s + start, i - start);
		if (ent)
			buf_puts(out, ent);
		start = i + 1;
	}
	buf_put(out, s + start, n - start);
}

void esc_html(struct buf *out, const char *s, size_t n)
{
	esc_table(out, s, n, html_entity);
}

void esc_attr(struct buf *out, const char *s, size_t n)
{
	esc_table(out, s, n, attr_entity);
}

void esc_html_str(struct buf *out, const char *s)
{
	if (s)
		esc_html(out, s, strlen(s));
}

void esc_attr_str(struct buf *out, const char *s)
{
	if (s)
		esc_attr(out, s, strlen(s));
}

/* Returns 1 when the URL has no scheme (relative) or an allowed one. */
static int url_scheme_ok(const char *s, size_t n)
{
	static const char *const allowed[] = {"http", "https", "mailto", "tel"};
	char scheme[16];
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ')
			continue; /* browsers ignore these inside schemes */
		if (c == ':')
			break;
		if (c == '/' || c == '?' || c == '#')
			return 1; /* a path before any colon: relative */
		if (!isalnum(c) && c != '+' && c != '-' && c != '.')
			return 1;
		if (k + 1 >= sizeof(scheme))
			return 0;
		scheme[k++] = (char)tolower(c);
	}
	if (i == n)
		return 1;
	scheme[k] = '\0';
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (!strcmp(scheme, allowed[i]))
			return 1;
	return 0;
}

static int url_safe(unsigned char c)
{
	return isalnum(c) || (c && strchr("-._~:/?#[]@!$&'()*+,;=%", c));
}

void esc_url(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf tmp = BUF_INIT;
	size_t i;

	if (!url_scheme_ok(s, n)) {
		buf_putc(out, '#');
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (url_safe(c)) {
			buf_putc(&tmp, c);
		} else {
			buf_putc(&tmp, '%');
			buf_putc(&tmp, hex[c >> 4]);
			buf_putc(&tmp, hex[c & 15]);
		}
	}
	esc_attr(out, buf_str(&tmp), tmp.len);
	buf_free(&tmp);
}

void esc_json(struct buf *out, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t k;

		if (c >= 0x80) {
			k = utf8_decode(s + i, n - i, &cp);
			if (cp == 0x2028 || cp == 0x2029)
				buf_printf(out, "\\u%04X", (unsigned)cp);
			else if (cp == 0xFFFD && k == 1)
				buf_puts(out, "\xEF\xBF\xBD");
			else
				buf_put(out, s + i, k);
			i += k;
			continue;
		}
		switch (c) {
		case '"':
			buf_puts(out, "\\\"");
			break;
		case '\\':
			buf_puts(out, "\\\\");
			break;
		case '\n':
			buf_puts(out, "\\n");
			break;
		case '\t':
			buf_puts(out, "\\t");
			break;
		case '\r':
			buf_puts(out, "\\r");
			break;
		case '\b':
			buf_puts(out, "\\b");
			break;
		case '\f':
			buf_puts(out, "\\f");
			break;
		case '<':
			buf_puts(out, "\\u003c");
			break;
		case '>':
			buf_puts(out, "\\u003e");
			break;
		case '&':
			buf_puts(out, "\\u0026");
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				buf_printf(out, "\\u%04x", c);
			else
				buf_putc(out, c);
		}
		i++;
	}
}
