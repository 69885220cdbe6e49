/*
 * render_run: the render stage on the -j workers (see render.h). A
 * document is rendered in one job, and its texts, trees and HTML freed
 * once its files are written (its search excerpt is kept).
 *
 * A document whose pages show no derived data of documents outside its
 * derive group (render_group: all but listings and the home page, whose
 * pages list other documents with their front matter) is rendered by the
 * derive job that derived it, with the trees its hooks parsed: a text is
 * parsed once, and held only while its group is being done. The others
 * follow once every document is derived (render_end), then the site-wide
 * files, on one worker.
 */
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "markdown.h"
#include "output.h"
#include "pool.h"
#include "render_int.h"
#include "site.h"
#include "theme.h"
#include "value.h"
#include "xalloc.h"

struct render {
	const struct config *cfg;
	struct site *site;
	const struct theme *theme;
	struct output *out;
	struct cache *cache;
	int workers;
	struct render_env *envs; /* one per worker, with its Lua state */
	struct render_stats *st; /* the same */
	struct render_rec *recs; /* the same */
	int *failed;             /* the same */
	struct render_cache rc;
	struct value *hashes;
	unsigned char *done; /* per document: rendered (or a draft) */
	size_t ndocs;
};

static int copy_static(const struct theme *theme, struct output *out,
                       struct render_stats *st)
{
	int ret = 0;

	for (size_t i = 0; i < theme->nfiles; i++) {
		const struct theme_file *f = &theme->files[i];

		if (strncmp(f->name, "static/", 7) != 0)
			continue;
		if (output_write(out, f->name + 7, f->data, f->len) < 0)
			ret = -1;
		else
			st->resources++;
	}
	return ret;
}

/* Frees the bodies of p once its document is written (memory does not
 * grow with the number of documents), keeping the search excerpt. */
static void release_body(struct page *p, int keep_excerpt)
{
	if (!p)
		return;
	if (keep_excerpt && !p->excerpt && p->html)
		p->excerpt = render_excerpt(p->html);
	free(p->html);
	p->html = NULL;
	markdown_free(p->md);
	p->md = NULL;
}

/* The bodies of d, its versions and their sub-pages, released. A page
 * is only ever shared within one document, and no other document reads
 * them: the pages of the others only show titles, front matter and
 * versions (render_context), and the site-wide files the excerpts. */
static void release_bodies(struct document *d)
{
	release_body(d->page, 1);
	for (size_t k = 0; k < d->nversions; k++) {
		release_body(d->versions[k].page, 0);
		for (size_t j = 0; j < d->versions[k].nsubpages; j++)
			release_body(d->versions[k].subpages[j].page, 0);
	}
}

/* Renders document i on worker w, then frees its bodies. */
static void render_one(struct render *r, size_t i, int w)
{
	const struct render_env *env = &r->envs[w];
	struct document *d = r->site->docs[i];

	r->done[i] = 1;
	if (!render_published(d, env->cfg)) {
		if (d->page)
			diag_note(d->src, 0, 0,
			          "draft, not published (use --drafts)");
		return;
	}
	if ((env->cache ? render_cached(env, d, render_whole)
	                : render_whole(env, d)) < 0)
		r->failed[w] = 1;
	release_bodies(d);
}

static void page_job(size_t i, int worker, void *arg)
{
	struct render *r = arg;

	if (!r->done[i])
		render_one(r, i, worker);
}

struct render *render_begin(const struct config *cfg, struct site *site,
                            struct script **lua, int workers,
                            const struct theme *theme, struct output *out,
                            struct cache *cache)
{
	struct render *r = xcalloc(1, sizeof(*r));
	size_t n = (size_t)(workers < 1 ? 1 : workers);

	r->cfg = cfg;
	r->site = site;
	r->theme = theme;
	r->out = out;
	r->cache = cache;
	r->workers = (int)n;
	r->envs = xcalloc(n, sizeof(*r->envs));
	r->st = xcalloc(n, sizeof(*r->st));
	r->recs = xcalloc(n, sizeof(*r->recs));
	r->failed = xcalloc(n, sizeof(*r->failed));
	r->hashes = render_hash_resources(site);
	r->ndocs = site->ndocs;
	r->done = xcalloc(site->ndocs + 1, 1);
	if (cache) {
		render_cache_prepare(&r->rc, cfg, theme);
		r->rc.cache = cache;
	}
	for (size_t w = 0; w < n; w++) {
		struct render_env e = {cfg,
		                       site,
		                       lua[w],
		                       out,
		                       &r->st[w],
		                       r->hashes,
		                       cache ? &r->rc : NULL,
		                       &r->recs[w]};

		r->envs[w] = e;
	}
	return r;
}

void render_group(struct render *r, int worker, size_t first, size_t n)
{
	for (size_t i = first; i < first + n && i < r->ndocs; i++) {
		const struct document *d = r->site->docs[i];

		if (d != r->site->home && d->kind != DOC_LIST)
			render_one(r, i, worker);
	}
}

void render_abort(struct render *r)
{
	value_free(r->hashes);
	for (int w = 0; w < r->workers; w++)
		free(r->recs[w].rels);
	if (r->cache)
		render_cache_release(&r->rc);
	free(r->recs);
	free(r->failed);
	free(r->envs);
	free(r->st);
	free(r->done);
	free(r);
}

int render_end(struct render *r, struct render_stats *stats)
{
	struct render_stats total = {0, 0, 0, 0, 0, 0};
	int ret = 0;

	pool_run(r->workers, r->ndocs, page_job, r);
	for (int w = 0; w < r->workers; w++) {
		const struct render_stats *s = &r->st[w];

		ret |= r->failed[w] ? -1 : 0;
		total.pages += s->pages;
		total.resources += s->resources;
		total.versions += s->versions;
		total.changes += s->changes;
		total.documents += s->documents;
		total.cached += s->cached;
	}
	if (r->cache)
		diag_note(NULL, 0, 0, "cache: %d of %d documents unchanged",
		          total.cached, total.documents);
	/* site-wide files and the theme's static files, on one worker, once
	 * every page is done */
	r->envs[0].st = &total;
	if (render_site_files(&r->envs[0]) < 0)
		ret = -1;
	if (copy_static(r->theme, r->out, &total) < 0)
		ret = -1;
	if (stats)
		*stats = total;
	render_abort(r);
	return ret;
}
