/*
 * esc: escaping by output context. Every dynamic string written into HTML,
 * XML, JSON or a URL goes through exactly one of these functions, at the
 * place where the output is produced. All append to out; (s, n) is the
 * input, n bytes (no NUL needed).
 */
#ifndef PARAPHE_ESC_H
#define PARAPHE_ESC_H

#include "buf.h"

/* Text content of HTML or XML elements: & < > " ' become entities. */
void esc_html(struct buf *out, const char *s, size_t n);
/* A quoted attribute value (always quote attributes with "): like esc_html,
 * plus ` = and control characters as numeric references. */
void esc_attr(struct buf *out, const char *s, size_t n);
/* A URL placed in an href/src attribute: bytes outside the unreserved and
 * reserved URL sets are percent-encoded, then the result is attribute-safe.
 * A URL whose scheme is not http, https, mailto or tel (e.g. javascript:)
 * is replaced by "#". */
void esc_url(struct buf *out, const char *s, size_t n);
/* The inside of a JSON string (no quotes added): " \ and control
 * characters escaped; "<", ">" and "&" as \u003c... so that JSON can sit in
 * an HTML <script> element. Invalid UTF-8 bytes become U+FFFD. */
void esc_json(struct buf *out, const char *s, size_t n);

/* Convenience for NUL-terminated strings; NULL writes nothing. */
void esc_html_str(struct buf *out, const char *s);
void esc_attr_str(struct buf *out, const char *s);

#endif
