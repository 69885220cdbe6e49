/*
 * yaml: YAML text into a struct value, through libyaml's event parser.
 *
 * The tree is built without recursion: an explicit stack holds the lists
 * and maps still open, so nesting depth costs heap, not C stack, and is
 * bounded (NEST_MAX). Duplicate keys are found through a small hash
 * set per open map, so a hostile file with many keys stays linear.
 *
 * Plain scalars follow a narrowed YAML 1.2 core schema (see scalar_value);
 * aliases, anchors, several documents and non-scalar keys are refused, so
 * that a document means exactly what it shows and cannot expand ("billion
 * laughs").
 */
#include "yaml.h"

/* libyaml's header: the Makefile puts src/ on the quoted include path
 * only (-iquote), so <yaml.h> is the library's and "yaml.h" ours. */
#include <yaml.h>

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "utf8.h"
#include "value.h"
#include "xalloc.h"

#define NEST_MAX 512
#define TAG_STR "tag:yaml.org,2002:str"
#define TAG_SEQ "tag:yaml.org,2002:seq"
#define TAG_MAP "tag:yaml.org,2002:map"

/* The keys of one open map: indices + 1 into map->u.map.keys (0 = empty
 * slot), open addressing, cap a power of two kept at most half full. */
struct keyset {
	size_t *slots;
	size_t cap, count;
};

/* One open list or map. node is already owned by its parent (or is the
 * root), so freeing the root frees every open node. */
struct frame {
	struct value *node;
	char *key; /* map: the key waiting for its value, NULL otherwise */
	struct keyset keys;
};

struct reader {
	const char *text;
	size_t len;
	const char *file;
	int line_offset;
	struct frame *stack;
	size_t depth, cap;
	struct value *root;
	int documents;
	int empty; /* the root is an empty plain scalar: nothing was written */
};

/* Reports an error at a libyaml mark (0-based line and column). */
__attribute__((format(printf, 3, 4))) static void
error_at(const struct reader *r, yaml_mark_t m, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	diag_error(r->file, (int)m.line + 1 + r->line_offset, (int)m.column + 1,
	           "%s", buf_str(&msg));
	buf_free(&msg);
}

/* FNV-1a: keys are short and this only has to spread them. */
static size_t key_hash(const char *s)
{
	size_t h = (size_t)14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
	return h;
}

/* The slot holding key in the set of map, or the empty slot where it
 * would go. The set must have at least one empty slot. */
static size_t *keyset_slot(const struct keyset *ks, const struct value *map,
                           const char *key)
{
	size_t i = key_hash(key) & (ks->cap - 1);

	while (ks->slots[i] &&
	       strcmp(map->u.map.keys[ks->slots[i] - 1], key) != 0)
		i = (i + 1) & (ks->cap - 1);
	return &ks->slots[i];
}

/* Records map->u.map.keys[idx], growing (and rehashing) the set first
 * when it would become more than half full. */
static void keyset_add(struct keyset *ks, const struct value *map, size_t idx)
{
	if (2 * (ks->count + 1) > ks->cap) {
		struct keyset big = {NULL, ks->cap ? 2 * ks->cap : 16, 0};

		big.slots = xcalloc(big.cap, sizeof *big.slots);
		for (size_t i = 0; i < ks->cap; i++) {
			size_t idx1 = ks->slots[i];

			if (idx1)
				*keyset_slot(&big, map,
				             map->u.map.keys[idx1 - 1]) = idx1;
		}
		big.count = ks->count;
		free(ks->slots);
		*ks = big;
	}
	*keyset_slot(ks, map, map->u.map.keys[idx]) = idx + 1;
	ks->count++;
}

/*
 * Appends key (owned) and v (owned) to map without value_set's linear
 * lookup: the caller has already checked that key is new. The arrays are
 * grown as value.c grows them (malloc'd, freed by value_free).
 */
static void map_append(struct value *map, char *key, struct value *v)
{
	size_t n = map->u.map.len, cap = map->u.map.cap;

	if (n == cap) {
		cap = cap ? 2 * cap : 8;
		map->u.map.keys =
		    xrealloc(map->u.map.keys, cap * sizeof *map->u.map.keys);
		map->u.map.vals =
		    xrealloc(map->u.map.vals, cap * sizeof *map->u.map.vals);
		map->u.map.cap = cap;
	}
	map->u.map.keys[n] = key;
	map->u.map.vals[n] = v;
	map->u.map.len = n + 1;
}

/*
 * Decimal numbers of the YAML 1.2 core schema, narrowed: an optional sign,
 * "0" or digits without a leading zero ("01234" is a code, not a number),
 * an optional fraction with digits on both sides of the point, an optional
 * exponent. An integer of more than 15 digits stays a string, since a
 * double would round it (SIRET, account numbers); so does an overflow.
 * strtod reads the C locale's point: paraphe never sets LC_NUMERIC.
 */
static int number_parse(const char *s, size_t n, double *out)
{
	size_t i = 0, digits = 0;
	int integer = 1;
	char *end;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	if (i < n && s[i] == '0')
		i++, digits++;
	else
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (digits == 0)
		return 0;
	if (i < n && s[i] == '.') {
		size_t start = ++i;

		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return 0;
		integer = 0;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t start;

		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		for (start = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == start)
			return 0;
		integer = 0;
	}
	if (i != n || (integer && digits > 15))
		return 0;
	*out = strtod(s, &end);
	return end == s + n && isfinite(*out);
}

/* Tags are refused except the node's own type (own: "!!str" for a
 * scalar, "!!seq", "!!map") and "!" (non-specific). Returns 0 or -1. */
static int check_tag(const struct reader *r, const yaml_event_t *ev,
                     const unsigned char *tag, const char *own)
{
	const char *t = (const char *)tag;

	if (!t || !strcmp(t, own) || !strcmp(t, "!"))
		return 0;
	error_at(r, ev->start_mark, "yaml tag '%s' is not supported", t);
	return -1;
}

/* 1 when s (n bytes) is one of the words in list (NULL-terminated). */
static int word_in(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && memcmp(s, *list, n) == 0)
			return 1;
	return 0;
}

/*
 * The value of a scalar event, or NULL after an error (unsupported tag).
 * Plain untagged scalars are typed (YAML 1.2 core: yes/no/on/off stay
 * strings); quoted ones and "!!str" or "!" tagged ones are strings.
 */
static struct value *scalar_value(const struct reader *r,
                                  const yaml_event_t *ev)
{
	static const char *const nils[] = {"",     "~",    "null",
	                                   "Null", "NULL", NULL};
	static const char *const trues[] = {"true", "True", "TRUE", NULL};
	static const char *const falses[] = {"false", "False", "FALSE", NULL};
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	double d;

	if (check_tag(r, ev, ev->data.scalar.tag, TAG_STR) < 0)
		return NULL;
	if (ev->data.scalar.tag ||
	    ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return value_string(s, n);
	if (word_in(s, n, nils))
		return value_nil();
	if (word_in(s, n, trues))
		return value_bool(1);
	if (word_in(s, n, falses))
		return value_bool(0);
	if (number_parse(s, n, &d))
		return value_number(d);
	return value_string(s, n);
}

/* Hands v (owned) to the innermost open node, or makes it the root. */
static void attach(struct reader *r, struct value *v, yaml_mark_t m)
{
	struct frame *f;

	v->line = (int)m.line + 1 + r->line_offset;
	v->col = (int)m.column + 1;
	if (r->depth == 0) {
		r->root = v;
		return;
	}
	f = &r->stack[r->depth - 1];
	if (f->node->type == VALUE_LIST) {
		value_push(f->node, v);
		return;
	}
	map_append(f->node, f->key, v);
	f->key = NULL;
	keyset_add(&f->keys, f->node, f->node->u.map.len - 1);
}

/* 1 when the innermost open node is a map waiting for a key. */
static int wants_key(const struct reader *r)
{
	const struct frame *f = r->depth ? &r->stack[r->depth - 1] : NULL;

	return f && f->node->type == VALUE_MAP && !f->key;
}

/* A scalar: the next key of a map, or a value. Returns 0 or -1. */
static int on_scalar(struct reader *r, const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	struct value *v;

	if (wants_key(r)) {
		struct frame *f = &r->stack[r->depth - 1];

		if (check_tag(r, ev, ev->data.scalar.tag, TAG_STR) < 0)
			return -1;
		if (memchr(s, '\0', n)) {
			error_at(r, ev->start_mark, "key contains a nul byte");
			return -1;
		}
		if (f->keys.cap && *keyset_slot(&f->keys, f->node, s)) {
			error_at(r, ev->start_mark, "duplicate key '%s'", s);
			return -1;
		}
		f->key = xstrndup(s, n);
		return 0;
	}
	if (!(v = scalar_value(r, ev)))
		return -1;
	r->empty = r->depth == 0 && n == 0 && !ev->data.scalar.tag &&
	           ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	attach(r, v, ev->start_mark);
	return 0;
}

/* The start of a list or map: checks key position, tag and depth, then
 * opens a frame. Returns 0 or -1. */
static int on_open(struct reader *r, const yaml_event_t *ev, int is_map)
{
	const unsigned char *tag =
	    is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
	struct value *v;
	struct frame *f;

	if (wants_key(r)) {
		error_at(r, ev->start_mark, "keys must be plain values, not %s",
		         is_map ? "maps" : "lists");
		return -1;
	}
	if (check_tag(r, ev, tag, is_map ? TAG_MAP : TAG_SEQ) < 0)
		return -1;
	if (r->depth >= NEST_MAX) {
		error_at(r, ev->start_mark, "nesting deeper than %d levels",
		         NEST_MAX);
		return -1;
	}
	v = is_map ? value_map() : value_list();
	attach(r, v, ev->start_mark);
	r->stack = xgrow(r->stack, &r->cap, r->depth + 1, sizeof *r->stack);
	f = &r->stack[r->depth++];
	memset(f, 0, sizeof *f);
	f->node = v;
	return 0;
}

/* Closes the innermost frame; its node stays in the tree. */
static void on_close(struct reader *r)
{
	struct frame *f = &r->stack[--r->depth];

	free(f->key);
	free(f->keys.slots);
}

/* The anchor of an event that can carry one, else NULL. */
static const char *event_anchor(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return (const char *)ev->data.scalar.anchor;
	case YAML_SEQUENCE_START_EVENT:
		return (const char *)ev->data.sequence_start.anchor;
	case YAML_MAPPING_START_EVENT:
		return (const char *)ev->data.mapping_start.anchor;
	default:
		return NULL;
	}
}

/* Applies one event to the tree. Returns 0 or -1 after a diagnostic. */
static int on_event(struct reader *r, const yaml_event_t *ev)
{
	if (event_anchor(ev)) {
		error_at(r, ev->start_mark, "yaml anchors are not supported");
		return -1;
	}
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++r->documents > 1) {
			error_at(r, ev->start_mark,
			         "only one yaml document is allowed");
			return -1;
		}
		return 0;
	case YAML_ALIAS_EVENT:
		error_at(r, ev->start_mark, "yaml aliases are not supported");
		return -1;
	case YAML_SCALAR_EVENT:
		return on_scalar(r, ev);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return on_open(r, ev, ev->type == YAML_MAPPING_START_EVENT);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		on_close(r);
		return 0;
	default:
		return 0;
	}
}

/* Byte offset in r->text of a libyaml mark (line breaks: \n, \r\n, \r;
 * columns in code points), clamped to the text. */
static size_t mark_offset(const struct reader *r, yaml_mark_t m)
{
	size_t i = 0, line = 0, col = 0;
	uint32_t cp;

	while (i < r->len && line < m.line) {
		if (r->text[i] == '\r' && i + 1 < r->len &&
		    r->text[i + 1] == '\n')
			i++;
		if (r->text[i] == '\n' || r->text[i] == '\r')
			line++;
		i++;
	}
	while (i < r->len && col++ < m.column)
		i += utf8_decode(r->text + i, r->len - i, &cp);
	return i;
}

/*
 * Turns libyaml's error into one diagnostic: "malformed yaml: PROBLEM",
 * followed by its context when that points elsewhere ("while scanning a
 * quoted scalar at line 3"). A tab where a token should start gets a
 * message that says what to fix.
 */
static void report_libyaml(const struct reader *r, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "unknown error";
	yaml_mark_t m = p->problem_mark;
	size_t off;

	if (p->error == YAML_READER_ERROR) {
		int line, col;

		/* Reader errors carry a byte offset, not a mark. */
		off = p->problem_offset < r->len ? p->problem_offset : r->len;
		utf8_position(r->text, off, &line, &col);
		diag_error(r->file, line + r->line_offset, col,
		           "malformed yaml: %s", problem);
		return;
	}
	off = mark_offset(r, m);
	if (off < r->len && r->text[off] == '\t' &&
	    strstr(problem, "cannot start any token"))
		problem = "tab characters must not be used for indentation";
	if (p->context && (p->context_mark.line != m.line ||
	                   p->context_mark.column != m.column))
		error_at(r, m, "malformed yaml: %s (%s at line %d)", problem,
		         p->context,
		         (int)p->context_mark.line + 1 + r->line_offset);
	else
		error_at(r, m, "malformed yaml: %s", problem);
}

/* Invalid UTF-8 is reported here, with its position, rather than by
 * libyaml's reader. Returns 0 when text is valid. */
static int check_utf8(const struct reader *r)
{
	size_t off = utf8_check(r->text, r->len);
	int line, col;

	if (off == r->len)
		return 0;
	utf8_position(r->text, off, &line, &col);
	diag_error(r->file, line + r->line_offset, col,
	           "invalid utf-8 (byte 0x%02x)", (unsigned char)r->text[off]);
	return -1;
}

/* A text without a document, or whose document holds nothing ("---"
 * alone), is an empty map; root (possibly NULL) is freed. "~" or "null"
 * stay a deliberate nil. */
static struct value *empty_map(struct value *root)
{
	struct value *m = value_map();

	if (root) {
		m->line = root->line;
		m->col = root->col;
		value_free(root);
	}
	return m;
}

struct value *yaml_parse(const char *text, size_t len, const char *file,
                         int line_offset)
{
	struct reader r = {.text = text ? text : "",
	                   .len = text ? len : 0,
	                   .file = file,
	                   .line_offset = line_offset};
	struct value *result = NULL;
	yaml_parser_t parser;
	yaml_event_t ev;
	int rc;

	if (check_utf8(&r) < 0)
		return NULL;
	if (!yaml_parser_initialize(&parser))
		xfatal("out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)r.text,
	                             r.len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	for (;;) {
		yaml_event_type_t type;

		if (!yaml_parser_parse(&parser, &ev)) {
			if (parser.error == YAML_MEMORY_ERROR)
				xfatal("out of memory");
			report_libyaml(&r, &parser);
			goto out;
		}
		type = ev.type;
		rc = on_event(&r, &ev);
		yaml_event_delete(&ev);
		if (rc < 0)
			goto out;
		if (type == YAML_STREAM_END_EVENT)
			break;
	}
	result = r.empty || !r.root ? empty_map(r.root) : r.root;
	r.root = NULL;
out:
	while (r.depth)
		on_close(&r);
	free(r.stack);
	value_free(r.root);
	yaml_parser_delete(&parser);
	return result;
}
