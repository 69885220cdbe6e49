/*
 * markdown_derive: what the derive stage needs of a parsed page (see
 * markdown.h): its derive blocks and their replacement, its outline and
 * its leaf blocks with their lines. Line numbers are cmark's, which it
 * records whatever the options (sourcepos only changes rendering).
 */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-extension_api.h>

#include "markdown.h"
#include "markdown_int.h"
#include "value.h"
#include "xalloc.h"

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
	cmark_iter *it = cmark_iter_new(md->doc);
	cmark_event_type ev;
	size_t n = 0, cap = 0;

	*out = NULL;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		struct markdown_derive *b;

		if (ev != CMARK_EVENT_ENTER || !is_derive(node))
			continue;
		*out = xgrow(*out, &cap, n + 1, sizeof(**out));
		b = &(*out)[n++];
		b->node = node;
		b->code = markdown_literal(node);
		b->len = strlen(b->code);
		b->line = cmark_node_get_start_line(node) + 1;
	}
	cmark_iter_free(it);
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
	cmark_iter *it = cmark_iter_new(md->doc);
	struct markdown_ids ids = {NULL, 0, 0};
	struct buf title = BUF_INIT, id = BUF_INIT;
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		struct value *m;

		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_HEADING)
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
	cmark_iter_free(it);
	markdown_ids_free(&ids);
	buf_free(&title);
	buf_free(&id);
}

/* The text of node's inlines, line breaks as "\n". */
static void inline_text(cmark_node *node, struct buf *b)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int t = (int)cmark_node_get_type(n);

		if (ev != CMARK_EVENT_ENTER || n == node)
			continue;
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE ||
		    t == CMARK_NODE_HTML_INLINE)
			buf_puts(b, markdown_literal(n));
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			buf_putc(b, '\n');
	}
	cmark_iter_free(it);
}

static struct value *add_block(struct value *list, const char *kind,
                               cmark_node *n, int first_line)
{
	struct value *m = value_push(list, value_map());

	value_set_str(m, "kind", kind);
	value_set_num(m, "line", cmark_node_get_start_line(n) + first_line - 1);
	return m;
}

/* A table row: its cells, and their text joined by " | ". */
static void add_row(struct value *list, cmark_node *row, int first_line)
{
	const char *t = cmark_node_get_type_string(row);
	struct value *m = add_block(
	    list, t && !strcmp(t, "table_header") ? "table_head" : "table_row",
	    row, first_line);
	struct value *cells = value_list();
	struct buf all = BUF_INIT, cell = BUF_INIT;
	cmark_node *c;

	for (c = cmark_node_first_child(row); c; c = cmark_node_next(c)) {
		buf_reset(&cell);
		inline_text(c, &cell);
		value_push(cells, value_string(buf_str(&cell), cell.len));
		if (all.len)
			buf_puts(&all, " | ");
		buf_put(&all, buf_str(&cell), cell.len);
	}
	value_set_str(m, "text", buf_str(&all));
	value_set(m, "cells", cells);
	buf_free(&all);
	buf_free(&cell);
}

/* The map of leaf block n, or nothing when n is not one. */
static void add_leaf(struct value *list, cmark_node *n, int first_line)
{
	struct buf text = BUF_INIT;
	struct value *m;

	switch (markdown_node_kind(n)) {
	case CMARK_NODE_HEADING:
		inline_text(n, &text);
		m = add_block(list, "heading", n, first_line);
		value_set_num(m, "level", cmark_node_get_heading_level(n));
		break;
	case CMARK_NODE_PARAGRAPH:
		inline_text(n, &text);
		m = add_block(list, "paragraph", n, first_line);
		break;
	case CMARK_NODE_CODE_BLOCK:
		buf_puts(&text, markdown_literal(n));
		m = add_block(list, "code", n, first_line);
		value_set_str(m, "info", cmark_node_get_fence_info(n));
		break;
	case CMARK_NODE_HTML_BLOCK:
		buf_puts(&text, markdown_literal(n));
		m = add_block(list, "html", n, first_line);
		break;
	case MARKDOWN_TABLE_ROW:
		add_row(list, n, first_line);
		return;
	default:
		return;
	}
	value_set(m, "text", value_string(buf_str(&text), text.len));
	buf_free(&text);
}

void markdown_blocks(const struct markdown *md, int first_line,
                     struct value *list)
{
	cmark_iter *it = cmark_iter_new(md->doc);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER)
			add_leaf(list, cmark_iter_get_node(it), first_line);
	cmark_iter_free(it);
}
