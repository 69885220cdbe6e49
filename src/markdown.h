/*
 * markdown: CommonMark + GFM through cmark-gfm (the only module that
 * includes cmark-gfm headers; a diff renderer reads trees and reuses the
 * HTML output helpers through the private markdown_int.h).
 */
#ifndef PARAPHE_MARKDOWN_H
#define PARAPHE_MARKDOWN_H

#include <stddef.h>

#include "buf.h"

struct value;
struct markdown; /* a parsed document (owns its cmark tree) */

struct markdown_options {
	int unsafe_html; /* 0: raw HTML in the source is shown escaped, as text */
};

/* Parses Markdown with the table, strikethrough, autolink, tagfilter,
 * tasklist and footnotes extensions. Accepts any bytes (invalid UTF-8 is
 * replaced by U+FFFD) and never fails. Free with markdown_free. */
struct markdown *markdown_parse(const char *text, size_t len,
                                const struct markdown_options *opt);
void markdown_free(struct markdown *md);

/*
 * Renders the document as HTML into out, iterating the tree (never
 * recursing). Every heading gets an id: the slug of its text (slug.h), made
 * unique in the document with "-1", "-2"… suffixes, "section" when the slug
 * is empty. When toc is a list value, one map {level, id, title} per heading
 * (title = the heading's plain text) is appended to it, in document order.
 */
void markdown_render(struct markdown *md, struct buf *out, struct value *toc);

/* When the document's first block is a level-1 heading, its plain text,
 * malloc'd; else NULL. */
char *markdown_title(const struct markdown *md);
/* Removes that leading level-1 heading, if any: the page's template shows
 * the title as the page's one <h1>. */
void markdown_drop_title(struct markdown *md);

#endif
