/*
 * render_feeds: the site-wide files that are data, not pages (SPEC §4):
 *   feed.xml           Atom, the newest published versions of every
 *                      document (signed versions of signed documents,
 *                      bilans and other pages at each of their versions),
 *                      ids name-based UUIDs of the version's path and
 *                      commit, so an entry keeps its id from build to build;
 *   sitemap.xml        every page, with absolute URLs: written only when
 *                      base_url is set (a sitemap of relative URLs is
 *                      invalid);
 *   search.json        one entry per document: title, path, type,
 *                      section, a text excerpt and its headings;
 *   deliberations.csv  the acts in the SCDL "délibérations" schema.
 * Nothing here reads the clock: dates come from versions and trailers.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "esc.h"
#include "hash.h"
#include "output.h"
#include "render_int.h"
#include "site.h"
#include "value.h"
#include "xalloc.h"

#define FEED_MAX 50     /* entries in feed.xml, the newest */
#define EXCERPT_MAX 220 /* bytes of text in a search excerpt, about */

/* ---- plain text of rendered HTML ---- */

/* Appends the text of html, tags dropped, the entities of esc_html and
 * numeric ones decoded, every run of blanks made one space; stops once
 * out holds more than max bytes (what excerpt looks at is then there). */
static void html_text(const char *html, size_t max, struct buf *out)
{
	static const char *const ent[][2] = {{"&amp;", "&"}, {"&lt;", "<"},
	                                     {"&gt;", ">"},  {"&quot;", "\""},
	                                     {"&#39;", "'"}, {"&nbsp;", " "}};
	int blank = 1;

	for (const char *p = html; *p && out->len <= max;) {
		size_t i;

		if (*p == '<') {
			const char *e = strchr(p, '>');

			p = e ? e + 1 : p + strlen(p);
			if (!blank)
				buf_putc(out, ' ');
			blank = 1;
			continue;
		}
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
			if (!blank)
				buf_putc(out, ' ');
			blank = 1;
			p++;
			continue;
		}
		blank = 0;
		for (i = 0; *p == '&' && i < sizeof(ent) / sizeof(*ent); i++)
			if (!strncmp(p, ent[i][0], strlen(ent[i][0])))
				break;
		if (*p == '&' && i < sizeof(ent) / sizeof(*ent)) {
			buf_puts(out, ent[i][1]);
			p += strlen(ent[i][0]);
		} else {
			buf_putc(out, *p++);
		}
	}
	while (out->len && out->data[out->len - 1] == ' ')
		buf_truncate(out, out->len - 1);
}

/* About max bytes of text, cut at a space, "…" when cut. */
static void excerpt(const char *text, size_t max, struct buf *out)
{
	size_t n = strlen(text), cut = max;

	if (n <= max) {
		buf_puts(out, text);
		return;
	}
	while (cut > 0 && text[cut] != ' ')
		cut--;
	if (!cut) /* one long word: cut at a character boundary */
		for (cut = max; cut > 0 && (text[cut] & 0xC0) == 0x80; cut--)
			;
	buf_put(out, text, cut);
	buf_puts(out, "…");
}

/* The title of the top-level listing that holds d, or "". */
static const char *section_of(const struct document *d)
{
	const struct document *top = d;

	while (top->parent && top->parent->parent)
		top = top->parent;
	return top != d && top->kind == DOC_LIST ? top->page->title : "";
}

char *render_excerpt(const char *html)
{
	struct buf text = BUF_INIT, ex = BUF_INIT;

	/* the text up to two bytes past the excerpt: excerpt cuts the same
	 * as on the whole text (trailing blanks are trimmed either way) */
	html_text(html ? html : "", EXCERPT_MAX + 1, &text);
	excerpt(buf_str(&text), EXCERPT_MAX, &ex);
	buf_free(&text);
	buf_puts(&ex, "");
	return buf_detach(&ex);
}

struct value *render_search_value(const struct render_env *env)
{
	struct value *list = value_list();

	for (size_t i = 0; i < env->site->ndocs; i++) {
		const struct document *d = env->site->docs[i];
		const struct value *toc = d->page ? d->page->toc : NULL;
		struct value *m, *h;

		if (!d->parent || !render_published(d, env->cfg))
			continue;
		m = value_push(list, value_map());
		value_set_str(m, "title", d->page->title);
		value_set_str(m, "path", d->path);
		value_set_str(m, "type", d->page->type);
		value_set_str(m, "kind",
		              d->kind == DOC_LIST     ? "list"
		              : d->kind == DOC_BUNDLE ? "bundle"
		                                      : "page");
		value_set_str(m, "section", section_of(d));
		if (d->page->excerpt) {
			value_set_str(m, "excerpt", d->page->excerpt);
		} else {
			char *ex = render_excerpt(d->page->html);

			value_set_str(m, "excerpt", ex);
			free(ex);
		}
		h = value_set(m, "headings", value_list());
		for (size_t k = 0; k < value_len(toc); k++)
			value_push(h, value_cstring(value_get_str(
			                  toc->u.list.items[k], "title")));
	}
	return list;
}

/* ---- feed.xml ---- */

struct entry {
	const struct document *d;
	size_t k;         /* the version */
	char updated[21]; /* RFC 3339, UTC */
};

/* When version k of d appeared: the date it was put online (or signed)
 * for a signed version, the commit time for another. */
static void entry_time(const struct document *d, size_t k, char out[21])
{
	const struct version *v = &d->versions[k];
	const char *day = v->is_signed ? render_publication(d, k) : NULL;
	time_t t = (time_t)v->time;
	struct tm tm;

	if (v->is_signed || !gmtime_r(&t, &tm)) {
		snprintf(out, 21, "%.10sT00:00:00Z", day ? day : v->date);
		return;
	}
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Newest first; ties by path, then by version. */
static int by_time(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(y->updated, x->updated);

	if (!c)
		c = strcmp(x->d->path, y->d->path);
	if (!c)
		c = x->k < y->k ? 1 : x->k > y->k ? -1 : 0;
	return c;
}

/* "18 juin 2026" for "2026-06-18"; anything else as it is. */
static void fr_date(struct buf *out, const char *iso)
{
	static const char *const month[] = {"janvier", "février",  "mars",
	                                    "avril",   "mai",      "juin",
	                                    "juillet", "août",     "septembre",
	                                    "octobre", "novembre", "décembre"};
	int y, m, d;

	if (iso && sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 &&
	    m <= 12 && d >= 1 && d <= 31)
		buf_printf(out, "%d%s %s %d", d, d == 1 ? "er" : "",
		           month[m - 1], y);
	else if (iso)
		buf_puts(out, iso);
}

/* <tag>text</tag> with text escaped for XML. */
static void xml_elem(struct buf *out, const char *tag, const char *text)
{
	buf_printf(out, "<%s>", tag);
	esc_html_str(out, text);
	buf_printf(out, "</%s>\n", tag);
}

/* A link of the feed: absolute with a base_url, else relative to the
 * site root, where feed.xml is. */
static void site_link(const struct render_env *env, const char *path,
                      struct buf *out)
{
	struct buf url = BUF_INIT;

	render_abs_url(env, path, &url);
	esc_html_str(out, url.len ? buf_str(&url) : "./");
	buf_free(&url);
}

static void feed_entry(const struct render_env *env, const struct entry *e,
                       struct buf *out)
{
	const struct document *d = e->d;
	const struct version *v = &d->versions[e->k];
	struct buf s = BUF_INIT, path = BUF_INIT;
	char urn[46];

	buf_printf(&path, "%sversions/%d/", d->path, v->id);
	buf_printf(&s, "paraphe:%s@%s", buf_str(&path), v->commit);
	hash_uuid_urn(buf_str(&s), urn);
	buf_puts(out, "<entry>\n");
	xml_elem(out, "id", urn);
	buf_reset(&s);
	buf_printf(&s, "%s — %s", d->page->title, v->label);
	xml_elem(out, "title", buf_str(&s));
	xml_elem(out, "updated", e->updated);
	buf_puts(out, "<link rel=\"alternate\" type=\"text/html\" href=\"");
	site_link(env, buf_str(&path), out);
	buf_puts(out, "\"/>\n");
	buf_reset(&s);
	buf_printf(&s, "%s, %s ", v->label,
	           v->is_signed ? "signé le" : "version du");
	fr_date(&s, v->date);
	if (v->is_signed && render_publication(d, e->k)) {
		buf_puts(&s, ", mis en ligne le ");
		fr_date(&s, render_publication(d, e->k));
	}
	buf_putc(&s, '.');
	xml_elem(out, "summary", buf_str(&s));
	buf_puts(out, "</entry>\n");
	buf_free(&s);
	buf_free(&path);
}

/* The published versions of every document, newest first, at most
 * FEED_MAX. *n is set to their number; the caller frees. */
static struct entry *feed_entries(const struct render_env *env, size_t *n)
{
	struct entry *e = NULL;
	size_t len = 0, cap = 0;

	for (size_t i = 0; i < env->site->ndocs; i++) {
		const struct document *d = env->site->docs[i];

		/* listings: their text only introduces a section */
		if (!render_published(d, env->cfg) || d->kind == DOC_LIST)
			continue;
		for (size_t k = 0; k < d->nversions; k++) {
			const struct version *v = &d->versions[k];

			if (!v->page || v->is_draft ||
			    (d->is_signed && !v->is_signed))
				continue;
			e = xgrow(e, &cap, len + 1, sizeof(*e));
			e[len].d = d;
			e[len].k = k;
			entry_time(d, k, e[len].updated);
			len++;
		}
	}
	if (len)
		qsort(e, len, sizeof(*e), by_time);
	*n = len < FEED_MAX ? len : FEED_MAX;
	return e;
}

static int write_feed(const struct render_env *env)
{
	struct buf out = BUF_INIT, id = BUF_INIT;
	size_t n;
	struct entry *e = feed_entries(env, &n);
	char urn[46], updated[21];
	int ret;

	buf_printf(&id, "paraphe:feed:%s",
	           env->cfg->base_url[0] ? env->cfg->base_url
	                                 : env->cfg->title);
	hash_uuid_urn(buf_str(&id), urn);
	snprintf(updated, sizeof(updated), "%sT00:00:00Z",
	         env->site->reference_date);
	buf_printf(&out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	                 "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
	                 "xml:lang=\"");
	esc_html_str(&out, env->cfg->language);
	buf_puts(&out, "\">\n");
	xml_elem(&out, "id", urn);
	xml_elem(&out, "title", env->cfg->title);
	xml_elem(&out, "updated", n ? e[0].updated : updated);
	buf_puts(&out, "<link rel=\"self\" href=\"");
	site_link(env, "feed.xml", &out);
	buf_puts(&out, "\"/>\n<link rel=\"alternate\" type=\"text/html\" "
	               "href=\"");
	site_link(env, "", &out);
	buf_puts(&out, "\"/>\n<author>");
	xml_elem(&out, "name", env->cfg->title);
	buf_puts(&out, "</author>\n");
	xml_elem(&out, "generator", "paraphe");
	for (size_t i = 0; i < n; i++)
		feed_entry(env, &e[i], &out);
	buf_puts(&out, "</feed>\n");
	ret = output_write(env->out, "feed.xml", buf_str(&out), out.len);
	free(e);
	buf_free(&out);
	buf_free(&id);
	return ret;
}

/* ---- sitemap.xml ---- */

static void sitemap_url(const struct render_env *env, const char *path,
                        const char *lastmod, struct buf *out)
{
	struct buf url = BUF_INIT;

	render_abs_url(env, path, &url);
	buf_puts(out, "<url><loc>");
	esc_html_str(out, buf_str(&url));
	buf_puts(out, "</loc>");
	if (lastmod && strlen(lastmod) == 10)
		buf_printf(out, "<lastmod>%s</lastmod>", lastmod);
	buf_puts(out, "</url>\n");
	buf_free(&url);
}

/* A document's page, its timeline and its version pages (with a
 * bundle's sub-pages under each). */
static void sitemap_document(const struct render_env *env,
                             const struct document *d, struct buf *out)
{
	struct buf path = BUF_INIT;
	const char *last = NULL;

	for (size_t k = 0; k < d->nversions; k++)
		if (d->versions[k].page && !d->versions[k].is_draft)
			last = d->versions[k].date;
	sitemap_url(env, d->path, last, out);
	if (!d->nversions)
		return;
	buf_printf(&path, "%sversions/", d->path);
	sitemap_url(env, buf_str(&path), last, out);
	for (size_t k = 0; k < d->nversions; k++) {
		const struct version *v = &d->versions[k];

		if (!v->page)
			continue;
		buf_reset(&path);
		buf_printf(&path, "%sversions/%d/", d->path, v->id);
		sitemap_url(env, buf_str(&path), v->date, out);
		for (size_t j = 0; j < v->nsubpages; j++) {
			struct buf sub = BUF_INIT;

			buf_printf(&sub, "%s%s/", buf_str(&path),
			           v->subpages[j].slug);
			sitemap_url(env, buf_str(&sub), v->date, out);
			buf_free(&sub);
		}
	}
	buf_free(&path);
}

static int write_sitemap(const struct render_env *env,
                         const struct value *written)
{
	struct buf out = BUF_INIT;
	int ret;

	if (!env->cfg->base_url[0]) {
		diag_note("site.yaml", 0, 0,
		          "no sitemap.xml: its URLs must be absolute, and "
		          "'base_url' is not set");
		return 0;
	}
	buf_puts(&out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	               "<urlset xmlns=\"http://www.sitemaps.org/schemas/"
	               "sitemap/0.9\">\n");
	for (size_t i = 0; i < env->site->ndocs; i++)
		if (render_published(env->site->docs[i], env->cfg))
			sitemap_document(env, env->site->docs[i], &out);
	for (size_t i = 0; i < value_len(written); i++)
		sitemap_url(env, written->u.list.items[i]->u.str.ptr, NULL,
		            &out);
	buf_puts(&out, "</urlset>\n");
	ret = output_write(env->out, "sitemap.xml", buf_str(&out), out.len);
	buf_free(&out);
	return ret;
}

/* ---- deliberations.csv (SCDL délibérations) ---- */

/* The columns of the schema, in its order. */
static const char *const scdl_columns[] = {
    "COLL_NOM",           "COLL_SIRET",        "DELIB_ID",    "DELIB_DATE",
    "DELIB_MATIERE_CODE", "DELIB_MATIERE_NOM", "DELIB_OBJET", "BUDGET_ANNEE",
    "BUDGET_NOM",         "PREF_ID",           "PREF_DATE",   "VOTE_EFFECTIF",
    "VOTE_REEL",          "VOTE_POUR",         "VOTE_CONTRE", "VOTE_ABSTENTION",
    "DELIB_URL"};
#define SCDL_NCOLS (sizeof(scdl_columns) / sizeof(*scdl_columns))

/* One field, quoted as RFC 4180 says when it holds a comma, a quote or a
 * line break (a quote doubled); NULL is the empty field. */
static void csv_field(struct buf *out, const char *s, int last)
{
	if (s && s[strcspn(s, ",\"\r\n")]) {
		buf_putc(out, '"');
		for (; *s; s++) {
			if (*s == '"')
				buf_putc(out, '"');
			buf_putc(out, *s);
		}
		buf_putc(out, '"');
	} else if (s) {
		buf_puts(out, s);
	}
	buf_puts(out, last ? "\r\n" : ",");
}

/* s when it is a date YYYY-MM-DD (the schema's format), else NULL. */
static const char *iso_date(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return NULL;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return NULL;
	return s;
}

/* What site.yaml says for the whole file: the body that publishes, the
 * subject of its acts in the ACTES nomenclature. */
struct scdl_site {
	const char *nom, *siret, *matiere_code, *matiere_nom;
};

static void scdl_site(const struct config *cfg, struct scdl_site *s)
{
	const struct value *c = value_get(cfg->data, "collectivite");
	const struct value *del = value_get(cfg->data, "deliberations");

	s->nom = value_get_str(c, "nom");
	s->siret = value_get_str(c, "siret");
	s->matiere_code = value_get_str(del, "matiere_code");
	s->matiere_nom = value_get_str(del, "matiere_nom");
	if (!s->matiere_code)
		s->matiere_code = "8.2";
	if (!s->matiere_nom)
		s->matiere_nom =
		    "domaines de compétences par thèmes/aide sociale";
	if (!s->nom || !s->siret)
		diag_note("site.yaml", 0, 0,
		          "deliberations.csv: set 'collectivite' {nom, siret} "
		          "for the COLL_NOM and COLL_SIRET columns");
}

/* One row for act a of document d. */
static void csv_row(const struct render_env *env, const struct scdl_site *s,
                    const struct document *d, const struct value *a,
                    struct buf *out)
{
	const char *f[SCDL_NCOLS] = {NULL};
	const char *dep = value_get_str(a, "departement");
	const struct value *ver = value_get(a, "version");
	struct buf objet = BUF_INIT, pref = BUF_INIT, url = BUF_INIT;

	buf_printf(&objet, "%s — ", d->page->title);
	if (value_get_str(a, "objet"))
		buf_puts(&objet, value_get_str(a, "objet"));
	else if (value_get_str(a, "nature_libelle"))
		buf_printf(&objet, "%s n° %s",
		           value_get_str(a, "nature_libelle"),
		           value_get_str(a, "numero"));
	else
		buf_puts(&objet, "acte");
	if (dep)
		buf_printf(&pref, "PREF%s", dep);
	if (env->cfg->base_url[0]) {
		struct buf path = BUF_INIT;

		buf_puts(&path, d->path);
		if (ver && ver->type == VALUE_NUMBER)
			buf_printf(&path, "versions/%d/", (int)ver->u.number);
		render_abs_url(env, buf_str(&path), &url);
		buf_free(&path);
	}
	f[0] = s->nom;
	f[1] = s->siret;
	f[2] = value_get_str(a, "id");
	f[3] = iso_date(value_get_str(a, "date"))
	           ? value_get_str(a, "date")
	           : iso_date(value_get_str(a, "signature"));
	f[4] = s->matiere_code;
	f[5] = s->matiere_nom;
	f[6] = buf_str(&objet);
	f[9] = pref.len ? buf_str(&pref) : NULL;
	f[10] = iso_date(value_get_str(a, "transmission"));
	f[16] = url.len ? buf_str(&url) : NULL;
	for (size_t i = 0; i < SCDL_NCOLS; i++)
		csv_field(out, f[i], i + 1 == SCDL_NCOLS);
	buf_free(&objet);
	buf_free(&pref);
	buf_free(&url);
}

static int write_csv(const struct render_env *env)
{
	struct buf out = BUF_INIT;
	struct scdl_site s;
	int rows = 0, ret;

	for (size_t i = 0; i < SCDL_NCOLS; i++)
		csv_field(&out, scdl_columns[i], i + 1 == SCDL_NCOLS);
	for (size_t i = 0; i < env->site->ndocs; i++) {
		const struct document *d = env->site->docs[i];
		struct value *actes;

		if (!render_published(d, env->cfg) || !d->page)
			continue;
		actes = render_actes_value(d);
		for (size_t k = 0; k < value_len(actes); k++, rows++) {
			if (!rows)
				scdl_site(env->cfg, &s);
			csv_row(env, &s, d, actes->u.list.items[k], &out);
		}
		value_free(actes);
	}
	ret =
	    output_write(env->out, "deliberations.csv", buf_str(&out), out.len);
	buf_free(&out);
	return ret;
}

int render_feeds(const struct render_env *env, const struct value *index,
                 const struct value *written)
{
	struct buf json = BUF_INIT;
	int ret = 0;

	if (write_feed(env) < 0)
		ret = -1;
	if (write_sitemap(env, written) < 0)
		ret = -1;
	value_to_json(index, &json, 0);
	buf_putc(&json, '\n');
	if (output_write(env->out, "search.json", buf_str(&json), json.len) < 0)
		ret = -1;
	if (write_csv(env) < 0)
		ret = -1;
	buf_free(&json);
	return ret;
}
