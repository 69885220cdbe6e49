/*
 * value: the one tagged tree of paraphe (nil, bool, number, string, list,
 * map). YAML produces it, Lua reads and writes it (script.c converts both
 * ways), templates print it and JSON output serialises it.
 *
 * Ownership: a value owns its children. Functions that take a struct value *
 * to insert into a list or map take ownership of it. value_free(NULL) is
 * safe. Maps keep their keys in insertion (source) order; lookups are linear,
 * which is right for front matter sized maps.
 */
#ifndef PARAPHE_VALUE_H
#define PARAPHE_VALUE_H

#include <stddef.h>

#include "buf.h"

enum value_type {
	VALUE_NIL,
	VALUE_BOOL,
	VALUE_NUMBER,
	VALUE_STRING,
	VALUE_LIST,
	VALUE_MAP
};

struct value {
	enum value_type type;
	int line, col; /* source position (YAML), 0 when unknown */
	union {
		int boolean;
		double number;
		struct {
			char
			    *ptr; /* NUL-terminated, may hold NULs before len */
			size_t len;
		} str;
		struct {
			struct value **items;
			size_t len, cap;
		} list;
		struct {
			char **keys;
			struct value **vals;
			size_t len, cap;
		} map;
	} u;
};

struct value *value_nil(void);
struct value *value_bool(int b);
struct value *value_number(double d);
struct value *value_string(const char *s, size_t n);
struct value *value_cstring(const char *s); /* NULL gives nil */
struct value *value_list(void);
struct value *value_map(void);
void value_free(struct value *v);
struct value *value_copy(const struct value *v);

/* Appends item (owned) to list; returns item. */
struct value *value_push(struct value *list, struct value *item);
/* Sets key to val (owned) in map, replacing and freeing an old value in
 * place (the key keeps its position); returns val. */
struct value *value_set(struct value *map, const char *key, struct value *val);
/* Shorthands for value_set with a new string / number / bool. */
void value_set_str(struct value *map, const char *key, const char *s);
void value_set_num(struct value *map, const char *key, double d);
void value_set_bool(struct value *map, const char *key, int b);

/* The value at key, or NULL when v is not a map or has no such key. */
struct value *value_get(const struct value *v, const char *key);
/* The string at key, or NULL when absent or not a string. */
const char *value_get_str(const struct value *v, const char *key);
/* Number of items of a list or entries of a map, else 0. */
size_t value_len(const struct value *v);
/* Truthiness as in Lua: nil and false are false, everything else true. */
int value_truthy(const struct value *v);
/* Equality by structure (maps: same keys in the same order). */
int value_equal(const struct value *a, const struct value *b);

/* Appends v as JSON. indent > 0 pretty-prints with that many spaces per
 * level; 0 writes compact JSON. Numbers that are integers print without a
 * fraction; NaN and infinities print as null. Map keys keep their order. */
void value_to_json(const struct value *v, struct buf *out, int indent);
/* Appends the text form of a scalar as a template prints it: strings as is,
 * numbers as %.15g, booleans "true"/"false", nil nothing; lists and maps
 * as JSON. */
void value_to_text(const struct value *v, struct buf *out);

#endif
