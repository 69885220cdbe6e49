/*
 * diff_html: a merged tree into the HTML of a changes page (diff.h).
 *
 * The tree is walked with parent and sibling links, never by recursion.
 * What the reader sees:
 *   - an unchanged section (an article, or a sub-section of a changed
 *     one) is collapsed into one heading line that keeps its level and
 *     id and links to the section in the full text;
 *   - the text before the first heading, and the footnotes, are shown
 *     whole when anything in them changed, else as one line;
 *   - everything else is the document itself, with <ins> and <del>
 *     (diff_blocks.c, diff_words.c).
 * In the side-by-side view, each changed block of a section is written
 * twice in a pair of columns, the old text (deletions) on the left and
 * the new text (insertions) on the right; unchanged lines and
 * footnotes span both columns. The same tree gives both views.
 */
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"
#include "esc.h"

static int is_note(const struct diff *df, size_t k)
{
	return k != DIFF_NONE &&
	       diff_mside(df, k, NULL)->kind == CMARK_NODE_FOOTNOTE_DEFINITION;
}

/* Appends prefix + id as an attribute value. */
static void put_id(struct dout *o, const char *id)
{
	buf_puts(o->b, " id=\"");
	esc_attr_str(o->b, o->v->prefix);
	esc_attr_str(o->b, id);
	buf_putc(o->b, '"');
}

/* <a href="LINK#frag">text</a>, or the text alone without a link. */
static void put_link(struct dout *o, const char *frag, const char *text)
{
	struct buf url = BUF_INIT;

	if (!o->v->link) {
		esc_html_str(o->b, text);
		return;
	}
	buf_puts(&url, o->v->link);
	if (frag && *frag)
		buf_printf(&url, "#%s", frag);
	buf_puts(o->b, "<a href=\"");
	esc_url(o->b, url.data, url.len);
	buf_puts(o->b, "\">");
	esc_html_str(o->b, text);
	buf_puts(o->b, "</a>");
	buf_free(&url);
}

static void put_collapsed(struct dout *o, size_t k)
{
	const struct dtree *t = &o->df->t[1];
	const struct dnode *d = &t->nodes[o->df->m[k].b];
	const char *id = diff_tree_str(t, d->id);

	buf_printf(o->b, "<h%d class=\"diff-inchange\"", d->level);
	put_id(o, id);
	buf_putc(o->b, '>');
	put_link(o, id, diff_tree_str(t, d->title));
	buf_printf(o->b, " <span class=\"diff-etat\">(inchangé)</span></h%d>\n",
	           d->level);
}

/* ---- the text before the first heading, the footnotes ---- */

/* Returns 0 when k, a child of the root outside any section, is not to
 * be written (its group is unchanged). */
static int group_enter(struct dout *o, size_t k)
{
	const struct mnode *m = &o->df->m[k];

	if (!is_note(o->df, k)) {
		if (k == o->intro) {
			buf_printf(o->b, "<p class=\"%s\"",
			           o->intro_changed ? "diff-repere"
			                            : "diff-inchange");
			put_id(o, "d_debut");
			buf_putc(o->b, '>');
			if (o->intro_changed)
				buf_puts(o->b, "Début du texte");
			else
				put_link(o, NULL, "Début du texte");
			if (!o->intro_changed)
				buf_puts(o->b, " <span class=\"diff-etat\">"
				               "(inchangé)</span>");
			buf_puts(o->b, "</p>\n");
		}
		return o->intro_changed;
	}
	if (is_note(o->df, m->prev))
		return o->notes_changed;
	if (!o->notes_changed) {
		buf_puts(o->b, "<p class=\"diff-inchange\">Notes <span "
		               "class=\"diff-etat\">(inchangées)</span></p>\n");
		return 0;
	}
	buf_puts(o->b, "<section class=\"footnotes\" data-footnotes");
	if (!o->notes_id)
		put_id(o, "d_notes");
	o->notes_id = 1;
	buf_puts(o->b, ">\n<ol>\n");
	return 1;
}

static void group_leave(struct dout *o, size_t k)
{
	if (o->df->m[k].parent == 0 && is_note(o->df, k) &&
	    !is_note(o->df, o->df->m[k].next))
		buf_puts(o->b, "</ol>\n</section>\n");
}

/* ---- the walk ---- */

static void walk(struct dout *o, size_t top);

/* A pair of columns: old text, new text; an empty column is marked. */
static void put_pair(struct dout *o, size_t k)
{
	static const char *const cls[2] = {"diff-avant", "diff-apres"};
	int show0 = o->show[0], show1 = o->show[1];

	o->paired = 1;
	buf_puts(o->b, "<div class=\"diff-paire\">\n");
	for (int side = 0; side < 2; side++) {
		size_t at;

		buf_printf(o->b, "<div class=\"%s\">", cls[side]);
		at = o->b->len;
		o->show[0] = !side;
		o->show[1] = side;
		walk(o, k);
		while (o->b->len > at && (o->b->data[o->b->len - 1] == '\n'))
			buf_truncate(o->b, o->b->len - 1);
		if (o->b->len == at) {
			buf_truncate(o->b, at - 2); /* the ">" and '"' */
			buf_puts(o->b, " diff-vide\">");
		}
		buf_puts(o->b, "</div>\n");
	}
	buf_puts(o->b, "</div>\n");
	o->show[0] = show0;
	o->show[1] = show1;
	o->paired = 0;
}

/* Writes what comes before the children of k; returns 1 to walk them
 * (then leave writes what comes after). */
static int enter(struct dout *o, size_t k)
{
	const struct mnode *m = &o->df->m[k];
	int side;
	const struct dnode *d = diff_mside(o->df, k, &side);

	if (d->cls == DC_ROOT)
		return 1;
	if (!o->paired && m->parent == 0 && d->cls != DC_SECTION &&
	    !group_enter(o, k))
		return 0;
	if (o->v->side && !o->paired && m->op != OP_EQ &&
	    d->cls != DC_SECTION && !is_note(o->df, k) &&
	    (m->parent == 0 || diff_mclass(o->df, m->parent) == DC_SECTION)) {
		put_pair(o, k);
		return 0;
	}
	if (d->cls == DC_SECTION) {
		if (m->op != OP_EQ)
			return 1;
		put_collapsed(o, k);
		return 0;
	}
	if (m->op == OP_CHG && d->cls != DC_LEAF) {
		diff_put_container(o, d, 1);
		return 1;
	}
	if (m->op == OP_EQ)
		diff_put_equal(o, d);
	else if (m->op == OP_CHG)
		diff_put_changed_leaf(o, k);
	else
		diff_put_whole(o, side, d);
	group_leave(o, k);
	return 0;
}

static void leave(struct dout *o, size_t k)
{
	const struct dnode *d = diff_mside(o->df, k, NULL);

	if (d->cls == DC_CONTAINER && o->df->m[k].op == OP_CHG)
		diff_put_container(o, d, 0);
	group_leave(o, k);
}

/* Walks the merged subtree at top: enter, children, leave. */
static void walk(struct dout *o, size_t top)
{
	const struct mnode *m = o->df->m;
	size_t k = top;

	for (;;) {
		if (enter(o, k)) {
			if (m[k].first != DIFF_NONE) {
				k = m[k].first;
				continue;
			}
			leave(o, k);
		}
		for (;;) {
			if (k == top)
				return;
			if (m[k].next != DIFF_NONE) {
				k = m[k].next;
				break;
			}
			k = m[k].parent;
			leave(o, k);
		}
	}
}

void diff_html(const struct diff *df, const struct diff_view *v,
               struct buf *out)
{
	static const struct diff_view plain = {0, NULL, NULL, ""};
	struct dout o;

	memset(&o, 0, sizeof(o));
	o.df = df;
	o.v = v ? v : &plain;
	o.b = out;
	o.show[0] = o.show[1] = 1;
	o.intro = DIFF_NONE;
	for (size_t c = df->m[0].first; c != DIFF_NONE; c = df->m[c].next) {
		if (diff_mclass(df, c) == DC_SECTION)
			continue;
		if (is_note(df, c)) {
			o.notes_changed |= df->m[c].op != OP_EQ;
			continue;
		}
		if (o.intro == DIFF_NONE)
			o.intro = c;
		o.intro_changed |= df->m[c].op != OP_EQ;
	}
	markdown_render_begin(&o.r[0], df->md[0], out, NULL);
	markdown_render_begin(&o.r[1], df->md[1], out, NULL);
	walk(&o, 0);
	/* the diff wrote the footnote sections itself */
	o.r[0].footnote_ix = o.r[1].footnote_ix = 0;
	markdown_render_end(&o.r[0]);
	markdown_render_end(&o.r[1]);
	free(o.open);
}
