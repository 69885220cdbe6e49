/*
 * load_versions: the text of every version of every document, read from
 * git (see load.h), one document per job on the -j workers; a signed
 * document's current text becomes its last signed version's.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "fs.h"
#include "history.h"
#include "load.h"
#include "load_int.h"
#include "pool.h"
#include "site.h"
#include "slug.h"
#include "value.h"
#include "xalloc.h"

/* The page of text, src's file as read from git (blob, at commit). */
static struct page *page_at(struct history *h, const char *commit,
                            const char *blob, const char *src, const char *name,
                            const struct config *cfg, const struct buf *text)
{
	struct buf file = BUF_INIT;
	struct page *p;

	/* diagnostics name the file and the commit it comes from */
	buf_printf(&file, "%s@%.7s", src, commit);
	p = load_text(buf_str(&file), buf_str(text), text->len, name, cfg);
	if (p)
		load_keep_source(p, src, blob, h);
	buf_free(&file);
	return p;
}

/* Loads src as it was at commit; NULL when it did not exist then (*absent
 * set) or failed (reported). */
static struct page *load_at(struct history *h, const char *commit,
                            const char *src, const char *name,
                            const struct config *cfg, int *absent)
{
	struct buf text = BUF_INIT;
	struct page *p = NULL;
	char blob[41];
	int r = history_read_id(h, commit, src, &text, blob);

	*absent = r == 1;
	if (r == 0)
		p = page_at(h, commit, blob, src, name, cfg, &text);
	buf_free(&text);
	return p;
}

/* The directory of a bundle: its src without "/index.md". */
static char *bundle_dir(const char *src)
{
	const char *slash = strrchr(src, '/');

	return slash ? xstrndup(src, (size_t)(slash - src)) : xstrdup(".");
}

static void add_subpage(struct version *v, char *src, const char *file,
                        struct page *p)
{
	struct subpage *sp;
	size_t n = strlen(file) - 3; /* without ".md" */

	v->subpages =
	    xrealloc(v->subpages, (v->nsubpages + 1) * sizeof(*v->subpages));
	sp = &v->subpages[v->nsubpages++];
	sp->src = src;
	sp->name = xstrndup(file, n);
	sp->slug = slug_new(sp->name);
	sp->page = p;
}

/* Loads src from its blob id (found by a listing at commit). */
static struct page *load_blob(struct history *h, const char *commit,
                              const char *id, const char *src, const char *name,
                              const struct config *cfg)
{
	struct buf text = BUF_INIT;
	struct page *p = NULL;

	if (history_read_blob(h, id, src, &text) == 0)
		p = page_at(h, commit, id, src, name, cfg, &text);
	buf_free(&text);
	return p;
}

/* The signed sub-pages of a bundle at version v, from the listing of its
 * directory dir at that commit (names, with their blob ids): the *.md
 * files beside index.md, bilans left out. */
static int load_subpages(struct history *h, struct version *v, const char *dir,
                         const struct value *names, const struct value *ids,
                         const struct config *cfg)
{
	int ret = 0;

	for (size_t i = 0; i < value_len(names); i++) {
		const char *f = names->u.list.items[i]->u.str.ptr;
		size_t n = strlen(f);
		struct page *p;
		char *src;

		if (strchr(f, '/') || n < 4 || strcmp(f + n - 3, ".md") ||
		    !strcmp(f, "index.md"))
			continue;
		src = fs_join(dir, f);
		p = load_blob(h, v->commit, ids->u.list.items[i]->u.str.ptr,
		              src, f, cfg);
		if (!p)
			ret = -1;
		if (!p || load_outside_signed(p)) {
			page_free(p);
			free(src);
			continue;
		}
		add_subpage(v, src, f, p);
	}
	return ret;
}

/* The text of bundle d at version v, and its signed sub-pages: one
 * listing of its directory at that commit gives every file's blob. */
static int load_bundle_version(struct history *h, const struct document *d,
                               struct version *v, const struct config *cfg)
{
	const char *src = v->src ? v->src : d->src;
	char *dir = bundle_dir(src);
	struct value *names = value_list(), *ids = value_list();
	const char *main_id = NULL;
	int ret = history_list_ids(h, v->commit, dir, names, ids) < 0 ? -1 : 0;
	int absent = 0;

	for (size_t i = 0; i < value_len(names); i++)
		if (!strcmp(names->u.list.items[i]->u.str.ptr, "index.md"))
			main_id = ids->u.list.items[i]->u.str.ptr;
	/* not a plain file there (absent, a link…): history_read says why */
	v->page = main_id ? load_blob(h, v->commit, main_id, src, d->name, cfg)
	                  : load_at(h, v->commit, src, d->name, cfg, &absent);
	if (!v->page) {
		if (absent)
			diag_error(src, 0, 0, "missing in commit %.7s",
			           v->commit);
		ret = -1;
	} else if (load_subpages(h, v, dir, names, ids, cfg) < 0) {
		ret = -1;
	}
	value_free(names);
	value_free(ids);
	free(dir);
	return ret;
}

/* The last signed version of d, or NULL. */
static const struct version *last_signed(const struct document *d)
{
	const struct version *last = NULL;

	for (size_t i = 0; i < d->nversions; i++)
		if (d->versions[i].is_signed)
			last = &d->versions[i];
	return last;
}

/*
 * The current text of a signed document is its last signed version's
 * (SPEC §3): reload it, and its signed sub-pages, from that commit. A
 * sub-page missing there is not signed yet and is not published.
 *
 * A sub-page with signed versions of its own would keep the last of them:
 * its own job replaces its page, as it did last when documents were loaded
 * one after the other (ordered by path, a bundle before its sub-pages).
 * History gives none today (a Convention trailer never names a sub-page
 * of a bundle), but no two jobs may write one page: its text at the
 * bundle's commit is then read, for the same diagnostics, and dropped.
 */
/* src at commit as a page of its own: by the blob id of known (the same
 * file at that commit, already loaded) when there is one, else by path. */
static struct page *load_again(struct history *h, const char *commit,
                               const struct page *known, const char *src,
                               const char *name, const struct config *cfg,
                               int *absent)
{
	*absent = 0;
	if (known && known->blob)
		return load_blob(h, commit, known->blob, src, name, cfg);
	return load_at(h, commit, src, name, cfg, absent);
}

/* The page of v's sub-page src, or NULL. */
static const struct page *subpage_of(const struct version *v, const char *src)
{
	for (size_t i = 0; i < v->nsubpages; i++)
		if (!strcmp(v->subpages[i].src, src))
			return v->subpages[i].page;
	return NULL;
}

static int load_signed_current(struct history *h, struct document *d,
                               const struct config *cfg)
{
	const struct version *last = last_signed(d);
	int absent, ret = 0;

	if (!last)
		return 0;
	page_free(d->page);
	d->page =
	    load_again(h, last->commit, last->page,
	               last->src ? last->src : d->src, d->name, cfg, &absent);
	if (!d->page)
		return -1;
	for (size_t i = 0; i < d->nchildren && d->kind == DOC_BUNDLE; i++) {
		struct document *c = d->children[i];
		struct page *p;

		if (c->kind != DOC_PAGE || c->outside_signed)
			continue;
		p = load_again(h, last->commit, subpage_of(last, c->src),
		               c->src, c->name, cfg, &absent);
		if (!p && !absent)
			ret = -1;
		if (c->is_signed && last_signed(c)) {
			page_free(p);
			continue;
		}
		page_free(c->page);
		c->page = p;
	}
	return ret;
}

/* The versions of one document, then its current text when it is signed
 * (see load_versions). */
static int load_doc_versions(struct load_jobs *j, struct document *d)
{
	int ret = 0;

	for (size_t k = 0; k < d->nversions; k++) {
		struct version *v = &d->versions[k];
		const char *src = v->src ? v->src : d->src;
		int absent;

		if (d->kind == DOC_BUNDLE) {
			if (load_bundle_version(j->h, d, v, j->cfg) < 0)
				ret = -1;
			continue;
		}
		v->page =
		    load_at(j->h, v->commit, src, d->name, j->cfg, &absent);
		if (!v->page) {
			if (absent)
				diag_error(src, 0, 0, "missing in commit %.7s",
				           v->commit);
			ret = -1;
		}
	}
	if (d->is_signed && load_signed_current(j->h, d, j->cfg) < 0)
		ret = -1;
	return ret;
}

static void versions_job(size_t i, int worker, void *arg)
{
	(void)worker;
	load_run_captured(arg, i, load_doc_versions);
}

int load_versions(struct site *site, const struct config *cfg,
                  struct history *h)
{
	struct load_jobs j;

	load_jobs_init(&j, site, cfg, h);
	pool_run(cfg->jobs, site->ndocs, versions_job, &j);
	return load_jobs_finish(&j);
}
