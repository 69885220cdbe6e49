/*
 * xalloc: allocation wrappers that never return NULL.
 *
 * Running out of memory is an environment failure, not a content error: it
 * is fatal, with a clear message on stderr. Every allocation in paraphe goes
 * through these wrappers, so callers never check for NULL.
 */
#ifndef PARAPHE_XALLOC_H
#define PARAPHE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array of *cap elements of size elem so that it holds at least
 * need elements (doubling); returns the possibly moved array. */
void *xgrow(void *p, size_t *cap, size_t need, size_t elem);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Prints "paraphe: fatal: MESSAGE" to stderr and exits with status 3.
 * Only for environment failures (out of memory); content errors go to diag. */
_Noreturn void xfatal(const char *fmt, ...);

#endif
