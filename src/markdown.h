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
	int unsafe_html; /* 0: raw HTML in the source is shown escaped, as text
	                  */
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

/* ---- derive blocks and page structure (markdown_derive.c) ---- */

/* A fenced code block whose info string's first word is "derive". */
struct markdown_derive {
	void *node;       /* the code block, for markdown_derive_replace */
	const char *code; /* its text, owned by the tree */
	size_t len;
	int line; /* line of the code's first line in the Markdown
	             text (1 is the text's first line) */
};

/* Lists md's derive blocks, in document order, into *out (malloc'd, the
 * caller frees it; NULL when there is none). Returns their number. The
 * entries stay valid while only markdown_derive_replace changes the tree,
 * each block being replaced at most once. */
size_t markdown_derive_list(struct markdown *md, struct markdown_derive **out);
/*
 * Replaces block b by parts, a list of maps {html: bool, text: string},
 * in order: Markdown text is parsed with md's options and its blocks put
 * in place; HTML becomes a custom block that the renderer writes as is
 * (trusted script output). An empty list removes the block.
 */
void markdown_derive_replace(struct markdown *md,
                             const struct markdown_derive *b,
                             const struct value *parts);
/* Appends to list one map {level, id, title, line} per heading, in
 * document order, with the ids that markdown_render gives them; line is
 * the heading's line in the text plus first_line - 1 (first_line: the
 * file line where the text starts). */
void markdown_outline(const struct markdown *md, int first_line,
                      struct value *list);
/*
 * Appends to list one map per leaf block, in document order: {kind, line,
 * text} where kind is "heading" (with level), "paragraph", "code" (with
 * info), "html", "table_head" or "table_row" (with cells, a list of
 * strings, and text the cells joined by " | "). text is the plain text,
 * line breaks kept as "\n", so that the n-th line of text is line + n - 1.
 */
void markdown_blocks(const struct markdown *md, int first_line,
                     struct value *list);
/* Appends md's plain text: the text markdown_blocks gives its headings,
 * paragraphs and table rows, in document order, a line break between
 * two (code and HTML blocks left out). */
void markdown_text(const struct markdown *md, struct buf *out);
/* Appends to list one map {line, head, rows} per table, in document
 * order: line is its header row's, head that row's cells and rows the
 * other rows' (lists of cells, as markdown_blocks gives them). */
void markdown_tables(const struct markdown *md, int first_line,
                     struct value *list);

/* 1 when cmark-gfm's inline passes run at once on several threads, 0
 * when they are serialised (see markdown.c). */
int markdown_parallel_inlines(void);

#endif
