/*
 * render_changes: the changes pages of a document (SPEC §4, §5):
 *   PATH/versions/N/changes/  version N against the previous published
 *                             version (none for the first);
 *   PATH/compare/A-B/         version A against version B, A < B: every
 *                             pair when the document has at most
 *                             compare_max_versions published versions
 *                             (site.yaml, default 12); beyond, each version
 *                             against its predecessor and against the
 *                             latest.
 * Both are rendered with changes.html (page.kind "changes" or
 * "compare"), page.changes holding the diff in the inline view and
 * page.changes.side the same diff side by side, its ids prefixed with
 * "c_": one page shows both, the theme switching between them with
 * :target, without script (docs/themes.md).
 *
 * Each pair is diffed once (diff.c) and written into its pages.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "diff.h"
#include "render_int.h"
#include "site.h"
#include "value.h"
#include "xalloc.h"

#define DEFAULT_MAX_VERSIONS 12

/* site.yaml's compare_max_versions: every pair is compared up to this
 * many versions (pairs grow as its square). */
static size_t max_versions(const struct config *cfg)
{
	static atomic_flag warned = ATOMIC_FLAG_INIT; /* once per build */
	const struct value *v = value_get(cfg->data, "compare_max_versions");

	if (v && v->type == VALUE_NUMBER && v->u.number >= 0 &&
	    v->u.number <= 1000)
		return (size_t)v->u.number;
	if (v && !atomic_flag_test_and_set(&warned))
		diag_warning("site.yaml", v->line, v->col,
		             "'compare_max_versions' must be a number from 0 "
		             "to 1000; using %d",
		             DEFAULT_MAX_VERSIONS);
	return DEFAULT_MAX_VERSIONS;
}

/* "../" for every directory of path below the document's own. */
static void up_to_doc(const struct document *d, const char *path,
                      struct buf *out)
{
	for (const char *c = path + strlen(d->path); *c; c++)
		if (*c == '/')
			buf_puts(out, "../");
}

/* The relative link from page path to the full text of version v. */
static char *version_link(const struct document *d, const char *path,
                          const struct version *v)
{
	struct buf b = BUF_INIT;

	up_to_doc(d, path, &b);
	buf_printf(&b, "versions/%d/", v->id);
	return buf_detach(&b);
}

/* The map of page.versions whose id is v's. */
static struct value *version_entry(struct value *page, const struct version *v)
{
	struct value *list = value_get(page, "versions");

	for (size_t i = 0; i < value_len(list); i++) {
		const struct value *id = value_get(list->u.list.items[i], "id");

		if (id && id->type == VALUE_NUMBER && id->u.number == v->id)
			return value_copy(list->u.list.items[i]);
	}
	return value_map();
}

/* One diff and the kind of page it is shown in. */
struct pair {
	const struct document *d;
	const struct version *a, *b;
	const struct diff_doc *dd;
	const char *kind; /* "changes" or "compare" */
};

/* Fills page.changes and the fields that differ from a version page. */
static void fill_context(const struct pair *p, struct value *ctx,
                         const char *path)
{
	struct value *page = value_get(ctx, "page"), *ch;
	char *link = version_link(p->d, path, p->b);
	char *old_link = version_link(p->d, path, p->a);
	struct diff_view inl = {0, link, old_link, ""};
	struct diff_view side = {1, link, old_link, "c_"};
	struct buf title = BUF_INIT;

	ch = value_set(page, "changes", diff_doc_value(p->dd, &inl));
	value_set(ch, "side", diff_doc_value(p->dd, &side));
	value_set(ch, "from", version_entry(page, p->a));
	value_set(ch, "to", version_entry(page, p->b));
	value_set_str(ch, "from_link", old_link);
	value_set_str(ch, "to_link", link);
	value_set_str(page, "doc_title", p->d->page->title);
	if (!strcmp(p->kind, "changes"))
		buf_printf(&title, "Modifications : %s", p->b->label);
	else
		buf_printf(&title, "Comparaison : %s et %s", p->a->label,
		           p->b->label);
	value_set_str(page, "title", buf_str(&title));
	free(link);
	free(old_link);
	buf_free(&title);
}

static int write_page(const struct render_env *env, const struct pair *p,
                      const char *path)
{
	struct value *none = value_list(), *crumbs = value_list();
	struct view v = {p->d, p->b->page, path, p->kind, p->b, none, crumbs};
	struct value *ctx;
	struct buf rel = BUF_INIT;
	int ret;

	buf_printf(&rel, "%sversions/", p->d->path);
	render_crumb(crumbs, p->d->page->title, p->d->path);
	render_crumb(crumbs, "Versions", buf_str(&rel));
	ctx = render_context(env, &v);
	fill_context(p, ctx, path);
	ret = render_write_page(env, &v, "changes.html", ctx, NULL);
	if (ret == 0)
		env->st->changes++;
	value_free(ctx);
	value_free(none);
	value_free(crumbs);
	buf_free(&rel);
	return ret;
}

/* Diffs versions a and b of d and writes their pages. */
static int render_pair(const struct render_env *env, const struct document *d,
                       const struct version *a, const struct version *b,
                       int consecutive)
{
	struct diff_text ta = {a->page, a->subpages, a->nsubpages};
	struct diff_text tb = {b->page, b->subpages, b->nsubpages};
	struct diff_doc *dd = diff_doc_new(&ta, &tb);
	struct pair p = {d, a, b, dd, "changes"};
	struct buf path = BUF_INIT;
	int ret = 0;

	if (consecutive) {
		buf_printf(&path, "%sversions/%d/changes/", d->path, b->id);
		if (write_page(env, &p, buf_str(&path)) < 0)
			ret = -1;
	}
	p.kind = "compare";
	buf_reset(&path);
	buf_printf(&path, "%scompare/%d-%d/", d->path, a->id, b->id);
	if (write_page(env, &p, buf_str(&path)) < 0)
		ret = -1;
	diff_doc_free(dd);
	buf_free(&path);
	return ret;
}

int render_changes(const struct render_env *env, const struct document *d)
{
	size_t n = 0, max = max_versions(env->cfg);
	const struct version **pub;
	int ret = 0;

	if (!d->page)
		return 0;
	pub = xmalloc((d->nversions + 1) * sizeof(*pub));
	for (size_t k = 0; k < d->nversions; k++)
		if (d->versions[k].page)
			pub[n++] = &d->versions[k];
	for (size_t j = 1; j < n; j++)
		for (size_t i = 0; i < j; i++) {
			int next = i + 1 == j;

			if (n > max && !next && j + 1 != n)
				continue;
			if (render_pair(env, d, pub[i], pub[j], next) < 0)
				ret = -1;
		}
	free(pub);
	return ret;
}
