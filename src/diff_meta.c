/*
 * diff_meta: front matter changes as rows (field, before, after, delta),
 * and numbers written the French way.
 *
 * Nested values are flattened into dotted paths, list items numbered
 * from 1 as a reader counts them: communes.7.nom is the name of the
 * seventh commune. Lists are aligned item by item (seqdiff on each
 * item's JSON) before they are compared, so that a commune inserted in
 * the middle of the list reads as one commune added, not as every
 * following commune changed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"
#include "value.h"
#include "xalloc.h"

/* Past this depth, nested values are compared and shown as JSON. */
#define MAX_DEPTH 16

#define NNBSP "\xe2\x80\xaf" /* narrow no-break space: 12 340, 30 % */
#define MINUS "\xe2\x88\x92" /* the minus sign, not a hyphen */

void diff_format_number(double x, int sign, struct buf *out)
{
	double ax = fabs(x);
	long long c, ip;
	char digits[32];
	size_t n, head;

	if (!isfinite(x) || ax >= 1e15) {
		buf_printf(out, "%g", x);
		return;
	}
	c = llround(ax * 100);
	if (c && x < 0)
		buf_puts(out, MINUS);
	else if (c && sign)
		buf_putc(out, '+');
	ip = c / 100;
	n = (size_t)snprintf(digits, sizeof(digits), "%lld", ip);
	head = n % 3 ? n % 3 : 3;
	buf_put(out, digits, head);
	for (size_t i = head; i < n; i += 3) {
		if (n > 3)
			buf_puts(out, NNBSP);
		buf_put(out, digits + i, 3);
	}
	if (c % 100) {
		buf_printf(out, ",%02lld", c % 100);
		if (c % 10 == 0)
			buf_truncate(out, out->len - 1);
	}
}

void diff_format_delta(double a, double b, struct buf *out)
{
	double d = b - a, p;

	diff_format_number(d, 1, out);
	if (a == 0)
		return;
	p = d / fabs(a) * 100;
	p = fabs(p) >= 10 ? round(p) : round(p * 10) / 10;
	if (p == 0)
		return;
	buf_puts(out, ", ");
	diff_format_number(p, 1, out);
	buf_puts(out, NNBSP "%");
}

/* ---- front matter ---- */

/* The text of a value in a row: strings as written, numbers in French,
 * booleans in words; what is too deep as JSON. */
static struct value *cell(const struct value *v)
{
	struct buf b = BUF_INIT;
	struct value *s;

	if (!v)
		return value_nil();
	switch (v->type) {
	case VALUE_STRING:
		return value_string(v->u.str.ptr, v->u.str.len);
	case VALUE_NUMBER:
		diff_format_number(v->u.number, 0, &b);
		break;
	case VALUE_BOOL:
		buf_puts(&b, v->u.boolean ? "oui" : "non");
		break;
	case VALUE_NIL:
		break;
	default:
		value_to_json(v, &b, 0);
	}
	s = value_string(buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

static void add_row(struct value *rows, const struct buf *path,
                    const struct value *a, const struct value *b)
{
	struct value *r = value_push(rows, value_map());

	value_set_str(r, "field", buf_str(path));
	value_set(r, "before", cell(a));
	value_set(r, "after", cell(b));
	if (a && b && a->type == VALUE_NUMBER && b->type == VALUE_NUMBER) {
		struct buf d = BUF_INIT;

		diff_format_delta(a->u.number, b->u.number, &d);
		value_set_str(r, "delta", buf_str(&d));
		buf_free(&d);
	}
}

static int nested(const struct value *v, int depth)
{
	return v && depth < MAX_DEPTH &&
	       (v->type == VALUE_MAP || v->type == VALUE_LIST) && value_len(v);
}

/* Appends ".key" (or "key" at the top) to path; returns the old length. */
static size_t path_push(struct buf *path, const char *key, size_t index)
{
	size_t mark = path->len;

	if (path->len)
		buf_putc(path, '.');
	if (key)
		buf_puts(path, key);
	else
		buf_printf(path, "%zu", index + 1);
	return mark;
}

/* Rows for every leaf of v, removed (side 0) or added (side 1). */
static void flatten(struct value *rows, struct buf *path, const struct value *v,
                    int side, int depth)
{
	size_t mark;

	if (!v)
		return;
	if (!nested(v, depth)) {
		add_row(rows, path, side ? NULL : v, side ? v : NULL);
		return;
	}
	for (size_t i = 0; i < value_len(v); i++) {
		int map = v->type == VALUE_MAP;

		mark = path_push(path, map ? v->u.map.keys[i] : NULL, i);
		flatten(rows, path, map ? v->u.map.vals[i] : v->u.list.items[i],
		        side, depth + 1);
		buf_truncate(path, mark);
	}
}

static void compare(struct value *rows, struct buf *path, const struct value *a,
                    const struct value *b, int depth);

static void compare_maps(struct value *rows, struct buf *path,
                         const struct value *a, const struct value *b,
                         int depth)
{
	size_t mark;

	for (size_t i = 0; i < b->u.map.len; i++) {
		mark = path_push(path, b->u.map.keys[i], 0);
		compare(rows, path, value_get(a, b->u.map.keys[i]),
		        b->u.map.vals[i], depth + 1);
		buf_truncate(path, mark);
	}
	for (size_t i = 0; i < a->u.map.len; i++) {
		if (value_get(b, a->u.map.keys[i]))
			continue;
		mark = path_push(path, a->u.map.keys[i], 0);
		flatten(rows, path, a->u.map.vals[i], 0, depth + 1);
		buf_truncate(path, mark);
	}
}

/* JSON of each item, NUL-separated in b, pointed at. */
static const char **item_keys(const struct value *l, struct buf *b)
{
	size_t n = value_len(l), *off = xmalloc((n + 1) * sizeof(*off));
	const char **keys = xmalloc((n + 1) * sizeof(*keys));

	for (size_t i = 0; i < n; i++) {
		off[i] = b->len;
		value_to_json(l->u.list.items[i], b, 0);
		buf_putc(b, '\0');
	}
	for (size_t i = 0; i < n; i++)
		keys[i] = b->data + off[i];
	free(off);
	return keys;
}

static void compare_lists(struct value *rows, struct buf *path,
                          const struct value *a, const struct value *b,
                          int depth)
{
	struct buf ba = BUF_INIT, bb = BUF_INIT;
	const char **ka = item_keys(a, &ba), **kb = item_keys(b, &bb);
	struct seqdiff_run *runs;
	size_t n =
	    seqdiff(ka, value_len(a), kb, value_len(b), SEQDIFF_MYERS, &runs);

	for (size_t r = 0; r < n;) {
		size_t i = runs[r].a, j = runs[r].b, ea = i, eb = j, mark;

		if (runs[r].op == SEQDIFF_EQUAL) {
			r++;
			continue;
		}
		for (; r < n && runs[r].op != SEQDIFF_EQUAL; r++)
			*(runs[r].op == SEQDIFF_DELETE ? &ea : &eb) +=
			    runs[r].n;
		for (; i < ea || j < eb; i++, j++) {
			/* paired by position, named by the new index */
			mark = path_push(path, NULL, j < eb ? j : i);
			if (i < ea && j < eb)
				compare(rows, path, a->u.list.items[i],
				        b->u.list.items[j], depth + 1);
			else if (i < ea)
				flatten(rows, path, a->u.list.items[i], 0,
				        depth + 1);
			else
				flatten(rows, path, b->u.list.items[j], 1,
				        depth + 1);
			buf_truncate(path, mark);
		}
	}
	free(runs);
	free(ka);
	free(kb);
	buf_free(&ba);
	buf_free(&bb);
}

static void compare(struct value *rows, struct buf *path, const struct value *a,
                    const struct value *b, int depth)
{
	if ((!a && !b) || (a && b && value_equal(a, b)))
		return;
	if (nested(a, depth) && nested(b, depth) && a->type == b->type) {
		if (a->type == VALUE_MAP)
			compare_maps(rows, path, a, b, depth);
		else
			compare_lists(rows, path, a, b, depth);
	} else if (nested(a, depth) || nested(b, depth)) {
		flatten(rows, path, a, 0, depth);
		flatten(rows, path, b, 1, depth);
	} else {
		add_row(rows, path, a, b);
	}
}

struct value *diff_meta(const struct value *old, const struct value *new)
{
	struct value *rows = value_list();
	struct buf path = BUF_INIT;

	compare(rows, &path, old, new, 0);
	buf_free(&path);
	return rows;
}
