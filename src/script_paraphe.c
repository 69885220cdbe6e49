/*
 * script_paraphe: the C part of the paraphe module of hooks (the rest is
 * Lua, in scripts/paraphe/): values that carry raw HTML, and the
 * diagnostics of hooks.
 *
 *   paraphe.html(...)     a value that carries raw HTML: the strings and
 *                         paraphe.html values given, concatenated (nil
 *                         arguments are skipped). A derive block that
 *                         returns one is replaced by that HTML as is:
 *                         scripts are trusted, like templates. Its field
 *                         html is the text; tostring gives it too, and
 *                         .. joins it with strings or other such values.
 *   paraphe.is_html(v)    true when v was made by paraphe.html
 *   paraphe.warn(msg [, line])
 *   paraphe.error(msg [, line])
 *                         a warning or an error (the build fails, but the
 *                         hook goes on: Lua's error() stops it). With a
 *                         line, the diagnostic points at that line of the
 *                         page's source file (front matter and text lines
 *                         are the file's own); without, at the calling
 *                         line of the script, naming the page. A message
 *                         already given for the same place and document
 *                         (e.g. at another version) is not repeated.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "script_lua.h"
#include "xalloc.h"

static const char k_html_mt = 'h'; /* registry key of the metatable */

const char *script_html_text(lua_State *L, int idx, size_t *len)
{
	const char *p = NULL;
	int is;

	if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
		return NULL;
	lua_rawgetp(L, LUA_REGISTRYINDEX, &k_html_mt);
	is = lua_rawequal(L, -1, -2);
	lua_pop(L, 2);
	if (!is)
		return NULL;
	lua_getfield(L, idx, "html");
	if (lua_type(L, -1) == LUA_TSTRING)
		p = lua_tolstring(L, -1, len); /* anchored in the table */
	lua_pop(L, 1);
	return p;
}

/* Appends the piece at idx (a string, a paraphe.html value or nil). */
static void add_piece(lua_State *L, luaL_Buffer *b, int idx)
{
	const char *p;
	size_t n;

	if (lua_isnil(L, idx))
		return;
	if (lua_type(L, idx) == LUA_TSTRING) {
		p = lua_tolstring(L, idx, &n);
	} else if (!(p = script_html_text(L, idx, &n))) {
		luaL_typeerror(L, idx, "string or paraphe.html");
		return;
	}
	luaL_addlstring(b, p, n);
}

static int l_html(lua_State *L)
{
	int i, n = lua_gettop(L);
	luaL_Buffer b;

	luaL_buffinit(L, &b);
	for (i = 1; i <= n; i++)
		add_piece(L, &b, i);
	luaL_pushresult(&b);
	lua_createtable(L, 0, 1);
	lua_insert(L, -2);
	lua_setfield(L, -2, "html");
	lua_rawgetp(L, LUA_REGISTRYINDEX, &k_html_mt);
	lua_setmetatable(L, -2);
	return 1;
}

static int l_is_html(lua_State *L)
{
	size_t n;

	lua_pushboolean(L, script_html_text(L, 1, &n) != NULL);
	return 1;
}

static int l_html_tostring(lua_State *L)
{
	size_t n;
	const char *p = script_html_text(L, 1, &n);

	lua_pushlstring(L, p ? p : "", p ? n : 0);
	return 1;
}

/* The Lua position of the caller of a C function: "FILE", line. */
static const char *caller(lua_State *L, int *line)
{
	lua_Debug ar;

	*line = 0;
	if (!lua_getstack(L, 1, &ar) || !lua_getinfo(L, "Sl", &ar))
		return NULL;
	*line = ar.currentline > 0 ? ar.currentline : 0;
	if (ar.source[0] == '@' || ar.source[0] == '=')
		return ar.source + 1;
	return NULL;
}

static int report(lua_State *L, enum diag_level level)
{
	struct script *s = script_of(L);
	const char *msg = luaL_checkstring(L, 1), *file;
	lua_Integer at = luaL_optinteger(L, 2, 0);
	const char *page = s->page_src;
	struct buf key = BUF_INIT;
	int line;

	if (at > 0 && s->page_file) {
		file = s->page_file;
		line = at > 1000000000 ? 0 : (int)at;
		/* the file is named; say which version when it is one */
		if (page && !strcmp(page, s->page_file))
			page = NULL;
	} else {
		file = caller(L, &line);
	}
	buf_printf(&key, "%d%s:%d:%s:%s", (int)level, file ? file : "", line,
	           s->page_file ? s->page_file : "", msg);
	if (!script_seen_add(&s->seen, buf_str(&key))) {
		if (page)
			diag_report(level, file, line, 0,
			            "%s (while processing %s)", msg, page);
		else
			diag_report(level, file, line, 0, "%s", msg);
	}
	buf_free(&key);
	return 0;
}

static int l_warn(lua_State *L)
{
	return report(L, DIAG_WARNING);
}

static int l_error(lua_State *L)
{
	return report(L, DIAG_ERROR);
}

void script_push_paraphe(lua_State *L)
{
	static const luaL_Reg funcs[] = {{"html", l_html},
	                                 {"is_html", l_is_html},
	                                 {"warn", l_warn},
	                                 {"error", l_error},
	                                 {NULL, NULL}};
	static const luaL_Reg mt[] = {{"__tostring", l_html_tostring},
	                              {"__concat", l_html},
	                              {NULL, NULL}};

	if (lua_rawgetp(L, LUA_REGISTRYINDEX, &k_html_mt) == LUA_TNIL) {
		lua_pop(L, 1);
		luaL_newlib(L, mt);
		lua_pushliteral(L, "paraphe.html");
		lua_setfield(L, -2, "__name");
		lua_pushboolean(L, 0);
		lua_setfield(L, -2, "__metatable");
		lua_rawsetp(L, LUA_REGISTRYINDEX, &k_html_mt);
	} else {
		lua_pop(L, 1);
	}
	luaL_newlib(L, funcs);
}

/* ---- the set of messages already reported ---- */

static size_t seen_hash(const char *s)
{
	size_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static char **seen_slot(struct script_seen *set, const char *key)
{
	size_t i = seen_hash(key) & (set->cap - 1);

	while (set->keys[i] && strcmp(set->keys[i], key))
		i = (i + 1) & (set->cap - 1);
	return &set->keys[i];
}

int script_seen_add(struct script_seen *set, const char *key)
{
	char **old = set->keys, **slot;
	size_t i, oldcap = set->cap;

	if (set->cap && *seen_slot(set, key))
		return 1;
	if (2 * (set->len + 1) > set->cap) { /* grow at half load */
		set->cap = oldcap ? 2 * oldcap : 64;
		set->keys = xcalloc(set->cap, sizeof(*set->keys));
		for (i = 0; i < oldcap; i++)
			if (old[i])
				*seen_slot(set, old[i]) = old[i];
		free(old);
	}
	slot = seen_slot(set, key);
	*slot = xstrdup(key);
	set->len++;
	return 0;
}

void script_seen_free(struct script_seen *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->keys[i]);
	free(set->keys);
	set->keys = NULL;
	set->cap = set->len = 0;
}
