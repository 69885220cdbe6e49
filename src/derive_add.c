/*
 * derive_add: the pages that on_site adds to site.pages (entries with
 * added_by) made into documents of the site, at the path they ask for,
 * under the listing that holds it (see docs/hooks.md).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "derive_int.h"
#include "diag.h"
#include "load.h"
#include "site.h"
#include "slug.h"
#include "value.h"
#include "xalloc.h"

/* The output path asked for ("/a/b" → "a/b/"), or NULL after reporting
 * one that is not made of slugs. */
static char *new_path(const char *asked, const char *by)
{
	struct buf out = BUF_INIT;
	const char *p = asked, *e;
	char *seg, *slug;
	int ok = 1;

	while (*p == '/')
		p++;
	for (; *p && ok; p = *e ? e + 1 : e) {
		e = strchr(p, '/');
		e = e ? e : p + strlen(p);
		seg = xstrndup(p, (size_t)(e - p));
		slug = slug_new(seg);
		ok = *seg && !strcmp(seg, slug) && strcmp(seg, "versions") &&
		     strcmp(seg, "compare");
		buf_printf(&out, "%s/", seg);
		free(seg);
		free(slug);
	}
	if (!ok || !out.len) {
		diag_error(
		    by, 0, 0,
		    "on_site added a page at \"%s\": a path must be made "
		    "of slugs (lowercase letters, digits, \"-\"), other "
		    "than versions and compare",
		    asked);
		buf_free(&out);
		return NULL;
	}
	return buf_detach(&out);
}

static int cmp_doc(const void *a, const void *b)
{
	const struct document *x = *(struct document *const *)a;
	const struct document *y = *(struct document *const *)b;
	int c = strcmp(x->path, y->path);

	return c ? c : strcmp(x->src, y->src);
}

/* What adding on_site's pages needs, so that adding k pages to n costs
 * k + n, not k * n: the documents by path (open addressing; paths are
 * unique) and the listings. */
struct adding {
	struct document **slots;
	size_t cap, len;
	struct document **lists;
	size_t nlists;
};

static size_t path_hash(const char *s)
{
	size_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot of the document at path, or the empty slot where it goes. */
static struct document **adding_slot(struct adding *a, const char *path)
{
	size_t i = path_hash(path) & (a->cap - 1);

	while (a->slots[i] && strcmp(a->slots[i]->path, path))
		i = (i + 1) & (a->cap - 1);
	return &a->slots[i];
}

/* Records d under its path (the first document at a path stays). */
static void adding_index(struct adding *a, struct document *d)
{
	struct document **old = a->slots, **slot;
	size_t i, oldcap = a->cap;

	if (2 * (a->len + 1) > a->cap) {
		a->cap = oldcap ? 2 * oldcap : 64;
		a->slots = xcalloc(a->cap, sizeof(*a->slots));
		a->len = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i])
				adding_index(a, old[i]);
		free(old);
	}
	slot = adding_slot(a, d->path);
	if (!*slot) {
		*slot = d;
		a->len++;
	}
}

/* Records d: under its path, and among the listings if it is one. */
static void adding_put(struct adding *a, struct document *d)
{
	adding_index(a, d);
	if (d->kind == DOC_LIST) {
		a->lists =
		    xrealloc(a->lists, (a->nlists + 1) * sizeof(*a->lists));
		a->lists[a->nlists++] = d;
	}
}

/* The listing that holds path: the longest listing path before it. */
static struct document *listing_of(const struct site *site,
                                   const struct adding *a, const char *path)
{
	struct document *best = site->home;
	size_t i, n;

	for (i = 0; i < a->nlists; i++) {
		struct document *d = a->lists[i];

		n = strlen(d->path);
		if (n < strlen(path) && !strncmp(d->path, path, n) &&
		    (!best || n > strlen(best->path)))
			best = d;
	}
	return best;
}

/* Sets the page's fields that the entry gives. */
static void apply_entry(struct page *p, const struct value *e)
{
	const struct value *meta = value_get(e, "meta");
	const char *s;
	size_t i;

	for (i = 0; meta && meta->type == VALUE_MAP && i < meta->u.map.len; i++)
		value_set(p->meta, meta->u.map.keys[i],
		          value_copy(meta->u.map.vals[i]));
	if ((s = value_get_str(e, "title")) && *s) {
		free(p->title);
		p->title = xstrdup(s);
	}
	if ((s = value_get_str(e, "type")) && *s) {
		free(p->type);
		p->type = xstrdup(s);
	}
}

/* Makes a document of one entry of site.pages added by on_site, at the
 * end of site->docs (the caller sorts them). */
static void add_page(struct site *site, const struct config *cfg,
                     struct adding *a, const struct value *e)
{
	const char *by = value_get_str(e, "added_by");
	const char *asked = value_get_str(e, "path");
	const char *content = value_get_str(e, "content");
	const struct value *w;
	struct document *d, *parent;
	char *path, *name;
	struct page *p;

	by = by ? by : "scripts";
	if (!asked) {
		diag_error(by, 0, 0, "on_site added a page without a path");
		return;
	}
	if (!(path = new_path(asked, by)))
		return;
	if (*adding_slot(a, path)) {
		diag_error(by, 0, 0,
		           "on_site added a page at \"%s\", which is "
		           "the path of \"%s\"",
		           path, (*adding_slot(a, path))->src);
		free(path);
		return;
	}
	name = xstrndup(path, strlen(path) - 1);
	if (strrchr(name, '/'))
		memmove(name, strrchr(name, '/') + 1,
		        strlen(strrchr(name, '/') + 1) + 1);
	p = load_text(by, content ? content : "", content ? strlen(content) : 0,
	              name, cfg);
	if (!p) {
		free(path);
		free(name);
		return;
	}
	apply_entry(p, e);
	d = document_new(DOC_PAGE);
	d->src = xstrdup(by);
	d->path = path;
	d->name = name;
	d->page = p;
	w = value_get(p->meta, "weight");
	d->weight = w && w->type == VALUE_NUMBER ? w->u.number : 0;
	parent = listing_of(site, a, path);
	d->dir =
	    xstrndup(parent ? parent->path : "",
	             parent && *parent->path ? strlen(parent->path) - 1 : 0);
	if (parent)
		document_add_child(parent, d);
	site->docs =
	    xrealloc(site->docs, (site->ndocs + 1) * sizeof(*site->docs));
	site->docs[site->ndocs++] = d;
	adding_put(a, d);
}

/* Adds the pages that on_site put in site.pages (the entries with
 * added_by), then sorts site->docs again. */
void derive_add_pages(struct site *site, const struct config *cfg,
                      const struct value *pages)
{
	struct adding a = {NULL, 0, 0, NULL, 0};
	size_t i, n = site->ndocs;

	for (i = 0; i < site->ndocs; i++)
		adding_put(&a, site->docs[i]);
	for (i = 0; i < value_len(pages); i++)
		if (value_get_str(pages->u.list.items[i], "added_by"))
			add_page(site, cfg, &a, pages->u.list.items[i]);
	if (site->ndocs > n)
		qsort(site->docs, site->ndocs, sizeof(*site->docs), cmp_doc);
	free(a.slots);
	free(a.lists);
}
