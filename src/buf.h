/*
 * buf: the one growable byte buffer used for all string building.
 *
 * Invariants:
 *   - a zeroed struct buf (BUF_INIT) is a valid empty buffer with data NULL;
 *   - once anything has been put, data is non-NULL and data[len] == '\0',
 *     so data can always be used as a C string (it may also hold NUL bytes
 *     inside; len is the truth);
 *   - cap > len whenever data is non-NULL.
 * Allocation failures are fatal (xalloc), so no function here can fail.
 */
#ifndef PARAPHE_BUF_H
#define PARAPHE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT                                                               \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/* Makes room for n more bytes (plus the terminating NUL). */
void buf_grow(struct buf *b, size_t n);
void buf_put(struct buf *b, const char *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, int c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* The contents as a C string: "" for an empty buffer, never NULL. The pointer
 * stays owned by the buffer. */
const char *buf_str(const struct buf *b);
/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);
/* Shortens the buffer to n bytes (n <= len). */
void buf_truncate(struct buf *b, size_t n);
/* Returns the contents as a malloc'd C string (never NULL, "" when empty)
 * that the caller frees; the buffer is left empty. */
char *buf_detach(struct buf *b);
/* Frees the memory; the buffer is left empty and reusable. */
void buf_free(struct buf *b);

#endif
