/*
 * derive: the derive stage (see derive.h): loads the scripts, runs
 * on_site and adds the pages it asks for, then processes every page:
 * on_page, the derive blocks, and page.meta back into the page.
 *
 * A page's text can be shared between a document and one of its versions
 * (load_versions may point both at one page): each page is processed once,
 * current texts first, so that page.current is true for the text shown at
 * the document's own path.
 */
#include "derive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "derive_int.h"
#include "diag.h"
#include "load.h"
#include "markdown.h"
#include "script.h"
#include "site.h"
#include "slug.h"
#include "value.h"
#include "xalloc.h"

struct derive *derive_new(const struct config *cfg, const struct site *site)
{
	struct script_limits limits = {cfg->limit_memory,
	                               cfg->limit_instructions};
	struct derive *dv = xcalloc(1, sizeof(*dv));
	struct value *hooks = value_list();
	int ret = -1;
	size_t i;

	dv->lua = script_new(&limits);
	if (derive_load_scripts(dv->lua, hooks) < 0 ||
	    script_hooks_open(dv->lua, site->reference_time) < 0)
		goto out;
	ret = 0;
	for (i = 0; i < value_len(hooks); i++)
		if (script_hooks_load(dv->lua,
		                      hooks->u.list.items[i]->u.str.ptr) < 0)
			ret = -1;
out:
	value_free(hooks);
	if (ret < 0) {
		derive_free(dv);
		return NULL;
	}
	return dv;
}

void derive_set_reader(struct derive *dv, derive_read_fn *read, void *ctx)
{
	dv->read = read;
	dv->read_ctx = ctx;
}

void derive_free(struct derive *dv)
{
	size_t i;

	if (!dv)
		return;
	script_free(dv->lua); /* first: its page tables use the views */
	derive_data_free(dv);
	for (i = 0; i < dv->nlazy; i++) {
		free(dv->lazy[i]->src);
		free(dv->lazy[i]->path);
		free(dv->lazy[i]->name);
		free(dv->lazy[i]);
	}
	free(dv->lazy);
	free(dv->site_docs);
	free(dv->by_doc);
	free(dv);
}

/* ---- pages added by on_site ---- */

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
static void add_pages(struct site *site, const struct config *cfg,
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

/* ---- pages ---- */

/* The pages processed so far (a set of pointers, open addressing). */
struct seen {
	const struct page **slots;
	size_t cap, len;
};

/* Adds p; returns 1 when it was there already. */
static int seen_add(struct seen *s, const struct page *p)
{
	const struct page **old = s->slots;
	size_t i, h, oldcap = s->cap;

	if (2 * (s->len + 1) > s->cap) {
		s->cap = oldcap ? 2 * oldcap : 64;
		s->slots = xcalloc(s->cap, sizeof(*s->slots));
		s->len = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i])
				seen_add(s, old[i]);
		free(old);
	}
	h = ((size_t)p >> 4) * 2654435761u;
	for (i = h & (s->cap - 1); s->slots[i]; i = (i + 1) & (s->cap - 1))
		if (s->slots[i] == p)
			return 1;
	s->slots[i] = p;
	s->len++;
	return 0;
}

/* Replaces p's meta by meta, keeping the old values (and their source
 * lines) where they did not change. */
static void set_meta(struct page *p, struct value *meta)
{
	size_t i, j;

	if (value_equal(p->meta, meta)) {
		value_free(meta);
		return;
	}
	for (i = 0; p->meta && i < meta->u.map.len; i++)
		for (j = 0; j < p->meta->u.map.len; j++)
			if (!strcmp(meta->u.map.keys[i],
			            p->meta->u.map.keys[j]) &&
			    value_equal(meta->u.map.vals[i],
			                p->meta->u.map.vals[j])) {
				struct value *t = meta->u.map.vals[i];

				meta->u.map.vals[i] = p->meta->u.map.vals[j];
				p->meta->u.map.vals[j] = t;
				break;
			}
	value_free(p->meta);
	p->meta = meta;
}

/* Runs the derive blocks of the page being processed (the text of v);
 * returns how many there were. */
static size_t run_blocks(struct derive *dv, const struct derive_view *v)
{
	struct markdown_derive *blocks = NULL;
	struct page *p = v->page;
	const char *src = v->src;
	size_t i, n = p->body && strstr(p->body, "derive") &&
	                      load_markdown(p)
	                  ? markdown_derive_list(p->md, &blocks)
	                  : 0;
	long e;

	if (n) { /* the outlines, blocks... show the text before */
		script_page_settle(dv->lua, "outline");
		script_page_settle(dv->lua, "blocks");
		script_page_settle(dv->lua, "text");
		script_page_settle(dv->lua, "tables");
		if (!v->version && !v->name &&
		    (e = derive_site_entry(dv, v->doc)) >= 0)
			script_site_settle(dv->lua, (size_t)e, "outline");
	}
	for (i = 0; i < n; i++) {
		struct value *parts = value_list();

		if (script_page_derive(
		        dv->lua, src, p->body_line + blocks[i].line - 1,
		        blocks[i].code, blocks[i].len, parts) == 0)
			markdown_derive_replace(p->md, &blocks[i], parts);
		value_free(parts);
	}
	free(blocks);
	return n;
}

/* A copy of v that lives until derive_free, for its lazy fields. */
static struct derive_lazy *keep_view(struct derive *dv,
                                     const struct derive_view *v)
{
	struct derive_lazy *lz = xcalloc(1, sizeof(*lz));

	lz->dv = dv;
	lz->v = *v;
	lz->v.src = lz->src = xstrdup(v->src);
	lz->v.path = lz->path = xstrdup(v->path);
	lz->v.name = lz->name = v->name ? xstrdup(v->name) : NULL;
	dv->lazy =
	    xgrow(dv->lazy, &dv->lazy_cap, dv->nlazy + 1, sizeof(*dv->lazy));
	dv->lazy[dv->nlazy++] = lz;
	return lz;
}

/* on_page and the derive blocks of one view's page. The page table's
 * costly fields are built when a script reads them: what they are built
 * from stays as it is until derive_free, but for the page's own text,
 * which its derive blocks change (run_blocks settles them before), and
 * a bundle's sub-pages, processed after it (settled here). */
static void process(struct derive *dv, struct seen *seen,
                    const struct derive_view *v)
{
	struct derive_lazy *lz;
	struct value *page, *meta;
	char label[64 + 4096];

	if (!v->page || seen_add(seen, v->page))
		return;
	if (v->version)
		snprintf(label, sizeof(label), "%s at version %d", v->src,
		         v->version->id);
	else
		snprintf(label, sizeof(label), "%s", v->src);
	lz = keep_view(dv, v);
	page = derive_page_value(dv, &lz->v);
	if (script_page_begin(dv->lua, page, v->src, label) == 0) {
		script_page_lazy(dv->lua, derive_lazy_fields, derive_page_field,
		                 lz);
		script_page_hooks(dv->lua);
		/* a tree that no derive block changed is parsed again when
		 * needed (load_markdown): the build does not hold them all */
		if (run_blocks(dv, v) == 0) {
			markdown_free(v->page->md);
			v->page->md = NULL;
		}
		if (v->doc->kind == DOC_BUNDLE && !v->name)
			script_page_settle(dv->lua, "subpages");
		if ((meta = script_page_end(dv->lua)))
			set_meta(v->page, meta);
	}
	value_free(page);
}

/* The views of d's versions: each text, and a bundle's sub-pages. */
static void process_versions(struct derive *dv, struct seen *seen,
                             const struct document *d)
{
	struct buf path = BUF_INIT, sub = BUF_INIT;
	size_t k, j;

	for (k = 0; k < d->nversions; k++) {
		const struct version *ver = &d->versions[k];
		struct derive_view v = {d, ver->page, ver, NULL, NULL, NULL};

		buf_reset(&path);
		buf_printf(&path, "%sversions/%d/", d->path, ver->id);
		v.src = ver->src ? ver->src : d->src;
		v.path = buf_str(&path);
		process(dv, seen, &v);
		for (j = 0; ver->page && j < ver->nsubpages; j++) {
			const struct subpage *sp = &ver->subpages[j];
			struct derive_view sv = {d,       sp->page, ver,
			                         sp->src, NULL,     sp->name};

			buf_reset(&sub);
			buf_printf(&sub, "%s%s/", buf_str(&path), sp->slug);
			sv.path = buf_str(&sub);
			process(dv, seen, &sv);
		}
	}
	buf_free(&path);
	buf_free(&sub);
}

int derive_site(struct derive *dv, struct site *site, const struct config *cfg)
{
	int before = diag_errors();
	static const char *const lazy[] = {"outline", NULL};
	struct value *sv = derive_site_value(dv, site, cfg);
	struct seen seen = {NULL, 0, 0};
	size_t i;

	script_site_lazy(dv->lua, lazy, derive_site_field, dv->site_docs,
	                 dv->nsite);
	script_hooks_on_site(dv->lua, &sv);
	add_pages(site, cfg, value_get(sv, "pages"));
	value_free(sv);
	for (i = 0; i < site->ndocs; i++) {
		struct document *d = site->docs[i];
		struct derive_view v = {d,      d->page, NULL,
		                        d->src, d->path, NULL};

		process(dv, &seen, &v);
	}
	for (i = 0; i < site->ndocs; i++)
		process_versions(dv, &seen, site->docs[i]);
	free(seen.slots);
	return diag_errors() > before ? -1 : 0;
}
