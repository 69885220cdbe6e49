/*
 * derive_model: the tables that hooks see (docs/hooks.md), built as
 * values: the page of a view and the site.
 *
 * page = {path, src, title, type, kind, current, meta, meta_lines,
 *         body_line, versions, version, data, outline, blocks, text,
 *         tables, parent, subpages}
 * site = {title, language, base_url, reference_date, config, pages}
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "derive_int.h"
#include "load.h"
#include "markdown.h"
#include "site.h"
#include "value.h"
#include "xalloc.h"

/* The published versions of d (those whose text was loaded). */
static struct value *versions_value(const struct document *d)
{
	struct value *list = value_list();
	size_t i;

	for (i = 0; i < d->nversions; i++)
		if (d->versions[i].page)
			value_push(list, version_to_value(&d->versions[i]));
	return list;
}

/* The last published version of d, or NULL. */
static const struct version *last_version(const struct document *d)
{
	size_t i = d->nversions;

	while (i--)
		if (d->versions[i].page)
			return &d->versions[i];
	return NULL;
}

/* The line of each top-level front matter value. */
static struct value *meta_lines(const struct value *meta)
{
	struct value *m = value_map();
	size_t i;

	for (i = 0; meta && meta->type == VALUE_MAP && i < meta->u.map.len; i++)
		if (meta->u.map.vals[i]->line > 0)
			value_set_num(m, meta->u.map.keys[i],
			              meta->u.map.vals[i]->line);
	return m;
}

static struct value *outline_of(const struct page *p)
{
	struct value *list = value_list();

	if (load_markdown((struct page *)p))
		markdown_outline(p->md, p->body_line, list);
	return list;
}

/* The outline of p's text as loaded, from a tree of its own: another
 * document's page, which its own job (on another worker) may be parsing,
 * changing with derive blocks or freeing meanwhile. */
static struct value *source_outline(const struct page *p)
{
	struct value *list = value_list();
	struct markdown *md;

	if (!p->body && !p->file) { /* a page made without a source (tests) */
		if (p->md)
			markdown_outline(p->md, p->body_line, list);
		return list;
	}
	if ((md = load_parse(p)))
		markdown_outline(md, p->body_line, list);
	markdown_free(md);
	return list;
}

static struct value *blocks_of(const struct page *p)
{
	struct value *list = value_list();

	if (load_markdown((struct page *)p))
		markdown_blocks(p->md, p->body_line, list);
	return list;
}

/* {name, path, title, type, meta, outline, blocks} of a sub-page. */
static struct value *subpage_value(const char *name, const char *path,
                                   const struct page *p)
{
	struct value *m = value_map();

	value_set_str(m, "name", name);
	value_set_str(m, "path", path);
	value_set_str(m, "title", p->title);
	value_set_str(m, "type", p->type);
	value_set(m, "meta", value_copy(p->meta));
	value_set(m, "outline", outline_of(p));
	value_set(m, "blocks", blocks_of(p));
	return m;
}

/* The sub-pages of the bundle d as the view shows it. */
static struct value *subpages_value(const struct derive_view *v)
{
	struct value *list = value_list();
	char *path;
	size_t i;

	if (v->doc->kind != DOC_BUNDLE || v->name)
		return list;
	if (v->version) {
		for (i = 0; i < v->version->nsubpages; i++) {
			const struct subpage *sp = &v->version->subpages[i];

			if (!sp->page)
				continue;
			path = xmalloc(strlen(v->path) + strlen(sp->slug) + 2);
			strcpy(path, v->path);
			strcat(strcat(path, sp->slug), "/");
			value_push(list,
			           subpage_value(sp->name, path, sp->page));
			free(path);
		}
		return list;
	}
	for (i = 0; i < v->doc->nchildren; i++) {
		const struct document *c = v->doc->children[i];

		if (c->page)
			value_push(list,
			           subpage_value(c->name, c->path, c->page));
	}
	return list;
}

/* The directory of a source path ("content/a" of "content/a/index.md"). */
static char *dir_of(const char *src)
{
	const char *slash = strrchr(src, '/');

	return slash ? xstrndup(src, (size_t)(slash - src)) : xstrdup(".");
}

/* The bundle whose data the view sees, or NULL. */
static const struct document *bundle_of(const struct derive_view *v)
{
	const struct document *d = v->doc;

	if (d->kind == DOC_BUNDLE)
		return d;
	if (d->parent && d->parent->kind == DOC_BUNDLE)
		return d->parent;
	return NULL;
}

/* The data map of the view's bundle (NULL: none), read and cached now
 * (derive_data_of reports a file that does not parse). */
static const struct value *data_of(struct derive *dv,
                                   const struct derive_view *v)
{
	const struct document *b = bundle_of(v);
	const struct version *ver = v->version;
	const struct value *data;
	char *dir;

	if (!b)
		return NULL;
	/* a sub-page's own version is not its bundle's: working tree */
	if (ver && b != v->doc)
		ver = NULL;
	dir = dir_of(ver && ver->src ? ver->src : b->src);
	data = derive_data_of(dv, b, ver ? ver->commit : NULL, dir);
	free(dir);
	return data;
}

const char *const derive_lazy_fields[] = {"versions", "data", "outline",
                                          "blocks",   "text", "tables",
                                          "subpages", NULL};

/* The plain text of p (markdown_text). */
static struct value *text_of(const struct page *p)
{
	struct buf b = BUF_INIT;
	struct value *v;

	if (load_markdown((struct page *)p))
		markdown_text(p->md, &b);
	v = value_string(buf_str(&b), b.len);
	buf_free(&b);
	return v;
}

static struct value *tables_of(const struct page *p)
{
	struct value *list = value_list();

	if (load_markdown((struct page *)p))
		markdown_tables(p->md, p->body_line, list);
	return list;
}

const struct value *derive_page_field(void *ctx, const char *name,
                                      struct value **tmp)
{
	struct derive_lazy *lz = ctx;
	const struct derive_view *v = &lz->v;
	const struct value *data;

	*tmp = NULL;
	if (!strcmp(name, "versions"))
		*tmp = versions_value(v->doc);
	else if (!strcmp(name, "data") && (data = data_of(lz->dv, v)))
		return data; /* cached: converted without a copy */
	else if (!strcmp(name, "data"))
		*tmp = value_map();
	else if (!strcmp(name, "outline"))
		*tmp = outline_of(v->page);
	else if (!strcmp(name, "blocks"))
		*tmp = blocks_of(v->page);
	else if (!strcmp(name, "text"))
		*tmp = text_of(v->page);
	else if (!strcmp(name, "tables"))
		*tmp = tables_of(v->page);
	else if (!strcmp(name, "subpages"))
		*tmp = subpages_value(v);
	return *tmp;
}

struct value *derive_page_value(struct derive *dv, const struct derive_view *v)
{
	const struct document *d = v->doc;
	const struct page *p = v->page;
	const struct version *ver = v->version ? v->version : last_version(d);
	struct value *m = value_map(), *par;

	value_set_str(m, "path", v->path);
	value_set_str(m, "src", v->src);
	value_set_str(m, "title", p->title);
	value_set_str(m, "type", p->type);
	value_set_str(m, "kind", v->name ? "page" : document_kind_name(d));
	value_set_bool(m, "current", v->version == NULL);
	value_set(m, "meta", value_copy(p->meta));
	value_set(m, "meta_lines", meta_lines(p->meta));
	value_set_num(m, "body_line", p->body_line);
	value_set(m, "versions", value_nil()); /* derive_lazy_fields */
	value_set(m, "version", ver ? version_to_value(ver) : value_nil());
	value_set(m, "data", value_nil());
	data_of(dv, v);
	value_set(m, "outline", value_nil());
	value_set(m, "blocks", value_nil());
	value_set(m, "text", value_nil());
	value_set(m, "tables", value_nil());
	if (v->name || d->parent) { /* a version's sub-page: its bundle */
		const struct document *up = v->name ? d : d->parent;

		par = value_set(m, "parent", value_map());
		value_set_str(par, "path", up->path);
		value_set_str(par, "title", up->page ? up->page->title : "");
		value_set_str(par, "type", up->page ? up->page->type : "");
	}
	value_set(m, "subpages", value_nil());
	return m;
}

/* Orders entries by the address of their document. */
static int cmp_entry(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct derive_entry *)a)->doc;
	uintptr_t y = (uintptr_t)((const struct derive_entry *)b)->doc;

	return x < y ? -1 : x > y;
}

long derive_site_entry(const struct derive *dv, const struct document *d)
{
	struct derive_entry key = {d, 0}, *e;

	e = dv->nsite
	        ? bsearch(&key, dv->by_doc, dv->nsite, sizeof(key), cmp_entry)
	        : NULL;
	return e ? (long)e->i : -1;
}

const struct value *derive_site_field(void *ctx, const char *name,
                                      struct value **tmp)
{
	const struct document *d = ctx;

	*tmp = !strcmp(name, "outline")    ? source_outline(d->page)
	       : !strcmp(name, "versions") ? versions_value(d)
	                                   : NULL;
	return *tmp;
}

struct value *derive_site_value(struct derive *dv, const struct site *site,
                                const struct config *cfg)
{
	struct value *s = value_map(), *pages;
	size_t i, n = 0;

	value_set_str(s, "title", cfg->title);
	value_set_str(s, "language", cfg->language);
	value_set_str(s, "base_url", cfg->base_url);
	value_set_str(s, "reference_date", site->reference_date);
	value_set(s, "config", cfg->data ? value_copy(cfg->data) : value_map());
	pages = value_set(s, "pages", value_list());
	free(dv->site_docs);
	free(dv->by_doc);
	dv->site_docs = xcalloc(site->ndocs + 1, sizeof(*dv->site_docs));
	dv->by_doc = xcalloc(site->ndocs + 1, sizeof(*dv->by_doc));
	for (i = 0; i < site->ndocs; i++) {
		struct document *d = site->docs[i];
		struct value *m;

		if (!d->page)
			continue;
		m = value_push(pages, value_map());
		value_set_str(m, "path", d->path);
		value_set_str(m, "src", d->src);
		value_set_str(m, "title", d->page->title);
		value_set_str(m, "type", d->page->type);
		value_set_str(m, "kind", document_kind_name(d));
		value_set_str(m, "parent", d->parent ? d->parent->path : NULL);
		value_set(m, "meta", value_copy(d->page->meta));
		value_set(m, "outline", value_nil());  /* derive_site_field */
		value_set(m, "versions", value_nil()); /* the same */
		dv->by_doc[n].doc = d;
		dv->by_doc[n].i = n;
		dv->site_docs[n++] = d;
	}
	dv->nsite = n;
	qsort(dv->by_doc, n, sizeof(*dv->by_doc), cmp_entry);
	return s;
}
