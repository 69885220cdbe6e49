/*
 * render: pages into HTML (see render.h).
 *
 * Each page is rendered from one context value (the variables listed in
 * docs/themes.md): render builds it from the document and its neighbours,
 * then template.c runs the chosen template on it. Bodies are rendered to
 * HTML first, for every page, so that the order of the documents never
 * matters.
 */
#include "render_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "hash.h"
#include "load.h"
#include "markdown.h"
#include "output.h"
#include "pool.h"
#include "site.h"
#include "template.h"
#include "theme.h"
#include "typo.h"
#include "value.h"
#include "version.h"
#include "xalloc.h"

/* A document is published unless it is a draft and drafts are off. */
int render_published(const struct document *d, const struct config *cfg)
{
	return d->page && (cfg->drafts ||
	                   !value_truthy(value_get(d->page->meta, "draft")));
}

/* {title, path, type, kind, meta, last_version}: what a page knows of
 * another. */
static struct value *summary(const struct document *d)
{
	struct value *s = value_map();

	value_set_str(s, "title", d->page->title);
	value_set_str(s, "path", d->path);
	value_set_str(s, "type", d->page->type);
	value_set_str(s, "kind", document_kind_name(d));
	value_set(s, "meta", value_copy(d->page->meta));
	for (size_t k = d->nversions; k-- > 0;) {
		const struct version *v = &d->versions[k];
		struct value *m;
		struct buf path = BUF_INIT;

		if (!v->page || v->is_draft)
			continue;
		m = value_set(s, "last_version", value_map());
		buf_printf(&path, "%sversions/%d/", d->path, v->id);
		value_set_num(m, "id", v->id);
		value_set_str(m, "label", v->label);
		value_set_str(m, "date", v->date);
		value_set_bool(m, "signed", v->is_signed);
		value_set_str(m, "path", buf_str(&path));
		buf_free(&path);
		break;
	}
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
		if (render_published(kids[i], cfg))
			value_push(list, summary(kids[i]));
	free(kids);
	return list;
}

struct value *render_resources_value(const struct render_env *env,
                                     const struct document *d)
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
		value_set_str(m, "sha256", value_get_str(env->hashes, r->src));
	}
	return list;
}

/* Hashes every resource of every document once (SPEC §4: the
 * SHA-256 of a published file is shown and in data.json). */
struct value *render_hash_resources(const struct site *site)
{
	struct value *map = value_map();
	char hex[65];

	/* every document's, drafts too: render_begin runs before derive,
	 * whose hooks may still change a draft flag */
	for (size_t i = 0; i < site->ndocs; i++) {
		const struct document *d = site->docs[i];

		for (size_t r = 0; r < d->nresources; r++) {
			if (value_get(map, d->resources[r].src))
				continue;
			if (hash_file_sha256(d->resources[r].src, hex) < 0)
				continue; /* output_copy reports it */
			value_set_str(map, d->resources[r].src, hex);
		}
	}
	return map;
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
		if (!render_published(d, cfg) || d->kind == DOC_LIST ||
		    (d->parent && d->parent->kind == DOC_BUNDLE))
			continue;
		while (top->parent && top->parent->parent)
			top = top->parent;
		s = value_push(list, summary(d));
		value_set_str(
		    s, "section",
		    top != d && top->kind == DOC_LIST ? top->page->title : "");
	}
	return list;
}

/* site.yaml's accessibilite map, its statut made one of the three
 * phrases of the RGAA; without an audit a site is "non conforme". */
static struct value *accessibility_value(const struct config *cfg)
{
	const struct value *a = value_get(cfg->data, "accessibilite");
	struct value *m =
	    a && a->type == VALUE_MAP ? value_copy(a) : value_map();
	const char *st = value_get_str(m, "statut");
	const char *norm = "non conforme";

	if (st && (!strncasecmp(st, "partiel", 7)))
		norm = "partiellement conforme";
	else if (st && (!strncasecmp(st, "total", 5) ||
	                !strncasecmp(st, "conforme", 8)))
		norm = "totalement conforme";
	value_set_str(m, "statut", norm);
	return m;
}

static struct value *site_value(const struct config *cfg)
{
	struct value *s = value_map();

	value_set_str(s, "title", cfg->title);
	value_set_str(s, "language", cfg->language);
	value_set_str(s, "base_url", cfg->base_url);
	value_set(s, "config", value_copy(cfg->data));
	value_set(s, "accessibilite", accessibility_value(cfg));
	return s;
}

void render_crumb(struct value *list, const char *title, const char *path)
{
	struct value *m = value_push(list, value_map());

	value_set_str(m, "title", title);
	value_set_str(m, "path", path);
}

/* Fills the page map of a view: the shown text, the document around it. */
static void page_fields(const struct render_env *env, const struct view *v,
                        struct value *p)
{
	const struct document *d = v->doc;
	struct value *crumbs;

	value_set_str(p, "title", v->page->title);
	value_set_str(p, "path", v->path);
	value_set_str(p, "doc_path", d->path);
	value_set_str(p, "type", v->page->type);
	value_set_str(p, "kind", v->kind);
	value_set(p, "meta", value_copy(v->page->meta));
	value_set_str(p, "src", d->src);
	value_set_str(p, "content", v->page->html ? v->page->html : "");
	value_set(p, "toc", value_copy(v->page->toc));
	if (d->parent) {
		struct value *par = value_set(p, "parent", value_map());

		value_set_str(par, "title", d->parent->page->title);
		value_set_str(par, "path", d->parent->path);
	}
	crumbs = value_set(p, "breadcrumbs", breadcrumbs_value(d));
	for (size_t i = 0; v->crumbs && i < value_len(v->crumbs); i++)
		value_push(crumbs, value_copy(v->crumbs->u.list.items[i]));
	value_set(p, "children",
	          v->children ? value_copy(v->children)
	                      : children_value(d, env->cfg));
	value_set(p, "resources", render_resources_value(env, d));
	render_versions_legal(
	    d, value_set(p, "versions", render_versions_value(env, d)));
	value_set(p, "actes", render_actes_value(d));
}

struct value *render_context(const struct render_env *env, const struct view *v)
{
	struct value *ctx = value_map(), *p;
	struct buf root = BUF_INIT;
	char *jsonld;

	value_set(ctx, "site", site_value(env->cfg));
	for (const char *c = v->path; *c; c++)
		if (*c == '/')
			buf_puts(&root, "../");
	value_set_str(ctx, "root", buf_str(&root));
	buf_free(&root);
	value_set_str(ctx, "generator", "paraphe " PARAPHE_VERSION);
	value_set_str(ctx, "today", env->site->reference_date);
	p = value_set(ctx, "page", value_map());
	page_fields(env, v, p);
	if (v->version) {
		size_t k = (size_t)(v->version - v->doc->versions);
		struct value *list = value_get(p, "versions");

		for (size_t i = 0; i < value_len(list); i++) {
			struct value *m = list->u.list.items[i];
			const struct value *id = value_get(m, "id");

			if (id && id->u.number == v->version->id)
				value_set(p, "version", value_copy(m));
		}
		value_set(p, "standing", render_standing(env, v->doc, k));
	} else if (v->doc->is_signed) {
		value_set(p, "standing",
		          render_standing(env, v->doc, (size_t)-1));
	}
	if (!strcmp(v->kind, "home"))
		value_set(ctx, "pages", pages_value(env->site, env->cfg));
	if ((jsonld = render_jsonld(env, v))) {
		value_set_str(p, "jsonld", jsonld);
		free(jsonld);
	}
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
const char *render_template_for(const struct view *v, struct script *lua,
                                struct buf *name)
{
	buf_reset(name);
	if (!strcmp(v->kind, "home") && template_exists(lua, "home.html"))
		return "home.html";
	if (!strcmp(v->kind, "list") && template_exists(lua, "list.html"))
		return "list.html";
	if (plain_word(v->page->type)) {
		buf_printf(name, "%s.html", v->page->type);
		if (template_exists(lua, buf_str(name)))
			return buf_str(name);
	}
	return "page.html";
}

int render_write_page(const struct render_env *env, const struct view *v,
                      const char *tpl, const struct value *ctx, const char *rel)
{
	struct buf html = BUF_INIT, path = BUF_INIT;
	int ret = -1;

	if (!template_exists(env->lua, tpl)) {
		diag_error(v->doc->src, 0, 0, "no template '%s' in theme '%s'",
		           tpl, env->cfg->theme);
		goto out;
	}
	if (template_render(env->lua, tpl, ctx, v->doc->src, &html) < 0)
		goto out;
	render_finish_html(env, &html);
	if (!rel) {
		buf_printf(&path, "%sindex.html", v->path);
		rel = buf_str(&path);
	}
	ret = output_write(env->out, rel, buf_str(&html), html.len);
	render_record(env, rel);
	if (ret == 0)
		env->st->pages++;
out:
	buf_free(&html);
	buf_free(&path);
	return ret;
}

int render_view(const struct render_env *env, const struct view *v,
                const char *tpl)
{
	struct buf name = BUF_INIT;
	struct value *ctx = render_context(env, v);
	int ret;

	if (!tpl)
		tpl = render_template_for(v, env->lua, &name);
	ret = render_write_page(env, v, tpl, ctx, NULL);
	value_free(ctx);
	buf_free(&name);
	return ret;
}

/* 1 when the href value (s, n) is a relative link to a directory: no
 * scheme, not from the root, a path that is empty or ends with "/". */
static int directory_link(const char *s, size_t n)
{
	size_t path = strcspn(s, "?#\"");

	if (path > n)
		path = n;
	if (!n || s[0] == '#' || s[0] == '?' || s[0] == '/')
		return 0;
	for (size_t i = 0; i < path && s[i] != '/'; i++)
		if (s[i] == ':')
			return 0; /* a scheme: https:, mailto: */
	return path == 0 || s[path - 1] == '/';
}

/* Inserts "index.html" at the end of the path of every relative link to
 * a directory. Attribute values are quoted with '"' in paraphe's output,
 * and text cannot hold ' href="' (esc_html turns '"' into an entity). */
static void index_links(struct buf *html)
{
	struct buf out = BUF_INIT;
	const char *p = buf_str(html), *end = p + html->len, *h;

	while ((h = strstr(p, " href=\"")) && h < end) {
		const char *v = h + 7, *q = memchr(v, '"', (size_t)(end - v));
		size_t path;

		if (!q)
			break;
		buf_put(&out, p, (size_t)(v - p));
		if (directory_link(v, (size_t)(q - v))) {
			path = strcspn(v, "?#\"");
			buf_put(&out, v, path);
			buf_puts(&out, "index.html");
			buf_put(&out, v + path, (size_t)(q - v) - path);
		} else {
			buf_put(&out, v, (size_t)(q - v));
		}
		p = q;
	}
	buf_put(&out, p, (size_t)(end - p));
	buf_free(html);
	*html = out;
}

void render_finish_html(const struct render_env *env, struct buf *html)
{
	const char *links = value_get_str(env->cfg->data, "liens");

	if (!strncasecmp(env->cfg->language, "fr", 2)) {
		struct buf out = BUF_INIT;

		typo_html(&out, buf_str(html), html->len);
		buf_free(html);
		*html = out;
	}
	if (!links || strcmp(links, "dossiers") != 0)
		index_links(html);
}

void render_body(struct page *p)
{
	struct buf html = BUF_INIT;

	if (!p || p->html)
		return;
	value_free(p->toc);
	p->toc = value_list();
	if (load_markdown(p))
		markdown_render(p->md, &html, p->toc);
	p->html = buf_detach(&html);
}

/* Renders the bodies of d to HTML: its current text and its versions. A
 * page is only ever shared within one document, so documents can be done
 * on different threads. */
void render_bodies(const struct document *d)
{
	render_body(d->page);
	for (size_t k = 0; k < d->nversions; k++) {
		render_body(d->versions[k].page);
		for (size_t j = 0; j < d->versions[k].nsubpages; j++)
			render_body(d->versions[k].subpages[j].page);
	}
}

/* The current text of d, its resources, and its versions. */
static int render_document(const struct render_env *env,
                           const struct document *d)
{
	struct view v = {d,    d->page, d->path, document_kind_name(d),
	                 NULL, NULL,    NULL};
	int ret = render_view(env, &v, NULL);

	for (size_t r = 0; r < d->nresources; r++) {
		render_record(env, d->resources[r].out);
		if (output_copy(env->out, d->resources[r].out,
		                d->resources[r].src) < 0)
			ret = -1;
		else
			env->st->resources++;
	}
	if (d->nversions && render_versions(env, d) < 0)
		ret = -1;
	return ret;
}

/* The bodies of d, then its pages (what the cache calls on a miss). */
int render_whole(const struct render_env *env, const struct document *d)
{
	render_bodies(d);
	return render_document(env, d);
}
