/*
 * utf8: validation and decoding of UTF-8 text.
 */
#ifndef PARAPHE_UTF8_H
#define PARAPHE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Returns the offset of the first byte that is not part of valid UTF-8
 * (overlongs, surrogates and code points above U+10FFFF are invalid), or n
 * when all of s is valid. */
size_t utf8_check(const char *s, size_t n);
/* Decodes one code point at s (n bytes left, n > 0); stores it in *cp and
 * returns its length in bytes, or returns 1 and stores 0xFFFD for an
 * invalid sequence. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Line and column (both 1-based, column in code points) of byte offset off
 * in s. */
void utf8_position(const char *s, size_t off, int *line, int *col);

#endif
