/*
 * bench_diff: the time to diff two 60 KB conventions that differ in five
 * places (SPEC §5; target: at most 5 ms), for make bench.
 *
 *   bench_diff [ITERATIONS]        the synthetic pair (below), each
 *                                  word-diff algorithm
 *   bench_diff OLD.md NEW.md       a real pair: timings and, per
 *                                  algorithm, how many <ins>/<del> the
 *                                  reader meets (fewer, longer changes
 *                                  read better)
 *
 * The synthetic pair is the demo convention's text (index.md, then its
 * annexes, bodies only, until 60 KB), and the same with five edits spread
 * through it: three words replaced, a number in a table changed, a
 * sentence added. Both are parsed once; what is timed is the diff
 * (outlines, alignment, word diffs: diff_new) and writing it (both
 * views: diff_html), as a changes page does; parsing is shown apart.
 *
 * Built against every object of src/ but main.o, like the unit tests:
 *   cc -O2 -iquote src $(pkg-config --cflags ...) tests/bench/bench_diff.c
 *      build/[!m]*.o ... -o build/bench/bench_diff
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "diff.h"
#include "diff_int.h"
#include "fs.h"
#include "markdown.h"
#include "site.h"

#define DEMO "content/conventions/ctg-val-ambreuse-2026-2030/"
#define SIZE (60 * 1024)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Appends the body of file (front matter skipped). */
static int add_body(struct buf *out, const char *file)
{
	struct buf text = BUF_INIT;
	const char *s;

	if (fs_read(file, 1 << 22, &text) < 0)
		return -1;
	s = buf_str(&text);
	if (!strncmp(s, "---\n", 4) && strstr(s + 4, "\n---\n"))
		s = strstr(s + 4, "\n---\n") + 5;
	buf_puts(out, s);
	buf_putc(out, '\n');
	buf_free(&text);
	return 0;
}

/* Replaces the first `what` after offset at by `with`; 0 when found. */
static int replace_after(struct buf *b, size_t at, const char *what,
                         const char *with)
{
	char *p = strstr(b->data + at, what);
	struct buf out = BUF_INIT;

	if (!p)
		return -1;
	buf_put(&out, b->data, (size_t)(p - b->data));
	buf_puts(&out, with);
	buf_puts(&out, p + strlen(what));
	buf_free(b);
	*b = out;
	return 0;
}

/* The five edits, spread through the text. */
static int edit(struct buf *b)
{
	int r = 0;

	r |= replace_after(b, b->len / 10, " les ", " des ");
	r |= replace_after(b, b->len * 3 / 10, " la ", " une ");
	r |= replace_after(b, b->len / 2, " Caf ", " caisse ");
	r |= replace_after(b, b->len * 7 / 10, "| 1", "| 9");
	r |= replace_after(b, b->len * 9 / 10, ".\n\n",
	                   ". Une phrase ajoutée par l’avenant.\n\n");
	return r;
}

static struct page *page_md(const char *s, size_t n)
{
	struct page *p = page_new();

	p->md = markdown_parse(s, n, NULL);
	return p;
}

/* Medians over the iterations: a build machine is rarely idle. */
struct timing {
	double diff, html;
	size_t marks;
};

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (; (s = strstr(s, what)); s++)
		n++;
	return n;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void run(const struct page *a, const struct page *b,
                enum seqdiff_algo algo, int iters, struct timing *t)
{
	struct diff_view inl = {0, "../", "../../0/", ""};
	struct diff_view side = {1, "../", "../../0/", "c_"};
	double *td = malloc((size_t)iters * sizeof(*td));
	double *th = malloc((size_t)iters * sizeof(*th));

	for (int i = 0; i < iters; i++) {
		struct buf h = BUF_INIT;
		double t0 = now(), t1, t2;
		struct diff *df = diff_new_algo(a, b, algo);

		t1 = now();
		diff_html(df, &inl, &h);
		diff_html(df, &side, &h);
		t2 = now();
		td[i] = t1 - t0;
		th[i] = t2 - t1;
		t->marks =
		    count(buf_str(&h), "<ins") + count(buf_str(&h), "<del");
		buf_free(&h);
		diff_free(df);
	}
	t->diff = median(td, iters);
	t->html = median(th, iters);
	free(td);
	free(th);
}

static int load_pair(int argc, char **argv, struct buf *a, struct buf *b)
{
	static const char *const files[] = {
	    DEMO "index.md", DEMO "annexe-2-equipements.md",
	    DEMO "annexe-4-pilotage.md", DEMO "annexe-1-diagnostic.md"};

	if (argc == 3)
		return add_body(a, argv[1]) | add_body(b, argv[2]);
	for (size_t i = 0; i < 4 && a->len < SIZE; i++)
		if (add_body(a, files[i]) < 0)
			return -1;
	if (a->len > SIZE)
		buf_truncate(a, SIZE);
	while (a->len && a->data[a->len - 1] != '\n')
		buf_truncate(a, a->len - 1); /* whole lines */
	buf_puts(b, buf_str(a));
	return edit(b);
}

int main(int argc, char **argv)
{
	static const char *const names[] = {"myers", "minimal", "patience"};
	struct buf a = BUF_INIT, b = BUF_INIT;
	int iters = argc == 2 ? atoi(argv[1]) : argc == 3 ? 20 : 200;
	struct page *pa, *pb;
	double t0;

	if (load_pair(argc, argv, &a, &b) < 0 || iters < 1) {
		fprintf(stderr,
		        "usage: bench_diff [ITERATIONS] | OLD.md NEW.md "
		        "(run from the repository root)\n");
		return 2;
	}
	t0 = now();
	pa = page_md(a.data, a.len);
	pb = page_md(b.data, b.len);
	printf("texts: %zu and %zu bytes; parsing both: %.2f ms\n", a.len,
	       b.len, (now() - t0) * 1e3);
	printf("%-10s %12s %14s %10s %8s   (medians of %d runs)\n", "algorithm",
	       "diff, ms", "2 views, ms", "total, ms", "marks", iters);
	for (int k = 0; k < 3; k++) {
		struct timing t;

		run(pa, pb, (enum seqdiff_algo)k, iters, &t);
		printf("%-10s %12.3f %14.3f %10.3f %8zu\n", names[k],
		       t.diff * 1e3, t.html * 1e3, (t.diff + t.html) * 1e3,
		       t.marks);
	}
	page_free(pa);
	page_free(pb);
	buf_free(&a);
	buf_free(&b);
	return 0;
}
