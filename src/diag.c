/*
 * diag: the one diagnostics path (see diag.h). One mutex guards the
 * counters and the stream so that lines from worker threads never mix; a
 * capture stream belongs to one thread (thread-local), so writing to it
 * needs no more.
 */
#include "diag.h"

#include <pthread.h>
#include <stdarg.h>

static pthread_mutex_t diag_lock = PTHREAD_MUTEX_INITIALIZER;
static int n_errors, n_warnings;
static int quiet, verbose;
static FILE *stream;
static _Thread_local FILE *capture; /* see diag_capture */

static const char *const level_name[] = {"note", "warning", "error"};

static void diag_vreport(enum diag_level level, const char *file, int line,
                         int col, const char *fmt, va_list ap)
{
	FILE *f;
	int show;

	pthread_mutex_lock(&diag_lock);
	f = capture ? capture : stream ? stream : stderr;
	if (level == DIAG_ERROR)
		n_errors++;
	else if (level == DIAG_WARNING)
		n_warnings++;
	show = level == DIAG_ERROR || (level == DIAG_WARNING && !quiet) ||
	       (level == DIAG_NOTE && verbose);
	if (show) {
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
}

void diag_forget(int errors, int warnings)
{
	pthread_mutex_lock(&diag_lock);
	n_errors -= errors;
	n_warnings -= warnings;
	pthread_mutex_unlock(&diag_lock);
}

void diag_print(const char *text, size_t len)
{
	FILE *f;

	pthread_mutex_lock(&diag_lock);
	f = stream ? stream : stderr;
	fwrite(text, 1, len, f);
	fflush(f);
	pthread_mutex_unlock(&diag_lock);
}
