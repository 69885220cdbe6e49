/*
 * value: the one tagged value tree (see value.h).
 */
#include "value.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "xalloc.h"

static struct value *value_new(enum value_type type)
{
	struct value *v = xcalloc(1, sizeof(*v));

	v->type = type;
	return v;
}

struct value *value_nil(void)
{
	return value_new(VALUE_NIL);
}

struct value *value_bool(int b)
{
	struct value *v = value_new(VALUE_BOOL);

	v->u.boolean = b != 0;
	return v;
}

struct value *value_number(double d)
{
	struct value *v = value_new(VALUE_NUMBER);

	v->u.number = d;
	return v;
}

struct value *value_string(const char *s, size_t n)
{
	struct value *v = value_new(VALUE_STRING);

	v->u.str.ptr = xstrndup(s, n);
	v->u.str.len = n;
	return v;
}

struct value *value_cstring(const char *s)
{
	return s ? value_string(s, strlen(s)) : value_nil();
}

struct value *value_list(void)
{
	return value_new(VALUE_LIST);
}

struct value *value_map(void)
{
	return value_new(VALUE_MAP);
}

void value_free(struct value *v)
{
	size_t i;

	if (!v)
		return;
	switch (v->type) {
	case VALUE_STRING:
		free(v->u.str.ptr);
		break;
	case VALUE_LIST:
		for (i = 0; i < v->u.list.len; i++)
			value_free(v->u.list.items[i]);
		free(v->u.list.items);
		break;
	case VALUE_MAP:
		for (i = 0; i < v->u.map.len; i++) {
			free(v->u.map.keys[i]);
			value_free(v->u.map.vals[i]);
		}
		free(v->u.map.keys);
		free(v->u.map.vals);
		break;
	default:
		break;
	}
	free(v);
}

struct value *value_copy(const struct value *v)
{
	struct value *c;
	size_t i;

	if (!v)
		return NULL;
	switch (v->type) {
	case VALUE_STRING:
		c = value_string(v->u.str.ptr, v->u.str.len);
		break;
	case VALUE_LIST:
		c = value_list();
		for (i = 0; i < v->u.list.len; i++)
			value_push(c, value_copy(v->u.list.items[i]));
		break;
	case VALUE_MAP:
		c = value_map();
		for (i = 0; i < v->u.map.len; i++)
			value_set(c, v->u.map.keys[i],
			          value_copy(v->u.map.vals[i]));
		break;
	default:
		c = value_new(v->type);
		c->u = v->u;
		break;
	}
	c->line = v->line;
	c->col = v->col;
	return c;
}

struct value *value_push(struct value *list, struct value *item)
{
	struct value **items;

	items = xgrow(list->u.list.items, &list->u.list.cap,
	              list->u.list.len + 1, sizeof(*items));
	list->u.list.items = items;
	items[list->u.list.len++] = item;
	return item;
}

static long map_index(const struct value *map, const char *key)
{
	size_t i;

	for (i = 0; i < map->u.map.len; i++)
		if (!strcmp(map->u.map.keys[i], key))
			return (long)i;
	return -1;
}

struct value *value_set(struct value *map, const char *key, struct value *val)
{
	long i = map_index(map, key);
	size_t cap;

	if (i >= 0) {
		value_free(map->u.map.vals[i]);
		map->u.map.vals[i] = val;
		return val;
	}
	cap = map->u.map.cap;
	map->u.map.keys =
	    xgrow(map->u.map.keys, &cap, map->u.map.len + 1, sizeof(char *));
	cap = map->u.map.cap;
	map->u.map.vals = xgrow(map->u.map.vals, &cap, map->u.map.len + 1,
	                        sizeof(struct value *));
	map->u.map.cap = cap;
	map->u.map.keys[map->u.map.len] = xstrdup(key);
	map->u.map.vals[map->u.map.len++] = val;
	return val;
}

void value_set_str(struct value *map, const char *key, const char *s)
{
	value_set(map, key, value_cstring(s));
}

void value_set_num(struct value *map, const char *key, double d)
{
	value_set(map, key, value_number(d));
}

void value_set_bool(struct value *map, const char *key, int b)
{
	value_set(map, key, value_bool(b));
}

struct value *value_get(const struct value *v, const char *key)
{
	long i;

	if (!v || v->type != VALUE_MAP)
		return NULL;
	i = map_index(v, key);
	return i < 0 ? NULL : v->u.map.vals[i];
}

const char *value_get_str(const struct value *v, const char *key)
{
	const struct value *s = value_get(v, key);

	return s && s->type == VALUE_STRING ? s->u.str.ptr : NULL;
}

size_t value_len(const struct value *v)
{
	if (!v)
		return 0;
	if (v->type == VALUE_LIST)
		return v->u.list.len;
	if (v->type == VALUE_MAP)
		return v->u.map.len;
	return 0;
}

int value_truthy(const struct value *v)
{
	if (!v || v->type == VALUE_NIL)
		return 0;
	if (v->type == VALUE_BOOL)
		return v->u.boolean;
	return 1;
}

int value_equal(const struct value *a, const struct value *b)
{
	size_t i;

	if (!a || !b)
		return a == b;
	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case VALUE_NIL:
		return 1;
	case VALUE_BOOL:
		return a->u.boolean == b->u.boolean;
	case VALUE_NUMBER:
		return a->u.number == b->u.number;
	case VALUE_STRING:
		return a->u.str.len == b->u.str.len &&
		       !memcmp(a->u.str.ptr, b->u.str.ptr, a->u.str.len);
	case VALUE_LIST:
		if (a->u.list.len != b->u.list.len)
			return 0;
		for (i = 0; i < a->u.list.len; i++)
			if (!value_equal(a->u.list.items[i],
			                 b->u.list.items[i]))
				return 0;
		return 1;
	case VALUE_MAP:
		if (a->u.map.len != b->u.map.len)
			return 0;
		for (i = 0; i < a->u.map.len; i++)
			if (strcmp(a->u.map.keys[i], b->u.map.keys[i]) ||
			    !value_equal(a->u.map.vals[i], b->u.map.vals[i]))
				return 0;
		return 1;
	}
	return 0;
}

static void number_text(double d, struct buf *out, int json)
{
	if (isnan(d) || isinf(d)) {
		if (json)
			buf_puts(out, "null");
		return;
	}
	if (d == floor(d) && fabs(d) < 1e15)
		buf_printf(out, "%.0f", d);
	else
		buf_printf(out, "%.15g", d);
}

static void json_indent(struct buf *out, int indent, int depth)
{
	if (indent <= 0)
		return;
	buf_putc(out, '\n');
	for (int i = 0; i < indent * depth; i++)
		buf_putc(out, ' ');
}

/* Recursion is bounded by the depth of the tree, which YAML parsing and
 * the Lua conversion both limit. */
static void json_value(const struct value *v, struct buf *out, int indent,
                       int depth)
{
	size_t i, n;

	if (!v) {
		buf_puts(out, "null");
		return;
	}
	switch (v->type) {
	case VALUE_NIL:
		buf_puts(out, "null");
		break;
	case VALUE_BOOL:
		buf_puts(out, v->u.boolean ? "true" : "false");
		break;
	case VALUE_NUMBER:
		number_text(v->u.number, out, 1);
		break;
	case VALUE_STRING:
		buf_putc(out, '"');
		esc_json(out, v->u.str.ptr, v->u.str.len);
		buf_putc(out, '"');
		break;
	case VALUE_LIST:
	case VALUE_MAP:
		n = value_len(v);
		buf_putc(out, v->type == VALUE_LIST ? '[' : '{');
		for (i = 0; i < n; i++) {
			if (i)
				buf_putc(out, ',');
			json_indent(out, indent, depth + 1);
			if (v->type == VALUE_MAP) {
				const char *k = v->u.map.keys[i];

				buf_putc(out, '"');
				esc_json(out, k, strlen(k));
				buf_puts(out, indent > 0 ? "\": " : "\":");
			}
			json_value(v->type == VALUE_LIST ? v->u.list.items[i]
			                                 : v->u.map.vals[i],
			           out, indent, depth + 1);
		}
		if (n)
			json_indent(out, indent, depth);
		buf_putc(out, v->type == VALUE_LIST ? ']' : '}');
		break;
	}
}

void value_to_json(const struct value *v, struct buf *out, int indent)
{
	json_value(v, out, indent, 0);
}

void value_to_text(const struct value *v, struct buf *out)
{
	if (!v)
		return;
	switch (v->type) {
	case VALUE_NIL:
		break;
	case VALUE_BOOL:
		buf_puts(out, v->u.boolean ? "true" : "false");
		break;
	case VALUE_NUMBER:
		number_text(v->u.number, out, 0);
		break;
	case VALUE_STRING:
		buf_put(out, v->u.str.ptr, v->u.str.len);
		break;
	default:
		value_to_json(v, out, 0);
		break;
	}
}
