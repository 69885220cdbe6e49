/*
 * slug: the one slugification rule (see slug.h).
 *
 * Letters of Latin-1 and Latin Extended-A fold to their ASCII base letters
 * (é→e, Œ→oe, ß→ss, Ł→l); ASCII letters are lowercased; digits stay; every
 * other run of code points (spaces, punctuation, symbols, letters of other
 * scripts) becomes a single "-" between two kept characters.
 */
#include "slug.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

/* U+00C0..U+00FF, lowercase ASCII folds ("" = separator). */
static const char *const latin1[64] = {
    "a", "a", "a", "a", "a",  "a",  "ae", "c", "e", "e", "e",  "e", "i",
    "i", "i", "i", "d", "n",  "o",  "o",  "o", "o", "o", "",   "o", "u",
    "u", "u", "u", "y", "th", "ss", "a",  "a", "a", "a", "a",  "a", "ae",
    "c", "e", "e", "e", "e",  "i",  "i",  "i", "i", "d", "n",  "o", "o",
    "o", "o", "o", "",  "o",  "u",  "u",  "u", "u", "y", "th", "y",
};

/* U+0100..U+017F: pairs of upper/lower case letters, mostly. */
static const char latin_ext_a[128 + 1] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll"
    "lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/* Appends the ASCII fold of cp to out, or returns 0 when cp is a
 * separator. */
static int fold(uint32_t cp, struct buf *out)
{
	if (cp < 0x80) {
		if (isalnum((int)cp)) {
			buf_putc(out, tolower((int)cp));
			return 1;
		}
		return 0;
	}
	if (cp >= 0xC0 && cp <= 0xFF) {
		const char *f = latin1[cp - 0xC0];

		buf_puts(out, f);
		return *f != '\0';
	}
	if (cp == 0x152 || cp == 0x153) { /* Œ œ */
		buf_puts(out, "oe");
		return 1;
	}
	if (cp == 0x132 || cp == 0x133) { /* Ĳ ĳ */
		buf_puts(out, "ij");
		return 1;
	}
	if (cp >= 0x100 && cp <= 0x17F) {
		buf_putc(out, latin_ext_a[cp - 0x100]);
		return 1;
	}
	return 0;
}

size_t slug_append(struct buf *out, const char *s, size_t n)
{
	size_t start = out->len, i = 0;
	int dash = 0;

	while (i < n) {
		size_t mark = out->len;
		uint32_t cp;

		i += utf8_decode(s + i, n - i, &cp);
		/* a separator is written only between two kept characters */
		if (dash && out->len > start)
			buf_putc(out, '-');
		if (fold(cp, out)) {
			dash = 0;
		} else {
			buf_truncate(out, mark);
			dash = 1;
		}
	}
	return out->len - start;
}

char *slug_new(const char *s)
{
	struct buf b = BUF_INIT;

	slug_append(&b, s, strlen(s));
	return buf_detach(&b);
}
