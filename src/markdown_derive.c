/*
 * markdown_derive: what the derive stage needs of a parsed page (see
 * markdown.h): its derive blocks and their replacement, its outline and
 * its leaf blocks with their lines. Line numbers are cmark's, which it
 * records whatever the options (sourcepos only changes rendering).
 */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-extension_api.h>

#include "derive_int.h"
#include "markdown.h"
#include "markdown_int.h"
#include "value.h"
#include "xalloc.h"

/* ---- walking the blocks ---- */

/* 1 when the children of n are inlines (or a row's cells): the walks
 * below skip them, since no block is ever inside. */
static int holds_inlines(cmark_node *n)
{
	int t = (int)cmark_node_get_type(n);

	return t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING ||
	       markdown_node_kind(n) == MARKDOWN_TABLE_ROW;
}

/* The node after n in document order under root, entering n unless it
 * holds inlines (see above), or NULL after the last; walking with it
 * visits the blocks in the order of cmark's iterator, through the parent
 * links (nothing to allocate, no recursion however deep the nesting). */
static cmark_node *next_block(cmark_node *root, cmark_node *n)
{
	cmark_node *c;

	if (!holds_inlines(n) && (c = cmark_node_first_child(n)))
		return c;
	while (n != root && !(c = cmark_node_next(n)))
		n = cmark_node_parent(n);
	return n == root ? NULL : c;
}

/* 1 when the info string's first word is "derive". */
static int is_derive(cmark_node *n)
{
	const char *info;
	size_t k = strlen("derive");
	int len, off;
	char c;

	if (cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK ||
	    !cmark_node_get_fenced(n, &len, &off, &c))
		return 0;
	info = cmark_node_get_fence_info(n);
	return info && !strncmp(info, "derive", k) &&
	       (info[k] == '\0' || info[k] == ' ' || info[k] == '\t');
}

size_t markdown_derive_list(struct markdown *md, struct markdown_derive **out)
{
	cmark_node *node;
	size_t n = 0, cap = 0;

	*out = NULL;
	for (node = cmark_node_first_child(md->doc); node;
	     node = next_block(md->doc, node)) {
		struct markdown_derive *b;

		if (!is_derive(node))
			continue;
		*out = xgrow(*out, &cap, n + 1, sizeof(**out));
		b = &(*out)[n++];
		b->node = node;
		b->code = markdown_literal(node);
		b->len = strlen(b->code);
		b->line = cmark_node_get_start_line(node) + 1;
	}
	return n;
}

/* Puts the blocks of Markdown text before node. */
static void insert_markdown(struct markdown *md, cmark_node *node,
                            const struct value *text)
{
	struct markdown_options opt = {md->unsafe_html};
	struct markdown *part =
	    markdown_parse(text->u.str.ptr, text->u.str.len, &opt);
	cmark_node *child, *next;

	for (child = cmark_node_first_child(part->doc); child; child = next) {
		next = cmark_node_next(child);
		cmark_node_unlink(child);
		if (!cmark_node_insert_before(node, child))
			cmark_node_free(child);
	}
	markdown_free(part);
}

/* Puts a custom block holding html before node. cmark only links nodes
 * made with the same allocator, which is markdown.c's: the block is a
 * parsed thematic break whose type is changed (it has no content). */
static void insert_html(cmark_node *node, const struct value *text)
{
	struct markdown *tmp = markdown_parse("***\n", 4, NULL);
	cmark_node *c = cmark_node_first_child(tmp->doc);

	if (c && cmark_node_set_type(c, CMARK_NODE_CUSTOM_BLOCK) &&
	    cmark_node_get_type(c) == CMARK_NODE_CUSTOM_BLOCK) {
		cmark_node_set_on_enter(c, text->u.str.ptr);
		cmark_node_unlink(c);
		if (!cmark_node_insert_before(node, c))
			cmark_node_free(c);
	}
	markdown_free(tmp);
}

void markdown_derive_replace(struct markdown *md,
                             const struct markdown_derive *b,
                             const struct value *parts)
{
	cmark_node *node = b->node;
	size_t i;

	for (i = 0; i < value_len(parts); i++) {
		const struct value *p = parts->u.list.items[i];
		const struct value *text = value_get(p, "text");

		if (!text || text->type != VALUE_STRING)
			continue;
		if (value_truthy(value_get(p, "html")))
			insert_html(node, text);
		else
			insert_markdown(md, node, text);
	}
	cmark_node_free(node); /* unlinks it */
}

/* ---- outline and blocks ---- */

void markdown_outline(const struct markdown *md, int first_line,
                      struct value *list)
{
	struct markdown_ids ids = {NULL, 0, 0};
	struct buf title = BUF_INIT, id = BUF_INIT;
	cmark_node *n;

	for (n = cmark_node_first_child(md->doc); n;
	     n = next_block(md->doc, n)) {
		struct value *m;

		if (cmark_node_get_type(n) != CMARK_NODE_HEADING)
			continue;
		buf_reset(&title);
		buf_reset(&id);
		markdown_plain_text(n, &title, 0); /* as markdown_put_heading */
		markdown_unique_id(&ids, buf_str(&title), &id);
		m = value_push(list, value_map());
		value_set_num(m, "level", cmark_node_get_heading_level(n));
		value_set_str(m, "id", buf_str(&id));
		value_set_str(m, "title", buf_str(&title));
		value_set_num(m, "line",
		              cmark_node_get_start_line(n) + first_line - 1);
	}
	markdown_ids_free(&ids);
	buf_free(&title);
	buf_free(&id);
}

/* The text of node's inlines, line breaks as "\n": its descendants in
 * document order, walked through the parent links (no iterator to
 * allocate for each leaf block, no recursion however deep the nesting). */
static void inline_text(cmark_node *node, struct buf *b)
{
	cmark_node *n = cmark_node_first_child(node), *next;

	while (n) {
		int t = (int)cmark_node_get_type(n);

		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE ||
		    t == CMARK_NODE_HTML_INLINE)
			buf_puts(b, markdown_literal(n));
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			buf_putc(b, '\n');
		if ((next = cmark_node_first_child(n))) {
			n = next;
			continue;
		}
		while (n != node && !(next = cmark_node_next(n)))
			n = cmark_node_parent(n);
		n = n == node ? NULL : next;
	}
}

static struct value *add_block(struct value *list, const char *kind,
                               cmark_node *n, int first_line)
{
	struct value *m = value_push(list, value_map());

	value_set_str(m, "kind", kind);
	value_set_num(m, "line", cmark_node_get_start_line(n) + first_line - 1);
	return m;
}

/* The text of a table row into all, unless NULL: its cells joined by
 * " | " (none after a first cell left empty: what blocks have always
 * shown); and its cells into cells, unless NULL. */
static void row_text(cmark_node *row, struct buf *all, struct value *cells)
{
	struct buf cell = BUF_INIT;
	size_t start = all ? all->len : 0;
	cmark_node *c;

	for (c = cmark_node_first_child(row); c; c = cmark_node_next(c)) {
		buf_reset(&cell);
		inline_text(c, &cell);
		if (cells)
			value_push(cells,
			           value_string(buf_str(&cell), cell.len));
		if (all && all->len > start)
			buf_puts(all, " | ");
		if (all)
			buf_put(all, buf_str(&cell), cell.len);
	}
	buf_free(&cell);
}

/* 1 when row is a table's header row. */
static int is_head(cmark_node *row)
{
	const char *t = cmark_node_get_type_string(row);

	return t && !strcmp(t, "table_header");
}

/* A table row: its cells, and their text joined by " | ". */
static void add_row(struct value *list, cmark_node *row, int first_line)
{
	struct value *m = add_block(
	    list, is_head(row) ? "table_head" : "table_row", row, first_line);
	struct value *cells = value_list();
	struct buf all = BUF_INIT;

	row_text(row, &all, cells);
	value_set_str(m, "text", buf_str(&all));
	value_set(m, "cells", cells);
	buf_free(&all);
}

/* The map of leaf block n, or nothing when n is not one; text is a
 * scratch buffer. */
static void add_leaf(struct value *list, cmark_node *n, int first_line,
                     struct buf *text)
{
	struct value *m;

	buf_reset(text);
	switch (markdown_node_kind(n)) {
	case CMARK_NODE_HEADING:
		inline_text(n, text);
		m = add_block(list, "heading", n, first_line);
		value_set_num(m, "level", cmark_node_get_heading_level(n));
		break;
	case CMARK_NODE_PARAGRAPH:
		inline_text(n, text);
		m = add_block(list, "paragraph", n, first_line);
		break;
	case CMARK_NODE_CODE_BLOCK:
		buf_puts(text, markdown_literal(n));
		m = add_block(list, "code", n, first_line);
		value_set_str(m, "info", cmark_node_get_fence_info(n));
		break;
	case CMARK_NODE_HTML_BLOCK:
		buf_puts(text, markdown_literal(n));
		m = add_block(list, "html", n, first_line);
		break;
	case MARKDOWN_TABLE_ROW:
		add_row(list, n, first_line);
		return;
	default:
		return;
	}
	value_set(m, "text", value_string(buf_str(text), text->len));
}

void markdown_blocks(const struct markdown *md, int first_line,
                     struct value *list)
{
	struct buf text = BUF_INIT;
	cmark_node *n;

	for (n = cmark_node_first_child(md->doc); n; n = next_block(md->doc, n))
		add_leaf(list, n, first_line, &text);
	buf_free(&text);
}

/* ---- the text and the tables ---- */

void markdown_text(const struct markdown *md, struct buf *out)
{
	cmark_node *n;
	int first = 1;

	for (n = cmark_node_first_child(md->doc); n;
	     n = next_block(md->doc, n)) {
		int kind = markdown_node_kind(n);

		if (kind != CMARK_NODE_HEADING &&
		    kind != CMARK_NODE_PARAGRAPH && kind != MARKDOWN_TABLE_ROW)
			continue;
		if (!first)
			buf_putc(out, '\n');
		first = 0;
		if (kind == MARKDOWN_TABLE_ROW)
			row_text(n, out, NULL);
		else
			inline_text(n, out);
	}
}

void markdown_tables(const struct markdown *md, int first_line,
                     struct value *list)
{
	cmark_node *n, *row;

	for (n = cmark_node_first_child(md->doc); n;
	     n = next_block(md->doc, n)) {
		struct value *m, *head, *rows;

		if (markdown_node_kind(n) != MARKDOWN_TABLE)
			continue;
		m = value_push(list, value_map());
		value_set_num(m, "line",
		              cmark_node_get_start_line(n) + first_line - 1);
		head = value_set(m, "head", value_list());
		rows = value_set(m, "rows", value_list());
		for (row = cmark_node_first_child(n); row;
		     row = cmark_node_next(row)) {
			if (markdown_node_kind(row) != MARKDOWN_TABLE_ROW)
				continue;
			if (is_head(row)) {
				value_set_num(m, "line",
				              cmark_node_get_start_line(row) +
				                  first_line - 1);
				row_text(row, NULL, head);
			} else {
				row_text(row, NULL,
				         value_push(rows, value_list()));
			}
		}
	}
}
