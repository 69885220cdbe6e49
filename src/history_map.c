/*
 * history_map: which document a path of the repository belongs to, in
 * time proportional to the depth of the path, never to the number of
 * documents (the walk asks once per changed file of every commit).
 *
 * Owners (keys are repository paths: the site's prefix + a source):
 *   - a single page owns its file; so does a bundle sub-page that is not
 *     part of the signed text (outside_signed), and a listing its
 *     _index.md;
 *   - a bundle owns its directory: index.md, resources and the sub-pages
 *     of its signed text, at any depth;
 *   - a listing's directory is recorded as a directory with no owner, so
 *     that a renamed bundle never takes over the directory of a listing.
 * An exact file entry wins over a directory, and the nearest directory
 * wins over the ones above it.
 */
#include <stdlib.h>
#include <string.h>

#include "history_int.h"
#include "site.h"
#include "xalloc.h"

static size_t hash_key(const char *key, size_t len, int is_dir)
{
	size_t h = 14695981039346656037u; /* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 1099511628211u;
	}
	return h ^ (size_t)is_dir;
}

/* The entry for (key, len, is_dir), or NULL. */
static struct hmap_entry *hmap_find(const struct hmap *m, const char *key,
                                    size_t len, int is_dir)
{
	size_t h, i;

	if (!m->cap)
		return NULL;
	h = hash_key(key, len, is_dir);
	for (i = h & (m->cap - 1); m->e[i].key; i = (i + 1) & (m->cap - 1)) {
		struct hmap_entry *e = &m->e[i];

		if (e->hash == h && e->is_dir == is_dir &&
		    !strncmp(e->key, key, len) && e->key[len] == '\0')
			return e;
	}
	return NULL;
}

/* Doubles the table (starting at 64 slots) and reinserts every entry. */
static void grow(struct hmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct hmap_entry *e = xcalloc(cap, sizeof(*e));

	for (size_t i = 0; i < m->cap; i++) {
		size_t j;

		if (!m->e[i].key)
			continue;
		for (j = m->e[i].hash & (cap - 1); e[j].key;
		     j = (j + 1) & (cap - 1))
			;
		e[j] = m->e[i];
	}
	free(m->e);
	m->e = e;
	m->cap = cap;
}

/* Sets (key, len, is_dir) to doc, adding the entry when it is new. */
static void hmap_set(struct hmap *m, const char *key, size_t len, int is_dir,
                     long doc)
{
	struct hmap_entry *e = hmap_find(m, key, len, is_dir);
	size_t h = hash_key(key, len, is_dir), i;

	if (e) {
		e->doc = doc;
		return;
	}
	/* load factor at most 1/2, so probes stay short */
	if (2 * (m->n + 1) > m->cap)
		grow(m);
	for (i = h & (m->cap - 1); m->e[i].key; i = (i + 1) & (m->cap - 1))
		;
	e = &m->e[i];
	e->key = xstrndup(key, len);
	e->hash = h;
	e->is_dir = is_dir;
	e->doc = doc;
	m->n++;
}

long hmap_owner(const struct hmap *m, const char *path, size_t *dirlen)
{
	const struct hmap_entry *e;
	size_t len = strlen(path);

	*dirlen = 0;
	e = hmap_find(m, path, len, 0);
	if (e && e->doc >= 0)
		return e->doc;
	while (len > 0) {
		while (len > 0 && path[len - 1] != '/')
			len--;
		if (len == 0)
			break;
		len--; /* the directory, without its slash */
		e = hmap_find(m, path, len, 1);
		if (e && e->doc >= 0) {
			*dirlen = len;
			return e->doc;
		}
	}
	return -1;
}

void hmap_free(struct hmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->e[i].key);
	free(m->e);
	m->e = NULL;
	m->cap = m->n = 0;
}

/* Length of the directory part of src ("a/b.md" → 1, "b.md" → 0). */
static size_t dir_len(const char *src)
{
	const char *slash = strrchr(src, '/');

	return slash ? (size_t)(slash - src) : 0;
}

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), k = strlen(end);

	return n >= k && !strcmp(s + n - k, end);
}

/* Adds prefix + (src, len) to the map, and as the path of doc; an empty
 * key is left out. */
static void add_key(struct walk *w, const char *src, size_t len, int is_dir,
                    long doc)
{
	const char *prefix = w->h->prefix;
	size_t plen = strlen(prefix);
	char *key;

	if (len == 1 && src[0] == '.')
		len = 0;
	if (len == 0 && plen == 0)
		return;
	if (len == 0)
		plen--; /* "site/" + "" is the directory "site" */
	key = xmalloc(plen + len + 1);
	memcpy(key, prefix, plen);
	memcpy(key + plen, src, len);
	key[plen + len] = '\0';
	hmap_set(&w->files, key, plen + len, is_dir, doc);
	if (doc >= 0) {
		free(w->docs[doc].path);
		w->docs[doc].path = key;
	} else
		free(key);
}

void hmap_build_files(struct walk *w)
{
	const struct site *s = w->site;

	for (size_t i = 0; i < s->ndocs; i++) {
		const struct document *d = s->docs[i];
		int sub = d->kind == DOC_PAGE && d->parent &&
		          d->parent->kind == DOC_BUNDLE;
		int md = ends_with(d->src, ".md");

		if (d->kind == DOC_BUNDLE)
			add_key(w, d->src, dir_len(d->src), 1, (long)i);
		else if (d->kind == DOC_LIST) {
			/* the directory first: it may be the file's too */
			add_key(w, d->src,
			        md ? dir_len(d->src) : strlen(d->src), 1, -1);
			if (md)
				add_key(w, d->src, strlen(d->src), 0, (long)i);
		} else if (!sub || d->outside_signed)
			add_key(w, d->src, strlen(d->src), 0, (long)i);
	}
}

void hmap_carry_rename(struct walk *w, const char *old, const char *new_path)
{
	size_t dl, ol = strlen(old), rl;
	long owner = hmap_owner(&w->files, new_path, &dl);
	struct hdoc *d;
	const char *rest;

	if (owner < 0)
		return;
	d = &w->docs[owner];
	if (dl == 0) {
		/* a file of its own: older commits knew it by its old name */
		hmap_set(&w->files, old, ol, 0, owner);
		hmap_set(&w->files, new_path, strlen(new_path), 0, -1);
		free(d->path);
		d->path = xstrdup(old);
		d->moved = 1;
		return;
	}
	/* a file of a bundle: when its index.md moved to the same place in
	 * another directory, the bundle's directory moved, and the old one
	 * belongs to it before. Any other file moved into a bundle keeps its
	 * past elsewhere (a page that became a bundle starts a new history). */
	rest = new_path + dl;
	rl = strlen(rest);
	if (!strcmp(rest, "/index.md") && ol > rl &&
	    !strcmp(old + ol - rl, rest) &&
	    !hmap_find(&w->files, old, ol - rl, 1) && d->path &&
	    strlen(d->path) == dl && !strncmp(d->path, new_path, dl)) {
		hmap_set(&w->files, old, ol - rl, 1, owner);
		free(d->path);
		d->path = xstrndup(old, ol - rl);
		d->moved = 1;
	}
}

/* Records name → doc, or -2 when another document has the name. */
static void add_name(struct hmap *m, const char *name, size_t len, long doc)
{
	struct hmap_entry *e;

	while (len > 0 && name[len - 1] == '/')
		len--;
	if (len == 0)
		return;
	e = hmap_find(m, name, len, 0);
	if (e && e->doc != doc)
		e->doc = -2;
	else if (!e)
		hmap_set(m, name, len, 0, doc);
}

/* The names a Convention trailer may use for a bundle or a page: its
 * directory or file name, its output path and the last segment of it,
 * its source path (for a bundle, its directory). */
static void build_names(struct walk *w)
{
	const struct site *s = w->site;

	for (size_t i = 0; i < s->ndocs; i++) {
		const struct document *d = s->docs[i];
		size_t n = strlen(d->path);
		const char *last;

		if (d->kind == DOC_LIST || d->outside_signed ||
		    (d->parent && d->parent->kind == DOC_BUNDLE))
			continue;
		add_name(&w->names, d->name, strlen(d->name), (long)i);
		add_name(&w->names, d->path, n, (long)i);
		while (n > 0 && d->path[n - 1] == '/')
			n--;
		for (last = d->path + n; last > d->path && last[-1] != '/';)
			last--;
		add_name(&w->names, last, (size_t)(d->path + n - last),
		         (long)i);
		add_name(&w->names, d->src, strlen(d->src), (long)i);
		if (d->kind == DOC_BUNDLE)
			add_name(&w->names, d->src, dir_len(d->src), (long)i);
		else if (ends_with(d->src, ".md"))
			add_name(&w->names, d->src, strlen(d->src) - 3,
			         (long)i);
	}
	w->names_built = 1;
}

long hmap_convention(struct walk *w, const char *name)
{
	const struct hmap_entry *e;
	size_t len = strlen(name);

	if (!w->names_built)
		build_names(w);
	while (len > 0 && name[len - 1] == '/')
		len--;
	e = hmap_find(&w->names, name, len, 0);
	return e ? e->doc : -1;
}
