/*
 * render_site: the pages that no source file makes (SPEC §4): the
 * déclaration d'accessibilité at accessibilite/ (from site.yaml's
 * accessibilite map), the list of every document at recherche/ (which a
 * small script filters as one types), and 404.html; then the site-wide
 * files of render_feeds.c. A site that has its own page at accessibilite/
 * or recherche/ keeps it.
 *
 * It also warns about every signed version whose date put online is
 * unknown: the law asks for it, and the build never makes one up.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "render_int.h"
#include "site.h"
#include "value.h"
#include "xalloc.h"

/* A page of the site under the home page, made of nothing but a title;
 * src names it in diagnostics. Free with document_free. */
static struct document *special_doc(const struct site *site, const char *path,
                                    const char *title, const char *src)
{
	struct document *d = document_new(DOC_PAGE);

	d->src = xstrdup(src);
	d->dir = xstrdup("");
	d->path = xstrdup(path);
	d->name = xstrdup(path);
	d->parent = site->home;
	d->page = page_new();
	d->page->meta = value_map();
	d->page->toc = value_list();
	d->page->title = xstrdup(title);
	d->page->type = xstrdup("page");
	d->page->html = xstrdup("");
	return d;
}

/* 1 when a published document of the site is written at path. */
static int taken(const struct render_env *env, const char *path)
{
	for (size_t i = 0; i < env->site->ndocs; i++)
		if (!strcmp(env->site->docs[i]->path, path) &&
		    render_published(env->site->docs[i], env->cfg))
			return 1;
	return 0;
}

/* A page that no source makes: where it goes and how it is rendered. */
struct special {
	const char *path;  /* its directory ("accessibilite/") */
	const char *title; /* page.title */
	const char *kind;  /* page.kind */
	const char *tpl;   /* its template */
	const char *file;  /* the file written, NULL for PATH/index.html */
};

/*
 * Renders a special page; documents, when not NULL, is given to its
 * template as documents. A page written at PATH/index.html is added to
 * written (for the sitemap); a site page at the same path wins. Returns 0,
 * or -1 after reporting.
 */
static int special_page(const struct render_env *env, const struct special *sp,
                        const struct value *documents, struct value *written)
{
	struct document *d;
	struct value *ctx;
	int ret;

	if (!env->site->home || (!sp->file && taken(env, sp->path)))
		return 0;
	d = special_doc(env->site, sp->path, sp->title,
	                sp->file ? sp->file : sp->path);
	struct view v = {d, d->page, sp->path, sp->kind, NULL, NULL, NULL};
	ctx = render_context(env, &v);
	if (documents)
		value_set(ctx, "documents", value_copy(documents));
	if (sp->file && env->cfg->base_url[0]) {
		/* a 404 page is served at any depth: absolute links */
		struct buf root = BUF_INIT;

		buf_printf(&root, "%s/", env->cfg->base_url);
		value_set_str(ctx, "root", buf_str(&root));
		buf_free(&root);
	}
	ret = render_write_page(env, &v, sp->tpl, ctx, sp->file);
	if (ret == 0 && !sp->file)
		value_push(written, value_cstring(sp->path));
	value_free(ctx);
	document_free(d);
	return ret;
}

/* A warning for every signed version whose date put online is unknown
 * (SPEC §4: never today's date instead). */
static void warn_publication(const struct render_env *env)
{
	for (size_t i = 0; i < env->site->ndocs; i++) {
		const struct document *d = env->site->docs[i];

		if (!d->is_signed || !render_published(d, env->cfg))
			continue;
		for (size_t k = 0; k < d->nversions; k++) {
			const struct version *v = &d->versions[k];

			if (!v->is_signed || v->is_draft || !v->page ||
			    render_publication(d, k))
				continue;
			diag_warning(d->src, 0, 0,
			             "signed version %d '%s' has no date put "
			             "online: add a 'Publication' trailer or a "
			             "'publication' date to its 'actes' entry",
			             v->id, v->label);
		}
	}
}

int render_site_files(const struct render_env *env)
{
	static const struct special pages[] = {
	    {"accessibilite/", "Déclaration d’accessibilité", "accessibilite",
	     "accessibilite.html", NULL},
	    {"recherche/", "Tous les documents", "search", "search.html", NULL},
	    {"", "Page introuvable", "404", "404.html", "404.html"}};
	struct value *index = render_search_value(env);
	struct value *written = value_list();
	int ret = 0;

	for (size_t i = 0; i < sizeof(pages) / sizeof(*pages); i++)
		if (special_page(env, &pages[i],
		                 !strcmp(pages[i].kind, "search") ? index
		                                                  : NULL,
		                 written) < 0)
			ret = -1;
	warn_publication(env);
	if (render_feeds(env, index, written) < 0)
		ret = -1;
	value_free(index);
	value_free(written);
	return ret;
}
