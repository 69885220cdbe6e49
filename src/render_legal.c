/*
 * render_legal: what publishing acts online asks of a page (CGCT
 * R. 2131-1, SPEC §4): the prefecture identifier checked and parsed, the
 * acts of a document, the date each signed version was put online, the
 * version that replaces another, and schema.org Legislation JSON-LD.
 *
 * Legal dates come from the trailers and the front matter only, never
 * from commit dates nor from the build's clock.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "render_int.h"
#include "site.h"
#include "value.h"

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* 1 when the 8 digits at s are a real date YYYYMMDD. */
static int real_date(const char *s)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	        (s[3] - '0');
	int m = (s[4] - '0') * 10 + (s[5] - '0');
	int d = (s[6] - '0') * 10 + (s[7] - '0');
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	return m != 2 || d <= 28 + leap;
}

static const char *nature_name(const char *n)
{
	static const char *const names[][2] = {
	    {"DE", "délibération"},
	    {"AR", "acte réglementaire"},
	    {"AI", "acte individuel"},
	    {"CC", "contrat, convention ou avenant"},
	    {"BF", "document budgétaire et financier"},
	    {"AU", "autre"}};

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(n, names[i][0]))
			return names[i][1];
	return NULL;
}

/* ^(\d{3}|02[AB])-\d{9}-\d{8}-[A-Za-z0-9_]+-(DE|AR|AI|CC|BF|AU)$ */
struct value *render_acte_parse(const char *id)
{
	const char *p[5], *q = id;
	size_t len[5], n = 0;
	struct value *m;
	char tmp[11];

	if (!id)
		return NULL;
	for (; n < 5; n++) {
		p[n] = q;
		len[n] = strcspn(q, "-");
		q += len[n];
		if (*q != '-')
			break;
		q++;
	}
	if (n != 4 || *q || len[0] != 3 || len[1] != 9 || len[2] != 8 ||
	    !len[3] || len[4] != 2)
		return NULL;
	if (!(digits(p[0], 3) || (!strncmp(p[0], "02", 2) &&
	                          (p[0][2] == 'A' || p[0][2] == 'B'))) ||
	    !digits(p[1], 9) || !digits(p[2], 8) || !real_date(p[2]))
		return NULL;
	for (size_t i = 0; i < len[3]; i++)
		if (!strchr(
		        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		        "0123456789_",
		        p[3][i]))
			return NULL;
	if (!nature_name(p[4]))
		return NULL;
	m = value_map();
	value_set_str(m, "id", id);
	value_set(m, "departement", value_string(p[0], 3));
	value_set(m, "siren", value_string(p[1], 9));
	memcpy(tmp, p[2], 4);
	tmp[4] = '-';
	memcpy(tmp + 5, p[2] + 4, 2);
	tmp[7] = '-';
	memcpy(tmp + 8, p[2] + 6, 2);
	value_set(m, "date", value_string(tmp, 10));
	value_set(m, "numero", value_string(p[3], len[3]));
	value_set_str(m, "nature", p[4]);
	value_set_str(m, "nature_libelle", nature_name(p[4]));
	return m;
}

/* The entry of meta.actes (a list of maps or strings, or one map) whose
 * id is id, or NULL. */
static const struct value *actes_entry(const struct value *meta, const char *id)
{
	const struct value *a = value_get(meta, "actes");

	if (!a || !id)
		return NULL;
	if (a->type == VALUE_MAP)
		return !strcmp(value_get_str(a, "id") ? value_get_str(a, "id")
		                                      : "",
		               id)
		           ? a
		           : NULL;
	for (size_t i = 0; a->type == VALUE_LIST && i < a->u.list.len; i++) {
		const struct value *e = a->u.list.items[i];
		const char *eid = e->type == VALUE_STRING
		                      ? e->u.str.ptr
		                      : value_get_str(e, "id");

		if (eid && !strcmp(eid, id))
			return e;
	}
	return NULL;
}

const char *render_publication(const struct document *d, size_t k)
{
	const struct version *v = &d->versions[k];
	const char *pub = version_trailer(v, "Publication"),
	           *id = version_trailer(v, "Acte");
	const struct value *e = NULL;

	if (pub)
		return pub;
	if (v->page)
		e = actes_entry(v->page->meta, id);
	if (!value_get_str(e, "publication") && d->page)
		e = actes_entry(d->page->meta, id);
	return value_get_str(e, "publication");
}

/* {id, valide, parts…}: the start of an act's map. */
static struct value *acte_value(const char *id)
{
	struct value *m = render_acte_parse(id);

	if (!m) {
		m = value_map();
		value_set_str(m, "id", id);
	}
	value_set_bool(m, "valide", value_get(m, "siren") != NULL);
	return m;
}

static int listed(const struct value *list, const char *id)
{
	for (size_t i = 0; i < value_len(list); i++)
		if (!strcmp(value_get_str(list->u.list.items[i], "id"), id))
			return 1;
	return 0;
}

/* The entries of meta.actes not listed yet, appended to list. */
static void front_matter_actes(const struct value *meta, struct value *list)
{
	const struct value *a = value_get(meta, "actes");
	size_t n = a && a->type == VALUE_LIST ? a->u.list.len : a ? 1 : 0;

	for (size_t i = 0; i < n; i++) {
		const struct value *e =
		    a->type == VALUE_LIST ? a->u.list.items[i] : a;
		const char *id = e->type == VALUE_STRING
		                     ? e->u.str.ptr
		                     : value_get_str(e, "id");
		struct value *m;

		if (!id || listed(list, id))
			continue;
		m = value_push(list, acte_value(id));
		value_set_str(m, "transmission",
		              value_get_str(e, "transmission"));
		value_set_str(m, "publication",
		              value_get_str(e, "publication"));
		value_set_str(m, "objet", value_get_str(e, "objet"));
	}
}

struct value *render_actes_value(const struct document *d)
{
	struct value *list = value_list();

	for (size_t k = 0; d->is_signed && k < d->nversions; k++) {
		const struct version *v = &d->versions[k];
		const char *id = version_trailer(v, "Acte");
		const struct value *e;
		struct value *m;

		if (!v->is_signed || v->is_draft || !id || listed(list, id))
			continue;
		e = actes_entry(d->page ? d->page->meta : NULL, id);
		m = value_push(list, acte_value(id));
		value_set_str(m, "transmission",
		              version_trailer(v, "Transmission")
		                  ? version_trailer(v, "Transmission")
		                  : value_get_str(e, "transmission"));
		value_set_str(m, "publication", render_publication(d, k));
		value_set_num(m, "version", v->id);
		value_set_str(m, "label", v->label);
		value_set_str(m, "signature", v->date);
		/* an avenant's commit subject says what it changes; the
		 * initial version is the convention itself */
		value_set_str(m, "objet", v->id > 0 ? v->subject : v->label);
	}
	if (d->page)
		front_matter_actes(d->page->meta, list);
	return list;
}

/* The index of the next signed version after k, or nversions. */
static size_t next_signed(const struct document *d, size_t k)
{
	for (k++; k < d->nversions; k++)
		if (d->versions[k].is_signed && !d->versions[k].is_draft)
			break;
	return k;
}

void render_versions_legal(const struct document *d, struct value *list)
{
	for (size_t i = 0; i < value_len(list); i++) {
		struct value *m = list->u.list.items[i];
		const char *commit = value_get_str(m, "commit");
		struct value *info;
		size_t k = 0, next;

		while (k < d->nversions &&
		       strcmp(d->versions[k].commit, commit ? commit : ""))
			k++;
		if (k == d->nversions)
			continue;
		if ((info = render_acte_parse(
		         version_trailer(&d->versions[k], "Acte"))))
			value_set(m, "acte_info", info);
		value_set_str(m, "publication", render_publication(d, k));
		next = next_signed(d, k);
		if (d->versions[k].is_signed && !d->versions[k].is_draft &&
		    next < d->nversions) {
			struct value *r =
			    value_set(m, "remplacee_par", value_map());
			struct buf path = BUF_INIT;

			buf_printf(&path, "%sversions/%d/", d->path,
			           d->versions[next].id);
			value_set_num(r, "id", d->versions[next].id);
			value_set_str(r, "label", d->versions[next].label);
			value_set_str(r, "path", buf_str(&path));
			buf_free(&path);
		}
	}
}

void render_abs_url(const struct render_env *env, const char *path,
                    struct buf *out)
{
	if (env->cfg->base_url[0])
		buf_printf(out, "%s/", env->cfg->base_url);
	buf_puts(out, path);
}

/* ---- schema.org Legislation ---- */

/* Sets key to the string s, unless s is NULL or empty. */
static void set_some(struct value *m, const char *key, const char *s)
{
	if (s && *s)
		value_set_str(m, key, s);
}

/* The signatories of meta as schema.org persons, with their qualité and
 * the body they sign for (CGCT: the author's name and qualité). */
static void passed_by(const struct value *meta, struct value *ld)
{
	const struct value *sig = value_get(meta, "signataires");
	struct value *list;

	if (!value_len(sig) || sig->type != VALUE_LIST)
		return;
	list = value_set(ld, "legislationPassedBy", value_list());
	for (size_t i = 0; i < sig->u.list.len; i++) {
		const struct value *s = sig->u.list.items[i];
		const char *org = value_get_str(s, "representant");
		struct value *p;

		if (!value_get_str(s, "nom"))
			continue;
		p = value_push(list, value_map());
		value_set_str(p, "@type", "Person");
		value_set_str(p, "name", value_get_str(s, "nom"));
		set_some(p, "jobTitle", value_get_str(s, "qualite"));
		if (org) {
			struct value *o = value_set(p, "worksFor", value_map());

			value_set_str(o, "@type", "Organization");
			value_set_str(o, "name", org);
		}
	}
}

/* The index of d's first signed version, or nversions. */
static size_t first_signed(const struct document *d)
{
	return d->nversions && d->versions[0].is_signed &&
	               !d->versions[0].is_draft
	           ? 0
	           : next_signed(d, 0);
}

/* In force at date today: from start (included) to end (included). */
static const char *legal_force(const char *today, const char *start,
                               const char *end)
{
	if ((start && strcmp(today, start) < 0) ||
	    (end && strcmp(today, end) > 0))
		return "NotInForce";
	return "InForce";
}

/* A short Legislation reference to version k of d (what an avenant
 * amends, what the current text consolidates). */
static struct value *reference(const struct render_env *env,
                               const struct document *d, size_t k,
                               const char *name)
{
	struct value *r = value_map();
	struct buf url = BUF_INIT;

	value_set_str(r, "@type", "Legislation");
	value_set_str(r, "name", name);
	set_some(r, "legislationIdentifier",
	         version_trailer(&d->versions[k], "Acte"));
	set_some(r, "legislationDate", d->versions[k].date);
	buf_printf(&url, "%sversions/%d/", d->path, d->versions[k].id);
	if (env->cfg->base_url[0]) {
		struct buf abs = BUF_INIT;

		render_abs_url(env, buf_str(&url), &abs);
		value_set_str(r, "url", buf_str(&abs));
		buf_free(&abs);
	}
	buf_free(&url);
	return r;
}

/* The fields of a signed version k (its own act). */
static void version_fields(const struct render_env *env,
                           const struct document *d, size_t k, struct value *ld)
{
	const struct version *v = &d->versions[k];
	size_t first = first_signed(d), next = next_signed(d, k);
	const char *start =
	    version_trailer(v, "Effet") ? version_trailer(v, "Effet") : v->date;
	const char *end =
	    value_get_str(v->page ? v->page->meta : NULL, "date_fin");
	int replaced = 0;

	set_some(ld, "legislationIdentifier", version_trailer(v, "Acte"));
	set_some(ld, "legislationDate", v->date);
	set_some(ld, "legislationDateVersion", start);
	set_some(ld, "datePublished", render_publication(d, k));
	if (k != first && first < d->nversions) {
		value_set_str(ld, "legislationType", "Avenant");
		value_set(ld, "legislationAmends",
		          reference(env, d, first, d->page->title));
	}
	if (next < d->nversions) {
		const struct version *n = &d->versions[next];
		const char *ns = version_trailer(n, "Effet")
		                     ? version_trailer(n, "Effet")
		                     : n->date;

		replaced = strcmp(env->site->reference_date, ns) >= 0;
	}
	value_set_str(ld, "legislationLegalForce",
	              replaced
	                  ? "NotInForce"
	                  : legal_force(env->site->reference_date, start, end));
}

/* The fields of the current text: the convention as a whole, with the
 * avenants it consolidates. */
static void current_fields(const struct render_env *env,
                           const struct document *d, struct value *ld)
{
	const struct value *meta = d->page->meta, *sig;
	size_t first = first_signed(d);
	const char *start = value_get_str(meta, "date_effet");
	struct value *list = NULL;

	if (first < d->nversions) {
		const struct version *v = &d->versions[first];

		set_some(ld, "legislationIdentifier",
		         version_trailer(v, "Acte"));
		set_some(ld, "legislationDate", v->date);
		set_some(ld, "datePublished", render_publication(d, first));
		if (!start)
			start = version_trailer(v, "Effet")
			            ? version_trailer(v, "Effet")
			            : v->date;
	} else if ((sig = value_get(meta, "signature"))) {
		set_some(ld, "legislationDate",
		         sig->type == VALUE_STRING
		             ? sig->u.str.ptr
		             : value_get_str(sig, "date"));
	}
	for (size_t k = next_signed(d, first); k < d->nversions;
	     k = next_signed(d, k)) {
		if (!list)
			list = value_set(ld, "legislationConsolidates",
			                 value_list());
		value_push(list, reference(env, d, k, d->versions[k].label));
	}
	value_set_str(ld, "legislationLegalForce",
	              legal_force(env->site->reference_date, start,
	                          value_get_str(meta, "date_fin")));
}

char *render_jsonld(const struct render_env *env, const struct view *v)
{
	const struct document *d = v->doc;
	const struct version *ver = v->version;
	int convention = !strcmp(v->page->type, "convention");
	struct value *ld;
	struct buf out = BUF_INIT, url = BUF_INIT, name = BUF_INIT;

	if (ver ? !(ver->is_signed && !ver->is_draft && v->page == ver->page &&
	            !strcmp(v->kind, "version"))
	        : !((d->is_signed || convention) && v->page == d->page &&
	            (!strcmp(v->kind, "page") || !strcmp(v->kind, "bundle"))))
		return NULL;
	ld = value_map();
	value_set_str(ld, "@context", "https://schema.org");
	value_set_str(ld, "@type", "Legislation");
	buf_puts(&name, d->page->title);
	if (ver)
		buf_printf(&name, " — %s", ver->label);
	value_set_str(ld, "name", buf_str(&name));
	if (convention)
		value_set_str(ld, "legislationType", "Convention");
	set_some(ld, "inLanguage", env->cfg->language);
	if (env->cfg->base_url[0]) {
		render_abs_url(env, v->path, &url);
		value_set_str(ld, "url", buf_str(&url));
	}
	if (ver)
		version_fields(env, d, (size_t)(ver - d->versions), ld);
	else
		current_fields(env, d, ld);
	passed_by(v->page->meta, ld);
	value_to_json(ld, &out, 0);
	value_free(ld);
	buf_free(&url);
	buf_free(&name);
	return buf_detach(&out);
}
