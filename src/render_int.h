/*
 * render_int: what the files of the render stage share (render.c: the
 * pages of the current text; render_versions.c: versions, timelines,
 * data.json). Private to the render stage.
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

/* The template variables of a view (docs/themes.md); the caller frees. */
struct value *render_context(const struct render_env *env,
                             const struct view *v);
/* Renders template tpl (NULL: chosen by the page's kind and type) with
 * the view's context, and writes it as PATH/index.html. Returns 0, or -1
 * after reporting. */
int render_view(const struct render_env *env, const struct view *v,
                const char *tpl);
/* Renders the body of p to HTML once (p->html, p->toc). */
void render_body(struct page *p);
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

#endif
