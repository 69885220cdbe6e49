/*
 * history_xdiff: seqdiff (seqdiff.h) on libgit2's xdiff. This is what
 * git's --word-diff does: write one token per line into two buffers and
 * diff the buffers (git_diff_buffers) with no context, then read which
 * lines were deleted and which were added. A token holding a line break
 * is escaped ("\n" as backslash-n, and backslash doubled) so that one
 * token is always one line.
 *
 * The common head and tail of the two sequences are matched here first,
 * with plain string comparisons, so that a long text with a few changes
 * costs xdiff only the changed middle.
 */
#include "seqdiff.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "buf.h"
#include "xalloc.h"

/* libgit2 wants one init before use; this reference is never given back
 * (history.c takes and gives back its own), so the library stays ready
 * for the render stage after the history stage is done with it. */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void lib_init(void)
{
	git_libgit2_init();
}

/* Which lines of the middle parts were deleted (del) and added (ins). */
struct marks {
	unsigned char *del, *ins;
	size_t na, nb;
};

static int on_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
                   const git_diff_line *line, void *payload)
{
	struct marks *m = payload;

	(void)delta;
	(void)hunk;
	if (line->origin == GIT_DIFF_LINE_DELETION && line->old_lineno > 0 &&
	    (size_t)line->old_lineno <= m->na)
		m->del[line->old_lineno - 1] = 1;
	else if (line->origin == GIT_DIFF_LINE_ADDITION &&
	         line->new_lineno > 0 && (size_t)line->new_lineno <= m->nb)
		m->ins[line->new_lineno - 1] = 1;
	return 0;
}

/* One token per line; backslash, line feed and carriage return escaped
 * (xdiff would take a bare carriage return for part of a line ending). */
static void put_lines(struct buf *b, const char *const *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (const char *p = t[i]; *p; p++) {
			if (*p == '\\')
				buf_puts(b, "\\\\");
			else if (*p == '\n')
				buf_puts(b, "\\n");
			else if (*p == '\r')
				buf_puts(b, "\\r");
			else
				buf_putc(b, *p);
		}
		buf_putc(b, '\n');
	}
}

/* The growing list of runs; consecutive runs of one kind are merged. */
struct runs {
	struct seqdiff_run *v;
	size_t n, cap;
};

static void push(struct runs *r, enum seqdiff_op op, size_t a, size_t b,
                 size_t n)
{
	struct seqdiff_run *last = r->n ? &r->v[r->n - 1] : NULL;

	if (!n)
		return;
	if (last && last->op == op) {
		last->n += n;
		return;
	}
	r->v = xgrow(r->v, &r->cap, r->n + 1, sizeof(*r->v));
	r->v[r->n++] = (struct seqdiff_run){op, a, b, n};
}

/* Runs xdiff on the middle parts; 0, or -1 when libgit2 failed. */
static int run_xdiff(const char *const *a, size_t na, const char *const *b,
                     size_t nb, enum seqdiff_algo algo, struct marks *m)
{
	git_diff_options opts;
	struct buf ba = BUF_INIT, bb = BUF_INIT;
	int ret = -1;

	if (na > INT_MAX / 2 || nb > INT_MAX / 2)
		goto out; /* line numbers are ints */
	pthread_once(&init_once, lib_init);
	if (git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION) < 0)
		goto out;
	opts.context_lines = 0;
	opts.interhunk_lines = 0;
	opts.flags = GIT_DIFF_FORCE_TEXT;
	if (algo == SEQDIFF_MINIMAL)
		opts.flags |= GIT_DIFF_MINIMAL;
	else if (algo == SEQDIFF_PATIENCE)
		opts.flags |= GIT_DIFF_PATIENCE;
	put_lines(&ba, a, na);
	put_lines(&bb, b, nb);
	if (git_diff_buffers(ba.data, ba.len, NULL, bb.data, bb.len, NULL,
	                     &opts, NULL, NULL, NULL, on_line, m) == 0)
		ret = 0;
out:
	buf_free(&ba);
	buf_free(&bb);
	return ret;
}

/* Reads the marks of the middle parts (from p, ea and eb tokens in) into
 * runs: deletions before insertions, the rest equal. */
static void read_marks(struct runs *r, const struct marks *m, size_t p,
                       size_t ea, size_t eb)
{
	size_t i = 0, j = 0;

	while (i < ea || j < eb) {
		if (i < ea && (m->del[i] || j >= eb)) {
			push(r, SEQDIFF_DELETE, p + i, p + j, 1);
			i++;
		} else if (j < eb && (m->ins[j] || i >= ea)) {
			push(r, SEQDIFF_INSERT, p + i, p + j, 1);
			j++;
		} else {
			push(r, SEQDIFF_EQUAL, p + i, p + j, 1);
			i++, j++;
		}
	}
}

size_t seqdiff(const char *const *a, size_t na, const char *const *b, size_t nb,
               enum seqdiff_algo algo, struct seqdiff_run **out)
{
	struct runs r = {NULL, 0, 0};
	struct marks m = {NULL, NULL, 0, 0};
	size_t p = 0, s = 0;

	while (p < na && p < nb && !strcmp(a[p], b[p]))
		p++;
	while (s < na - p && s < nb - p &&
	       !strcmp(a[na - 1 - s], b[nb - 1 - s]))
		s++;
	push(&r, SEQDIFF_EQUAL, 0, 0, p);
	m.na = na - p - s;
	m.nb = nb - p - s;
	if (m.na && m.nb) {
		m.del = xcalloc(m.na, 1);
		m.ins = xcalloc(m.nb, 1);
		if (run_xdiff(a + p, m.na, b + p, m.nb, algo, &m) < 0) {
			memset(m.del, 1, m.na); /* fallback: replace it all */
			memset(m.ins, 1, m.nb);
		}
	}
	if (m.na && m.nb)
		read_marks(&r, &m, p, m.na, m.nb);
	else
		push(&r, m.na ? SEQDIFF_DELETE : SEQDIFF_INSERT, p, p,
		     m.na + m.nb);
	push(&r, SEQDIFF_EQUAL, na - s, nb - s, s);
	free(m.del);
	free(m.ins);
	*out = r.v;
	return r.n;
}
