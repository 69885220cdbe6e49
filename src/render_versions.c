/*
 * render_versions: the pages of a document's history (SPEC §4): the
 * timeline PATH/versions/, the full text at each version
 * PATH/versions/N/ (a bundle's signed sub-pages under it), PATH/data.json,
 * and the standing of each version that its banner states.
 *
 * The standing depends on the date: it is computed here at the build's
 * reference date, as the static fallback; the theme's small script
 * recomputes it in the reader's browser from the dates given with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "output.h"
#include "render_int.h"
#include "site.h"
#include "value.h"

/* The date a version takes effect: Effet, else its date. */
static const char *start_date(const struct version *v)
{
	const char *e = version_trailer(v, "Effet");

	return e ? e : v->date;
}

static void version_path(const struct document *d, const struct version *v,
                         struct buf *out)
{
	buf_printf(out, "%sversions/%d/", d->path, v->id);
}

static struct value *version_value(const struct document *d,
                                   const struct version *v)
{
	struct value *m = value_map();
	struct buf path = BUF_INIT;
	char shortid[8];

	snprintf(shortid, sizeof(shortid), "%.7s", v->commit);
	version_path(d, v, &path);
	value_set_num(m, "id", v->id);
	value_set_str(m, "label", v->label);
	value_set_str(m, "date", v->date);
	value_set_str(m, "start", start_date(v));
	value_set_str(m, "commit", v->commit);
	value_set_str(m, "short", shortid);
	value_set_str(m, "subject", v->subject);
	value_set_bool(m, "signed", v->is_signed);
	value_set_bool(m, "draft", v->is_draft);
	value_set_str(m, "effet", version_trailer(v, "Effet"));
	value_set_str(m, "acte", version_trailer(v, "Acte"));
	value_set_str(m, "publication", version_trailer(v, "Publication"));
	value_set(m, "trailers",
	          v->trailers ? value_copy(v->trailers) : value_map());
	value_set_str(m, "path", buf_str(&path));
	buf_free(&path);
	return m;
}

struct value *render_versions_value(const struct render_env *env,
                                    const struct document *d)
{
	struct value *list = value_list();

	(void)env;
	for (size_t k = 0; k < d->nversions; k++)
		if (d->versions[k].page)
			value_push(list, version_value(d, &d->versions[k]));
	return list;
}

/* The index of the last signed version that is not a draft. */
static size_t last_signed(const struct document *d)
{
	size_t last = (size_t)-1;

	for (size_t k = 0; k < d->nversions; k++)
		if (d->versions[k].is_signed && !d->versions[k].is_draft)
			last = k;
	return last;
}

/* The state of a signed version at date today (SPEC §4 banners). */
static const char *signed_state(const char *today, const char *start,
                                const char *next_start, const char *end)
{
	if (strcmp(today, start) < 0)
		return "a-venir";
	if (next_start && strcmp(today, next_start) >= 0)
		return "remplacee";
	if (end && strcmp(today, end) > 0)
		return "echue";
	return "en-vigueur";
}

/* Fills the standing of signed version k: its dates and state. */
static void signed_standing(const struct render_env *env,
                            const struct document *d, size_t k, struct value *s)
{
	const struct version *v = &d->versions[k], *next = NULL, *prev = NULL;
	const struct page *p = v->page ? v->page : d->page;
	const char *end = value_get_str(p->meta, "date_fin");

	for (size_t j = k + 1; j < d->nversions && !next; j++)
		if (d->versions[j].is_signed && !d->versions[j].is_draft)
			next = &d->versions[j];
	for (size_t j = 0; j < k; j++)
		if (d->versions[j].is_signed && !d->versions[j].is_draft)
			prev = &d->versions[j];
	if (prev)
		value_set(s, "prev", version_value(d, prev));
	value_set_str(s, "start", start_date(v));
	value_set_str(s, "signed_on", v->date);
	value_set_str(s, "end_date", end);
	if (next) {
		value_set(s, "next", version_value(d, next));
		value_set_str(s, "next_start", start_date(next));
	}
	value_set_str(
	    s, "state",
	    v->is_draft ? "projet"
	                : signed_state(env->site->reference_date, start_date(v),
	                               next ? start_date(next) : NULL, end));
}

struct value *render_standing(const struct render_env *env,
                              const struct document *d, size_t k)
{
	struct value *s = value_map();

	if (k == (size_t)-1)
		k = last_signed(d);
	if (k >= d->nversions)
		return s;
	value_set(s, "version", version_value(d, &d->versions[k]));
	value_set_str(s, "current_path", d->path);
	value_set_bool(s, "signed", d->is_signed);
	if (d->is_signed &&
	    (d->versions[k].is_signed || d->versions[k].is_draft)) {
		signed_standing(env, d, k, s);
	} else {
		/* an ordinary document: versions are history, not law */
		value_set_str(s, "state",
		              k + 1 == d->nversions ? "actuelle" : "ancienne");
	}
	return s;
}

/* The sub-pages of a bundle at version v, as page.children. */
static struct value *subpages_value(const struct version *v, const char *path)
{
	struct value *list = value_list();

	for (size_t i = 0; i < v->nsubpages; i++) {
		const struct subpage *sp = &v->subpages[i];
		struct value *m = value_push(list, value_map());
		struct buf p = BUF_INIT;

		buf_printf(&p, "%s%s/", path, sp->slug);
		value_set_str(m, "title", sp->page->title);
		value_set_str(m, "path", buf_str(&p));
		value_set_str(m, "type", sp->page->type);
		value_set_str(m, "kind", "page");
		value_set(m, "meta", value_copy(sp->page->meta));
		buf_free(&p);
	}
	return list;
}

/* PATH/versions/N/ and, for a bundle, its sub-pages under it. */
static int render_version(const struct render_env *env,
                          const struct document *d, const struct version *v)
{
	struct buf path = BUF_INIT, vpath = BUF_INIT;
	struct value *crumbs = value_list(), *kids;
	struct view view = {d, v->page, NULL, "version", v, NULL, crumbs};
	int ret;

	buf_printf(&vpath, "%sversions/", d->path);
	version_path(d, v, &path);
	render_crumb(crumbs, d->page->title, d->path);
	render_crumb(crumbs, "Versions", buf_str(&vpath));
	kids = subpages_value(v, buf_str(&path));
	view.path = buf_str(&path);
	view.children = kids;
	ret = render_view(env, &view, NULL);
	if (ret == 0)
		env->st->versions++;
	render_crumb(crumbs, v->label, buf_str(&path));
	for (size_t i = 0; i < v->nsubpages; i++) {
		struct buf sub = BUF_INIT;
		struct view sv = {d, v->subpages[i].page, NULL,  "version",
		                  v, value_list(),        crumbs};

		buf_printf(&sub, "%s%s/", buf_str(&path), v->subpages[i].slug);
		sv.path = buf_str(&sub);
		if (render_view(env, &sv, NULL) < 0)
			ret = -1;
		value_free((struct value *)sv.children);
		buf_free(&sub);
	}
	value_free(kids);
	value_free(crumbs);
	buf_free(&path);
	buf_free(&vpath);
	return ret;
}

/* PATH/data.json (SPEC §4). */
static int write_data_json(const struct render_env *env,
                           const struct document *d)
{
	struct value *j = value_map(), *list;
	struct buf out = BUF_INIT, rel = BUF_INIT;
	int ret;

	value_set_str(j, "title", d->page->title);
	value_set_str(j, "type", d->page->type);
	value_set_str(j, "path", d->path);
	value_set(j, "meta", value_copy(d->page->meta));
	value_set(j, "resources", render_resources_value(env, d));
	list = value_set(j, "versions", value_list());
	for (size_t k = 0; k < d->nversions; k++)
		value_push(list, version_to_value(&d->versions[k]));
	value_to_json(j, &out, 2);
	buf_putc(&out, '\n');
	buf_printf(&rel, "%sdata.json", d->path);
	ret = output_write(env->out, buf_str(&rel), buf_str(&out), out.len);
	render_record(env, buf_str(&rel));
	value_free(j);
	buf_free(&out);
	buf_free(&rel);
	return ret;
}

int render_versions(const struct render_env *env, const struct document *d)
{
	struct buf path = BUF_INIT;
	struct value *crumbs = value_list();
	struct view v = {d, d->page, NULL, "versions", NULL, NULL, crumbs};
	int ret = 0;

	buf_printf(&path, "%sversions/", d->path);
	v.path = buf_str(&path);
	render_crumb(crumbs, d->page->title, d->path);
	if (render_view(env, &v, "versions.html") < 0)
		ret = -1;
	for (size_t k = 0; k < d->nversions; k++)
		if (d->versions[k].page &&
		    render_version(env, d, &d->versions[k]) < 0)
			ret = -1;
	if (render_changes(env, d) < 0)
		ret = -1;
	if (write_data_json(env, d) < 0)
		ret = -1;
	value_free(crumbs);
	buf_free(&path);
	return ret;
}
