/*
 * diff: the public side of the diff module (diff.h): two pages into a
 * diff (outlines built by diff_tree.c, merged by diff_align.c), its
 * sections as values for the templates, and documents with sub-pages.
 */
#include "diff.h"

#include <stdlib.h>
#include <string.h>

#include "diff_int.h"
#include "load.h"
#include "site.h"
#include "value.h"
#include "xalloc.h"

/* Patience reads best on real avenants: it anchors on words found once
 * in both texts (names, numbers, rare terms) rather than on "de" and
 * ",", so a rewritten clause comes out as one deletion and one
 * insertion instead of a comb of tiny changes (measured with
 * tests/bench/bench_diff.c on rewritten clauses). */
#define DEFAULT_ALGO SEQDIFF_PATIENCE

struct diff *diff_new_algo(const struct page *old, const struct page *new,
                           enum seqdiff_algo algo)
{
	struct diff *df = xcalloc(1, sizeof(*df));
	/* the trees are parsed on first use (load_markdown): a page is
	 * only ever shared within one document, on one thread */
	const struct markdown *mo =
	    old ? load_markdown((struct page *)old) : NULL;
	const struct markdown *mn =
	    new ? load_markdown((struct page *)new) : NULL;

	df->algo = algo;
	if (!mo || !mn)
		df->empty = markdown_parse("", 0, NULL);
	df->md[0] = mo ? mo : df->empty;
	df->md[1] = mn ? mn : df->empty;
	diff_tree_build(&df->t[0], df->md[0]);
	diff_tree_build(&df->t[1], df->md[1]);
	diff_align(df);
	df->meta = diff_meta(old ? old->meta : NULL, new ? new->meta : NULL);
	return df;
}

struct diff *diff_new(const struct page *old, const struct page *new)
{
	return diff_new_algo(old, new, DEFAULT_ALGO);
}

void diff_free(struct diff *df)
{
	if (!df)
		return;
	for (size_t k = 0; k < df->nm; k++)
		free(df->m[k].runs);
	free(df->m);
	diff_tree_free(&df->t[0]);
	diff_tree_free(&df->t[1]);
	markdown_free(df->empty);
	value_free(df->meta);
	free(df);
}

int diff_changed(const struct diff *df)
{
	return df->m[0].op != OP_EQ || value_len(df->meta) > 0;
}

/* ---- sections ---- */

static const char *status(const struct mnode *m)
{
	switch (m->op) {
	case OP_EQ:
		return "inchange";
	case OP_DEL:
		return "supprime";
	case OP_INS:
		return "ajoute";
	default:
		return m->renum ? "renumerote" : "modifie";
	}
}

/* {level, id, title, status, old_title?, link?} of section k. */
static void add_section(struct value *list, const struct diff *df, size_t k,
                        const struct diff_view *v)
{
	const struct mnode *m = &df->m[k];
	int side;
	const struct dnode *d = diff_mside(df, k, &side);
	const struct dtree *t = &df->t[side];
	const char *id = diff_tree_str(t, d->id);
	const char *link = side ? v->link : v->old_link;
	struct value *e = value_push(list, value_map());
	struct buf b = BUF_INIT;

	value_set_num(e, "level", d->level);
	buf_printf(&b, "%s%s%s", v->prefix ? v->prefix : "",
	           side ? "" : "suppr_", id);
	value_set_str(e, "id", buf_str(&b));
	value_set_str(e, "title", diff_tree_str(t, d->title));
	value_set_str(e, "status", status(m));
	if (m->op == OP_CHG) {
		const char *old =
		    diff_tree_str(&df->t[0], df->t[0].nodes[m->a].title);

		if (strcmp(old, diff_tree_str(t, d->title)))
			value_set_str(e, "old_title", old);
	}
	if (link) {
		buf_reset(&b);
		buf_printf(&b, "%s#%s", link, id);
		value_set_str(e, "link", buf_str(&b));
	}
	buf_free(&b);
}

struct value *diff_toc(const struct diff *df, const struct diff_view *v)
{
	struct value *list = value_list();
	const struct mnode *m = df->m;
	size_t k = m[0].first;

	while (k != DIFF_NONE) {
		if (diff_mclass(df, k) == DC_SECTION) {
			add_section(list, df, k, v);
			if (m[k].op != OP_EQ && m[k].first != DIFF_NONE) {
				k = m[k].first;
				continue;
			}
		}
		while (k != 0 && m[k].next == DIFF_NONE)
			k = m[k].parent;
		k = k == 0 ? DIFF_NONE : m[k].next;
	}
	return list;
}

static void add_group(struct value *list, const struct diff_view *v,
                      const char *id, const char *title)
{
	struct value *e = value_push(list, value_map());
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s%s", v->prefix ? v->prefix : "", id);
	value_set_num(e, "level", 0);
	value_set_str(e, "id", buf_str(&b));
	value_set_str(e, "title", title);
	value_set_str(e, "status", "modifie");
	buf_free(&b);
}

struct value *diff_summary(const struct diff *df, const struct diff_view *v)
{
	struct value *list = value_list();
	int intro = 0, notes = 0;

	for (size_t k = df->m[0].first; k != DIFF_NONE; k = df->m[k].next) {
		const struct dnode *d = diff_mside(df, k, NULL);

		if (d->cls == DC_SECTION) {
			if (df->m[k].op != OP_EQ)
				add_section(list, df, k, v);
		} else if (df->m[k].op != OP_EQ) {
			if (d->kind == CMARK_NODE_FOOTNOTE_DEFINITION)
				notes = 1;
			else if (!intro++)
				add_group(list, v, "d_debut", "Début du texte");
		}
	}
	if (notes)
		add_group(list, v, "d_notes", "Notes");
	return list;
}

/* ---- documents and sub-pages ---- */

struct diff_sub {
	const struct subpage *old, *new;
	struct diff *df;
};

struct diff_doc {
	struct diff *main;
	struct diff_sub *subs;
	size_t nsubs, cap;
};

static void add_sub(struct diff_doc *dd, const struct subpage *old,
                    const struct subpage *new)
{
	struct diff_sub *s;

	dd->subs = xgrow(dd->subs, &dd->cap, dd->nsubs + 1, sizeof(*dd->subs));
	s = &dd->subs[dd->nsubs++];
	s->old = old;
	s->new = new;
	s->df = diff_new(old ? old->page : NULL, new ? new->page : NULL);
}

static const struct subpage *find_sub(const struct diff_text *t,
                                      const char *slug)
{
	for (size_t i = 0; t && i < t->nsubpages; i++)
		if (!strcmp(t->subpages[i].slug, slug))
			return &t->subpages[i];
	return NULL;
}

struct diff_doc *diff_doc_new(const struct diff_text *old,
                              const struct diff_text *new)
{
	struct diff_doc *dd = xcalloc(1, sizeof(*dd));

	dd->main = diff_new(old ? old->page : NULL, new ? new->page : NULL);
	for (size_t i = 0; new &&i < new->nsubpages; i++)
		add_sub(dd, find_sub(old, new->subpages[i].slug),
		        &new->subpages[i]);
	for (size_t i = 0; old && i < old->nsubpages; i++)
		if (!find_sub(new, old->subpages[i].slug))
			add_sub(dd, &old->subpages[i], NULL);
	return dd;
}

void diff_doc_free(struct diff_doc *dd)
{
	if (!dd)
		return;
	for (size_t i = 0; i < dd->nsubs; i++)
		diff_free(dd->subs[i].df);
	free(dd->subs);
	diff_free(dd->main);
	free(dd);
}

static const char *sub_status(const struct diff_sub *s)
{
	if (!s->old)
		return "ajoute";
	if (!s->new)
		return "supprime";
	return diff_changed(s->df) ? "modifie" : "inchange";
}

int diff_doc_changed(const struct diff_doc *dd)
{
	int changed = diff_changed(dd->main);

	for (size_t i = 0; i < dd->nsubs; i++)
		changed |= strcmp(sub_status(&dd->subs[i]), "inchange") != 0;
	return changed;
}

/* html, toc, summary and meta of one diff into map m. */
static void fill(struct value *m, const struct diff *df,
                 const struct diff_view *v)
{
	struct buf html = BUF_INIT;

	diff_html(df, v, &html);
	value_set_str(m, "html", buf_str(&html));
	value_set(m, "toc", diff_toc(df, v));
	value_set(m, "summary", diff_summary(df, v));
	value_set(m, "meta", value_copy(df->meta));
	buf_free(&html);
}

/* "LINK" + "SLUG/", or NULL without a link. */
static char *sub_link(const char *link, const char *slug)
{
	struct buf b = BUF_INIT;

	if (!link)
		return NULL;
	buf_printf(&b, "%s%s/", link, slug);
	return buf_detach(&b);
}

static struct value *sub_value(const struct diff_sub *s,
                               const struct diff_view *v)
{
	const struct subpage *sp = s->new ? s->new : s->old;
	struct value *m = value_map();
	struct buf id = BUF_INIT, prefix = BUF_INIT;
	struct diff_view sv = *v;
	const char *st = sub_status(s);

	buf_printf(&id, "%ss_%s", v->prefix ? v->prefix : "", sp->slug);
	buf_printf(&prefix, "%s_", buf_str(&id));
	sv.link = sub_link(v->link, sp->slug);
	sv.old_link = sub_link(v->old_link, sp->slug);
	sv.prefix = buf_str(&prefix);
	value_set_str(m, "slug", sp->slug);
	value_set_str(m, "title", sp->page ? sp->page->title : sp->name);
	value_set_str(m, "status", st);
	value_set_str(m, "id", buf_str(&id));
	value_set_str(m, "link", s->new ? sv.link : sv.old_link);
	if (strcmp(st, "inchange"))
		fill(m, s->df, &sv);
	free((char *)sv.link);
	free((char *)sv.old_link);
	buf_free(&id);
	buf_free(&prefix);
	return m;
}

static struct value *counts(const struct value *summary)
{
	static const char *const keys[] = {"modifie", "renumerote", "ajoute",
	                                   "supprime"};
	struct value *c = value_map();

	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		int n = 0;

		for (size_t j = 0; j < value_len(summary); j++)
			n += !strcmp(
			    value_get_str(summary->u.list.items[j], "status"),
			    keys[i]);
		value_set_num(c, keys[i], n);
	}
	return c;
}

struct value *diff_doc_value(const struct diff_doc *dd,
                             const struct diff_view *v)
{
	struct value *m = value_map(), *subs;

	value_set_bool(m, "changed", diff_doc_changed(dd));
	fill(m, dd->main, v);
	value_set(m, "counts", counts(value_get(m, "summary")));
	subs = value_set(m, "subpages", value_list());
	for (size_t i = 0; i < dd->nsubs; i++)
		value_push(subs, sub_value(&dd->subs[i], v));
	return m;
}
