/*
 * Unit tests of template.c: templates are translated, compiled and
 * rendered, and the HTML (or the diagnostic) is compared exactly.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "script.h"
#include "template.h"
#include "test.h"
#include "theme.h"
#include "value.h"
#include "xalloc.h"

static struct script *S;
static FILE *diag_file;
static char diag_text[4096];

static void diag_begin(void)
{
	diag_file = tmpfile();
	diag_set_stream(diag_file);
}

/* The diagnostics printed since diag_begin. */
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

static int compile(const char *name, const char *src)
{
	struct buf lua = BUF_INIT;
	int r = template_translate(name, src, strlen(src), &lua);

	if (r == 0)
		r = script_compile_template(S, name, name, buf_str(&lua),
		                            lua.len);
	buf_free(&lua);
	return r;
}

/* Renders template name with ctx: the output (malloc'd), or NULL. */
static char *render(const char *name, const struct value *ctx)
{
	struct buf out = BUF_INIT;

	if (template_render(S, name, ctx, "content/p.md", &out) < 0) {
		CHECK(out.len == 0);
		buf_free(&out);
		return NULL;
	}
	return buf_detach(&out);
}

/* Compiles src as "t.html" and renders it with ctx; checks the output. */
static void expect(const char *src, const struct value *ctx, const char *want)
{
	char *got = NULL;

	CHECK(compile("t.html", src) == 0);
	got = render("t.html", ctx);
	CHECK_STR(got, want);
	free(got);
}

/* Compiles (and, if that works, renders) src and checks the diagnostic. */
static void expect_error(const char *src, const char *want)
{
	char *got;

	diag_begin();
	if (compile("x.html", src) == 0) {
		got = render("x.html", NULL);
		CHECK(got == NULL);
		free(got);
	}
	CHECK_STR(diag_end(), want);
}

static void test_text(void)
{
	expect("", NULL, "");
	expect("plain <b>html</b>\n", NULL, "plain <b>html</b>\n");
	expect("q\"uo\\te\r\n\ttab\001 } { %}", NULL,
	       "q\"uo\\te\r\n\ttab\001 } { %}");
	expect("été\n\n", NULL, "été\n\n");
}

static void test_escape(void)
{
	expect("{{ \"<script>\" }}|{{{ \"<b>\" }}}", NULL,
	       "&lt;script&gt;|<b>");
	expect("{{ [['\"&]] }}", NULL, "&#39;&quot;&amp;");
	expect("{{{ escape('<a>') }}}", NULL, "&lt;a&gt;");
	expect("{{ nothing }}|{{ true }}|{{ false }}", NULL, "|true|false");
	expect("{{ 3 }} {{ 3.0 }} {{ 2.5 }} {{ 1e100 }} {{ 2^53 }}", NULL,
	       "3 3 2.5 1e+100 9.007199254741e+15");
	expect("{{ \"}}\" }}{{ ({a = 1}).a }}{% local t = {x = \"%}\"} %}"
	       "{{ t.x }}",
	       NULL, "}}1%}");
	expect("{% local x = 1 -- set x %}{{ x }}{{ --[[ c ]] 2 }}", NULL,
	       "12");
	expect("{{{ [==[a]]b]==] }}}", NULL, "a]]b");
}

static struct value *item(const char *name, double n)
{
	struct value *m = value_map();

	value_set_str(m, "name", name);
	value_set_num(m, "n", n);
	return m;
}

static void test_control(void)
{
	struct value *ctx = value_map(), *items, *m;

	items = value_set(ctx, "items", value_list());
	value_push(items, item("b", 1));
	value_push(items, item("a", 2));
	m = value_set(ctx, "m", value_map());
	value_set_num(m, "z", 1);
	value_set_num(m, "a", 2);
	value_set_num(m, "m", 3);
	expect("{% for _, it in ipairs(items) do %}{{ it.name }}={{ it.n }};"
	       "{% end %}",
	       ctx, "b=1;a=2;");
	expect("{% for k, v in pairs(m) do %}{{ k }}{{ v }}{% end %}", ctx,
	       "z1a2m3");
	expect("{% if #items > 1 then %}many{% else %}few{% end %}", ctx,
	       "many");
	expect("{{ len(items) }} {{ len(m) }} {{ len(nil) }} {{ len('abc') }}",
	       ctx, "2 3 0 3");
	value_free(ctx);
}

static void test_trim(void)
{
	struct value *ctx = value_map(), *xs;

	xs = value_set(ctx, "xs", value_list());
	value_push(xs, value_number(1));
	value_push(xs, value_number(2));
	expect("<ul>\n  {%- for _, x in ipairs(xs) do -%}\n  <li>{{ x }}</li>\n"
	       "  {%- end -%}\n</ul>",
	       ctx, "<ul><li>1</li><li>2</li></ul>");
	expect("a \n{{- 1 -}}\n b|a {# c #} b|a {#- c -#} b", NULL,
	       "a1b|a  b|ab");
	/* Trimmed newlines still count: the error is on line 4. */
	expect_error("{%- x = 1 -%}\n\n\n{{- y.z }}",
	             "x.html:4: error: attempt to index a nil value (global "
	             "'y') (while rendering content/p.md)\n");
	value_free(ctx);
}

static void test_include(void)
{
	struct value *ctx = value_map();

	value_set_str(ctx, "title", "T&");
	CHECK(compile("partials/nav.html",
	              "<nav>{{ title }}{{ extra }}</nav>") == 0);
	expect("A{% include \"partials/nav.html\" %}B", ctx,
	       "A<nav>T&amp;</nav>B");
	expect("{% extra = 1 %}{% include 'partials/nav.html' %}"
	       "{% include('partials/nav.html') %}",
	       ctx, "<nav>T&amp;1</nav><nav>T&amp;1</nav>");
	CHECK(compile("partials/bad.html", "\n{{ f() }}") == 0);
	expect_error("{% include \"partials/bad.html\" %}",
	             "partials/bad.html:2: error: attempt to call a nil value "
	             "(global 'f') (while rendering content/p.md)\n");
	expect_error("\n{% include \"nope.html\" %}",
	             "x.html:2: error: template \"nope.html\" not found "
	             "(while rendering content/p.md)\n");
	value_free(ctx);
}

static void test_errors(void)
{
	struct buf out = BUF_INIT;

	expect_error("a\nb\n{{ nil_table.field }}\nd\ne",
	             "x.html:3: error: attempt to index a nil value (global "
	             "'nil_table') (while rendering content/p.md)\n");
	expect_error(
	    "a\n{% if x then %}\nb\n",
	    "x.html:4: error: 'end' expected (to close 'if' at line 2) "
	    "near <eof>\n");
	expect_error("ab\ncd {{ x", "x.html:2:4: error: unclosed tag \"{{\"\n");
	expect_error("é {%", "x.html:1:3: error: unclosed tag \"{%\"\n");
	expect_error("{{{ x }}", "x.html:1:1: error: unclosed tag \"{{{\"\n");
	expect_error("a\n{# x", "x.html:2:1: error: unclosed tag \"{#\"\n");
	expect_error("{{ {} }}", "x.html:1: error: cannot print a table "
	                         "(while rendering content/p.md)\n");
	expect_error("\n{{ print }}{{ x.y.z }}",
	             "x.html:2: error: attempt to index a nil value (global "
	             "'x') (while rendering content/p.md)\n");
	/* A failed render leaves the output buffer as it was. */
	buf_puts(&out, "kept");
	diag_begin();
	CHECK(template_render(S, "x.html", NULL, "p.md", &out) == -1);
	CHECK(template_render(S, "missing.html", NULL, "p.md", &out) == -1);
	CHECK_HAS(diag_end(), "p.md: error: template \"missing.html\" not "
	                      "found\n");
	CHECK_STR(buf_str(&out), "kept");
	buf_free(&out);
}

static void test_helpers(void)
{
	struct value *ctx = value_map();

	value_set_str(ctx, "root", "../../");
	expect("{{ url('static/a.css') }} {{ url('/x/') }} {{ url('#top') }} "
	       "{{ url('https://e.org/?a=1&b') }} {{ url('mailto:a@b.fr') }} "
	       "{{ url('javascript:alert(1)') }} {{ url('//cdn.example') }}",
	       ctx,
	       "../../static/a.css ../../x/ #top https://e.org/?a=1&amp;b "
	       "mailto:a@b.fr # //cdn.example");
	expect("{{ url('a') }}", NULL, "a");
	expect("{{ fmt_date('2026-01-15') }}|{{ fmt_date('2026-01-01') }}|"
	       "{{ fmt_date('2024-02-29') }}|{{ fmt_date('2023-02-29') }}|"
	       "{{ fmt_date('2026-13-01') }}|{{ fmt_date('hier') }}|"
	       "{{ fmt_date(nil) }}|{{ fmt_date('2026-08-31') }}|"
	       "{{ fmt_date('2026-12-3x') }}",
	       NULL,
	       "15 janvier 2026|1er janvier 2026|29 février 2024|2023-02-29|"
	       "2026-13-01|hier||31 août 2026|2026-12-3x");
	value_free(ctx);
}

static void test_isolation(void)
{
	struct value *ctx = value_map();

	value_set_str(ctx, "v", "ctx");
	/* Variables set by one render are gone in the next one. */
	expect("{% leak = 'x'; v = 'changed' %}{{ leak }}{{ v }}", ctx,
	       "xchanged");
	CHECK(compile("u.html", "[{{ leak }}{{ v }}]") == 0);
	char *got = render("u.html", ctx);
	CHECK_STR(got, "[ctx]");
	free(got);
	expect_error("{% _G.y = 1 %}", "x.html:1: error: attempt to modify a "
	                               "read-only table (while rendering "
	                               "content/p.md)\n");
	expect_error("{% rawset(string, 'y', 1) %}",
	             "x.html:1: error: attempt to modify a read-only table "
	             "(while rendering content/p.md)\n");
	/* math.random is reseeded for every render. */
	CHECK(compile("r.html", "{{ math.random(1000000) }}") == 0);
	got = render("r.html", NULL);
	char *again = render("r.html", NULL);
	CHECK(got && again && strlen(got) > 0);
	CHECK_STR(got, again);
	free(got);
	free(again);
	value_free(ctx);
}

static void test_limits(void)
{
	expect_error("\n{% while true do end %}",
	             "x.html:2: error: instruction limit of 100000 exceeded "
	             "(while rendering content/p.md)\n");
	/* The output counts against the memory limit. */
	expect_error("{% local s = string.rep('0123456789', 1000) %}"
	             "{% for i = 1, 1e9 do %}{{{ s }}}{% end %}",
	             "x.html:1: error: memory limit of 1 MiB exceeded (while "
	             "rendering content/p.md)\n");
	expect("ok", NULL, "ok");
}

static void set_file(struct theme_file *f, const char *name, const char *origin,
                     const char *data)
{
	f->name = xstrdup(name);
	f->origin = xstrdup(origin);
	f->data = xstrdup(data);
	f->len = strlen(data);
}

static void test_theme(void)
{
	struct theme_file files[4];
	struct theme t = {files, 4};
	char *got;

	set_file(&files[0], "static/x.css", "o", "{{ not a template");
	set_file(&files[1], "templates/good.html",
	         "themes/t/templates/good.html", "g{{ 1 }}");
	set_file(&files[2], "templates/p/bad.html",
	         "themes/t/templates/p/bad.html", "\n{{");
	set_file(&files[3], "templates/worse.html",
	         "themes/t/templates/worse.html", "{% if %}");
	diag_begin();
	CHECK(template_compile_theme(S, &t) == -1);
	CHECK_STR(diag_end(),
	          "themes/t/templates/p/bad.html:2:1: error: unclosed tag "
	          "\"{{\"\nthemes/t/templates/worse.html:1: error: unexpected "
	          "symbol near ';'\n");
	CHECK(template_exists(S, "good.html"));
	CHECK(!template_exists(S, "p/bad.html"));
	CHECK(!template_exists(S, "x.css"));
	got = render("good.html", NULL);
	CHECK_STR(got, "g1");
	free(got);
	t.files = NULL; /* on the stack: free only the strings */
	for (size_t i = 0; i < 4; i++) {
		free(files[i].name);
		free(files[i].origin);
		free(files[i].data);
	}
}

int main(void)
{
	struct script_limits lim = {1024 * 1024, 100000};

	S = script_new(&lim);
	RUN(test_text);
	RUN(test_escape);
	RUN(test_control);
	RUN(test_trim);
	RUN(test_include);
	RUN(test_errors);
	RUN(test_helpers);
	RUN(test_isolation);
	RUN(test_limits);
	RUN(test_theme);
	script_free(S);
	TEST_END();
}
