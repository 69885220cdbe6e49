/*
 * render_cache: a document's pages from the cache (cache.h) when nothing
 * they are made of has changed.
 *
 * The key of a document is a SHA-256 of:
 *   - the salt: the paraphe binary itself (its code decides the HTML),
 *     every file of the theme, the site's scripts/, and the configuration
 *     (site.yaml and the flags that change pages);
 *   - the template context of its current page (docs/themes.md): front
 *     matter, breadcrumbs, parent, children, resources with their
 *     SHA-256, versions, acts, standing, JSON-LD;
 *   - for each published version: the context of its page (its standing
 *     and JSON-LD at the reference date), its trailers and commit, and
 *     each of its sub-pages;
 *   - the text of every page (hash_text): a text read from a git blob
 *     that no derive block changed is its blob id (its HTML and table of
 *     contents are functions of the blob's bytes, the parse options and
 *     the binary), so that a hit reads and parses nothing; any other
 *     text is rendered and its HTML hashed. Changes and compare pages are
 *     functions of these texts (the diff compares rendered blocks) and of
 *     the configuration.
 * Hooks run before this (derive), so what they compute is in the metas
 * and in the trees their derive blocks changed (kept in memory, hashed
 * as HTML).
 *
 * An entry keeps, as its note, what the site-wide files need of the
 * document when it is not rendered: the search excerpt and headings of
 * its current page.
 * The reference date ("today") is hashed only when a template the
 * document uses mentions "today" or "os." (os.date, os.time), or a
 * partial does: a new commit moves the date, and would otherwise make
 * every page a miss although only the banners' standing (in the
 * contexts) depends on it.
 *
 * A document whose rendering reported a warning is not stored: a cached
 * build must report what a clean build reports.
 */
#include "render_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cache.h"
#include "config.h"
#include "diag.h"
#include "fs.h"
#include "hash.h"
#include "site.h"
#include "theme.h"
#include "value.h"
#include "version.h"
#include "xalloc.h"

/* Hashes v with its structure: a type tag, lengths, then the bytes. */
static void hash_value(struct hash *h, const struct value *v)
{
	char tag[48];
	int n;

	if (!v) {
		hash_update(h, "z", 1);
		return;
	}
	switch (v->type) {
	case VALUE_NIL:
		hash_update(h, "n", 1);
		return;
	case VALUE_BOOL:
		hash_update(h, v->u.boolean ? "t" : "f", 1);
		return;
	case VALUE_NUMBER:
		n = snprintf(tag, sizeof tag, "d%.17g;", v->u.number);
		hash_update(h, tag, (size_t)n);
		return;
	case VALUE_STRING:
		n = snprintf(tag, sizeof tag, "s%zu;", v->u.str.len);
		hash_update(h, tag, (size_t)n);
		hash_update(h, v->u.str.ptr, v->u.str.len);
		return;
	case VALUE_LIST:
		n = snprintf(tag, sizeof tag, "l%zu;", v->u.list.len);
		hash_update(h, tag, (size_t)n);
		for (size_t i = 0; i < v->u.list.len; i++)
			hash_value(h, v->u.list.items[i]);
		return;
	case VALUE_MAP:
		n = snprintf(tag, sizeof tag, "m%zu;", v->u.map.len);
		hash_update(h, tag, (size_t)n);
		for (size_t i = 0; i < v->u.map.len; i++) {
			size_t k = strlen(v->u.map.keys[i]);

			n = snprintf(tag, sizeof tag, "k%zu;", k);
			hash_update(h, tag, (size_t)n);
			hash_update(h, v->u.map.keys[i], k);
			hash_value(h, v->u.map.vals[i]);
		}
		return;
	}
}

static void hash_str(struct hash *h, const char *s)
{
	struct value v = {VALUE_STRING, 0, 0, {0}};

	v.u.str.ptr = (char *)(s ? s : "");
	v.u.str.len = strlen(v.u.str.ptr);
	hash_value(h, &v);
}

/* Hashes the regular files under dir (relative to the site root), in
 * name order, hidden ones skipped as derive skips them. */
static void hash_tree(struct hash *h, const char *dir)
{
	struct dirent **list = NULL;
	int n = scandir(dir, &list, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		char *path = fs_join(dir, list[i]->d_name);
		struct buf data = BUF_INIT;

		if (list[i]->d_name[0] != '.') {
			hash_str(h, path);
			if (fs_is_dir(path))
				hash_tree(h, path);
			else if (fs_read(path, 64u << 20, &data) == 0)
				hash_update(h, data.data ? data.data : "",
				            data.len);
		}
		buf_free(&data);
		free(path);
		free(list[i]);
	}
	free(list);
}

/* 1 when a template's text can read the reference date. */
static int reads_date(const char *text)
{
	return strstr(text, "today") || strstr(text, "os.");
}

void render_cache_prepare(struct render_cache *rc, const struct config *cfg,
                          const struct theme *theme)
{
	struct hash *h = hash_new();
	struct buf conf = BUF_INIT;
	char exe[65];

	memset(rc, 0, sizeof(*rc));
	hash_str(h, "paraphe " PARAPHE_VERSION);
	if (hash_file_sha256("/proc/self/exe", exe) == 0)
		hash_str(h, exe);
	for (size_t i = 0; i < theme->nfiles; i++) {
		const struct theme_file *f = &theme->files[i];

		hash_str(h, f->name);
		hash_str(h, f->data);
		if (strncmp(f->name, "templates/", 10) || !reads_date(f->data))
			continue;
		if (!strncmp(f->name, "templates/partials/", 19))
			rc->dated_all = 1;
		rc->dated =
		    xrealloc(rc->dated, (rc->ndated + 1) * sizeof(*rc->dated));
		rc->dated[rc->ndated++] = f->name + 10;
	}
	hash_tree(h, "scripts");
	value_to_json(cfg->data, &conf, 0);
	buf_printf(&conf, "|%s|%s|%s|%s|%s|%s|%d%d%d%d|%zu|%lld", cfg->title,
	           cfg->base_url, cfg->language, cfg->content, cfg->output,
	           cfg->theme, cfg->drafts, cfg->strict, cfg->unsafe_html,
	           (int)cfg->history, cfg->limit_memory,
	           cfg->limit_instructions);
	hash_update(h, conf.data, conf.len);
	buf_free(&conf);
	hash_end(h, rc->salt);
}

void render_cache_release(struct render_cache *rc)
{
	free(rc->dated);
	rc->dated = NULL;
	rc->ndated = 0;
}

/* Whether the template tpl may read the reference date. */
static int tpl_dated(const struct render_cache *rc, const char *tpl)
{
	if (rc->dated_all)
		return 1;
	for (size_t i = 0; i < rc->ndated; i++)
		if (!strcmp(rc->dated[i], tpl))
			return 1;
	return 0;
}

/* Hashes the text of p (see the top of this file); renders its body
 * when it is not a blob that no derive block changed. */
static void hash_text(struct hash *h, struct page *p)
{
	char opts[8];

	if (!p)
		return;
	snprintf(opts, sizeof opts, "%d%d", p->unsafe_html, p->drop_title);
	hash_str(h, opts);
	if (p->blob && !p->derived) {
		hash_str(h, "blob");
		hash_str(h, p->blob);
		return;
	}
	render_body(p);
	hash_str(h, "html");
	hash_str(h, p->html);
	hash_value(h, p->toc);
}

/* Hashes the context of view v, without its "today" and its text
 * (hash_text); returns 1 when the template v uses (or tpl) may read the
 * date. */
static int hash_view(const struct render_env *env, struct hash *h,
                     const struct view *v, const char *tpl)
{
	struct buf name = BUF_INIT;
	struct value *ctx = render_context(env, v);
	int dated;

	if (!tpl)
		tpl = render_template_for(v, env->lua, &name);
	dated = tpl_dated(env->cache, tpl);
	hash_str(h, tpl);
	value_set(ctx, "today", value_nil());
	value_set(value_get(ctx, "page"), "content", value_nil());
	value_set(value_get(ctx, "page"), "toc", value_nil());
	hash_value(h, ctx);
	value_free(ctx);
	buf_free(&name);
	return dated;
}

/* A page: its title, type, front matter and text. */
static void hash_page(struct hash *h, struct page *p)
{
	hash_str(h, p->title);
	hash_str(h, p->type);
	hash_value(h, p->meta);
	hash_text(h, p);
}

/* What a version view adds to the context of the current view: the
 * version's text and sub-pages, its trailers, its standing and JSON-LD
 * at the reference date; returns 1 when its template may read the date.
 * Everything else of its context (site, document, versions, resources,
 * acts, breadcrumbs) is the current view's. */
static int hash_version(const struct render_env *env, struct hash *h,
                        const struct document *d, size_t k)
{
	const struct version *ver = &d->versions[k];
	struct view vv = {d, ver->page, d->path, "version", ver, NULL, NULL};
	struct value *val = version_to_value(ver);
	struct buf name = BUF_INIT;
	char *jsonld;
	int dated;

	hash_value(h, val);
	value_free(val);
	if (!ver->page)
		return 0;
	hash_page(h, ver->page);
	for (size_t j = 0; j < ver->nsubpages; j++) {
		hash_str(h, ver->subpages[j].slug);
		hash_page(h, ver->subpages[j].page);
	}
	val = render_standing(env, d, k);
	hash_value(h, val);
	value_free(val);
	jsonld = render_jsonld(env, &vv);
	hash_str(h, jsonld);
	free(jsonld);
	dated =
	    tpl_dated(env->cache, render_template_for(&vv, env->lua, &name));
	buf_free(&name);
	return dated;
}

/* The key of d (see the top of this file), as 64 hex digits. */
static void document_key(const struct render_env *env, const struct document *d,
                         char key[65])
{
	struct view v = {d,    d->page, d->path, document_kind_name(d),
	                 NULL, NULL,    NULL};
	struct hash *h = hash_new();
	int dated;

	hash_str(h, env->cache->salt);
	dated = hash_view(env, h, &v, NULL);
	hash_text(h, d->page);
	if (d->nversions)
		dated |= tpl_dated(env->cache, "versions.html") ||
		         tpl_dated(env->cache, "changes.html");
	for (size_t k = 0; k < d->nversions; k++)
		dated |= hash_version(env, h, d, k);
	if (dated)
		hash_str(h, env->site->reference_date);
	hash_end(h, key);
}

static void add_counts(struct render_stats *st, const struct cache_counts *k)
{
	st->pages += k->pages;
	st->versions += k->versions;
	st->changes += k->changes;
	st->resources += k->resources;
}

/* The note of d's entry: the search excerpt of its current page, then
 * the titles of its headings, each ended by a NUL byte. */
static void make_note(struct page *p, struct buf *note)
{
	if (!p)
		return;
	if (!p->excerpt && p->html)
		p->excerpt = render_excerpt(p->html);
	buf_put(note, p->excerpt ? p->excerpt : "",
	        strlen(p->excerpt ? p->excerpt : "") + 1);
	for (size_t i = 0; i < value_len(p->toc); i++) {
		const char *t = value_get_str(p->toc->u.list.items[i], "title");

		buf_put(note, t ? t : "", strlen(t ? t : "") + 1);
	}
}

/* Gives p, not rendered on a hit, what make_note kept: its excerpt, and
 * its headings as a table of contents of titles. */
static void apply_note(struct page *p, const struct buf *note)
{
	const char *s = note->data, *end = s + note->len;

	if (!p || !s || !note->len || end[-1] != '\0')
		return;
	free(p->excerpt);
	p->excerpt = xstrdup(s);
	value_free(p->toc);
	p->toc = value_list();
	for (s += strlen(s) + 1; s < end; s += strlen(s) + 1)
		value_set_str(value_push(p->toc, value_map()), "title", s);
}

int render_cached(const struct render_env *env, const struct document *d,
                  int (*render)(const struct render_env *,
                                const struct document *))
{
	struct render_stats before = *env->st;
	struct cache_counts k;
	struct buf note = BUF_INIT;
	char key[65];
	int warnings = diag_warnings(), r;

	document_key(env, d, key);
	r = cache_fetch(env->cache->cache, key, env->out, &k, &note);
	env->st->documents++;
	if (r != 0) {
		if (r > 0) {
			add_counts(env->st, &k);
			env->st->cached++;
			apply_note(d->page, &note);
		}
		buf_free(&note);
		return r > 0 ? 0 : -1;
	}
	env->rec->n = 0;
	env->rec->on = 1;
	r = render(env, d);
	env->rec->on = 0;
	/* another worker's warning also stops the store: only a lost
	 * chance, the next build stores it */
	if (r == 0 && diag_warnings() == warnings) {
		k.pages = env->st->pages - before.pages;
		k.versions = env->st->versions - before.versions;
		k.changes = env->st->changes - before.changes;
		k.resources = env->st->resources - before.resources;
		make_note(d->page, &note);
		cache_store(env->cache->cache, key, env->out, env->rec->rels,
		            env->rec->n, &k, note.data, note.len);
	}
	buf_free(&note);
	for (size_t i = 0; i < env->rec->n; i++)
		free(env->rec->rels[i]);
	env->rec->n = 0;
	return r;
}

void render_record(const struct render_env *env, const char *rel)
{
	struct render_rec *rec = env->rec;

	if (!rec || !rec->on)
		return;
	rec->rels = xgrow(rec->rels, &rec->cap, rec->n + 1, sizeof(*rec->rels));
	rec->rels[rec->n++] = xstrdup(rel);
}
