/*
 * script_tpl: the runtime of compiled templates and the helpers they see.
 *
 * template.c's code begins with "local _ENV, _o, _e, _r, _i = ...;" and a
 * template runs as f(env, _o, _e, _r, _i): _o(s) appends literal text,
 * _e(v) a value HTML-escaped by esc_html, _r(v) a value raw, _i(name)
 * includes template name with the same env. Printing: nil nothing,
 * booleans "true"/"false", integers in full, other numbers "%.14g",
 * strings as is; tables and functions are errors ("cannot print a table").
 * The output counts against the memory limit.
 *
 * Helpers visible to templates (and to script_eval chunks):
 *   escape(v)      the printed form of v, HTML-escaped, as a string
 *   include(name)  renders template name here, with the same variables
 *   url(path)      root .. path, where root is the variable holding the
 *                  relative prefix to the site root ("../../"); a leading
 *                  "/" is dropped; path is returned unchanged when it
 *                  starts with "#" or "//" or has an http, https, mailto
 *                  or tel scheme, and any other scheme gives "#"
 *   fmt_date(s)    "2026-01-15" -> "15 janvier 2026", "1er" for the first
 *                  day; anything that is not a valid YYYY-MM-DD date is
 *                  returned unchanged
 *   len(x)         0 for nil, the number of entries of a map, else #x
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "esc.h"
#include "script_lua.h"

/* Appends the printed form of the value at idx to b (see the top). */
static void put_printed(lua_State *L, int idx, struct buf *b, int escape)
{
	const char *p;
	char tmp[32];
	size_t n;

	switch (lua_type(L, idx)) {
	case LUA_TNIL:
	case LUA_TNONE:
		return;
	case LUA_TBOOLEAN:
		p = lua_toboolean(L, idx) ? "true" : "false";
		n = strlen(p);
		break;
	case LUA_TNUMBER:
		p = script_key_form(L, idx, tmp, &n);
		break;
	case LUA_TSTRING:
		p = lua_tolstring(L, idx, &n);
		break;
	default:
		luaL_error(L, "cannot print a %s", luaL_typename(L, idx));
		return;
	}
	if (escape)
		esc_html(b, p, n);
	else
		buf_put(b, p, n);
}

static int out_value(lua_State *L, int escape)
{
	struct script *s = script_of(L);

	if (!s->out)
		return luaL_error(L, "no template is being rendered");
	put_printed(L, 1, s->out, escape);
	if (s->out->len - s->out_start > s->mem_limit) /* output is memory */
		return script_memory_error(L, 1);
	return 0;
}

static int l_o(lua_State *L)
{
	luaL_checkstring(L, 1);
	return out_value(L, 0);
}

static int l_e(lua_State *L)
{
	return out_value(L, 1);
}

/* {{{ }}}: raw by the template author's explicit choice (trusted HTML). */
static int l_r(lua_State *L)
{
	return out_value(L, 0);
}

struct tpl *script_find_tpl(struct script *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->ntpls; i++)
		if (!strcmp(s->tpls[i].name, name))
			return &s->tpls[i];
	return NULL;
}

static int l_include(lua_State *L);

void script_call_template(lua_State *L, const struct tpl *t, int env)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, t->ref);
	lua_pushvalue(L, env);
	lua_pushcfunction(L, l_o);
	lua_pushcfunction(L, l_e);
	lua_pushcfunction(L, l_r);
	lua_pushcfunction(L, l_include);
	lua_call(L, 5, 0);
}

static int l_include(lua_State *L)
{
	struct script *s = script_of(L);
	const char *name = luaL_checkstring(L, 1);
	const struct tpl *t = script_find_tpl(s, name);

	if (!t)
		return luaL_error(L, "template \"%s\" not found", name);
	if (!s->out)
		return luaL_error(L, "no template is being rendered");
	lua_rawgetp(L, LUA_REGISTRYINDEX, &script_env_key);
	script_call_template(L, t, lua_gettop(L));
	return 0;
}

static int l_escape(lua_State *L)
{
	struct buf *b = &script_of(L)->scratch;

	buf_reset(b);
	put_printed(L, 1, b, 1);
	lua_pushlstring(L, buf_str(b), b->len);
	return 1;
}

/* The length of the scheme of URL p ("https" in "https:..."), or 0. */
static size_t scheme_len(const char *p, size_t n)
{
	size_t i;

	if (!n || !((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z'))
		return 0;
	for (i = 1; i < n && p[i] &&
	            strchr("+-.0123456789abcdefghijklmnopqrstu"
	                   "vwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
	                   p[i]);
	     i++)
		;
	return i < n && p[i] == ':' ? i : 0;
}

static int l_url(lua_State *L)
{
	static const char *const safe[] = {"http", "https", "mailto", "tel"};
	size_t n, k, i;
	const char *p = luaL_checklstring(L, 1, &n), *root;

	lua_settop(L, 1);
	if ((n && p[0] == '#') || (n > 1 && p[0] == '/' && p[1] == '/'))
		return 1;
	if ((k = scheme_len(p, n))) {
		for (i = 0; i < sizeof(safe) / sizeof(*safe); i++)
			if (strlen(safe[i]) == k && !strncasecmp(p, safe[i], k))
				return 1;
		lua_pushliteral(L, "#"); /* javascript: and the like */
		return 1;
	}
	if (lua_rawgetp(L, LUA_REGISTRYINDEX, &script_env_key) == LUA_TTABLE)
		lua_getfield(L, -1, "root");
	else
		lua_pushnil(L);
	root = lua_tostring(L, -1);
	if (n && p[0] == '/')
		p++, n--;
	lua_pushstring(L, root ? root : "");
	lua_pushlstring(L, p, n);
	lua_concat(L, 2);
	return 1;
}

static int l_fmt_date(lua_State *L)
{
	static const char *const month[] = {"janvier", "février",  "mars",
	                                    "avril",   "mai",      "juin",
	                                    "juillet", "août",     "septembre",
	                                    "octobre", "novembre", "décembre"};
	static const int mdays[] = {31, 28, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};
	const char *p = NULL;
	size_t n = 0, i;
	int y, m, d, leap;

	lua_settop(L, 1);
	if (lua_type(L, 1) == LUA_TSTRING)
		p = lua_tolstring(L, 1, &n);
	if (!p || n != 10 || p[4] != '-' || p[7] != '-')
		return 1;
	for (i = 0; i < n; i++)
		if (i != 4 && i != 7 && (p[i] < '0' || p[i] > '9'))
			return 1;
	y = atoi(p);
	m = atoi(p + 5);
	d = atoi(p + 8);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
		return 1;
	lua_pushfstring(L, "%d%s %s %d", d, d == 1 ? "er" : "", month[m - 1],
	                y);
	return 1;
}

static int l_len(lua_State *L)
{
	lua_Integer n = 0;

	if (lua_type(L, 1) == LUA_TTABLE && script_is_map(L, 1)) {
		lua_pushnil(L);
		while (lua_next(L, 1)) {
			lua_pop(L, 1);
			n++;
		}
	} else if (!lua_isnoneornil(L, 1)) {
		n = luaL_len(L, 1);
	}
	lua_pushinteger(L, n);
	return 1;
}

void script_push_helpers(lua_State *L)
{
	static const luaL_Reg helpers[] = {
	    {"escape", l_escape},   {"fmt_date", l_fmt_date},
	    {"include", l_include}, {"len", l_len},
	    {"url", l_url},         {NULL, NULL}};

	luaL_newlib(L, helpers);
}
