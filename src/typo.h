/*
 * typo: French typography of text. A space before ; ! ? becomes a narrow
 * no-break space (U+202F), a space before : or » and after « a no-break
 * space (U+00A0), so that a line never starts with the punctuation nor
 * ends with an opening guillemet. Only spaces the author typed are
 * changed (a run of spaces, no-break or not, becomes one): nothing is
 * inserted, so URLs, times ("10:30"), entities ("&amp;") and English
 * text ("Note: x") are left as they are, and applying it twice changes
 * nothing more.
 */
#ifndef PARAPHE_TYPO_H
#define PARAPHE_TYPO_H

#include <stddef.h>

#include "buf.h"

/* Appends the text (s, n) to out with the spaces above made no-break.
 * The text is not escaped: escape the result for its context. */
void typo_text(struct buf *out, const char *s, size_t n);
/*
 * Appends the HTML (html, n) to out with typo_text applied to its text
 * only: never inside tags (attributes, URLs), comments, or the content of
 * pre, code, kbd, samp, var, script, style and textarea elements. The
 * HTML is expected to be well formed (paraphe's own output); anything
 * else passes through unchanged.
 */
void typo_html(struct buf *out, const char *html, size_t n);

#endif
