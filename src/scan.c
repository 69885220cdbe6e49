/*
 * scan: the content directory of the working tree into documents (SPEC §2).
 *
 * Two passes. walk.c reads the directories into a tree of the entries that
 * may be published (the containment rules: hidden names, the output
 * directory, the site's own files with content ".", links leaving the
 * site, special files, all left out there). This file turns that tree into
 * documents:
 *   - a directory holding index.md is a bundle; its other *.md files are
 *     sub-pages; every other file, in it or in its sub-directories, is a
 *     resource of the bundle. A bundle is a leaf: *.md files in its
 *     sub-directories are copied as files (with a warning), not pages;
 *   - any other directory with a page in it or below is a listing, its text
 *     from _index.md when present. The content directory is the home
 *     listing; its text may also come from index.md (when there is no
 *     _index.md), so that a folder of plain Markdown with an index.md works;
 *   - a directory with no page at all is not a document: its files are
 *     resources of the nearest listing, at the same relative place.
 *
 * Every output path is decided here: each segment slugified (slug.h), a
 * resource named slug of its stem + "." + lowercase extension. Names that
 * would take a file paraphe generates (versions/, data.json, feed.xml…) are
 * refused as they are made; the last step sorts every output name to report
 * two sources meeting at one name (a page "x/" and a file "x" meet too).
 */
#include "scan.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "site.h"
#include "slug.h"
#include "walk.h"
#include "xalloc.h"

enum key_kind { KEY_DOC, KEY_DIR, KEY_RES };

/* One output name (documents and directories without their trailing "/"),
 * for the collision and reserved-name checks. */
struct key {
	char *out;
	const char *src; /* borrowed from a node or a document */
	enum key_kind kind;
};

/* The documents and output names made so far. */
struct scan {
	struct document **docs;
	size_t ndocs, capdocs;
	struct key *keys;
	size_t nkeys, capkeys;
};

/* Names the render stage writes in every document's directory, and (top)
 * at the top of the output (SPEC §4). "accessibilite" is refused only to
 * files and to directories without pages: the site's own page may take
 * /accessibilite/, and the theme's generated declaration then yields. */
static const struct {
	const char *name;
	int top;
} reserved[] = {
    {"versions", 0},    {"compare", 0},  {"data.json", 0},
    {"index.html", 0},  {"feed.xml", 1}, {"sitemap.xml", 1},
    {"search.json", 1}, {"404.html", 1}, {"deliberations.csv", 1},
};

static int is_reserved(const char *last, int top, enum key_kind kind)
{
	size_t i;

	for (i = 0; i < sizeof(reserved) / sizeof(*reserved); i++)
		if (!strcmp(last, reserved[i].name) &&
		    (top || !reserved[i].top))
			return 1;
	return top && kind != KEY_DOC && !strcmp(last, "accessibilite");
}

/* Records the output name out of src, found in the directory of document
 * owner or below. A trailing "/" is dropped, so that a page "x/" meets a
 * file "x". A name directly in owner's directory that would take a
 * generated file is reported here. */
static void key_add(struct scan *s, const char *out, const char *src,
                    enum key_kind kind, const struct document *owner)
{
	size_t n = strlen(out);
	const char *last;
	struct key *k;

	if (n && out[n - 1] == '/')
		n--;
	s->keys = xgrow(s->keys, &s->capkeys, s->nkeys + 1, sizeof(*s->keys));
	k = &s->keys[s->nkeys++];
	k->out = xstrndup(out, n);
	k->src = src;
	k->kind = kind;
	last = strrchr(k->out, '/');
	last = last ? last + 1 : k->out;
	if ((size_t)(last - k->out) == strlen(owner->path) &&
	    is_reserved(last, !owner->path[0], kind))
		diag_error(src, 0, 0,
		           "'%s' maps to '%s', a name reserved for the pages "
		           "paraphe generates",
		           src, out);
}

/* Appends the slug of (name, n) to out; an empty slug is an error naming
 * the source src, and returns -1. */
static int put_slug(struct buf *out, const char *name, size_t n,
                    const char *src)
{
	if (slug_append(out, name, n) > 0)
		return 0;
	diag_error(src, 0, 0,
	           "cannot make an output name from '%.*s': it has no letter "
	           "or digit",
	           (int)n, name);
	return -1;
}

/* "Scan Signé.PDF" → "scan-signe.pdf": slug of the stem, then the
 * extension lowercased when it is plain ASCII letters and digits (anything
 * else is no extension, and the whole name is slugified). */
static int put_resource_name(struct buf *out, const char *name, const char *src)
{
	const char *dot = strrchr(name, '.');
	const char *p;

	for (p = dot ? dot + 1 : NULL; p && *p; p++)
		if (!isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80)
			dot = NULL;
	if (!dot || dot == name || !dot[1])
		return put_slug(out, name, strlen(name), src);
	if (put_slug(out, name, (size_t)(dot - name), src) < 0)
		return -1;
	for (p = dot; *p; p++)
		buf_putc(out, tolower((unsigned char)*p));
	return 0;
}

/* Makes a document and records it; with a parent, as its child. */
static struct document *doc_add(struct scan *s, enum doc_kind kind,
                                const char *src, const char *dir,
                                const char *path, const char *name,
                                struct document *parent)
{
	struct document *d = document_new(kind);

	d->src = xstrdup(src);
	d->dir = xstrdup(dir);
	d->path = xstrdup(path);
	d->name = xstrdup(name);
	s->docs = xgrow(s->docs, &s->capdocs, s->ndocs + 1, sizeof(*s->docs));
	s->docs[s->ndocs++] = d;
	if (parent) {
		document_add_child(parent, d);
		key_add(s, d->path, d->src, KEY_DOC, parent);
	}
	return d;
}

/* The page of file k ("x.md"), child of the listing or bundle parent. */
static void add_page(struct scan *s, const struct walk_node *k,
                     struct document *parent)
{
	struct buf path = BUF_INIT;
	char *stem = xstrndup(k->name, strlen(k->name) - 3);

	buf_puts(&path, parent->path);
	if (put_slug(&path, stem, strlen(stem), k->src) == 0) {
		buf_putc(&path, '/');
		doc_add(s, DOC_PAGE, k->src, parent->dir, buf_str(&path), stem,
		        parent);
	}
	free(stem);
	buf_free(&path);
}

/* The file k as a resource of owner, written under prefix. */
static void add_resource(struct scan *s, const struct walk_node *k,
                         struct document *owner, const char *prefix)
{
	struct buf out = BUF_INIT;
	struct resource *r;
	size_t n = owner->nresources;

	buf_puts(&out, prefix);
	if (put_resource_name(&out, k->name, k->src) < 0) {
		buf_free(&out);
		return;
	}
	/* struct document keeps no capacity: the array is grown to the next
	 * power of two whenever its length reaches one */
	if ((n & (n - 1)) == 0)
		owner->resources =
		    xrealloc(owner->resources, (n ? 2 * n : 1) * sizeof(*r));
	r = &owner->resources[owner->nresources++];
	r->src = xstrdup(k->src);
	r->out = buf_detach(&out);
	r->name = xstrdup(k->name);
	key_add(s, r->out, r->src, KEY_RES, owner);
}

/* Every file under directory n, recursively, as a resource of owner, under
 * prefix + the slug of n's name. Used for sub-directories of bundles and
 * for directories without pages. */
static void add_files(struct scan *s, const struct walk_node *n,
                      struct document *owner, const char *prefix)
{
	struct buf sub = BUF_INIT;
	size_t i;

	buf_puts(&sub, prefix);
	if (put_slug(&sub, n->name, strlen(n->name), n->src) < 0)
		goto out;
	buf_putc(&sub, '/');
	key_add(s, buf_str(&sub), n->src, KEY_DIR, owner);
	for (i = 0; i < n->nkids; i++) {
		const struct walk_node *k = &n->kids[i];

		if (k->is_dir) {
			add_files(s, k, owner, buf_str(&sub));
			continue;
		}
		if (walk_is_md(k->name))
			diag_warning(k->src, 0, 0,
			             "'%s' is in a sub-directory of the bundle "
			             "'%s': copied as a file, not made a page",
			             k->src, owner->src);
		add_resource(s, k, owner, buf_str(&sub));
	}
out:
	buf_free(&sub);
}

/* A bundle: sub-pages from its *.md files, resources from the rest. */
static void fill_bundle(struct scan *s, const struct walk_node *n,
                        struct document *b)
{
	size_t i;

	for (i = 0; i < n->nkids; i++) {
		const struct walk_node *k = &n->kids[i];

		if (k->is_dir)
			add_files(s, k, b, b->path);
		else if (!strcmp(k->src, b->src))
			continue; /* index.md, the bundle's own text */
		else if (walk_is_md(k->name))
			add_page(s, k, b);
		else
			add_resource(s, k, b, b->path);
	}
}

static void fill_listing(struct scan *s, const struct walk_node *n,
                         struct document *l);

/* The sub-directory k of listing l: a bundle, a sub-listing, or (without
 * any page) more resources of l. */
static void add_dir(struct scan *s, const struct walk_node *k,
                    struct document *l)
{
	const struct walk_node *index = walk_find_file(k, "index.md");
	struct buf path = BUF_INIT;
	struct document *d;

	if (!index && !k->has_page) {
		add_files(s, k, l, l->path);
		return;
	}
	buf_puts(&path, l->path);
	if (put_slug(&path, k->name, strlen(k->name), k->src) < 0)
		goto out;
	buf_putc(&path, '/');
	if (index) {
		d = doc_add(s, DOC_BUNDLE, index->src, k->rel, buf_str(&path),
		            k->name, l);
		fill_bundle(s, k, d);
	} else {
		index = walk_find_file(k, "_index.md");
		d = doc_add(s, DOC_LIST, index ? index->src : k->src, k->rel,
		            buf_str(&path), k->name, l);
		fill_listing(s, k, d);
	}
out:
	buf_free(&path);
}

/* A listing: pages, bundles and sub-listings as children, its other files
 * as resources. */
static void fill_listing(struct scan *s, const struct walk_node *n,
                         struct document *l)
{
	size_t i;

	for (i = 0; i < n->nkids; i++) {
		const struct walk_node *k = &n->kids[i];

		if (k->is_dir)
			add_dir(s, k, l);
		else if (!strcmp(k->src, l->src))
			continue; /* _index.md, the listing's own text */
		else if (walk_is_md(k->name))
			add_page(s, k, l);
		else
			add_resource(s, k, l, l->path);
	}
}

/* Orders by path, then by source so that colliding entries stay in a
 * fixed order too. */
static int cmp_doc(const void *a, const void *b)
{
	const struct document *x = *(struct document *const *)a;
	const struct document *y = *(struct document *const *)b;
	int c = strcmp(x->path, y->path);

	return c ? c : strcmp(x->src, y->src);
}

static int cmp_resource(const void *a, const void *b)
{
	const struct resource *x = a, *y = b;
	int c = strcmp(x->out, y->out);

	return c ? c : strcmp(x->src, y->src);
}

static int cmp_key(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->out, y->out);

	return c ? c : strcmp(x->src, y->src);
}

static void sort_docs(struct scan *s)
{
	size_t i;

	qsort(s->docs, s->ndocs, sizeof(*s->docs), cmp_doc);
	for (i = 0; i < s->ndocs; i++) {
		struct document *d = s->docs[i];

		if (d->nchildren)
			qsort(d->children, d->nchildren, sizeof(*d->children),
			      cmp_doc);
		if (d->nresources)
			qsort(d->resources, d->nresources,
			      sizeof(*d->resources), cmp_resource);
	}
}

/* Reports every output name taken twice: each later source against the
 * first, in source order. */
static void check_keys(struct scan *s)
{
	struct buf shown = BUF_INIT;
	size_t i, first = 0;

	if (s->nkeys)
		qsort(s->keys, s->nkeys, sizeof(*s->keys), cmp_key);
	for (i = 1; i < s->nkeys; i++) {
		const struct key *k = &s->keys[i], *f = &s->keys[first];

		if (strcmp(k->out, f->out)) {
			first = i;
			continue;
		}
		buf_reset(&shown);
		buf_puts(&shown, f->out);
		if (f->kind != KEY_RES)
			buf_putc(&shown, '/');
		diag_error(k->src, 0, 0, "'%s' and '%s' both map to '%s'",
		           k->src, f->src, buf_str(&shown));
	}
	buf_free(&shown);
}

/* The content directory as given, without "./" in front or "/" behind;
 * "." when nothing is left. */
static char *content_dir(const char *content)
{
	size_t n;

	while (content[0] == '.' && content[1] == '/')
		for (content += 2; *content == '/';)
			content++;
	n = strlen(content);
	while (n > 1 && content[n - 1] == '/')
		n--;
	return n ? xstrndup(content, n) : xstrdup(".");
}

int scan_site(const struct config *cfg, struct site *site)
{
	char *content = content_dir(cfg->content ? cfg->content : "content");
	int errors = diag_errors(), ret = -1;
	struct scan s = {0};
	struct walk_node root = {0};
	const struct walk_node *index;
	size_t i;

	if (walk_read(&root, content, cfg->output) < 0)
		goto out;
	index = walk_find_file(&root, "_index.md");
	if (!index)
		index = walk_find_file(&root, "index.md");
	site->home = doc_add(&s, DOC_LIST, index ? index->src : content, "", "",
	                     "", NULL);
	fill_listing(&s, &root, site->home);
	sort_docs(&s);
	check_keys(&s);
	if (diag_errors() == errors)
		ret = 0;
out:
	/* whatever was made belongs to the site, even on failure */
	site->docs = s.docs;
	site->ndocs = s.ndocs;
	for (i = 0; i < s.nkeys; i++)
		free(s.keys[i].out);
	free(s.keys);
	walk_free(&root);
	free(content);
	return ret;
}
