/*
 * derive: the derive stage (see derive.h): loads the scripts, runs
 * on_site and adds the pages it asks for, then processes every page:
 * on_page, the derive blocks, and page.meta back into the page.
 *
 * A page's text can be shared between a document and one of its versions
 * (load_versions may point both at one page): each page is processed once,
 * current texts first, so that page.current is true for the text shown at
 * the document's own path.
 */
#include "derive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "derive_int.h"
#include "diag.h"
#include "load.h"
#include "markdown.h"
#include "pool.h"
#include "script.h"
#include "site.h"
#include "value.h"
#include "xalloc.h"

struct derive *derive_new(const struct config *cfg, const struct site *site)
{
	struct script_limits limits = {cfg->limit_memory,
	                               cfg->limit_instructions};
	struct derive *dv = xcalloc(1, sizeof(*dv));
	struct value *hooks = value_list();
	int ret = -1;
	size_t i;

	dv->lua = script_new(&limits);
	if (derive_load_scripts(dv->lua, hooks) < 0 ||
	    script_hooks_open(dv->lua, site->reference_time) < 0)
		goto out;
	ret = 0;
	for (i = 0; i < value_len(hooks); i++)
		if (script_hooks_load(dv->lua,
		                      hooks->u.list.items[i]->u.str.ptr) < 0)
			ret = -1;
out:
	value_free(hooks);
	if (ret < 0) {
		derive_free(dv);
		return NULL;
	}
	return dv;
}

void derive_set_reader(struct derive *dv, derive_read_fn *read, void *ctx)
{
	dv->read = read;
	dv->read_ctx = ctx;
}

void derive_free(struct derive *dv)
{
	size_t i;

	if (!dv)
		return;
	script_free(dv->lua); /* first: its page tables use the views */
	derive_data_free(dv);
	for (i = 0; i < dv->nlazy; i++) {
		free(dv->lazy[i]->src);
		free(dv->lazy[i]->path);
		free(dv->lazy[i]->name);
		free(dv->lazy[i]);
	}
	free(dv->lazy);
	free(dv->site_docs);
	free(dv->by_doc);
	for (int w = 0; w < dv->nmore; w++)
		derive_free(dv->more[w]);
	free(dv->more);
	free(dv);
}

/* ---- pages ---- */

/* The pages processed so far (a set of pointers, open addressing). */
struct seen {
	const struct page **slots;
	size_t cap, len;
};

/* Adds p; returns 1 when it was there already. */
static int seen_add(struct seen *s, const struct page *p)
{
	const struct page **old = s->slots;
	size_t i, h, oldcap = s->cap;

	if (2 * (s->len + 1) > s->cap) {
		s->cap = oldcap ? 2 * oldcap : 64;
		s->slots = xcalloc(s->cap, sizeof(*s->slots));
		s->len = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i])
				seen_add(s, old[i]);
		free(old);
	}
	h = ((size_t)p >> 4) * 2654435761u;
	for (i = h & (s->cap - 1); s->slots[i]; i = (i + 1) & (s->cap - 1))
		if (s->slots[i] == p)
			return 1;
	s->slots[i] = p;
	s->len++;
	return 0;
}

/* Replaces p's meta by meta, keeping the old values (and their source
 * lines) where they did not change. */
static void set_meta(struct page *p, struct value *meta)
{
	size_t i, j;

	if (value_equal(p->meta, meta)) {
		value_free(meta);
		return;
	}
	for (i = 0; p->meta && i < meta->u.map.len; i++)
		for (j = 0; j < p->meta->u.map.len; j++)
			if (!strcmp(meta->u.map.keys[i],
			            p->meta->u.map.keys[j]) &&
			    value_equal(meta->u.map.vals[i],
			                p->meta->u.map.vals[j])) {
				struct value *t = meta->u.map.vals[i];

				meta->u.map.vals[i] = p->meta->u.map.vals[j];
				p->meta->u.map.vals[j] = t;
				break;
			}
	value_free(p->meta);
	p->meta = meta;
}

/* Runs the derive blocks of the page being processed (the text of v). */
static void run_blocks(struct derive *dv, const struct derive_view *v)
{
	struct markdown_derive *blocks = NULL;
	struct page *p = v->page;
	const char *src = v->src;
	size_t i, n = p->has_derive && load_markdown(p)
	                  ? markdown_derive_list(p->md, &blocks)
	                  : 0;
	long e;

	if (n) { /* the outlines, blocks... show the text before */
		script_page_settle(dv->lua, "outline");
		script_page_settle(dv->lua, "blocks");
		script_page_settle(dv->lua, "text");
		script_page_settle(dv->lua, "tables");
		if (!v->version && !v->name &&
		    (e = derive_site_entry(dv, v->doc)) >= 0)
			script_site_settle(dv->lua, (size_t)e, "outline");
	}
	for (i = 0; i < n; i++) {
		struct value *parts = value_list();

		if (script_page_derive(
		        dv->lua, src, p->body_line + blocks[i].line - 1,
		        blocks[i].code, blocks[i].len, parts) == 0) {
			markdown_derive_replace(p->md, &blocks[i], parts);
			p->derived = 1;
		}
		value_free(parts);
	}
	free(blocks);
}

/* A copy of v that lives until derive_free, for its lazy fields. */
static struct derive_lazy *keep_view(struct derive *dv,
                                     const struct derive_view *v)
{
	struct derive_lazy *lz = xcalloc(1, sizeof(*lz));

	lz->dv = dv;
	lz->v = *v;
	lz->v.src = lz->src = xstrdup(v->src);
	lz->v.path = lz->path = xstrdup(v->path);
	lz->v.name = lz->name = v->name ? xstrdup(v->name) : NULL;
	dv->lazy =
	    xgrow(dv->lazy, &dv->lazy_cap, dv->nlazy + 1, sizeof(*dv->lazy));
	dv->lazy[dv->nlazy++] = lz;
	return lz;
}

/* on_page and the derive blocks of one view's page. The page table's
 * costly fields are built when a script reads them: what they are built
 * from stays as it is until derive_free, but for the page's own text,
 * which its derive blocks change (run_blocks settles them before), and
 * a bundle's sub-pages, processed after it (settled here). */
static void process(struct derive *dv, struct seen *seen,
                    const struct derive_view *v)
{
	struct derive_lazy *lz;
	struct value *page, *meta;
	char label[64 + 4096];

	if (!v->page || seen_add(seen, v->page))
		return;
	if (v->version)
		snprintf(label, sizeof(label), "%s at version %d", v->src,
		         v->version->id);
	else
		snprintf(label, sizeof(label), "%s", v->src);
	lz = keep_view(dv, v);
	page = derive_page_value(dv, &lz->v);
	if (script_page_begin(dv->lua, page, v->src, label) == 0) {
		script_page_lazy(dv->lua, derive_lazy_fields, derive_page_field,
		                 lz);
		script_page_hooks(dv->lua);
		/* the tree stays for render, in this job (group_job) */
		run_blocks(dv, v);
		if (v->doc->kind == DOC_BUNDLE && !v->name)
			script_page_settle(dv->lua, "subpages");
		if ((meta = script_page_end(dv->lua)))
			set_meta(v->page, meta);
	}
	value_free(page);
}

/* The views of d's versions: each text, and a bundle's sub-pages. */
static void process_versions(struct derive *dv, struct seen *seen,
                             const struct document *d)
{
	struct buf path = BUF_INIT, sub = BUF_INIT;
	size_t k, j;

	for (k = 0; k < d->nversions; k++) {
		const struct version *ver = &d->versions[k];
		struct derive_view v = {d, ver->page, ver, NULL, NULL, NULL};

		buf_reset(&path);
		buf_printf(&path, "%sversions/%d/", d->path, ver->id);
		v.src = ver->src ? ver->src : d->src;
		v.path = buf_str(&path);
		process(dv, seen, &v);
		for (j = 0; ver->page && j < ver->nsubpages; j++) {
			const struct subpage *sp = &ver->subpages[j];
			struct derive_view sv = {d,       sp->page, ver,
			                         sp->src, NULL,     sp->name};

			buf_reset(&sub);
			buf_printf(&sub, "%s%s/", buf_str(&path), sp->slug);
			sv.path = buf_str(&sub);
			process(dv, seen, &sv);
		}
	}
	buf_free(&path);
	buf_free(&sub);
}

/* ---- the stage, on the -j workers ---- */

/* The site table of state dv made from site, and on_site run on it: the
 * result (*sv, the caller frees). Returns 0, or -1 after reporting. */
static int run_on_site(struct derive *dv, const struct site *site,
                       const struct config *cfg, struct value **sv)
{
	/* built when a hook reads them (each state has its own table):
	 * outlines from the source, versions from history, neither of which
	 * another job changes */
	static const char *const lazy[] = {"outline", "versions", NULL};

	*sv = derive_site_value(dv, site, cfg);
	script_site_lazy(dv->lua, lazy, derive_site_field, dv->site_docs,
	                 dv->nsite);
	return script_hooks_on_site(dv->lua, sv);
}

/* The states of workers 1.. (dv is worker 0's), each with the hooks
 * loaded and on_site run on the same site table as dv's, so that every
 * state holds what on_site left (site, and the hook files' own
 * variables): on_site is deterministic (SPEC §6), and its messages are
 * dv's to give. Called before on_site's pages are added to site. */
static void open_workers(struct derive *dv, const struct site *site,
                         const struct config *cfg, int n)
{
	int errors = diag_errors(), warnings = diag_warnings();
	char *text = NULL;
	size_t len = 0;
	FILE *mute = open_memstream(&text, &len);
	struct value *sv;

	if (!mute)
		return; /* one state: the same pages, on one thread */
	diag_capture(mute);
	dv->more = xcalloc((size_t)n, sizeof(*dv->more));
	for (; dv->nmore < n - 1; dv->nmore++) {
		struct derive *w = derive_new(cfg, site);

		if (!w)
			break;
		w->read = dv->read;
		w->read_ctx = dv->read_ctx;
		dv->more[dv->nmore] = w;
		run_on_site(w, site, cfg, &sv);
		value_free(sv);
	}
	diag_capture(NULL);
	fclose(mute);
	free(text);
	diag_forget(diag_errors() - errors, diag_warnings() - warnings);
}

/* The documents processed by one job: a document and those under it
 * when it is a bundle (its sub-pages read each other's texts), which
 * follow it in site->docs (ordered by path). */
struct group {
	size_t first, n;
};

struct run {
	struct derive *dv;
	struct site *site;
	struct group *groups;
	char **diags;
	size_t *ndiags;
	derive_done_fn *done;
	void *done_ctx;
};

/* Frees the trees of p that no derive block changed (what was not
 * rendered in the job: the others parse them again when needed). */
static void drop_tree(struct page *p)
{
	if (p && p->md && !p->derived) {
		markdown_free(p->md);
		p->md = NULL;
	}
}

/* drop_tree on every page of docs[first..first+n). */
static void drop_trees(struct document **docs, size_t first, size_t n)
{
	for (size_t i = first; i < first + n; i++) {
		const struct document *d = docs[i];

		drop_tree(d->page);
		for (size_t k = 0; k < d->nversions; k++) {
			drop_tree(d->versions[k].page);
			for (size_t j = 0; j < d->versions[k].nsubpages; j++)
				drop_tree(d->versions[k].subpages[j].page);
		}
	}
}

/* Cuts site->docs into groups; returns how many. */
static size_t make_groups(const struct site *site, struct group *g)
{
	size_t i = 0, n = 0;

	while (i < site->ndocs) {
		const struct document *d = site->docs[i];
		size_t len = strlen(d->path), j = i + 1;

		if (d->kind == DOC_BUNDLE)
			while (j < site->ndocs &&
			       !strncmp(site->docs[j]->path, d->path, len))
				j++;
		g[n].first = i;
		g[n++].n = j - i;
		i = j;
	}
	return n;
}

/* One group on worker w's state: the current texts, then the versions,
 * as one thread would do them; diagnostics captured for run_finish. */
static void group_job(size_t k, int w, void *arg)
{
	struct run *r = arg;
	struct derive *dv = w ? r->dv->more[w - 1] : r->dv;
	const struct group *g = &r->groups[k];
	struct seen seen = {NULL, 0, 0};
	FILE *f = open_memstream(&r->diags[k], &r->ndiags[k]);
	size_t i;

	diag_capture(f);
	for (i = g->first; i < g->first + g->n; i++) {
		struct document *d = r->site->docs[i];
		struct derive_view v = {d,      d->page, NULL,
		                        d->src, d->path, NULL};

		process(dv, &seen, &v);
	}
	for (i = g->first; i < g->first + g->n; i++)
		process_versions(dv, &seen, r->site->docs[i]);
	/* a group whose hooks failed is not rendered (the build fails):
	 * what it would report would come and go with the scheduling */
	if (r->done && diag_captured_errors() == 0)
		r->done(r->done_ctx, w, g->first, g->n);
	drop_trees(r->site->docs, g->first, g->n);
	diag_capture(NULL);
	if (f)
		fclose(f);
	free(seen.slots);
}

/* Prints the groups' diagnostics in document order, so that they read
 * the same for any -j; a hook error that another state reported for an
 * earlier page is dropped (its key, script_limits.c), as one state would
 * not have repeated it. */
static void run_finish(struct run *r, size_t ngroups)
{
	struct diag_keys *keys = diag_keys_new();

	for (size_t k = 0; k < ngroups; k++) {
		if (r->diags[k])
			diag_print_captured(r->diags[k], r->ndiags[k], keys);
		free(r->diags[k]);
	}
	diag_keys_free(keys);
}

int derive_prepare(struct derive *dv, struct site *site,
                   const struct config *cfg)
{
	int before = diag_errors();
	struct value *sv;
	int workers = cfg->jobs > 1 ? cfg->jobs : 1;

	if ((size_t)workers > site->ndocs)
		workers = site->ndocs ? (int)site->ndocs : 1;
	run_on_site(dv, site, cfg, &sv);
	if (workers > 1)
		open_workers(dv, site, cfg, workers);
	derive_add_pages(site, cfg, value_get(sv, "pages"));
	value_free(sv);
	return diag_errors() > before ? -1 : 0;
}

int derive_run(struct derive *dv, struct site *site, derive_done_fn *done,
               void *ctx)
{
	int before = diag_errors();
	struct run r = {dv, site, NULL, NULL, NULL, done, ctx};
	size_t ngroups;

	r.groups = xcalloc(site->ndocs + 1, sizeof(*r.groups));
	ngroups = make_groups(site, r.groups);
	r.diags = xcalloc(ngroups + 1, sizeof(*r.diags));
	r.ndiags = xcalloc(ngroups + 1, sizeof(*r.ndiags));
	pool_run(1 + dv->nmore, ngroups, group_job, &r);
	run_finish(&r, ngroups);
	free(r.groups);
	free(r.diags);
	free(r.ndiags);
	return diag_errors() > before ? -1 : 0;
}

int derive_site(struct derive *dv, struct site *site, const struct config *cfg)
{
	int ret = derive_prepare(dv, site, cfg);

	return derive_run(dv, site, NULL, NULL) < 0 ? -1 : ret;
}
