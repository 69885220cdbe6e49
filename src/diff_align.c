/*
 * diff_align: two outlines into one merged tree (struct mnode).
 *
 * For a pair of nodes that differ, their children are aligned by seqdiff
 * on their hashes: equal children are kept as they are. In each stretch
 * where children differ, old and new children of the same kind are
 * paired by likeness: the Dice coefficient of their bags of tokens
 * (twice the tokens in common over the tokens of both), maximised over
 * order-keeping pairings by dynamic programming, and only above a
 * threshold, so that an inserted article is shown as inserted rather than
 * as a rewrite of its neighbour. Sections pair their headings first;
 * table rows pair their cells by position (cell by cell); paired leaves
 * get a word diff (seqdiff on their tokens). Unpaired children are
 * deleted or inserted whole.
 *
 * The work is a list of pairs to align, not a recursion, so deep nesting
 * costs memory, not stack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"
#include "xalloc.h"

/* Past this many candidate pairs in one stretch, nothing is paired. */
#define MAX_PAIRS 40000

struct work {
	size_t *v, n, cap;
};

static size_t add_m(struct diff *df, size_t parent, int op, size_t a, size_t b)
{
	struct mnode *m;
	size_t k = df->nm;

	df->m = xgrow(df->m, &df->capm, df->nm + 1, sizeof(*df->m));
	m = &df->m[df->nm++];
	memset(m, 0, sizeof(*m));
	m->op = (unsigned char)op;
	m->a = a;
	m->b = b;
	m->parent = parent;
	m->first = m->last = m->next = m->prev = DIFF_NONE;
	if (parent != DIFF_NONE) {
		struct mnode *p = &df->m[parent];

		m->prev = p->last;
		if (p->last == DIFF_NONE)
			p->first = k;
		else
			df->m[p->last].next = k;
		p->last = k;
	}
	return k;
}

const struct dnode *diff_mside(const struct diff *df, size_t k, int *side)
{
	const struct mnode *m = &df->m[k];
	int s = m->op == OP_DEL ? 0 : 1;

	if (side)
		*side = s;
	return &df->t[s].nodes[s ? m->b : m->a];
}

int diff_mclass(const struct diff *df, size_t k)
{
	return diff_mside(df, k, NULL)->cls;
}

/* ---- words ---- */

/* The keys of the tokens of leaf d, NUL-separated in b, pointed at. */
static const char **token_keys(const struct dtree *t, const struct dnode *d,
                               struct buf *b)
{
	size_t n = d->tok1 - d->tok0, *off = xmalloc((n + 1) * sizeof(*off));
	const char **keys = xmalloc((n + 1) * sizeof(*keys));

	for (size_t i = 0; i < n; i++) {
		off[i] = b->len;
		diff_tok_key(t, &t->toks[d->tok0 + i], b);
		buf_putc(b, '\0');
	}
	for (size_t i = 0; i < n; i++)
		keys[i] = b->data + off[i];
	free(off);
	return keys;
}

/* A one-token word like "à", "la", "de", ",": between two changes it
 * reads better inside them. */
static int is_small(const struct dtok *k)
{
	return !k->atom && !k->number && k->len <= 3;
}

/* Whether the changed stretch around run r (walking by step) is one
 * number for another, whose delta must not be lost. */
static int number_swap(const struct diff *df, const struct mnode *m, size_t r,
                       int step)
{
	const struct dnode *a = &df->t[0].nodes[m->a],
	                   *b = &df->t[1].nodes[m->b];
	size_t nd = 0, ni = 0, d = 0, i = 0;

	for (; r < m->nruns && m->runs[r].op != SEQDIFF_EQUAL; r += step) {
		if (m->runs[r].op == SEQDIFF_DELETE)
			nd += m->runs[r].n, d = m->runs[r].a;
		else
			ni += m->runs[r].n, i = m->runs[r].b;
	}
	return nd == 1 && ni == 1 && df->t[0].toks[a->tok0 + d].number &&
	       df->t[1].toks[b->tok0 + i].number;
}

/* Semantic clean-up, as diff-match-patch does for characters: a single
 * small word left equal between two changes is made part of them, so
 * that "[-et-] à [-accompagner-]{+soutenir+}" reads "[-et à
 * accompagner-]{+à soutenir+}". The runs stay in order. */
static void absorb_small(const struct diff *df, struct mnode *m)
{
	struct seqdiff_run *v = xmalloc((2 * m->nruns + 1) * sizeof(*v));
	size_t n = 0;

	for (size_t r = 0; r < m->nruns; r++) {
		const struct seqdiff_run *e = &m->runs[r];

		if (e->op == SEQDIFF_EQUAL && e->n == 1 && r > 0 &&
		    r + 1 < m->nruns &&
		    is_small(
		        &df->t[0].toks[df->t[0].nodes[m->a].tok0 + e->a]) &&
		    !number_swap(df, m, r - 1, -1) &&
		    !number_swap(df, m, r + 1, 1)) {
			v[n++] =
			    (struct seqdiff_run){SEQDIFF_DELETE, e->a, e->b, 1};
			v[n++] = (struct seqdiff_run){SEQDIFF_INSERT, e->a + 1,
			                              e->b, 1};
		} else {
			v[n++] = *e;
		}
	}
	free(m->runs);
	m->runs = v;
	m->nruns = n;
}

static void word_runs(struct diff *df, size_t k)
{
	struct mnode *m = &df->m[k];
	const struct dnode *a = &df->t[0].nodes[m->a],
	                   *b = &df->t[1].nodes[m->b];
	struct buf ka = BUF_INIT, kb = BUF_INIT;
	const char **va = token_keys(&df->t[0], a, &ka);
	const char **vb = token_keys(&df->t[1], b, &kb);

	m->nruns = seqdiff(va, a->tok1 - a->tok0, vb, b->tok1 - b->tok0,
	                   df->algo, &m->runs);
	if (a->kind != CMARK_NODE_CODE_BLOCK)
		absorb_small(df, m);
	free(va);
	free(vb);
	buf_free(&ka);
	buf_free(&kb);
}

/* ---- likeness ---- */

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* The sorted token hashes of node d. */
static uint64_t *bag(const struct dtree *t, const struct dnode *d)
{
	size_t n = d->tok1 - d->tok0;
	uint64_t *v = xmalloc((n + 1) * sizeof(*v));

	for (size_t i = 0; i < n; i++)
		v[i] = t->toks[d->tok0 + i].hash;
	qsort(v, n, sizeof(*v), cmp_u64);
	return v;
}

static double dice(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	size_t i = 0, j = 0, common = 0;

	if (!na && !nb)
		return 1.0;
	while (i < na && j < nb) {
		if (a[i] == b[j])
			common++, i++, j++;
		else if (a[i] < b[j])
			i++;
		else
			j++;
	}
	return 2.0 * (double)common / (double)(na + nb);
}

/* The tokens that a and b share at their start and end, in order: a
 * lower bound of what they share, found without sorting. */
static size_t common_ends(const struct diff *df, const struct dnode *a,
                          const struct dnode *b)
{
	const struct dtok *x = df->t[0].toks + a->tok0;
	const struct dtok *y = df->t[1].toks + b->tok0;
	size_t na = a->tok1 - a->tok0, nb = b->tok1 - b->tok0, p = 0, s = 0;

	while (p < na && p < nb && x[p].hash == y[p].hash)
		p++;
	while (s < na - p && s < nb - p &&
	       x[na - 1 - s].hash == y[nb - 1 - s].hash)
		s++;
	return p + s;
}

/* The bags of stretch items, sorted on first use. */
struct bags {
	uint64_t **v[2];
	const size_t *items[2];
};

static const uint64_t *get_bag(const struct diff *df, struct bags *b, int side,
                               size_t i)
{
	if (!b->v[side][i])
		b->v[side][i] =
		    bag(&df->t[side], &df->t[side].nodes[b->items[side][i]]);
	return b->v[side][i];
}

/* How alike old item i and new item j are, from 0 to 1; -1 when they
 * cannot pair (different kinds or levels). Most changes are local: when
 * one old item faces one new one (no candidates to rank) and their
 * common start and end alone reach the threshold, no bag is sorted. */
static double likeness(const struct diff *df, struct bags *bags, size_t i,
                       size_t j, int alone, double *threshold)
{
	size_t x = bags->items[0][i], y = bags->items[1][j];
	const struct dnode *a = &df->t[0].nodes[x], *b = &df->t[1].nodes[y];
	size_t na = a->tok1 - a->tok0, nb = b->tok1 - b->tok0;
	double s;

	if (a->kind != b->kind || a->cls != b->cls || a->level != b->level)
		return -1;
	*threshold = a->cls == DC_CONTAINER ? 0.3 : 0.5;
	s = !alone    ? 0
	    : na + nb ? 2.0 * (double)common_ends(df, a, b) / (double)(na + nb)
	              : 1.0;
	if (s < *threshold)
		s = dice(get_bag(df, bags, 0, i), na, get_bag(df, bags, 1, j),
		         nb);
	if (a->kind == MARKDOWN_TABLE_ROW) {
		/* rows keyed by their first cell: a commune, an action */
		*threshold = 0.5;
		if (a->first != DIFF_NONE && b->first != DIFF_NONE &&
		    df->t[0].nodes[a->first].hash ==
		        df->t[1].nodes[b->first].hash &&
		    df->t[0].nodes[a->first].tok1 >
		        df->t[0].nodes[a->first].tok0)
			s = (1.0 + s) / 2;
	}
	return s;
}

/* Pairs old children xs[0..k) with new children ys[0..m): pair[i] is the
 * index in ys paired with xs[i], or DIFF_NONE. */
static void pair_stretch(const struct diff *df, const size_t *xs, size_t k,
                         const size_t *ys, size_t m, size_t *pair)
{
	size_t w = m + 1, i, j;
	double *score, *like, thr = 0.5;
	struct bags bags;

	for (i = 0; i < k; i++)
		pair[i] = DIFF_NONE;
	if (!k || !m || k * m > MAX_PAIRS)
		return;
	bags.v[0] = xcalloc(k, sizeof(*bags.v[0]));
	bags.v[1] = xcalloc(m, sizeof(*bags.v[1]));
	bags.items[0] = xs;
	bags.items[1] = ys;
	like = xmalloc(k * m * sizeof(*like));
	score = xcalloc((k + 1) * w, sizeof(*score));
	for (i = 0; i < k; i++)
		for (j = 0; j < m; j++) {
			double s = likeness(df, &bags, i, j, k * m == 1, &thr);

			/* pairs count for how far above the threshold they
			 * are: two weak pairs must not outweigh a strong one */
			like[i * m + j] = s >= thr ? s - thr + 1e-3 : -1;
		}
	for (i = 1; i <= k; i++)
		for (j = 1; j <= m; j++) {
			double best = score[(i - 1) * w + j], l;

			if (score[i * w + j - 1] > best)
				best = score[i * w + j - 1];
			l = like[(i - 1) * m + j - 1];
			if (l >= 0 && score[(i - 1) * w + j - 1] + l > best)
				best = score[(i - 1) * w + j - 1] + l;
			score[i * w + j] = best;
		}
	/* backwards, preferring to leave the later child unpaired: on a
	 * tie, the earliest candidate gets the pair */
	for (i = k, j = m; i && j;) {
		double l = like[(i - 1) * m + j - 1];

		if (score[i * w + j] == score[i * w + j - 1])
			j--;
		else if (score[i * w + j] == score[(i - 1) * w + j])
			i--;
		else if (l >= 0)
			pair[--i] = --j;
		else
			j--; /* not reached: the score came from one of three */
	}
	for (i = 0; i < k; i++)
		free(bags.v[0][i]);
	for (j = 0; j < m; j++)
		free(bags.v[1][j]);
	free(bags.v[0]);
	free(bags.v[1]);
	free(like);
	free(score);
}

/* ---- children ---- */

/* A pair of nodes: equal, or changed and queued (containers) or word
 * diffed (leaves). */
static void add_pair(struct diff *df, size_t parent, size_t a, size_t b,
                     struct work *w)
{
	const struct dnode *x = &df->t[0].nodes[a], *y = &df->t[1].nodes[b];
	size_t k;

	if (x->hash == y->hash) {
		add_m(df, parent, OP_EQ, a, b);
		return;
	}
	k = add_m(df, parent, OP_CHG, a, b);
	if (x->cls != DC_LEAF) {
		w->v = xgrow(w->v, &w->cap, w->n + 1, sizeof(*w->v));
		w->v[w->n++] = k;
	} else if (!x->atomic && !y->atomic) {
		word_runs(df, k);
	}
}

/* A child deleted or inserted whole; sections are queued to expand. */
static void add_whole(struct diff *df, size_t parent, int op, size_t x,
                      struct work *w)
{
	int side = op == OP_INS;
	size_t k =
	    add_m(df, parent, op, side ? DIFF_NONE : x, side ? x : DIFF_NONE);

	if (df->t[side].nodes[x].cls == DC_SECTION) {
		w->v = xgrow(w->v, &w->cap, w->n + 1, sizeof(*w->v));
		w->v[w->n++] = k;
	}
}

/* A stretch of changed children: pairs by likeness, the rest whole. */
static void add_stretch(struct diff *df, size_t parent, const size_t *xs,
                        size_t k, const size_t *ys, size_t m, struct work *w)
{
	size_t *pair = xmalloc((k + 1) * sizeof(*pair));
	size_t i = 0, j = 0;

	pair_stretch(df, xs, k, ys, m, pair);
	for (size_t p = 0; p <= k; p++) {
		if (p < k && pair[p] == DIFF_NONE)
			continue;
		for (; i < p; i++)
			add_whole(df, parent, OP_DEL, xs[i], w);
		for (; j < (p < k ? pair[p] : m); j++)
			add_whole(df, parent, OP_INS, ys[j], w);
		if (p < k) {
			add_pair(df, parent, xs[p], ys[pair[p]], w);
			i = p + 1;
			j = pair[p] + 1;
		}
	}
	free(pair);
}

/* The indexes of the children of a tree's node from first on. */
static size_t *kids(const struct dtree *t, size_t first, size_t *n)
{
	size_t *v = NULL, cap = 0;

	*n = 0;
	for (size_t c = first; c != DIFF_NONE; c = t->nodes[c].next) {
		v = xgrow(v, &cap, *n + 1, sizeof(*v));
		v[(*n)++] = c;
	}
	return v;
}

static const char **hash_keys(const struct dtree *t, const size_t *v, size_t n,
                              char *space)
{
	const char **keys = xmalloc((n + 1) * sizeof(*keys));

	for (size_t i = 0; i < n; i++) {
		snprintf(space + 17 * i, 17, "%016llx",
		         (unsigned long long)t->nodes[v[i]].hash);
		keys[i] = space + 17 * i;
	}
	return keys;
}

/* Aligns the old children from fa with the new children from fb under
 * merged node parent. */
static void align_children(struct diff *df, size_t parent, size_t fa, size_t fb,
                           struct work *w)
{
	size_t na, nb, nruns;
	size_t *xs = kids(&df->t[0], fa, &na), *ys = kids(&df->t[1], fb, &nb);
	char *sa = xmalloc(17 * na + 1), *sb = xmalloc(17 * nb + 1);
	const char **ka = hash_keys(&df->t[0], xs, na, sa);
	const char **kb = hash_keys(&df->t[1], ys, nb, sb);
	struct seqdiff_run *runs;

	nruns = seqdiff(ka, na, kb, nb, SEQDIFF_MYERS, &runs);
	for (size_t r = 0; r < nruns;) {
		size_t a = runs[r].a, b = runs[r].b, k = 0, m = 0;

		if (runs[r].op == SEQDIFF_EQUAL) {
			for (size_t i = 0; i < runs[r].n; i++)
				add_m(df, parent, OP_EQ, xs[a + i], ys[b + i]);
			r++;
			continue;
		}
		for (; r < nruns && runs[r].op != SEQDIFF_EQUAL; r++)
			*(runs[r].op == SEQDIFF_DELETE ? &k : &m) += runs[r].n;
		add_stretch(df, parent, xs + a, k, ys + b, m, w);
	}
	free(runs);
	free(ka);
	free(kb);
	free(sa);
	free(sb);
	free(xs);
	free(ys);
}

/* Table rows: cells by position. */
static void align_cells(struct diff *df, size_t parent, size_t fa, size_t fb,
                        struct work *w)
{
	while (fa != DIFF_NONE || fb != DIFF_NONE) {
		if (fa != DIFF_NONE && fb != DIFF_NONE)
			add_pair(df, parent, fa, fb, w);
		else if (fa != DIFF_NONE)
			add_m(df, parent, OP_DEL, fa, DIFF_NONE);
		else
			add_m(df, parent, OP_INS, DIFF_NONE, fb);
		if (fa != DIFF_NONE)
			fa = df->t[0].nodes[fa].next;
		if (fb != DIFF_NONE)
			fb = df->t[1].nodes[fb].next;
	}
}

static void align_node(struct diff *df, size_t k, struct work *w)
{
	const struct dnode *a = &df->t[0].nodes[df->m[k].a];
	const struct dnode *b = &df->t[1].nodes[df->m[k].b];

	if (a->kind == MARKDOWN_TABLE_ROW) {
		align_cells(df, k, a->first, b->first, w);
	} else if (a->cls == DC_SECTION) {
		/* paired sections: their headings correspond */
		size_t ha = a->first, hb = b->first;

		add_pair(df, k, ha, hb, w);
		align_children(df, k, df->t[0].nodes[ha].next,
		               df->t[1].nodes[hb].next, w);
	} else {
		align_children(df, k, a->first, b->first, w);
	}
}

/* Whether heading runs change only numbers, one for one. */
static int numbers_only(const struct diff *df, const struct mnode *h)
{
	const struct dnode *a = &df->t[0].nodes[h->a],
	                   *b = &df->t[1].nodes[h->b];
	size_t changes = 0;

	for (size_t r = 0; r < h->nruns; r++) {
		const struct seqdiff_run *d = &h->runs[r], *i = d + 1;

		if (d->op == SEQDIFF_EQUAL)
			continue;
		if (d->op != SEQDIFF_DELETE || d->n != 1 || r + 1 >= h->nruns ||
		    i->op != SEQDIFF_INSERT || i->n != 1 ||
		    !df->t[0].toks[a->tok0 + d->a].number ||
		    !df->t[1].toks[b->tok0 + i->b].number)
			return 0;
		changes++;
		r++;
	}
	return changes > 0;
}

/* Flags the sections whose only change is their heading's number. */
static void mark_renumbered(struct diff *df)
{
	for (size_t k = 0; k < df->nm; k++) {
		struct mnode *m = &df->m[k];
		size_t h = m->first;
		int only = 1;

		if (m->op != OP_CHG || df->t[0].nodes[m->a].cls != DC_SECTION ||
		    h == DIFF_NONE || df->m[h].op != OP_CHG ||
		    !numbers_only(df, &df->m[h]))
			continue;
		for (size_t c = df->m[h].next; c != DIFF_NONE;
		     c = df->m[c].next)
			only &= df->m[c].op == OP_EQ;
		m->renum = (unsigned char)only;
	}
}

/* A section deleted or inserted whole is expanded, so that its
 * headings and blocks are shown and listed like those of a changed one;
 * other blocks deleted or inserted are shown whole. */
static void expand(struct diff *df, size_t k, struct work *w)
{
	int op = df->m[k].op, side = op == OP_INS;
	const struct dtree *t = &df->t[side];
	size_t d = side ? df->m[k].b : df->m[k].a;

	for (size_t c = t->nodes[d].first; c != DIFF_NONE;
	     c = t->nodes[c].next) {
		size_t mk = add_m(df, k, op, side ? DIFF_NONE : c,
		                  side ? c : DIFF_NONE);

		if (t->nodes[c].cls == DC_SECTION) {
			w->v = xgrow(w->v, &w->cap, w->n + 1, sizeof(*w->v));
			w->v[w->n++] = mk;
		}
	}
}

void diff_align(struct diff *df)
{
	struct work w = {NULL, 0, 0};

	/* the roots are always aligned: an unchanged text still lists its
	 * sections, each collapsed to a line */
	add_m(df, DIFF_NONE,
	      df->t[0].nodes[0].hash == df->t[1].nodes[0].hash ? OP_EQ : OP_CHG,
	      0, 0);
	align_children(df, 0, df->t[0].nodes[0].first, df->t[1].nodes[0].first,
	               &w);
	while (w.n) {
		size_t k = w.v[--w.n];

		if (df->m[k].op == OP_CHG)
			align_node(df, k, &w);
		else
			expand(df, k, &w);
	}
	free(w.v);
	mark_renumbered(df);
}
