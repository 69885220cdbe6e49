/*
 * render: pages into HTML through the theme's templates, written with the
 * resources and the theme's static files into the output (output.c).
 */
#ifndef PARAPHE_RENDER_H
#define PARAPHE_RENDER_H

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
 * in lua[i] (Lua states are not thread-safe), and writes the pages,
 * the bundles' resources and the theme's static/ files into out. With a
 * cache (NULL: none), a document whose inputs are unchanged is linked
 * from it instead of rendered (render_cache.c). Returns
 * 0, or -1 after reporting every failure. stats may be NULL.
 */
int render_site(const struct config *cfg, struct site *site,
                struct script **lua, int workers, const struct theme *theme,
                struct output *out, struct cache *cache,
                struct render_stats *stats);

#endif
