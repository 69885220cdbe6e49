/*
 * derive_csv: CSV data files into a list of maps (see derive_csv in
 * derive.h), so that hooks read page.data.places[1].annee as a number.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "derive.h"
#include "diag.h"
#include "utf8.h"
#include "value.h"
#include "xalloc.h"

struct csv {
	const char *p, *end, *file;
	int line;   /* of p */
	char delim; /* ',' or ';' */
};

/* One field of the record being read. */
struct field {
	struct buf text;
	int quoted;
};

/* "," unless the first line holds more ";" than "," (French
 * spreadsheets write ";" and decimal commas). */
static char guess_delim(const char *p, const char *end)
{
	size_t commas = 0, semis = 0;
	int quoted = 0;

	for (; p < end && (quoted || *p != '\n'); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == ',')
			commas++;
		else if (!quoted && *p == ';')
			semis++;
	}
	return semis > commas ? ';' : ',';
}

/* Reads a quoted field (c->p after its opening quote) into f. */
static int read_quoted(struct csv *c, struct field *f, int start)
{
	for (;;) {
		if (c->p >= c->end) {
			diag_error(c->file, start, 0,
			           "quoted field is not "
			           "closed");
			return -1;
		}
		if (*c->p == '"') {
			if (c->p + 1 < c->end && c->p[1] == '"') {
				buf_putc(&f->text, '"');
				c->p += 2;
				continue;
			}
			c->p++;
			break;
		}
		if (*c->p == '\n')
			c->line++;
		buf_putc(&f->text, *c->p++);
	}
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
	if (c->p < c->end && *c->p != c->delim && *c->p != '\n' &&
	    !(*c->p == '\r' && (c->p + 1 == c->end || c->p[1] == '\n'))) {
		diag_error(c->file, c->line, 0,
		           "unexpected text after a closing quote");
		return -1;
	}
	return 0;
}

/*
 * Reads one record into fields (grown as needed; *n set). Returns 0, 1
 * at the end of the text, -1 after reporting. The record's first line is
 * stored in *line.
 */
static int read_record(struct csv *c, struct field **fields, size_t *n,
                       size_t *cap, int *line)
{
	struct field *f;

	if (c->p >= c->end)
		return 1;
	*n = 0;
	*line = c->line;
	for (;;) {
		*fields = xgrow(*fields, cap, *n + 1, sizeof(**fields));
		f = &(*fields)[(*n)++];
		memset(f, 0, sizeof(*f));
		if (c->p < c->end && *c->p == '"') {
			f->quoted = 1;
			c->p++;
			if (read_quoted(c, f, c->line) < 0)
				return -1;
		} else {
			while (c->p < c->end && *c->p != c->delim &&
			       *c->p != '\n')
				buf_putc(&f->text, *c->p++);
			if (f->text.len &&
			    f->text.data[f->text.len - 1] == '\r')
				buf_truncate(&f->text, f->text.len - 1);
		}
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p >= c->end)
			return 0;
		if (*c->p++ == '\n') {
			c->line++;
			return 0;
		}
	}
}

static void fields_free(struct field *fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf_free(&fields[i].text);
}

/* The field without blanks around it, in place. */
static const char *trimmed(struct field *f)
{
	char *s = f->text.data ? f->text.data : (char *)"";
	size_t n = f->text.len;

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (f->text.data)
		buf_truncate(&f->text, n);
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* 1 when s is a decimal number as the YAML reader types them (with a
 * decimal comma too when comma is set). */
static int is_number(const char *s, int comma)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return 0;
	if (*s == '.' || (comma && *s == ',')) {
		if (!(*++s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

static struct value *typed(struct field *f, int comma)
{
	const char *s;
	char *num, *p;
	double d;

	if (f->quoted)
		return value_string(buf_str(&f->text), f->text.len);
	s = trimmed(f);
	if (!*s)
		return value_nil();
	if (!is_number(s, comma))
		return value_cstring(s);
	num = xstrdup(s);
	if ((p = strchr(num, ',')))
		*p = '.';
	d = strtod(num, NULL);
	free(num);
	return value_number(d);
}

/* Checks the header's names; returns -1 after reporting. */
static int check_header(struct csv *c, struct field *h, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const char *name = trimmed(&h[i]);

		if (!*name) {
			diag_error(c->file, 1, 0, "column %zu has no name",
			           i + 1);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(trimmed(&h[j]), name)) {
				diag_error(c->file, 1, 0,
				           "column \"%s\" is named twice",
				           name);
				return -1;
			}
	}
	return 0;
}

/* Refuses NUL bytes and invalid UTF-8; returns -1 after reporting. */
static int check_text(const char *text, size_t len, const char *file)
{
	size_t bad = utf8_check(text, len);
	const char *nul = memchr(text, '\0', len);
	int line, col;

	if (nul && (size_t)(nul - text) < bad)
		bad = (size_t)(nul - text);
	if (bad >= len)
		return 0;
	utf8_position(text, bad, &line, &col);
	diag_error(file, line, col, "%s",
	           text[bad] ? "invalid utf-8" : "binary file: NUL byte");
	return -1;
}

struct value *derive_csv(const char *text, size_t len, const char *file)
{
	struct csv c = {text, text + len, file, 1, ','};
	struct field *head = NULL, *row = NULL;
	size_t nhead = 0, caph = 0, nrow = 0, capr = 0, i;
	struct value *list = NULL, *m;
	int line, r, bad = 0;

	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		c.p += 3;
	if (check_text(c.p, (size_t)(c.end - c.p), file) < 0)
		return NULL;
	c.delim = guess_delim(c.p, c.end);
	r = read_record(&c, &head, &nhead, &caph, &line);
	if (r < 0 || (r == 0 && check_header(&c, head, nhead) < 0))
		goto out;
	list = value_list(); /* an empty file has no rows */
	while ((r = read_record(&c, &row, &nrow, &capr, &line)) == 0) {
		if (nrow == 1 && !row[0].quoted && !*trimmed(&row[0])) {
			fields_free(row, nrow);
			continue; /* an empty line */
		}
		if (nrow != nhead) {
			diag_error(file, line, 0,
			           "row has %zu field%s, the header has %zu",
			           nrow, nrow == 1 ? "" : "s", nhead);
			bad = 1;
		} else {
			m = value_push(list, value_map());
			for (i = 0; i < nrow; i++)
				value_set(m, trimmed(&head[i]),
				          typed(&row[i], c.delim == ';'));
		}
		fields_free(row, nrow);
	}
	if (r < 0 || bad) {
		value_free(list);
		list = NULL;
	}
out:
	fields_free(head, nhead);
	fields_free(row, nrow);
	free(head);
	free(row);
	return list;
}
