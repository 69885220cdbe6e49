/*
 * template: translates templates (syntax in template.h) into Lua code that
 * script.c compiles, and compiles a theme's templates.
 *
 * The generated chunk begins with "local _ENV, _o, _e, _r, _i = ...;" on
 * the template's first line; script.c calls it as f(env, _o, _e, _r, _i):
 *   text            _o("text");      (a quoted string; every newline is
 *                                     written as backslash-newline, so the
 *                                     Lua line is the template line)
 *   {{ e }}         _e(e);           escaped
 *   {{{ e }}}       _r(e);           raw
 *   {% include "x" %}  _i("x");     (include followed by a string literal)
 *   {% stmt %}      stmt ;           verbatim
 *   {# c #}         nothing but its newlines
 * Tags are found by scanning the Lua inside them: string literals, long
 * brackets and comments are skipped, so "}}" in a string does not close
 * {{; braces nest in {{ and {{{. A line comment ends at the closing tag
 * and is dropped, since the code after it stays on the same line.
 */
#include "template.h"

#include <string.h>

#include "diag.h"
#include "script.h"
#include "theme.h"

#define PROLOGUE "local _ENV, _o, _e, _r, _i = ...; "

enum tag { TAG_EXPR, TAG_RAW, TAG_STMT, TAG_COMMENT };

static const char *const tag_open[] = {"{{", "{{{", "{%", "{#"};
static const char *const tag_close[] = {"}}", "}}}", "%}", "#}"};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* The position of the next tag opening at or after i, or len. */
static size_t find_open(const char *p, size_t len, size_t i, enum tag *tag)
{
	for (; i + 1 < len; i++) {
		if (p[i] != '{')
			continue;
		if (p[i + 1] == '{') {
			*tag =
			    i + 2 < len && p[i + 2] == '{' ? TAG_RAW : TAG_EXPR;
			return i;
		}
		if (p[i + 1] == '%' || p[i + 1] == '#') {
			*tag = p[i + 1] == '%' ? TAG_STMT : TAG_COMMENT;
			return i;
		}
	}
	return len;
}

/* The level of the long bracket opening at p[i] ("[[" 0, "[==[" 2), or
 * -1 when there is none. */
static int long_bracket(const char *p, size_t len, size_t i)
{
	size_t j = i + 1;

	if (i >= len || p[i] != '[')
		return -1;
	while (j < len && p[j] == '=')
		j++;
	return j < len && p[j] == '[' ? (int)(j - i - 1) : -1;
}

/* The position just after the long bracket of level lv closing at or
 * after i, or len. */
static size_t skip_long(const char *p, size_t len, size_t i, int lv)
{
	size_t j;

	for (; i < len; i++) {
		if (p[i] != ']')
			continue;
		for (j = i + 1; j < len && p[j] == '='; j++)
			;
		if (j < len && p[j] == ']' && (int)(j - i - 1) == lv)
			return j + 1;
	}
	return len;
}

/* The position just after the quoted string opening at p[i]; a string
 * also ends at an unescaped newline (Lua refuses it anyway). */
static size_t skip_string(const char *p, size_t len, size_t i)
{
	char q = p[i++];

	for (; i < len && p[i] != q && p[i] != '\n'; i++)
		if (p[i] == '\\' && i + 1 < len)
			i++;
	return i < len ? i + 1 : len;
}

/* Finds the closing delimiter of a tag whose content starts at i. Returns
 * its position, or len when unclosed; *cut is where a trailing line
 * comment starts (else the close position). */
static size_t find_close(const char *p, size_t len, size_t i, enum tag tag,
                         size_t *cut)
{
	const char *close = tag_close[tag];
	size_t cl = strlen(close);
	int depth = 0, lv, nest = tag == TAG_EXPR || tag == TAG_RAW;

	*cut = (size_t)-1;
	while (i < len) {
		if (depth == 0 && i + cl <= len && !memcmp(p + i, close, cl)) {
			if (*cut == (size_t)-1)
				*cut = i;
			return i;
		}
		if (*cut != (size_t)-1) { /* in a line comment */
			if (p[i] == '\n')
				*cut = (size_t)-1;
			i++;
		} else if (tag == TAG_COMMENT) {
			i++;
		} else if (p[i] == '"' || p[i] == '\'') {
			i = skip_string(p, len, i);
		} else if ((lv = long_bracket(p, len, i)) >= 0) {
			i = skip_long(p, len, i + (size_t)lv + 2, lv);
		} else if (p[i] == '-' && i + 1 < len && p[i + 1] == '-') {
			lv = long_bracket(p, len, i + 2);
			if (lv >= 0)
				i = skip_long(p, len, i + (size_t)lv + 4, lv);
			else
				*cut = i, i += 2;
		} else {
			if (nest && p[i] == '{')
				depth++;
			else if (nest && p[i] == '}' && depth > 0)
				depth--;
			i++;
		}
	}
	return len;
}

/* Writes the newlines of p[0..n) so that lines stay aligned. */
static void put_newlines(struct buf *lua, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] == '\n')
			buf_putc(lua, '\n');
}

/* Emits literal text as _o("..."); a newline becomes backslash-newline,
 * which Lua reads as a newline on the next source line. */
static void put_text(struct buf *lua, const char *p, size_t n)
{
	size_t i;
	unsigned char c;

	if (!n)
		return;
	buf_puts(lua, "_o(\"");
	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if (c == '\n')
			buf_puts(lua, "\\\n");
		else if (c == '\\' || c == '"')
			buf_printf(lua, "\\%c", c);
		else if (c == '\r')
			buf_puts(lua, "\\r");
		else if ((c < 32 && c != '\t') || c == 127)
			buf_printf(lua, "\\%03u", c);
		else
			buf_putc(lua, (char)c);
	}
	buf_puts(lua, "\");");
}

/* Emits a statement; "include" followed by a string literal becomes
 * _i(...), anything else is copied as is. */
static void put_stmt(struct buf *lua, const char *p, size_t n)
{
	size_t i = 0, j;

	while (i < n && is_space(p[i]))
		i++;
	j = i + 7;
	if (n >= j && !memcmp(p + i, "include", 7)) {
		while (j < n && is_space(p[j]))
			j++;
		if (j < n && j > i + 7 && (p[j] == '"' || p[j] == '\'')) {
			buf_put(lua, p, i);
			buf_puts(lua, "_i(");
			buf_put(lua, p + i + 7, n - i - 7);
			buf_puts(lua, ");");
			return;
		}
	}
	buf_put(lua, p, n);
	buf_puts(lua, " ;");
}

/* Line and column (in characters) of offset off. */
static void position(const char *p, size_t off, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (p[i] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)p[i] & 0xC0) != 0x80) {
			++*col;
		}
	}
}

/* Emits the code of one tag whose content is p[0..n). */
static void put_tag(struct buf *lua, enum tag tag, const char *p, size_t n)
{
	static const char *const call[] = {"_e(", "_r("};

	switch (tag) {
	case TAG_EXPR:
	case TAG_RAW:
		buf_puts(lua, call[tag == TAG_RAW]);
		buf_put(lua, p, n);
		buf_puts(lua, ");");
		break;
	case TAG_STMT:
		put_stmt(lua, p, n);
		break;
	case TAG_COMMENT:
		put_newlines(lua, p, n);
		break;
	}
}

int template_translate(const char *file, const char *src, size_t len,
                       struct buf *lua)
{
	size_t i = 0, j, k, t, c, cut, end, ol;
	int trim_next = 0, line, col;
	enum tag tag = TAG_EXPR;

	buf_puts(lua, PROLOGUE);
	while (i < len) {
		j = find_open(src, len, i, &tag);
		k = i;
		if (trim_next)
			for (; k < j && is_space(src[k]); k++)
				;
		put_newlines(lua, src + i, k - i);
		ol = strlen(tag_open[tag]);
		t = j; /* end of the text, before a left trim */
		if (j < len && j + ol < len && src[j + ol] == '-')
			for (; t > k && is_space(src[t - 1]); t--)
				;
		put_text(lua, src + k, t - k);
		put_newlines(lua, src + t, j - t);
		if (j == len)
			break;
		k = j + ol + (j + ol < len && src[j + ol] == '-');
		c = find_close(src, len, k, tag, &cut);
		if (c == len) {
			position(src, j, &line, &col);
			diag_error(file, line, col, "unclosed tag \"%s\"",
			           tag_open[tag]);
			return -1;
		}
		trim_next = c > k && src[c - 1] == '-';
		end = cut < c - trim_next ? cut : c - trim_next;
		put_tag(lua, tag, src + k, end - k);
		i = c + strlen(tag_close[tag]);
	}
	return 0;
}

int template_compile_theme(struct script *s, const struct theme *theme)
{
	struct buf lua = BUF_INIT;
	const struct theme_file *f;
	size_t i;
	int ret = 0;

	for (i = 0; i < theme->nfiles; i++) {
		f = &theme->files[i];
		if (strncmp(f->name, "templates/", 10) != 0)
			continue;
		buf_reset(&lua);
		if (template_translate(f->origin, f->data, f->len, &lua) < 0 ||
		    script_compile_template(s, f->name + 10, f->origin,
		                            buf_str(&lua), lua.len) < 0)
			ret = -1;
	}
	buf_free(&lua);
	return ret;
}

int template_exists(struct script *s, const char *name)
{
	return script_has_template(s, name);
}

int template_render(struct script *s, const char *name, const struct value *ctx,
                    const char *page_src, struct buf *out)
{
	return script_render_template(s, name, ctx, page_src, out);
}
