/*
 * history_versions: the commits that touched each document into its
 * versions (SPEC §3).
 *
 * A commit with a valid Signature signs every bundle it touches, or, when
 * it has Convention trailers, exactly the bundles or pages they name
 * (touched or not: an empty commit can record the signature of the text
 * as it stands). Listings and sub-pages outside the signed text are never
 * signed. A document signed at least once is a signed document: its
 * versions are its signed commits, numbered by Avenant (none: 0, the
 * initial convention), which must go 0, 1, 2… in commit order; the commits
 * before its first signed version are drafting history, those after its
 * last are unsigned changes (a warning; with --drafts, one draft version
 * more). Any other document gets one version per commit, 0, 1, 2….
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "history_int.h"
#include "site.h"
#include "value.h"
#include "xalloc.h"

/* Unsigned commits named in a warning before "and N more". */
#define SHOW_COMMITS 10

/* 1 when hc is a signed version of document i. */
static int signs(const struct walk *w, const struct hcommit *hc, long i)
{
	const struct document *d = w->site->docs[i];

	if (!hc->signature || hc->bad || d->kind == DOC_LIST ||
	    d->outside_signed)
		return 0;
	if (hc->nconv_names) {
		for (size_t k = 0; k < hc->nconv; k++)
			if (hc->conv[k] == i)
				return 1;
		return 0;
	}
	return d->kind == DOC_BUNDLE;
}

static void fill(struct version *v, const struct hcommit *hc, const char *src,
                 int id, const char *label, const char *date)
{
	memset(v, 0, sizeof(*v));
	v->id = id;
	v->src = src ? xstrdup(src) : NULL;
	memcpy(v->commit, hc->id, sizeof(v->commit));
	v->subject = xstrdup(hc->subject);
	v->label = xstrdup(label);
	v->date = xstrdup(date);
	v->time = hc->time;
	v->trailers = value_copy(hc->trailers);
}

static const struct hcommit *touch(const struct walk *w, long i, size_t k)
{
	return &w->commits[w->docs[i].touch[k].commit];
}

static const char *src_at(const struct walk *w, long i, size_t k)
{
	return w->docs[i].touch[k].src;
}

/* One version per commit, labelled by its subject. */
static void ordinary(struct walk *w, long i)
{
	struct document *d = w->site->docs[i];
	const struct hdoc *hd = &w->docs[i];
	char label[64];

	d->versions = xcalloc(hd->n, sizeof(*d->versions));
	for (size_t k = hd->n; k-- > 0;) {
		const struct hcommit *hc = touch(w, i, k);

		snprintf(label, sizeof(label), "commit %.7s", hc->id);
		fill(&d->versions[d->nversions], hc, src_at(w, i, k),
		     (int)d->nversions, hc->subject[0] ? hc->subject : label,
		     hc->date);
		d->nversions++;
	}
}

static void label_of(char *out, size_t n, int id)
{
	if (id == 0)
		snprintf(out, n, "Convention initiale");
	else
		snprintf(out, n, "Avenant n°%d", id);
}

/*
 * Checks that id may follow prev (-1 before the first signed version), and
 * reports an error naming the document and the numbers. *keep is 0 when the
 * version must be dropped (its id is taken). Returns 0, or -1 after an
 * error.
 */
static int check_number(const struct document *d, int prev,
                        const struct hcommit *prevhc, int id,
                        const struct hcommit *hc, int *keep)
{
	char after[64];

	*keep = prev < 0 || id > prev;
	if (prev < 0 && id > 0)
		diag_error(
		    d->src, 0, 0,
		    "avenant n°%d (commit %.7s) has no signed convention "
		    "before it: the first signed commit has no 'Avenant' "
		    "trailer",
		    id, hc->id);
	else if (prev < 0 || id == prev + 1)
		return 0;
	else if (id == 0 && prev == 0)
		diag_error(
		    d->src, 0, 0,
		    "the initial convention is signed twice (commits %.7s "
		    "and %.7s): a later signed commit needs an 'Avenant: "
		    "N' trailer",
		    prevhc->id, hc->id);
	else if (id == prev)
		diag_error(
		    d->src, 0, 0,
		    "avenant n°%d is signed twice (commits %.7s and %.7s)", id,
		    prevhc->id, hc->id);
	else {
		if (prev == 0)
			snprintf(after, sizeof(after),
			         "the initial convention");
		else
			snprintf(after, sizeof(after), "avenant n°%d", prev);
		if (id < prev)
			diag_error(d->src, 0, 0,
			           "avenant n°%d (commit %.7s) comes after %s",
			           id, hc->id, after);
		else
			diag_error(d->src, 0, 0,
			           "avenant n°%d (commit %.7s) follows %s: "
			           "avenant n°%d is missing",
			           id, hc->id, after, prev + 1);
	}
	return -1;
}

/* Warns about the unsigned commits of d after its last signed version
 * (touches 0..end-1, newest first), and adds the draft with --drafts. */
static void unsigned_changes(struct walk *w, long i, size_t end, int last)
{
	struct document *d = w->site->docs[i];
	struct buf list = BUF_INIT;
	const struct hcommit *newest = NULL;
	size_t n = 0, nk = 0;
	char what[64];

	for (size_t k = end; k-- > 0;) {
		const struct hcommit *hc = touch(w, i, k);

		if (hc->bad || signs(w, hc, i))
			continue;
		if (n++ < SHOW_COMMITS)
			buf_printf(&list, "%s%.7s", n > 1 ? ", " : "", hc->id);
		newest = hc;
		nk = k;
	}
	if (!newest)
		goto out;
	if (n > SHOW_COMMITS)
		buf_printf(&list, " and %zu more", n - SHOW_COMMITS);
	if (last == 0)
		snprintf(what, sizeof(what), "the initial convention");
	else
		snprintf(what, sizeof(what), "avenant n°%d", last);
	diag_warning(d->src, 0, 0, "unsigned changes after %s: %s (%s)", what,
	             buf_str(&list),
	             w->cfg->drafts ? "published as a draft, \"projet "
	                              "d'avenant\""
	                            : "record them with a signed commit, or "
	                              "build with --drafts to publish a draft");
	if (w->cfg->drafts) {
		struct version *v = &d->versions[d->nversions++];

		fill(v, newest, src_at(w, i, nk), last + 1, "Projet d'avenant",
		     newest->date);
		v->is_draft = 1;
	}
out:
	buf_free(&list);
}

/* The versions of a signed document; returns -1 after an error. */
static int signed_doc(struct walk *w, long i)
{
	struct document *d = w->site->docs[i];
	const struct hdoc *hd = &w->docs[i];
	const struct hcommit *prevhc = NULL;
	int prev = -1, ret = 0;
	size_t end = hd->n;
	char label[64];

	d->versions = xcalloc(hd->n + 1, sizeof(*d->versions));
	d->is_signed = 1;
	for (size_t k = hd->n; k-- > 0;) {
		const struct hcommit *hc = touch(w, i, k);
		struct version *v;
		int keep;

		if (!signs(w, hc, i))
			continue;
		if (check_number(d, prev, prevhc, hc->avenant, hc, &keep) < 0)
			ret = -1;
		if (!keep)
			continue;
		v = &d->versions[d->nversions++];
		label_of(label, sizeof(label), hc->avenant);
		fill(v, hc, src_at(w, i, k), hc->avenant, label, hc->signature);
		v->is_signed = 1;
		prev = hc->avenant;
		prevhc = hc;
		end = k;
	}
	unsigned_changes(w, i, end, prev);
	return ret;
}

/* A note for the commit dates that mean nothing: epoch 0 (texts older than
 * 1970 are often committed so) and dates after HEAD's. */
static void date_notes(const struct walk *w)
{
	size_t epoch = 0, future = 0;
	const char *e1 = NULL, *f1 = NULL;

	for (size_t c = 0; c < w->ncommits; c++) {
		const struct hcommit *hc = &w->commits[c];

		if (hc->time <= 0) {
			e1 = hc->id;
			epoch++;
		} else if (hc->time > w->h->head_time) {
			f1 = hc->id;
			future++;
		}
	}
	/* commits are kept newest first: e1 and f1 are the oldest */
	if (epoch)
		diag_note(NULL, 0, 0,
		          "%zu commit(s) dated at or before 1970-01-01 (epoch "
		          "0), the oldest %.7s: commit dates are shown as they "
		          "are and never used as legal dates",
		          epoch, e1);
	if (future)
		diag_note(
		    NULL, 0, 0,
		    "%zu commit(s) dated after HEAD, the oldest %.7s: "
		    "commit dates are shown as they are and never used as "
		    "legal dates",
		    future, f1);
}

int hv_build(struct walk *w)
{
	int ret = 0;

	date_notes(w);
	for (size_t i = 0; i < w->site->ndocs; i++) {
		struct document *d = w->site->docs[i];
		const struct hdoc *hd = &w->docs[i];
		int is_signed = 0;

		for (size_t k = 0; k < d->nversions; k++)
			version_clear(&d->versions[k]);
		free(d->versions);
		d->versions = NULL;
		d->nversions = 0;
		d->is_signed = 0;
		for (size_t k = 0; k < hd->n && !is_signed; k++)
			is_signed = signs(w, touch(w, (long)i, k), (long)i);
		if (is_signed && signed_doc(w, (long)i) < 0)
			ret = -1;
		else if (!is_signed && hd->n)
			ordinary(w, (long)i);
	}
	return ret;
}
