/*
 * render_int: what the files of the render stage share (render.c: the
 * pages of the current text; render_versions.c: versions, timelines,
 * data.json; render_legal.c: acts, dates put online, JSON-LD;
 * render_site.c and render_feeds.c: the site-wide pages and files).
 * Private to the render stage.
 */
#ifndef PARAPHE_RENDER_INT_H
#define PARAPHE_RENDER_INT_H

#include <stddef.h>

#include "render.h"

struct buf;
struct document;
struct page;
struct value;
struct version;

struct render_env {
	const struct config *cfg;
	const struct site *site;
	struct script *lua;
	struct output *out;
	struct render_stats *st;
	struct value *hashes; /* resource source path -> SHA-256 (hex), each
	                         file hashed once per build (render.c) */
	struct render_cache *cache; /* NULL without the cache */
	struct render_rec *rec;     /* this worker's record of written files */
};

/* What render_cache.c needs for a build: the cache, the salt of every
 * key, and the templates that may read the reference date. */
struct render_cache {
	struct cache *cache;
	char salt[65];
	const char **dated; /* template names ("page.html"), in the theme */
	size_t ndated;
	int dated_all; /* a partial reads the date: every template may */
};

/* The output paths a worker wrote for the document it renders, while on. */
struct render_rec {
	char **rels;
	size_t n, cap;
	int on;
};

/* One page to write: a document's text (current or at a version) at an
 * output path. */
struct view {
	const struct document *doc; /* the document shown */
	const struct page *page;    /* the text shown */
	const char *path;           /* output directory, "" or ending in "/" */
	const char *kind;           /* home, list, page, bundle, versions,
	                               version */
	const struct version *version; /* the version shown, or NULL */
	const struct value *children;  /* overrides the document's children
	                                  (a version's sub-pages), or NULL */
	const struct value *crumbs;    /* extra breadcrumbs after the
	                                  document's own, or NULL */
};

/* ---- The cache (render_cache.c) ---- */

/* Computes the salt and the dated templates (rc->cache is left NULL). */
void render_cache_prepare(struct render_cache *rc, const struct config *cfg,
                          const struct theme *theme);
void render_cache_release(struct render_cache *rc);
/* Renders d with render, or links its files from the cache when its key
 * (render_cache.c) is there; stores what render wrote when it reported
 * nothing. Returns what render returns, 0 on a hit. */
int render_cached(const struct render_env *env, const struct document *d,
                  int (*render)(const struct render_env *,
                                const struct document *));
/* Adds rel to env's record when a document is being recorded. */
void render_record(const struct render_env *env, const char *rel);
/* home.html, list.html, TYPE.html or page.html: the template of a view
 * (SPEC §7); name holds a TYPE.html. */
const char *render_template_for(const struct view *v, struct script *lua,
                                struct buf *name);

/* The template variables of a view (docs/themes.md); the caller frees. */
struct value *render_context(const struct render_env *env,
                             const struct view *v);
/* Renders template tpl (NULL: chosen by the page's kind and type) with
 * the view's context, and writes it as PATH/index.html. Returns 0, or -1
 * after reporting. */
int render_view(const struct render_env *env, const struct view *v,
                const char *tpl);
/* Renders template tpl with ctx (render_context's, maybe extended),
 * finishes the HTML (render_finish_html) and writes it at rel, or at
 * PATH/index.html when rel is NULL. Returns 0, or -1 after reporting. */
int render_write_page(const struct render_env *env, const struct view *v,
                      const char *tpl, const struct value *ctx,
                      const char *rel);
/* The last pass over the HTML of a page, in place: French typography of
 * its text (typo_html) on a site whose language is French, and relative
 * links to directories ("../x/") made to end in "index.html", so that the
 * site works from file:// as on any server (site.yaml "liens: dossiers"
 * keeps "../x/"). Every page writer calls it. */
void render_finish_html(const struct render_env *env, struct buf *html);
/* 1 when d is published (not a draft, or drafts are on). */
int render_published(const struct document *d, const struct config *cfg);
/* d's resources as a list of {name, path, size, sha256}. */
struct value *render_resources_value(const struct render_env *env,
                                     const struct document *d);
/* Renders the body of p to HTML once (p->html, p->toc). */
void render_body(struct page *p);
/* The bodies of d: its current text, its versions and their sub-pages. */
void render_bodies(const struct document *d);
/* The bodies of d, then its pages, resources and versions (what the
 * cache calls on a miss). */
int render_whole(const struct render_env *env, const struct document *d);
/* The SHA-256 of every resource of every document (drafts too), by
 * source path (computed once per build, before derive). */
struct value *render_hash_resources(const struct site *site);
/* Appends {title, path} to a breadcrumbs list. */
void render_crumb(struct value *list, const char *title, const char *path);

/* page.versions of d: one map per published version (render_versions.c). */
struct value *render_versions_value(const struct render_env *env,
                                    const struct document *d);
/* The standing of d's version k at the reference date, for banners. */
struct value *render_standing(const struct render_env *env,
                              const struct document *d, size_t k);
/* Writes d's timeline, version pages and data.json. */
int render_versions(const struct render_env *env, const struct document *d);
/* ---- Legal publication (render_legal.c) ---- */

/* The parts of a prefecture identifier (SPEC §4) as a map {id,
 * departement, siren, date (YYYY-MM-DD), numero, nature, nature_libelle},
 * or NULL when id does not match the pattern or its date is not a real
 * date. The caller frees. */
struct value *render_acte_parse(const char *id);
/* Every act of d, for its page and deliberations.csv: the Acte trailer of
 * each signed version, then the entries of its front matter's actes not
 * seen yet; each a map {id, valide, the parts above when valid,
 * transmission, publication, and for a version: version, label,
 * signature}. The caller frees. */
struct value *render_actes_value(const struct document *d);
/* The date d's version k was put online: its Publication trailer, else
 * the publication of the actes entry (in its own front matter, then in
 * the current one) whose id is its Acte trailer; NULL when unknown. */
const char *render_publication(const struct document *d, size_t k);
/* Adds to each map of list (render_versions_value of d) what the legal
 * publication needs: acte_info (render_acte_parse of its Acte),
 * publication (render_publication) and, for a signed version that a later
 * one amends, remplacee_par {id, label, path}. */
void render_versions_legal(const struct document *d, struct value *list);
/* The schema.org Legislation JSON-LD of a view of a signed document or a
 * convention (its current text or a signed version), compact and safe
 * inside <script> (value_to_json escapes < > &); NULL for other views.
 * The caller frees. */
char *render_jsonld(const struct render_env *env, const struct view *v);
/* The absolute URL of site path (base_url "/" path) appended to out, or
 * path itself when base_url is unset. */
void render_abs_url(const struct render_env *env, const char *path,
                    struct buf *out);

/* ---- Site-wide files (render_site.c, render_feeds.c) ---- */

/* Writes accessibilite/, recherche/, 404.html, feed.xml, sitemap.xml,
 * search.json and deliberations.csv, and warns about signed versions
 * without a date put online. Returns 0, or -1 after reporting. */
int render_site_files(const struct render_env *env);
/* The search excerpt of a page's HTML: about 220 bytes of its text, cut
 * at a space. The caller frees. */
char *render_excerpt(const char *html);
/* The search index: one map {title, path, type, section, excerpt,
 * headings} per published document but the home page, in path order. */
struct value *render_search_value(const struct render_env *env);
/* feed.xml, sitemap.xml (only with a base_url: every page of the
 * documents, then the paths of written), search.json (index) and
 * deliberations.csv. Returns 0, or -1 after reporting. */
int render_feeds(const struct render_env *env, const struct value *index,
                 const struct value *written);

/* Writes d's changes and compare pages (render_changes.c). */
int render_changes(const struct render_env *env, const struct document *d);

#endif
