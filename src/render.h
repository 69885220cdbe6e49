/*
 * render: pages into HTML through the theme's templates, written with the
 * resources and the theme's static files into the output (output.c).
 */
#ifndef PARAPHE_RENDER_H
#define PARAPHE_RENDER_H

#include <stddef.h>

struct cache;
struct config;
struct output;
struct script;
struct site;
struct theme;

struct render_stats {
	int pages;     /* HTML pages written */
	int resources; /* files copied */
	int versions;  /* version pages written */
	int changes;   /* changes pages written */
	int documents; /* documents rendered or taken from the cache */
	int cached;    /* documents taken from the cache */
};

/*
 * Renders every published document of site (drafts only with
 * cfg->drafts) on `workers` threads, worker i with the templates compiled
 * in lua[i] (Lua states are not thread-safe), and writes the pages, the
 * bundles' resources and the theme's static/ files into out. With a cache
 * (NULL: none), a document whose inputs are unchanged is linked from it
 * instead of rendered (render_cache.c).
 *
 * In three steps, so that documents can be rendered by the job that
 * derived them (render_run.c): render_begin (site must not gain documents
 * after it); render_group renders, on worker, the documents
 * first..first+n-1 whose pages show no other document's derived data
 * (all but listings and the home page), once their group is derived;
 * render_end renders the rest on the workers, then the site-wide and
 * static files, frees r and returns 0, or -1 after reporting every
 * failure (stats may be NULL).
 */
struct render;
struct render *render_begin(const struct config *cfg, struct site *site,
                            struct script **lua, int workers,
                            const struct theme *theme, struct output *out,
                            struct cache *cache);
void render_group(struct render *r, int worker, size_t first, size_t n);
int render_end(struct render *r, struct render_stats *stats);
/* Frees r without rendering more (the build failed). */
void render_abort(struct render *r);

#endif
