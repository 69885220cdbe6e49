/*
 * Unit tests of script.c: the sandbox, the limits, error positions and
 * the conversions between struct value and Lua, through script_eval.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "script.h"
#include "test.h"
#include "value.h"

static struct script *S;
static FILE *diag_file;
static char diag_text[4096];

static void diag_begin(void)
{
	diag_file = tmpfile();
	diag_set_stream(diag_file);
}

static const char *diag_end(void)
{
	size_t n;

	rewind(diag_file);
	n = fread(diag_text, 1, sizeof(diag_text) - 1, diag_file);
	diag_text[n] = '\0';
	fclose(diag_file);
	diag_set_stream(NULL);
	return diag_text;
}

/* Evaluates code in s with env; returns the result as JSON (static). */
static const char *eval_in(struct script *s, const char *code,
                           const struct value *env)
{
	static char json[4096];
	struct value *v = NULL;
	struct buf b = BUF_INIT;

	if (script_eval(s, "t.lua", code, strlen(code), env, &v) < 0) {
		CHECK(v == NULL);
		return NULL;
	}
	value_to_json(v, &b, 0);
	snprintf(json, sizeof(json), "%s", buf_str(&b));
	buf_free(&b);
	value_free(v);
	return json;
}

static const char *eval(const char *code, const struct value *env)
{
	return eval_in(S, code, env);
}

/* Evaluates code in s, expecting the diagnostic want. */
static void expect_error_in(struct script *s, const char *code,
                            const char *want)
{
	diag_begin();
	CHECK(eval_in(s, code, NULL) == NULL);
	CHECK_STR(diag_end(), want);
}

static void expect_error(const char *code, const char *want)
{
	expect_error_in(S, code, want);
}

static void test_sandbox(void)
{
	CHECK_STR(eval("return {io, os, require, load, loadfile, dofile, "
	               "debug, package, collectgarbage, print, string.dump, "
	               "coroutine, x = getmetatable('')}",
	               NULL),
	          "{\"x\":false}");
	CHECK_STR(eval("return {pcall(string.rep, 'ab', 2)}", NULL),
	          "[true,\"abab\"]");
	expect_error("getmetatable('').__index = {}",
	             "t.lua:1: error: attempt to index a boolean value\n");
	expect_error("string.upper = nil",
	             "t.lua:1: error: attempt to modify a read-only table\n");
	expect_error("\nrawset(_G, 'x', 1)",
	             "t.lua:2: error: attempt to modify a read-only table\n");
	expect_error("setmetatable(string, {})",
	             "t.lua:1: error: cannot change a protected metatable\n");
	expect_error("setmetatable({}, {__gc = type})",
	             "t.lua:1: error: __gc metamethods are not allowed\n");
	expect_error("return math.randomseed()",
	             "t.lua:1: error: bad argument #1 to 'randomseed' (number "
	             "expected, got no value)\n");
	expect_error("\033Lua", "t.lua: error: attempt to load a binary chunk "
	                        "(mode is 't')\n");
	/* Library tables still work through their proxies. */
	CHECK_STR(eval("local n = 0 for k in pairs(math) do n = n + 1 end "
	               "return {('x'):upper(), table.concat({1, 2}, '-'), "
	               "n > 10, utf8.len('été')}",
	               NULL),
	          "[\"X\",\"1-2\",true,3]");
	/* Globals set by one call are gone in the next. */
	CHECK_STR(eval("leaked = 1 return leaked", NULL), "1");
	CHECK_STR(eval("return leaked", NULL), "null");
}

/* math.random restarts from seed 0 at every call, even after a reseed. */
static void test_random(void)
{
	const char *r = eval("return math.random(1 << 40)", NULL);
	char first[64];

	snprintf(first, sizeof(first), "%s", r ? r : "");
	CHECK(eval("math.random() math.random() return 1", NULL) != NULL);
	CHECK_STR(eval("return math.random(1 << 40)", NULL), first);
	CHECK(eval("math.randomseed(7) return 1", NULL) != NULL);
	CHECK_STR(eval("return math.random(1 << 40)", NULL), first);
}

static void test_errors(void)
{
	char long_name[] = "themes/a-rather-long-theme-name/templates/partials/"
	                   "some-long-partial-name.lua";
	struct value *v = NULL;

	expect_error("local x = 1\nlocal y = nil\nreturn y.z",
	             "t.lua:3: error: attempt to index a nil value (local "
	             "'y')\n");
	expect_error("return +", "t.lua:1: error: unexpected symbol near "
	                         "'+'\n");
	expect_error("return 1 +", "t.lua:1: error: unexpected symbol near "
	                           "<eof>\n");
	expect_error("\n\nerror('boom')", "t.lua:3: error: boom\n");
	/* A message without a position gets the innermost Lua line. */
	expect_error("\nerror({})",
	             "t.lua:2: error: (error object is a table value)\n");
	expect_error("error('no position', 0)",
	             "t.lua:1: error: no position\n");
	expect_error("local function f() error('deep', 2) end\nf()",
	             "t.lua:2: error: deep\n");
	diag_begin();
	CHECK(script_eval(S, long_name, "\nreturn nil + 1", 15, NULL, &v) ==
	      -1);
	CHECK_HAS(diag_end(), "some-long-partial-name.lua:2: error: attempt to "
	                      "perform arithmetic on a nil value\n");
	CHECK_HAS(diag_text, long_name);
	CHECK(v == NULL);
}

static void test_limits(void)
{
	struct script_limits lim = {2 * 1024 * 1024, 200000};
	struct script *s = script_new(&lim);

	expect_error_in(s, "local n = 0\nwhile true do n = n + 1 end",
	                "t.lua:2: error: instruction limit of 200000 "
	                "exceeded\n");
	/* pcall cannot swallow a limit. */
	expect_error_in(s,
	                "while true do pcall(function() while true do end "
	                "end) end",
	                "t.lua:1: error: instruction limit of 200000 "
	                "exceeded\n");
	expect_error_in(s,
	                "local t = {}\nfor i = 1, 1e9 do\nt[i] = "
	                "('x'):rep(100) .. i end",
	                "t.lua:3: error: memory limit of 2 MiB exceeded\n");
	expect_error_in(s, "local s = 'x'\nwhile true do s = s .. s end",
	                "t.lua:2: error: memory limit of 2 MiB exceeded\n");
	expect_error_in(s,
	                "local ok = pcall(string.rep, 'x', 1 << 40)\n"
	                "local t = {} for i = 1, 1e9 do t[i] = {} end",
	                "t.lua:2: error: memory limit of 2 MiB exceeded\n");
	/* One allocation past twice the limit fails at once, unlocated. */
	expect_error_in(s, "return ('x'):rep(1 << 30)",
	                "t.lua: error: memory limit of 2 MiB exceeded\n");
	/* The state still works after the limits were hit. */
	CHECK_STR(eval_in(s, "return 40 + 2", NULL), "42");
	script_free(s);
	script_free(NULL);
}

static struct value *sample(void)
{
	struct value *v = value_map(), *l, *m;

	value_set_str(v, "title", "Convention \"CTG\" <2026>");
	value_set_num(v, "n", 3);
	value_set_num(v, "f", 2.5);
	value_set_bool(v, "b", 1);
	value_set_bool(v, "no", 0);
	l = value_set(v, "list", value_list());
	value_push(l, value_number(1));
	value_push(l, value_string("t\0wo", 4));
	m = value_push(l, value_map());
	value_set_str(m, "k", "v");
	value_set(v, "empty_list", value_list());
	value_set(v, "empty_map", value_map());
	m = value_set(v, "nested", value_map());
	value_set_num(m, "z", 1);
	value_set_num(m, "a", -2);
	value_set_num(m, "m", 1e300);
	return v;
}

static void test_round_trip(void)
{
	struct value *env = value_map(), *v = value_set(env, "v", sample());
	struct value *r = NULL;
	const char *code = "return v";

	CHECK(script_eval(S, "r.lua", code, strlen(code), env, &r) == 0);
	CHECK(r && value_equal(r, v));
	value_free(r);
	/* Through a Lua-side copy, order kept by the map's recorded keys. */
	code = "local function copy(t) if type(t) ~= 'table' then return t "
	       "end local c = setmetatable({}, getmetatable(t)) for k, x in "
	       "pairs(t) do c[k] = copy(x) end return c end return copy(v)";
	r = NULL;
	CHECK(script_eval(S, "r.lua", code, strlen(code), env, &r) == 0);
	CHECK(r && value_equal(r, v));
	value_free(r);
	CHECK_STR(
	    eval("return {math.type(v.n), math.type(v.f), #v.list[2]}", env),
	    "[\"integer\",\"float\",4]");
	value_free(env);
}

static void test_pairs_order(void)
{
	struct value *env = value_map(), *m = value_set(env, "m", value_map());
	struct value *l = value_set(env, "l", value_list());

	value_set_num(m, "z", 1);
	value_set_num(m, "a", 2);
	value_set(m, "gone", value_nil());
	value_set_num(m, "m", 3);
	value_set_num(m, "b", 4);
	value_push(l, value_number(1));
	value_push(l, value_nil());
	value_push(l, value_number(3));
	CHECK_STR(eval("local r = {} for k in pairs(m) do r[#r + 1] = k end "
	               "return table.concat(r, ',')",
	               env),
	          "\"z,a,m,b\"");
	/* New keys come after the recorded ones, sorted; a removed key is
	 * skipped; a key set again keeps its place. */
	CHECK_STR(eval("m.c = 1; m.a = nil; m[2] = 0; m.B = 0; m.gone = 5 "
	               "local r = {} for k in pairs(m) do r[#r + 1] = k end "
	               "return table.concat(r, ',')",
	               env),
	          "\"z,gone,m,b,2,B,c\"");
	CHECK_STR(eval("m.c = 1 return m", env),
	          "{\"z\":1,\"a\":2,\"m\":3,\"b\":4,\"c\":1}");
	CHECK_STR(eval("return {l[2] == false, #l}", env), "[true,3]");
	value_free(env);
}

static void test_to_value(void)
{
	CHECK_STR(eval("return {b = 1, a = 2, [10] = 'x', [2] = 'y', [1.5] = "
	               "'z'}",
	               NULL),
	          "{\"1.5\":\"z\",\"10\":\"x\",\"2\":\"y\",\"a\":2,\"b\":1}");
	CHECK_STR(eval("return {1, 'two', {3}}", NULL), "[1,\"two\",[3]]");
	CHECK_STR(eval("return {}", NULL), "[]");
	CHECK_STR(eval("return {[1] = 'a', [3] = 'c'}", NULL),
	          "{\"1\":\"a\",\"3\":\"c\"}");
	CHECK_STR(eval("return nil", NULL), "null");
	CHECK_STR(eval("local t = {1} return {t, t}", NULL), "[[1],[1]]");
	expect_error("return {f = print or type}",
	             "t.lua: error: cannot convert a function value\n");
	expect_error("local t = {} t.self = t return t",
	             "t.lua: error: cannot convert a table that contains "
	             "itself\n");
	expect_error("return {[true] = 1}",
	             "t.lua: error: cannot convert a table key of type "
	             "boolean\n");
	expect_error("local t = {} for i = 1, 200 do t = {t} end return t",
	             "t.lua: error: value nested too deeply\n");
}

static void test_helpers(void)
{
	struct value *env = value_map(), *m = value_set(env, "m", value_map());

	value_set_num(m, "x", 1);
	value_set_num(m, "y", 1);
	value_set_str(env, "root", "../");
	CHECK_STR(eval("return {len(m), len({1, 2}), len(nil), len('abc'), "
	               "fmt_date('2026-03-01'), url('a/'), escape(1.5), "
	               "escape('<&>') == '&lt;&amp;&gt;'}",
	               env),
	          "[2,2,0,3,\"1er mars 2026\",\"../a/\",\"1.5\",true]");
	expect_error("include('x.html')",
	             "t.lua:1: error: template \"x.html\" not found\n");
	expect_error("return escape({})",
	             "t.lua:1: error: cannot print a table\n");
	value_free(env);
}

int main(void)
{
	S = script_new(NULL);
	RUN(test_sandbox);
	RUN(test_random);
	RUN(test_errors);
	RUN(test_limits);
	RUN(test_round_trip);
	RUN(test_pairs_order);
	RUN(test_to_value);
	RUN(test_helpers);
	script_free(S);
	TEST_END();
}
