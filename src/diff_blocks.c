/*
 * diff_blocks: writes the blocks of a merged tree (diff_int.h): whole
 * blocks of one text (unchanged, deleted or inserted), the opening and
 * closing tags of changed containers, and changed leaves.
 *
 * Both renderers of struct dout (one per tree, so that footnotes and
 * heading ids are those of each text) write into the same buffer with
 * markdown_html.c's pieces, so blocks come out as in a full rendering,
 * except that:
 *   - headings carry the id of the full text (new text) or
 *     "suppr_" + their old id (deleted), prefixed with the view's prefix,
 *     and only in the column of the side-by-side view that shows them;
 *   - struck-through text is <s>, since <del> means a deletion here;
 *   - items of changed ordered lists carry their number (value="N"), as
 *     deleted items would otherwise shift the numbers of the others;
 *   - the diff writes footnote sections itself (diff_html.c).
 * A container deleted or inserted whole is wrapped in <del
 * class="diff-bloc"> or <ins class="diff-bloc">, which may hold flow
 * content where its parent may; inside list items and table rows the
 * marker goes inside the <li> or each cell.
 */
#include <string.h>

#include <cmark-gfm-core-extensions.h>

#include "diff_int.h"
#include "esc.h"

static void block_marker(struct dout *o, int side, int open)
{
	if (!open)
		buf_puts(o->b, side ? "</ins>" : "</del>");
	else if (side)
		buf_puts(o->b, "<ins class=\"diff-bloc\"><span class=\""
		               "visually-hidden\">ajout : </span>");
	else
		buf_puts(o->b, "<del class=\"diff-bloc\"><span class=\""
		               "visually-hidden\">suppression : </span>");
}

/* ---- pieces ---- */

static void heading_open(struct dout *o, int side, cmark_node *n)
{
	size_t id = diff_tree_heading(&o->df->t[side], n);

	markdown_put_cr(&o->r[side]);
	buf_printf(o->b, "<h%d", cmark_node_get_heading_level(n));
	if (id != DIFF_NONE && o->show[side]) {
		buf_puts(o->b, " id=\"");
		esc_attr_str(o->b, o->v->prefix);
		if (!side)
			buf_puts(o->b, "suppr_");
		esc_attr_str(o->b, diff_tree_str(&o->df->t[side], id));
		buf_putc(o->b, '"');
	}
	buf_putc(o->b, '>');
}

static void heading_close(struct dout *o, cmark_node *n)
{
	buf_printf(o->b, "</h%d>\n", cmark_node_get_heading_level(n));
}

/* <li>, with value="N" in an ordered list. */
static void item_open(struct dout *o, int side, cmark_node *n)
{
	cmark_node *list = cmark_node_parent(n);

	markdown_put_cr(&o->r[side]);
	buf_puts(o->b, "<li");
	if (list && cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
		int k = cmark_node_get_list_start(list);

		for (cmark_node *p = cmark_node_previous(n); p;
		     p = cmark_node_previous(p))
			k++;
		buf_printf(o->b, " value=\"%d\"", k);
	}
	buf_putc(o->b, '>');
	if (markdown_node_kind(n) != MARKDOWN_TASK_ITEM)
		return;
	if (cmark_gfm_extensions_get_tasklist_item_checked(n))
		buf_puts(o->b, "<input type=\"checkbox\" checked=\"\" "
		               "disabled=\"\" /> ");
	else
		buf_puts(o->b, "<input type=\"checkbox\" disabled=\"\" /> ");
}

/* A footnote's <li>: the renderer is told which note it is in, for the
 * links back to the references. Deleted notes get no id. */
static void note_open(struct dout *o, int side, cmark_node *n)
{
	struct markdown_render *r = &o->r[side];
	int ix = 1;

	for (cmark_node *p = cmark_node_previous(n); p;
	     p = cmark_node_previous(p))
		ix += cmark_node_get_type(p) == CMARK_NODE_FOOTNOTE_DEFINITION;
	r->footnote_ix = ix;
	r->written_footnote_ix = ix - 1;
	markdown_put_cr(r);
	buf_puts(o->b, "<li");
	if (side && o->show[1] && (size_t)ix <= r->fn.nnotes) {
		struct buf frag = BUF_INIT, url = BUF_INIT;

		buf_printf(&frag, "#fn-%s", r->fn.labels[ix - 1]);
		esc_url(&url, frag.data, frag.len);
		buf_printf(o->b, " id=\"%s\"", buf_str(&url) + 1);
		buf_free(&frag);
		buf_free(&url);
	}
	buf_puts(o->b, ">\n");
}

/* Writes node and its subtree from one tree, as a full rendering would
 * (but for the differences above). */
static void put_subtree(struct dout *o, int side, cmark_node *node)
{
	struct markdown_render *r = &o->r[side];
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int entering = ev == CMARK_EVENT_ENTER;

		switch (markdown_node_kind(n)) {
		case CMARK_NODE_HEADING:
			if (entering)
				heading_open(o, side, n);
			else
				heading_close(o, n);
			break;
		case MARKDOWN_STRIKETHROUGH:
			markdown_put_tag(r, "s", entering);
			break;
		case CMARK_NODE_FOOTNOTE_REFERENCE:
			diff_note_ref(o, side, n);
			break;
		case CMARK_NODE_FOOTNOTE_DEFINITION:
			if (entering)
				note_open(o, side, n);
			else
				markdown_put_footnote_def(r, 0);
			break;
		default:
			markdown_render_event(r, it, n, entering);
		}
	}
	cmark_iter_free(it);
}

static void put_children(struct dout *o, int side, cmark_node *n)
{
	for (cmark_node *c = cmark_node_first_child(n); c;
	     c = cmark_node_next(c))
		put_subtree(o, side, c);
}

/* ---- whole blocks ---- */

/* A table row of one side, each cell's text in a marker; the table's
 * structure is the new renderer's, which opened the table. */
static void put_row(struct dout *o, int side, const struct dnode *row)
{
	struct markdown_render *r = &o->r[1];
	const struct dtree *t = &o->df->t[side];

	markdown_put_table_row(r, row->node, 1);
	for (size_t c = row->first; c != DIFF_NONE; c = t->nodes[c].next) {
		markdown_put_table_cell(r, 1);
		diff_tokens(o, side, &t->nodes[c],
		            t->nodes[c].tok1 > t->nodes[c].tok0);
		markdown_put_table_cell(r, 0);
	}
	markdown_put_table_row(r, row->node, 0);
}

/* Block d of one side, deleted (side 0) or inserted (side 1) whole. */
void diff_put_whole(struct dout *o, int side, const struct dnode *d)
{
	struct markdown_render *r = &o->r[side];
	cmark_node *n = d->node;

	if (!o->show[side])
		return;
	switch (d->kind) {
	case CMARK_NODE_PARAGRAPH:
		markdown_put_paragraph(r, n, 1);
		diff_tokens(o, side, d, d->tok1 > d->tok0);
		markdown_put_paragraph(r, n, 0);
		break;
	case CMARK_NODE_HEADING:
		heading_open(o, side, n);
		diff_tokens(o, side, d, d->tok1 > d->tok0);
		heading_close(o, n);
		break;
	case MARKDOWN_TABLE_CELL:
		markdown_put_table_cell(&o->r[1], 1);
		diff_tokens(o, side, d, d->tok1 > d->tok0);
		markdown_put_table_cell(&o->r[1], 0);
		break;
	case MARKDOWN_TABLE_ROW:
		put_row(o, side, d);
		break;
	case CMARK_NODE_ITEM:
	case MARKDOWN_TASK_ITEM:
		item_open(o, side, n);
		block_marker(o, side, 1);
		put_children(o, side, n);
		block_marker(o, side, 0);
		buf_puts(o->b, "</li>\n");
		break;
	case CMARK_NODE_FOOTNOTE_DEFINITION:
		note_open(o, side, n);
		block_marker(o, side, 1);
		put_children(o, side, n);
		block_marker(o, side, 0);
		markdown_put_footnote_def(r, 0);
		break;
	default:
		markdown_put_cr(r);
		block_marker(o, side, 1);
		put_subtree(o, side, n);
		block_marker(o, side, 0);
		markdown_put_cr(r);
	}
}

/* An unchanged block, from the new text; list items keep their number. */
void diff_put_equal(struct dout *o, const struct dnode *d)
{
	if (d->kind == CMARK_NODE_ITEM || d->kind == MARKDOWN_TASK_ITEM) {
		item_open(o, 1, d->node);
		put_children(o, 1, d->node);
		buf_puts(o->b, "</li>\n");
	} else {
		put_subtree(o, 1, d->node);
	}
}

/* ---- changed blocks ---- */

/* A changed code block, line by line. */
static void put_code(struct dout *o, size_t k)
{
	const struct mnode *m = &o->df->m[k];
	const struct dtree *ta = &o->df->t[0], *tb = &o->df->t[1];
	cmark_node *n = tb->nodes[m->b].node;
	const char *info = cmark_node_get_fence_info(n);

	markdown_put_cr(&o->r[1]);
	buf_puts(o->b, "<pre><code");
	if (info && *info) {
		buf_puts(o->b, " class=\"language-");
		esc_attr(o->b, info, strcspn(info, " \t\n\v\f\r"));
		buf_putc(o->b, '"');
	}
	buf_putc(o->b, '>');
	for (size_t r = 0; r < m->nruns; r++) {
		const struct seqdiff_run *run = &m->runs[r];
		int side = run->op == SEQDIFF_INSERT ||
		           (run->op == SEQDIFF_EQUAL && o->show[1]);
		const struct dtree *t = side ? tb : ta;
		size_t at = (side ? tb->nodes[m->b].tok0 + run->b
		                  : ta->nodes[m->a].tok0 + run->a);

		if (run->op != SEQDIFF_EQUAL && !o->show[side])
			continue;
		if (run->op != SEQDIFF_EQUAL)
			diff_marker(o, side, 1);
		for (size_t i = 0; i < run->n; i++) {
			esc_html(o->b, t->toks[at + i].text,
			         t->toks[at + i].len);
			buf_putc(o->b, '\n');
		}
		if (run->op != SEQDIFF_EQUAL)
			diff_marker(o, side, 0);
	}
	buf_puts(o->b, "</code></pre>\n");
}

void diff_put_changed_leaf(struct dout *o, size_t k)
{
	const struct mnode *m = &o->df->m[k];
	const struct dnode *a = &o->df->t[0].nodes[m->a];
	const struct dnode *b = &o->df->t[1].nodes[m->b];

	if (a->atomic || b->atomic) {
		diff_put_whole(o, 0, a);
		diff_put_whole(o, 1, b);
		return;
	}
	switch (b->kind) {
	case CMARK_NODE_CODE_BLOCK:
		put_code(o, k);
		break;
	case CMARK_NODE_HEADING:
		heading_open(o, 1, b->node);
		diff_words(o, k, 0); /* "Article 4" → "5": no delta */
		heading_close(o, b->node);
		break;
	case MARKDOWN_TABLE_CELL:
		markdown_put_table_cell(&o->r[1], 1);
		diff_words(o, k, 1);
		markdown_put_table_cell(&o->r[1], 0);
		break;
	default:
		markdown_put_paragraph(&o->r[1], b->node, 1);
		diff_words(o, k, 1);
		markdown_put_paragraph(&o->r[1], b->node, 0);
	}
}

/* The opening (open) or closing tag of a changed container, from the
 * new text. */
void diff_put_container(struct dout *o, const struct dnode *d, int open)
{
	struct markdown_render *r = &o->r[1];

	switch (d->kind) {
	case CMARK_NODE_BLOCK_QUOTE:
		markdown_put_block_quote(r, open);
		break;
	case CMARK_NODE_LIST:
		markdown_put_list(r, d->node, open);
		break;
	case CMARK_NODE_ITEM:
	case MARKDOWN_TASK_ITEM:
		if (open)
			item_open(o, 1, d->node);
		else
			buf_puts(o->b, "</li>\n");
		break;
	case MARKDOWN_TABLE:
		markdown_put_table(r, d->node, open);
		break;
	case MARKDOWN_TABLE_ROW:
		markdown_put_table_row(r, d->node, open);
		break;
	case CMARK_NODE_FOOTNOTE_DEFINITION:
		if (open)
			note_open(o, 1, d->node);
		else
			markdown_put_footnote_def(r, 0);
		break;
	default:
		break;
	}
}
