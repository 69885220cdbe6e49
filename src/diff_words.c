/*
 * diff_words: writes the tokens of a leaf, with <del> and <ins> around
 * what changed (diff_int.h).
 *
 * Inline elements (emphasis, links…) are reopened as tokens need them,
 * compared by signature so that an element the two texts share stays
 * open across a change; a marker is always the innermost element, and
 * each marker starts with its visually hidden label ("ajout : ",
 * "suppression : "), which screen readers say where they would say
 * nothing for <ins> and <del>.
 *
 * Whitespace is no token (diff_tok.c), so where the text changes the
 * spaces around the change are placed so that, in the inline view,
 * dropping what <ins> holds gives the old text and dropping what <del>
 * holds gives the new one (up to repeated spaces): a space both texts
 * have there is written outside the markers, a space only one has goes
 * inside that text's marker. Side-by-side columns show one text each.
 */
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"
#include "esc.h"
#include "xalloc.h"

void diff_marker(struct dout *o, int side, int open)
{
	if (!open)
		buf_puts(o->b, side ? "</ins>" : "</del>");
	else if (side)
		buf_puts(o->b, "<ins><span class=\"visually-hidden\">ajout : "
		               "</span>");
	else
		buf_puts(o->b, "<del><span class=\"visually-hidden\">"
		               "suppression : </span>");
}

static void put_gap(struct dout *o, unsigned char gap)
{
	if (gap == GAP_SPACE)
		buf_putc(o->b, ' ');
	else if (gap == GAP_NBSP)
		buf_puts(o->b, "\xc2\xa0");
	else if (gap == GAP_NNBSP)
		buf_puts(o->b, "\xe2\x80\xaf");
}

/* ---- inline elements ---- */

static size_t depth(const struct dtree *t, uint32_t c)
{
	size_t d = 0;

	for (; c; c = t->ctxs[c].parent)
		d++;
	return d;
}

/* Whether the elements open now are those of context c. */
static int in_ctx(const struct dout *o, const struct dtree *t, uint32_t c)
{
	size_t d = depth(t, c);

	return d == o->nopen && (!d || o->open[d - 1].sig == t->ctxs[c].sig);
}

static void open_one(struct dout *o, int side, cmark_node *n, uint64_t sig)
{
	struct markdown_render *r = &o->r[side];

	switch (markdown_node_kind(n)) {
	case CMARK_NODE_EMPH:
		markdown_put_tag(r, "em", 1);
		break;
	case CMARK_NODE_STRONG:
		markdown_put_tag(r, "strong", 1);
		break;
	/* <del> is taken by the diff: struck-through text is <s> here */
	case MARKDOWN_STRIKETHROUGH:
		markdown_put_tag(r, "s", 1);
		break;
	case CMARK_NODE_LINK:
		markdown_put_link(r, n, 1);
		break;
	default:
		markdown_put_custom(r, n, 1, 0);
	}
	o->open = xgrow(o->open, &o->capopen, o->nopen + 1, sizeof(*o->open));
	o->open[o->nopen++] = (struct dopen){sig, n};
}

static void close_one(struct dout *o)
{
	struct dopen *e = &o->open[--o->nopen];
	struct markdown_render *r = &o->r[1]; /* any: same output */

	switch (markdown_node_kind(e->node)) {
	case CMARK_NODE_EMPH:
		markdown_put_tag(r, "em", 0);
		break;
	case CMARK_NODE_STRONG:
		markdown_put_tag(r, "strong", 0);
		break;
	case MARKDOWN_STRIKETHROUGH:
		markdown_put_tag(r, "s", 0);
		break;
	case CMARK_NODE_LINK:
		markdown_put_link(r, e->node, 0);
		break;
	default:
		markdown_put_custom(r, e->node, 0, 0);
	}
}

void diff_close_inline(struct dout *o)
{
	while (o->nopen)
		close_one(o);
}

/* Closes the open elements that context c is not in (close), or opens
 * those of c that are not open (!close): the space before a token goes
 * between the two, outside the elements that end and begin there. */
static void sync_part(struct dout *o, int side, uint32_t c, int close)
{
	const struct dtree *t = &o->df->t[side];
	size_t d = depth(t, c), keep = 0;
	uint32_t *chain;

	if (in_ctx(o, t, c))
		return;
	chain = xmalloc((d + 1) * sizeof(*chain));
	for (size_t i = d; i-- > 0; c = t->ctxs[c].parent)
		chain[i] = c;
	while (keep < o->nopen && keep < d &&
	       o->open[keep].sig == t->ctxs[chain[keep]].sig)
		keep++;
	while (close && o->nopen > keep)
		close_one(o);
	for (size_t i = keep; !close && i < d; i++)
		open_one(o, side, t->ctxs[chain[i]].node,
		         t->ctxs[chain[i]].sig);
	free(chain);
}

/* Writes gap (a space, or nothing) then makes context c the open one. */
static void sync(struct dout *o, int side, uint32_t c, unsigned char gap)
{
	sync_part(o, side, c, 1);
	put_gap(o, gap);
	sync_part(o, side, c, 0);
}

/* ---- tokens ---- */

void diff_note_ref(struct dout *o, int side, cmark_node *n)
{
	if (side && o->show[1]) {
		markdown_put_footnote_ref(&o->r[1], n);
	} else {
		buf_puts(o->b, "<sup class=\"footnote-ref\">");
		esc_html_str(o->b, markdown_literal(n));
		buf_puts(o->b, "</sup>");
	}
}

static void put_atom(struct dout *o, int side, cmark_node *n)
{
	struct markdown_render *r = &o->r[side];

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_CODE:
		markdown_put_code(r, n);
		break;
	case CMARK_NODE_HTML_INLINE:
		markdown_put_html_inline(r, n);
		break;
	case CMARK_NODE_LINEBREAK:
		buf_puts(o->b, "<br />\n");
		break;
	case CMARK_NODE_IMAGE:
		markdown_put_image(r, n);
		break;
	case CMARK_NODE_FOOTNOTE_REFERENCE:
		diff_note_ref(o, side, n);
		break;
	default:
		break;
	}
}

static void put_token(struct dout *o, int side, const struct dtok *k)
{
	if (k->atom)
		put_atom(o, side, k->atom);
	else
		esc_html(o->b, k->text, k->len);
}

/* Tokens [from, to) of one side, in markers when marked (reopened where
 * the inline elements change); the space before the first one only when
 * lead; trail (a gap) after the last one, inside the marker. */
static void side_run(struct dout *o, int side, const struct dtok *toks,
                     size_t from, size_t to, int lead, unsigned char trail,
                     int marked)
{
	const struct dtree *t = &o->df->t[side];
	int open = 0;

	for (size_t i = from; i < to; i++) {
		const struct dtok *k = &toks[i];
		unsigned char gap = i > from || lead ? k->gap : GAP_NONE;

		if (!in_ctx(o, t, k->ctx)) {
			if (open)
				diff_marker(o, side, 0);
			open = 0;
			/* a space only this side has stays in its marker */
			sync(o, side, k->ctx, marked ? GAP_NONE : gap);
			if (!marked)
				gap = GAP_NONE;
		}
		if (!open && marked) {
			diff_marker(o, side, 1);
			open = 1;
		}
		put_gap(o, gap);
		put_token(o, side, k);
	}
	put_gap(o, trail);
	if (open)
		diff_marker(o, side, 0);
}

void diff_tokens(struct dout *o, int side, const struct dnode *d, int marked)
{
	side_run(o, side, o->df->t[side].toks, d->tok0, d->tok1, 0, GAP_NONE,
	         marked);
	diff_close_inline(o);
}

/* ---- a changed leaf ---- */

/* One changed stretch: old tokens [d0, d1), new [i0, i1), followed by
 * the equal pair eo/en (NULL at the end). Returns the gap to write
 * before that pair. */
struct stretch {
	const struct dtok *ta, *tb;
	size_t d0, d1, i0, i1;
	const struct dtok *eo, *en;
};

/* "40 → 52 (+12, +30 %)": the arrow between the two (inline view only,
 * hidden from screen readers, which hear the labels), the delta after
 * the new number. Both are class diff-annot: not part of either text. */
static int number_pair(const struct stretch *s, double *x, double *y)
{
	const struct dtok *a = &s->ta[s->d0], *b = &s->tb[s->i0];

	return s->d1 - s->d0 == 1 && s->i1 - s->i0 == 1 && a->number &&
	       b->number && diff_number(a->text, a->len, x) &&
	       diff_number(b->text, b->len, y) && *x != *y;
}

static void put_delta(struct dout *o, double x, double y)
{
	buf_puts(o->b, "<span class=\"diff-annot\"> (");
	diff_format_delta(x, y, o->b);
	buf_puts(o->b, ")</span>");
}

static unsigned char stretch_both(struct dout *o, const struct stretch *s,
                                  int deltas)
{
	size_t nd = s->d1 - s->d0, ni = s->i1 - s->i0;
	unsigned char go = s->eo ? s->eo->gap : GAP_NONE;
	unsigned char gn = s->en ? s->en->gap : GAP_NONE;
	unsigned char lo = nd ? s->ta[s->d0].gap : go;
	unsigned char ln = ni ? s->tb[s->i0].gap : gn;
	int common = lo && ln, num;
	double x, y;

	num = deltas && number_pair(s, &x, &y);
	/* a space both texts have goes outside the elements that end here */
	if (nd)
		sync_part(o, 0, s->ta[s->d0].ctx, 1);
	else if (ni)
		sync_part(o, 1, s->tb[s->i0].ctx, 1);
	if (common)
		put_gap(o, ln);
	if (nd)
		side_run(o, 0, s->ta, s->d0, s->d1, !common,
		         go && !gn ? go : GAP_NONE, 1);
	if (num)
		buf_puts(o->b,
		         "<span class=\"diff-annot\" aria-hidden=\"true\">"
		         " \xe2\x86\x92 </span>");
	if (ni)
		side_run(o, 1, s->tb, s->i0, s->i1, !common,
		         gn && !go ? gn : GAP_NONE, 1);
	if (num)
		put_delta(o, x, y);
	return go && gn ? gn : GAP_NONE;
}

/* A column of the side-by-side view: one text only. */
static unsigned char stretch_one(struct dout *o, const struct stretch *s,
                                 int side, int deltas)
{
	const struct dtok *t = side ? s->tb : s->ta;
	size_t from = side ? s->i0 : s->d0, to = side ? s->i1 : s->d1;
	const struct dtok *e = side ? s->en : s->eo;
	double x, y;

	if (from < to) {
		sync_part(o, side, t[from].ctx, 1);
		put_gap(o, t[from].gap);
		side_run(o, side, t, from, to, 0, GAP_NONE, 1);
		if (side && deltas && number_pair(s, &x, &y))
			put_delta(o, x, y);
	}
	return e ? e->gap : GAP_NONE;
}

void diff_words(struct dout *o, size_t k, int deltas)
{
	const struct mnode *m = &o->df->m[k];
	const struct dnode *a = &o->df->t[0].nodes[m->a];
	const struct dnode *b = &o->df->t[1].nodes[m->b];
	struct stretch s;
	int side = o->show[1] ? 1 : 0, after = 0;
	unsigned char pend = GAP_NONE;

	s.ta = o->df->t[0].toks + a->tok0;
	s.tb = o->df->t[1].toks + b->tok0;
	for (size_t r = 0; r < m->nruns;) {
		const struct seqdiff_run *run = &m->runs[r];

		if (run->op == SEQDIFF_EQUAL) {
			for (size_t q = 0; q < run->n; q++) {
				const struct dtok *t = side ? &s.tb[run->b + q]
				                            : &s.ta[run->a + q];

				sync(o, side, t->ctx, after ? pend : t->gap);
				after = 0;
				put_token(o, side, t);
			}
			r++;
			continue;
		}
		s.d0 = s.d1 = run->a;
		s.i0 = s.i1 = run->b;
		for (; r < m->nruns && m->runs[r].op != SEQDIFF_EQUAL; r++)
			*(m->runs[r].op == SEQDIFF_DELETE ? &s.d1 : &s.i1) +=
			    m->runs[r].n;
		s.eo = r < m->nruns ? &s.ta[m->runs[r].a] : NULL;
		s.en = r < m->nruns ? &s.tb[m->runs[r].b] : NULL;
		if (o->show[0] && o->show[1])
			pend = stretch_both(o, &s, deltas);
		else
			pend = stretch_one(o, &s, side, deltas);
		after = 1;
	}
	diff_close_inline(o);
}
