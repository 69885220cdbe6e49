/*
 * render: pages into HTML (see render.h).
 *
 * Each page is rendered from one context value (the variables listed in
 * docs/themes.md): render builds it from the document and its neighbours,
 * then template.c runs the chosen template on it. Bodies are rendered to
 * HTML first, for every page, so that the order of the documents never
 * matters.
 */
#include "render.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "markdown.h"
#include "output.h"
#include "site.h"
#include "template.h"
#include "theme.h"
#include "value.h"
#include "version.h"
#include "xalloc.h"

/* A document is published unless it is a draft and drafts are off. */
static int published(const struct document *d, const struct config *cfg)
{
	return d->page && (cfg->drafts ||
	                   !value_truthy(value_get(d->page->meta, "draft")));
}

static const char *kind_name(const struct document *d)
{
	if (!d->parent)
		return "home";
	switch (d->kind) {
	case DOC_LIST: return "list";
	case DOC_BUNDLE: return "bundle";
	default: return "page";
	}
}

/* The relative prefix from d's directory to the site root. */
static void root_prefix(const struct document *d, struct buf *out)
{
	for (const char *p = d->path; *p; p++)
		if (*p == '/')
			buf_puts(out, "../");
}

/* {title, path, type, kind, meta}: what a page knows of another. */
static struct value *summary(const struct document *d)
{
	struct value *s = value_map();

	value_set_str(s, "title", d->page->title);
	value_set_str(s, "path", d->path);
	value_set_str(s, "type", d->page->type);
	value_set_str(s, "kind", kind_name(d));
	value_set(s, "meta", value_copy(d->page->meta));
	return s;
}

static int by_weight(const void *a, const void *b)
{
	const struct document *x = *(struct document *const *)a;
	const struct document *y = *(struct document *const *)b;

	if (x->weight != y->weight)
		return x->weight < y->weight ? -1 : 1;
	return strcmp(x->path, y->path);
}

static struct value *children_value(const struct document *d,
                                    const struct config *cfg)
{
	struct value *list = value_list();
	struct document **kids;

	if (!d->nchildren)
		return list;
	kids = xmalloc(d->nchildren * sizeof(*kids));
	memcpy(kids, d->children, d->nchildren * sizeof(*kids));
	qsort(kids, d->nchildren, sizeof(*kids), by_weight);
	for (size_t i = 0; i < d->nchildren; i++)
		if (published(kids[i], cfg))
			value_push(list, summary(kids[i]));
	free(kids);
	return list;
}

static struct value *resources_value(const struct document *d)
{
	struct value *list = value_list();

	for (size_t i = 0; i < d->nresources; i++) {
		const struct resource *r = &d->resources[i];
		struct value *m = value_push(list, value_map());
		struct stat st;

		value_set_str(m, "name", r->name);
		value_set_str(m, "path", r->out);
		value_set_num(m, "size",
		              stat(r->src, &st) == 0 ? (double)st.st_size : 0);
	}
	return list;
}

/* Breadcrumbs from the home page down to d's parent. */
static struct value *breadcrumbs_value(const struct document *d)
{
	struct value *list = value_list();
	const struct document *chain[64];
	size_t n = 0;

	for (const struct document *p = d->parent; p && n < 64; p = p->parent)
		chain[n++] = p;
	while (n--) {
		struct value *m = value_push(list, value_map());

		value_set_str(m, "title", chain[n]->page->title);
		value_set_str(m, "path", chain[n]->path);
	}
	return list;
}

/* Every published page, for the home page: summaries plus the title of
 * their top-level section. */
static struct value *pages_value(const struct site *site,
                                 const struct config *cfg)
{
	struct value *list = value_list();

	for (size_t i = 0; i < site->ndocs; i++) {
		const struct document *d = site->docs[i], *top = d;
		struct value *s;

		/* documents only: not the listings (the sections
		 * themselves) nor the sub-pages of bundles */
		if (!published(d, cfg) || d->kind == DOC_LIST ||
		    (d->parent && d->parent->kind == DOC_BUNDLE))
			continue;
		while (top->parent && top->parent->parent)
			top = top->parent;
		s = value_push(list, summary(d));
		value_set_str(s, "section",
		              top != d && top->kind == DOC_LIST ? top->page->title
		                                                : "");
	}
	return list;
}

static struct value *site_value(const struct config *cfg)
{
	struct value *s = value_map();

	value_set_str(s, "title", cfg->title);
	value_set_str(s, "language", cfg->language);
	value_set_str(s, "base_url", cfg->base_url);
	value_set(s, "config", value_copy(cfg->data));
	return s;
}

/* The variables of d's template (docs/themes.md). */
static struct value *page_context(const struct document *d,
                                  const struct site *site,
                                  const struct config *cfg)
{
	struct value *ctx = value_map(), *p;
	struct buf root = BUF_INIT;

	value_set(ctx, "site", site_value(cfg));
	root_prefix(d, &root);
	value_set_str(ctx, "root", buf_str(&root));
	buf_free(&root);
	value_set_str(ctx, "generator", "paraphe " PARAPHE_VERSION);
	p = value_set(ctx, "page", summary(d));
	value_set_str(p, "src", d->src);
	value_set_str(p, "content", d->page->html ? d->page->html : "");
	value_set(p, "toc", value_copy(d->page->toc));
	if (d->parent) {
		struct value *par = value_set(p, "parent", value_map());

		value_set_str(par, "title", d->parent->page->title);
		value_set_str(par, "path", d->parent->path);
	}
	value_set(p, "breadcrumbs", breadcrumbs_value(d));
	value_set(p, "children", children_value(d, cfg));
	value_set(p, "resources", resources_value(d));
	value_set(p, "versions", value_list());
	if (!d->parent)
		value_set(ctx, "pages", pages_value(site, cfg));
	return ctx;
}

/* A type names a template only when it is a plain word. */
static int plain_word(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/* home.html, list.html, TYPE.html, falling back to page.html (SPEC §7). */
static const char *template_for(const struct document *d, struct script *lua,
                                struct buf *name)
{
	buf_reset(name);
	if (!d->parent && template_exists(lua, "home.html"))
		return "home.html";
	if (d->kind == DOC_LIST && template_exists(lua, "list.html"))
		return "list.html";
	if (plain_word(d->page->type)) {
		buf_printf(name, "%s.html", d->page->type);
		if (template_exists(lua, buf_str(name)))
			return buf_str(name);
	}
	return "page.html";
}

static int render_document(const struct document *d, const struct site *site,
                           const struct config *cfg, struct script *lua,
                           struct output *out)
{
	struct buf html = BUF_INIT, name = BUF_INIT, rel = BUF_INIT;
	struct value *ctx = page_context(d, site, cfg);
	const char *tpl = template_for(d, lua, &name);
	int ret = -1;

	if (!template_exists(lua, tpl)) {
		diag_error(d->src, 0, 0, "no template '%s' in theme '%s'", tpl,
		           cfg->theme);
		goto out;
	}
	if (template_render(lua, tpl, ctx, d->src, &html) < 0)
		goto out;
	buf_printf(&rel, "%sindex.html", d->path);
	ret = output_write(out, buf_str(&rel), buf_str(&html), html.len);
out:
	value_free(ctx);
	buf_free(&html);
	buf_free(&name);
	buf_free(&rel);
	return ret;
}

/* Renders every body to HTML, filling page->html and page->toc. */
static void render_bodies(struct site *site)
{
	for (size_t i = 0; i < site->ndocs; i++) {
		struct page *p = site->docs[i]->page;
		struct buf html = BUF_INIT;

		if (!p || p->html)
			continue;
		value_free(p->toc);
		p->toc = value_list();
		if (p->md)
			markdown_render(p->md, &html, p->toc);
		p->html = buf_detach(&html);
	}
}

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

int render_site(const struct config *cfg, struct site *site,
                struct script *lua, const struct theme *theme,
                struct output *out, struct render_stats *stats)
{
	struct render_stats local = {0, 0};
	struct render_stats *st = stats ? stats : &local;
	int ret = 0;

	*st = local;
	render_bodies(site);
	for (size_t i = 0; i < site->ndocs; i++) {
		const struct document *d = site->docs[i];

		if (!published(d, cfg)) {
			if (d->page)
				diag_note(d->src, 0, 0,
				          "draft, not published (use --drafts)");
			continue;
		}
		if (render_document(d, site, cfg, lua, out) < 0)
			ret = -1;
		else
			st->pages++;
		for (size_t r = 0; r < d->nresources; r++) {
			if (output_copy(out, d->resources[r].out,
			                d->resources[r].src) < 0)
				ret = -1;
			else
				st->resources++;
		}
	}
	if (copy_static(theme, out, st) < 0)
		ret = -1;
	return ret;
}
