/*
 * slug: the one slugification rule (SPEC §2), used for output paths and
 * heading anchors: lowercase ASCII, accents folded (é→e, œ→oe, ß→ss), every
 * other run of characters becomes one "-", no leading or trailing "-".
 * "Article 4 - Les objectifs" → "article-4-les-objectifs".
 */
#ifndef PARAPHE_SLUG_H
#define PARAPHE_SLUG_H

#include "buf.h"

/* Appends the slug of (s, n) to out; appends nothing when s has no letter
 * or digit. Returns the number of bytes appended. */
size_t slug_append(struct buf *out, const char *s, size_t n);
/* Returns a malloc'd slug of the NUL-terminated s (possibly ""). */
char *slug_new(const char *s);

#endif
