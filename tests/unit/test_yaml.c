/*
 * Unit tests of yaml.c: typing of plain scalars, order, nesting, positions,
 * front-matter line offsets, and every refusal (one diagnostic, the right
 * position, NULL, no leak).
 */
#include <stdlib.h>

#include "buf.h"
#include "diag.h"
#include "test.h"
#include "value.h"
#include "yaml.h"

static char diag_text[4096]; /* what the last parse reported */
static int diag_count;       /* how many errors it reported */

/* Parses (s, n) as "f.yaml", capturing the diagnostics. */
static struct value *parse_n(const char *s, size_t n, int line_offset)
{
	FILE *f = tmpfile();
	struct value *v;
	size_t got;

	diag_set_stream(f);
	diag_reset();
	v = yaml_parse(s, n, "f.yaml", line_offset);
	diag_count = diag_errors();
	fflush(f);
	rewind(f);
	got = fread(diag_text, 1, sizeof diag_text - 1, f);
	diag_text[got] = '\0';
	fclose(f);
	diag_set_stream(NULL);
	return v;
}

static struct value *parse(const char *s)
{
	return parse_n(s, strlen(s), 0);
}

/* Checks that s is refused with exactly the diagnostic want. */
static void refused(const char *s, size_t n, int line_offset, const char *want)
{
	struct value *v = parse_n(s, n, line_offset);

	CHECK(v == NULL);
	CHECK(diag_count == 1);
	CHECK_STR(diag_text, want);
	value_free(v);
}

struct typing {
	const char *text;
	enum value_type type;
	double number;   /* VALUE_NUMBER, and VALUE_BOOL as 0/1 */
	const char *str; /* VALUE_STRING */
};

static const struct typing typings[] = {
    {"12", VALUE_NUMBER, 12, NULL},
    {"-3", VALUE_NUMBER, -3, NULL},
    {"+7", VALUE_NUMBER, 7, NULL},
    {"4.5", VALUE_NUMBER, 4.5, NULL},
    {"1e3", VALUE_NUMBER, 1000, NULL},
    {"2.5E-1", VALUE_NUMBER, 0.25, NULL},
    {"0", VALUE_NUMBER, 0, NULL},
    {"0.5", VALUE_NUMBER, 0.5, NULL},
    {"123456789012345", VALUE_NUMBER, 123456789012345.0, NULL},
    {"1234567890123456", VALUE_STRING, 0, "1234567890123456"},
    {"01234", VALUE_STRING, 0, "01234"},
    {"00", VALUE_STRING, 0, "00"},
    {"2026-01-15", VALUE_STRING, 0, "2026-01-15"},
    {".inf", VALUE_STRING, 0, ".inf"},
    {"-.inf", VALUE_STRING, 0, "-.inf"},
    {".nan", VALUE_STRING, 0, ".nan"},
    {"0x1F", VALUE_STRING, 0, "0x1F"},
    {"0o17", VALUE_STRING, 0, "0o17"},
    {"1.", VALUE_STRING, 0, "1."},
    {".5", VALUE_STRING, 0, ".5"},
    {"1e", VALUE_STRING, 0, "1e"},
    {"1_000", VALUE_STRING, 0, "1_000"},
    {"1e999", VALUE_STRING, 0, "1e999"},
    {"12 ans", VALUE_STRING, 0, "12 ans"},
    {"true", VALUE_BOOL, 1, NULL},
    {"True", VALUE_BOOL, 1, NULL},
    {"TRUE", VALUE_BOOL, 1, NULL},
    {"false", VALUE_BOOL, 0, NULL},
    {"False", VALUE_BOOL, 0, NULL},
    {"FALSE", VALUE_BOOL, 0, NULL},
    {"tRUE", VALUE_STRING, 0, "tRUE"},
    {"yes", VALUE_STRING, 0, "yes"},
    {"no", VALUE_STRING, 0, "no"},
    {"on", VALUE_STRING, 0, "on"},
    {"null", VALUE_NIL, 0, NULL},
    {"Null", VALUE_NIL, 0, NULL},
    {"NULL", VALUE_NIL, 0, NULL},
    {"~", VALUE_NIL, 0, NULL},
    {"", VALUE_NIL, 0, NULL},
    {"nULL", VALUE_STRING, 0, "nULL"},
    {"'12'", VALUE_STRING, 0, "12"},
    {"\"true\"", VALUE_STRING, 0, "true"},
    {"''", VALUE_STRING, 0, ""},
    {"'null'", VALUE_STRING, 0, "null"},
    {"!!str 12", VALUE_STRING, 0, "12"},
    {"!!str", VALUE_STRING, 0, ""},
    {"! 12", VALUE_STRING, 0, "12"},
    {"Créteil", VALUE_STRING, 0, "Créteil"},
    {"\"a\\tb\"", VALUE_STRING, 0, "a\tb"},
};

static void test_scalar_typing(void)
{
	for (size_t i = 0; i < sizeof typings / sizeof typings[0]; i++) {
		const struct typing *t = &typings[i];
		struct buf in = BUF_INIT;
		struct value *v, *x;

		buf_printf(&in, "v: %s\n", t->text);
		v = parse(in.data);
		x = value_get(v, "v");
		CHECK(diag_count == 0);
		if (!x || x->type != t->type) {
			fprintf(stderr, "typing of <%s> is wrong\n", t->text);
			CHECK(0);
		} else if (t->type == VALUE_NUMBER) {
			CHECK(x->u.number == t->number);
		} else if (t->type == VALUE_BOOL) {
			CHECK(x->u.boolean == (int)t->number);
		} else if (t->type == VALUE_STRING) {
			CHECK_STR(x->u.str.ptr, t->str);
			CHECK(x->u.str.len == strlen(t->str));
		}
		value_free(v);
		buf_free(&in);
	}
}

static void test_order_and_nesting(void)
{
	const char *text = "zeta: 1\n"
	                   "alpha:\n"
	                   "  - un\n"
	                   "  - {b: 2, a: 1}\n"
	                   "  - [x, [y]]\n"
	                   "mid:\n"
	                   "  k: v\n"
	                   "  j: [1, 2.5, true, ~]\n";
	struct value *v = parse(text), *alpha, *mid;
	struct buf json = BUF_INIT;

	CHECK(v && v->type == VALUE_MAP && diag_count == 0);
	value_to_json(v, &json, 0);
	CHECK_STR(json.data, "{\"zeta\":1,\"alpha\":[\"un\",{\"b\":2,\"a\":1},"
	                     "[\"x\",[\"y\"]]],\"mid\":{\"k\":\"v\",\"j\":"
	                     "[1,2.5,true,null]}}");
	CHECK(value_len(v) == 3);
	CHECK_STR(v->u.map.keys[0], "zeta");
	CHECK_STR(v->u.map.keys[1], "alpha");
	CHECK_STR(v->u.map.keys[2], "mid");
	alpha = value_get(v, "alpha");
	CHECK(alpha && alpha->type == VALUE_LIST && value_len(alpha) == 3);
	mid = value_get(v, "mid");
	CHECK_STR(value_get_str(mid, "k"), "v");
	buf_free(&json);
	value_free(v);
}

/* Keys of every style are text: "12" stays the key "12". */
static void test_keys(void)
{
	struct value *v = parse("12: a\n'x y': b\ntrue: c\n~: d\n");

	CHECK(v && value_len(v) == 4);
	CHECK_STR(value_get_str(v, "12"), "a");
	CHECK_STR(value_get_str(v, "x y"), "b");
	CHECK_STR(value_get_str(v, "true"), "c");
	CHECK_STR(value_get_str(v, "~"), "d");
	value_free(v);
}

static void test_positions(void)
{
	const char *text = "title: Convention\n"
	                   "communes:\n"
	                   "  - nom: Créteil\n"
	                   "    insee: '94028'\n"
	                   "tags: [a, é, c]\n";
	struct value *v = parse(text), *communes, *c, *tags;

	CHECK(v && v->line == 1 && v->col == 1);
	CHECK(value_get(v, "title")->line == 1);
	CHECK(value_get(v, "title")->col == 8);
	communes = value_get(v, "communes");
	CHECK(communes->line == 3 && communes->col == 3);
	c = communes->u.list.items[0];
	CHECK(c->line == 3 && c->col == 5);
	CHECK(value_get(c, "nom")->line == 3 && value_get(c, "nom")->col == 10);
	CHECK(value_get(c, "insee")->line == 4);
	CHECK(value_get(c, "insee")->col == 12);
	tags = value_get(v, "tags");
	CHECK(tags->line == 5 && tags->col == 7);
	/* columns count characters, not bytes */
	CHECK(tags->u.list.items[2]->col == 14);
	value_free(v);
}

/* Front matter starting on line 2 of a Markdown file passes 1. */
static void test_line_offset(void)
{
	struct value *v = parse_n("a: 1\nb:\n  c: 2\n", 15, 1);

	CHECK(v && value_get(v, "a")->line == 2);
	CHECK(value_get(value_get(v, "b"), "c")->line == 4);
	CHECK(value_get(value_get(v, "b"), "c")->col == 6);
	value_free(v);
	refused("a: 1\na: 2\n", 10, 1,
	        "f.yaml:3:1: error: duplicate key 'a'\n");
	refused("a: b: c\n", 8, 4,
	        "f.yaml:5:5: error: malformed yaml: mapping values are not "
	        "allowed in this context\n");
	refused("a: ok\nb: \xff\n", 10, 10,
	        "f.yaml:12:4: error: invalid utf-8 (byte 0xff)\n");
}

/* Empty texts are empty maps; other top levels are the caller's affair. */
static void test_top_levels(void)
{
	struct value *v;

	v = parse_n(NULL, 0, 0);
	CHECK(v && v->type == VALUE_MAP && value_len(v) == 0);
	value_free(v);
	v = parse("");
	CHECK(v && v->type == VALUE_MAP && value_len(v) == 0);
	value_free(v);
	v = parse("# only a comment\n\n");
	CHECK(v && v->type == VALUE_MAP && value_len(v) == 0);
	value_free(v);
	v = parse("---\n");
	CHECK(v && v->type == VALUE_MAP && value_len(v) == 0);
	value_free(v);
	v = parse("---\na: 1\n...\n");
	CHECK(v && v->type == VALUE_MAP && value_len(v) == 1);
	value_free(v);
	v = parse("~\n");
	CHECK(v && v->type == VALUE_NIL && diag_count == 0);
	value_free(v);
	v = parse("- a\n- 2\n");
	CHECK(v && v->type == VALUE_LIST && value_len(v) == 2);
	value_free(v);
	v = parse("just text\n");
	CHECK(v && v->type == VALUE_STRING);
	CHECK_STR(v->u.str.ptr, "just text");
	value_free(v);
	v = parse("\xef\xbb\xbf"
	          "a: 1\n"); /* a byte order mark is allowed */
	CHECK(v && value_get(v, "a") && diag_count == 0);
	value_free(v);
}

/* A string may hold a NUL ("\0" escape); len is the truth. */
static void test_nul_in_string(void)
{
	struct value *v = parse("a: \"x\\0y\"\n"), *a;

	a = value_get(v, "a");
	CHECK(a && a->type == VALUE_STRING && a->u.str.len == 3);
	CHECK(a && memcmp(a->u.str.ptr, "x\0y", 4) == 0);
	value_free(v);
	refused("\"a\\0b\": 1\n", 10, 0,
	        "f.yaml:1:1: error: key contains a nul byte\n");
}

static void test_duplicate_keys(void)
{
	refused("a: 1\nb: 2\na: 3\n", 15, 0,
	        "f.yaml:3:1: error: duplicate key 'a'\n");
	refused("x:\n  - {k: 1, j: 2, k: 3}\n", 26, 0,
	        "f.yaml:2:18: error: duplicate key 'k'\n");
	refused("a: 1\n'a': 2\n", 12, 0,
	        "f.yaml:2:1: error: duplicate key 'a'\n");
}

static void test_anchors_and_aliases(void)
{
	refused("a: &x 1\nb: *x\n", 13, 0,
	        "f.yaml:1:4: error: yaml anchors are not supported\n");
	refused("a: 1\nb: *x\n", 10, 0,
	        "f.yaml:2:4: error: yaml aliases are not supported\n");
	refused("base: &b {k: 1}\n", 16, 0,
	        "f.yaml:1:7: error: yaml anchors are not supported\n");
}

static void test_documents(void)
{
	refused("a: 1\n---\nb: 2\n", 14, 0,
	        "f.yaml:2:1: error: only one yaml document is allowed\n");
	refused("a: 1\n...\n---\n", 13, 0,
	        "f.yaml:3:1: error: only one yaml document is allowed\n");
}

static void test_complex_keys(void)
{
	refused("? [a, b]\n: c\n", 13, 0,
	        "f.yaml:1:3: error: keys must be plain values, not lists\n");
	refused("{{a: 1}: b}\n", 12, 0,
	        "f.yaml:1:2: error: keys must be plain values, not maps\n");
}

static void test_tags(void)
{
	refused("a: !!int 3\n", 11, 0,
	        "f.yaml:1:4: error: yaml tag 'tag:yaml.org,2002:int' is not "
	        "supported\n");
	refused("a: !custom [1]\n", 15, 0,
	        "f.yaml:1:4: error: yaml tag '!custom' is not supported\n");
}

/* Nesting is bounded: 512 levels are fine, 513 an error, a deep bomb
 * costs neither the stack nor time. */
static void test_depth(void)
{
	struct buf b = BUF_INIT;
	struct value *v;

	for (int i = 0; i < 512; i++)
		buf_putc(&b, '[');
	for (int i = 0; i < 512; i++)
		buf_putc(&b, ']');
	v = parse_n(b.data, b.len, 0);
	CHECK(v && v->type == VALUE_LIST && diag_count == 0);
	value_free(v);
	buf_reset(&b);
	for (int i = 0; i < 100000; i++)
		buf_putc(&b, '[');
	refused(b.data, b.len, 0,
	        "f.yaml:1:513: error: nesting deeper than 512 levels\n");
	buf_reset(&b);
	for (int i = 0; i < 600; i++)
		buf_printf(&b, "%*sk:\n", i, "");
	refused(b.data, b.len, 0,
	        "f.yaml:513:513: error: nesting deeper than 512 levels\n");
	buf_free(&b);
}

static void test_invalid_utf8(void)
{
	refused("a: \xff\n", 5, 0,
	        "f.yaml:1:4: error: invalid utf-8 (byte 0xff)\n");
	refused("a: é\nb: \xc3(\n", 12, 0,
	        "f.yaml:2:4: error: invalid utf-8 (byte 0xc3)\n");
	refused("a: \xed\xa0\x80\n", 7, 0, /* a surrogate */
	        "f.yaml:1:4: error: invalid utf-8 (byte 0xed)\n");
	refused("\xff\xfe"
	        "a\0:\0",
	        6, 0, /* UTF-16 is not accepted */
	        "f.yaml:1:1: error: invalid utf-8 (byte 0xff)\n");
}

static void test_malformed(void)
{
	refused("a:\n\tb: 1\n", 9, 0,
	        "f.yaml:2:1: error: malformed yaml: tab characters must not be "
	        "used for indentation\n");
	refused("a:\n  b: 1\n\t c: 2\n", 17, 0,
	        "f.yaml:3:1: error: malformed yaml: found a tab character that "
	        "violates indentation (while scanning a plain scalar at line "
	        "2)\n");
	refused("a: b: c\n", 8, 0,
	        "f.yaml:1:5: error: malformed yaml: mapping values are not "
	        "allowed in this context\n");
	refused("a: \"x\n", 6, 0,
	        "f.yaml:2:1: error: malformed yaml: found unexpected end of "
	        "stream (while scanning a quoted scalar at line 1)\n");
	refused("a: [1, 2\nb: 3\n", 14, 0,
	        "f.yaml:2:2: error: malformed yaml: did not find expected ',' "
	        "or ']' (while parsing a flow sequence at line 1)\n");
	refused("a: \x01\n", 5, 0,
	        "f.yaml:1:4: error: malformed yaml: control characters are not "
	        "allowed\n");
	refused("a: 1\0b: 2\n", 10, 0,
	        "f.yaml:1:5: error: malformed yaml: control characters are not "
	        "allowed\n");
}

/* Many keys stay fast (the duplicate check is hashed) and a duplicate at
 * the end is still found. */
static void test_many_keys(void)
{
	struct buf b = BUF_INIT;
	struct value *v;

	for (int i = 0; i < 50000; i++)
		buf_printf(&b, "k%d: %d\n", i, i);
	v = parse_n(b.data, b.len, 0);
	CHECK(v && value_len(v) == 50000 && diag_count == 0);
	CHECK(v && v->u.map.vals[49999]->u.number == 49999);
	CHECK(v && value_get(v, "k777")->u.number == 777);
	value_free(v);
	buf_puts(&b, "k123: 0\n");
	refused(b.data, b.len, 0,
	        "f.yaml:50001:1: error: duplicate key 'k123'\n");
	buf_free(&b);
}

int main(void)
{
	RUN(test_scalar_typing);
	RUN(test_order_and_nesting);
	RUN(test_keys);
	RUN(test_positions);
	RUN(test_line_offset);
	RUN(test_top_levels);
	RUN(test_nul_in_string);
	RUN(test_duplicate_keys);
	RUN(test_anchors_and_aliases);
	RUN(test_documents);
	RUN(test_complex_keys);
	RUN(test_tags);
	RUN(test_depth);
	RUN(test_invalid_utf8);
	RUN(test_malformed);
	RUN(test_many_keys);
	TEST_END();
}
