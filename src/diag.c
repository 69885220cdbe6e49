/*
 * diag: the one diagnostics path (see diag.h). One mutex guards the
 * counters and the stream so that lines from worker threads never mix; a
 * capture stream belongs to one thread (thread-local), so writing to it
 * needs no more.
 */
#include "diag.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static pthread_mutex_t diag_lock = PTHREAD_MUTEX_INITIALIZER;
static int n_errors, n_warnings;
static int quiet, verbose;
static FILE *stream;
static _Thread_local FILE *capture;        /* see diag_capture */
static _Thread_local int capture_errors;   /* errors reported since then */
static _Thread_local const char *next_key; /* diag_error_keyed's */

/* A captured diagnostic is a record: RS, its repeat key (maybe empty),
 * US, then its text (one line or more). */
#define RS '\x1e'
#define US '\x1f'

/* The keys of the records printed so far (diag_print_captured). */
struct diag_keys {
	char **v;
	size_t n, cap;
};

static const char *const level_name[] = {"note", "warning", "error"};

static void diag_vreport(enum diag_level level, const char *file, int line,
                         int col, const char *fmt, va_list ap)
{
	FILE *f;
	int show;

	pthread_mutex_lock(&diag_lock);
	f = capture ? capture : stream ? stream : stderr;
	if (capture && level == DIAG_ERROR)
		capture_errors++;
	if (level == DIAG_ERROR)
		n_errors++;
	else if (level == DIAG_WARNING)
		n_warnings++;
	show = level == DIAG_ERROR || (level == DIAG_WARNING && !quiet) ||
	       (level == DIAG_NOTE && verbose);
	if (show) {
		if (capture)
			fprintf(f, "%c%s%c", RS, next_key ? next_key : "", US);
		if (!file)
			fputs("paraphe", f);
		else if (line > 0 && col > 0)
			fprintf(f, "%s:%d:%d", file, line, col);
		else if (line > 0)
			fprintf(f, "%s:%d", file, line);
		else
			fputs(file, f);
		fprintf(f, ": %s: ", level_name[level]);
		vfprintf(f, fmt, ap);
		fputc('\n', f);
		fflush(f);
	}
	pthread_mutex_unlock(&diag_lock);
}

void diag_report(enum diag_level level, const char *file, int line, int col,
                 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(level, file, line, col, fmt, ap);
	va_end(ap);
}

void diag_error(const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(DIAG_ERROR, file, line, col, fmt, ap);
	va_end(ap);
}

void diag_error_keyed(const char *key, const char *file, int line, int col,
                      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	next_key = key && *key ? key : NULL;
	diag_vreport(DIAG_ERROR, file, line, col, fmt, ap);
	next_key = NULL;
	va_end(ap);
}

void diag_warning(const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(DIAG_WARNING, file, line, col, fmt, ap);
	va_end(ap);
}

void diag_note(const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(DIAG_NOTE, file, line, col, fmt, ap);
	va_end(ap);
}

int diag_errors(void)
{
	int n;

	pthread_mutex_lock(&diag_lock);
	n = n_errors;
	pthread_mutex_unlock(&diag_lock);
	return n;
}

int diag_warnings(void)
{
	int n;

	pthread_mutex_lock(&diag_lock);
	n = n_warnings;
	pthread_mutex_unlock(&diag_lock);
	return n;
}

void diag_reset(void)
{
	pthread_mutex_lock(&diag_lock);
	n_errors = n_warnings = 0;
	pthread_mutex_unlock(&diag_lock);
}

void diag_set_quiet(int q)
{
	quiet = q;
}

void diag_set_verbose(int v)
{
	verbose = v;
}

void diag_set_stream(FILE *f)
{
	pthread_mutex_lock(&diag_lock);
	stream = f;
	pthread_mutex_unlock(&diag_lock);
}

void diag_capture(FILE *f)
{
	capture = f;
	if (f)
		capture_errors = 0;
}

int diag_captured_errors(void)
{
	return capture_errors;
}

struct diag_keys *diag_keys_new(void)
{
	return xcalloc(1, sizeof(struct diag_keys));
}

void diag_keys_free(struct diag_keys *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i]);
	free(k->v);
	free(k);
}

/* 1 when k holds the key (len bytes at s), which it then gets if not. */
static int keys_seen(struct diag_keys *k, const char *s, size_t len)
{
	for (size_t i = 0; i < k->n; i++)
		if (strlen(k->v[i]) == len && !memcmp(k->v[i], s, len))
			return 1;
	k->v = xgrow(k->v, &k->cap, k->n + 1, sizeof(*k->v));
	k->v[k->n++] = xstrndup(s, len);
	return 0;
}

void diag_print_captured(const char *text, size_t len, struct diag_keys *keys)
{
	const char *p = text, *end = text + len, *us, *next;
	FILE *f;

	pthread_mutex_lock(&diag_lock);
	f = stream ? stream : stderr;
	while (p && p < end) {
		next = memchr(p + 1, RS, (size_t)(end - p - 1));
		next = next ? next : end;
		us = *p == RS ? memchr(p, US, (size_t)(next - p)) : NULL;
		if (!us) { /* not a record: as it is */
			fwrite(p, 1, (size_t)(next - p), f);
		} else if (keys && us > p + 1 &&
		           keys_seen(keys, p + 1, (size_t)(us - p - 1))) {
			n_errors--; /* a keyed record is an error */
		} else {
			fwrite(us + 1, 1, (size_t)(next - us - 1), f);
		}
		p = next;
	}
	fflush(f);
	pthread_mutex_unlock(&diag_lock);
}

void diag_forget(int errors, int warnings)
{
	pthread_mutex_lock(&diag_lock);
	n_errors -= errors;
	n_warnings -= warnings;
	pthread_mutex_unlock(&diag_lock);
}
