/*
 * script: the sandboxed Lua state and the public API (see script.h). The
 * script module (this file, script_limits.c, script_value.c, script_tpl.c
 * and their private header script_lua.h) is the only one that includes the
 * Lua headers; every conversion between struct value and Lua lives in it.
 *
 * Sandbox. Libraries are opened one by one (base, string, table, math,
 * utf8); load, loadfile, dofile, collectgarbage, print, warn and
 * string.dump are removed. The library tables and _G are read-only proxies
 * (rawset refuses them too), the string metatable is hidden
 * (getmetatable("") is false), setmetatable refuses __gc (finalizers would
 * run at GC-dependent times) and math.random is reseeded with 0 before
 * every call, so output never depends on which pages a state ran before.
 * User code never runs with the real globals as _ENV: each call gets a
 * fresh environment table whose __index falls back to the helpers
 * (script_tpl.c), then to the globals, so assignments never leak from one
 * call to the next. Chunks are loaded as text only.
 *
 * Limits (memory, instructions) and the protected calls that report
 * errors as "FILE:LINE: error: message" are in script_limits.c; what hook
 * states add (require, os, paraphe, the calls of the derive stage) is in
 * script_env.c, script_paraphe.c and script_hook.c.
 *
 * Values. struct value -> Lua: nil, booleans, strings as is; numbers that
 * are integers become Lua integers; lists become sequences (a nil item
 * becomes false, since a sequence cannot hold nil); maps become tables
 * whose metatable holds the keys in source order and a __pairs that walks
 * them (a nil entry is absent from the table). Lua -> struct value: a table
 * with keys exactly 1..n (n >= 0) is a list, any other table a map whose
 * keys come in source order (the map's recorded keys first), the others
 * sorted by their string form; numeric keys become strings; functions,
 * cycles and nesting deeper than SCRIPT_MAX_DEPTH are errors (the
 * conversions live in script_value.c).
 */
#include "script.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "script_lua.h"
#include "value.h"
#include "xalloc.h"

/* Registry keys (their addresses). */
const char script_env_key = 'c';
static const char k_envmt = 'e', k_seed = 's';

/* ---- Sandbox ---- */

static int l_readonly(lua_State *L)
{
	return luaL_error(L, "attempt to modify a read-only table");
}

static int l_next(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 2);
	if (lua_next(L, 1))
		return 2;
	lua_pushnil(L);
	return 1;
}

/* __pairs of a read-only proxy: walks the table behind it. */
static int l_proxy_pairs(lua_State *L)
{
	lua_pushcfunction(L, l_next);
	lua_getmetatable(L, 1);
	lua_getfield(L, -1, "__index");
	lua_remove(L, -2);
	lua_pushnil(L);
	return 3;
}

static int is_readonly(lua_State *L, int idx)
{
	int r = 0;

	if (lua_getmetatable(L, idx)) {
		lua_pushliteral(L, "__newindex");
		lua_rawget(L, -2);
		r = lua_tocfunction(L, -1) == l_readonly;
		lua_pop(L, 2);
	}
	return r;
}

void script_freeze(lua_State *L)
{
	static const luaL_Reg mt[] = {{"__newindex", l_readonly},
	                              {"__pairs", l_proxy_pairs},
	                              {NULL, NULL}};

	lua_newtable(L);
	lua_createtable(L, 0, 4);
	luaL_setfuncs(L, mt, 0);
	lua_pushvalue(L, -3);
	lua_setfield(L, -2, "__index");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
	lua_replace(L, -2);
}

static int l_rawset(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkany(L, 2);
	luaL_checkany(L, 3);
	if (is_readonly(L, 1))
		return l_readonly(L);
	lua_settop(L, 3);
	lua_rawset(L, 1);
	return 1;
}

/* The base library's setmetatable, refusing __gc. */
static int l_setmetatable(lua_State *L)
{
	int t = lua_type(L, 2);

	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2,
	                 "nil or table");
	if (t == LUA_TTABLE) {
		lua_pushliteral(L, "__gc");
		if (lua_rawget(L, 2) != LUA_TNIL)
			return luaL_error(L,
			                  "__gc metamethods are not allowed");
		lua_pop(L, 1);
	}
	if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
		return luaL_error(L, "cannot change a protected metatable");
	lua_settop(L, 2);
	lua_setmetatable(L, 1);
	return 1;
}

static void reseed(lua_State *L, lua_Integer n)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &k_seed);
	lua_pushinteger(L, n);
	lua_call(L, 1, 0);
}

void script_reseed(lua_State *L)
{
	reseed(L, 0);
}

/* math.randomseed(n): n is required (the argument-less form would seed
 * from the clock). */
static int l_randomseed(lua_State *L)
{
	reseed(L, luaL_checkinteger(L, 1));
	return 0;
}

static int l_panic(lua_State *L)
{
	xfatal("lua: %s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "panic");
}

/* ---- State ---- */

/* Opens the libraries into the globals (at index 1), then removes or
 * wraps what the sandbox refuses. */
static void open_libs(lua_State *L)
{
	static const luaL_Reg libs[] = {
	    {LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string},
	    {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
	    {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL}};
	static const luaL_Reg wrapped[] = {{"rawset", l_rawset},
	                                   {"setmetatable", l_setmetatable},
	                                   {NULL, NULL}};
	static const char *const removed[] = {
	    "collectgarbage", "dofile", "load", "loadfile",
	    "print",          "warn",   NULL};
	const luaL_Reg *lib;
	const char *const *name;

	for (lib = libs; lib->name; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
	for (name = removed; *name; name++) {
		lua_pushnil(L);
		lua_setfield(L, 1, *name);
	}
	luaL_setfuncs(L, wrapped, 0);
	lua_getfield(L, 1, LUA_STRLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_getfield(L, 1, LUA_MATHLIBNAME);
	lua_getfield(L, -1, "randomseed");
	lua_rawsetp(L, LUA_REGISTRYINDEX, &k_seed);
	lua_pushcfunction(L, l_randomseed);
	lua_setfield(L, -2, "randomseed");
	lua_pop(L, 2);
	lua_pushliteral(L, ""); /* getmetatable("") gives false */
	lua_getmetatable(L, -1);
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 2);
}

static int l_setup(lua_State *L)
{
	static const char *const frozen[] = {LUA_STRLIBNAME,  LUA_TABLIBNAME,
	                                     LUA_MATHLIBNAME, LUA_UTF8LIBNAME,
	                                     LUA_GNAME,       NULL};
	const char *const *name;

	lua_pushglobaltable(L); /* index 1 */
	open_libs(L);
	for (name = frozen; *name; name++) {
		lua_getfield(L, 1, *name);
		script_freeze(L);
		lua_setfield(L, 1, *name);
	}
	/* Environments: env -> helpers -> globals, metatables hidden. */
	lua_createtable(L, 0, 2);
	script_push_helpers(L);
	lua_createtable(L, 0, 2);
	lua_pushvalue(L, 1);
	lua_setfield(L, -2, "__index");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
	lua_setfield(L, -2, "__index");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_rawsetp(L, LUA_REGISTRYINDEX, &k_envmt);
	reseed(L, 0);
	return 0;
}

struct script *script_new(const struct script_limits *limits)
{
	struct script *s = xcalloc(1, sizeof(*s));
	lua_State *L;

	s->mem_limit =
	    limits && limits->memory ? limits->memory : 256 * SCRIPT_MIB;
	s->insn_limit = limits && limits->instructions > 0
	                    ? limits->instructions
	                    : 100000000;
	L = lua_newstate(script_alloc, s);
	if (!L)
		xfatal("cannot create a Lua state");
	s->L = L;
	s->page_ref = LUA_NOREF;
	*(struct script **)lua_getextraspace(L) = s;
	lua_atpanic(L, l_panic);
	lua_pushcfunction(L, l_setup);
	if (lua_pcall(L, 0, 0, 0) != LUA_OK || s->mem_over)
		xfatal("cannot set up the Lua state (memory limit %zu bytes)",
		       s->mem_limit);
	return s;
}

void script_free(struct script *s)
{
	size_t i;

	if (!s)
		return;
	lua_close(s->L);
	script_hooks_free(s);
	for (i = 0; i < s->ntpls; i++) {
		free(s->tpls[i].name);
		free(s->tpls[i].file);
	}
	free(s->tpls);
	free(s->err_file);
	value_free(s->pending);
	buf_free(&s->scratch);
	free(s);
}

/* The arguments of a protected call. */
struct call {
	struct script *s;
	const char *code, *chunkname; /* compile, eval */
	size_t len;
	int ref, old_ref;        /* compile: new and replaced function */
	const struct tpl *tpl;   /* render */
	const struct value *ctx; /* render, eval */
	struct value *result;    /* eval */
};

void script_push_fresh_env(lua_State *L)
{
	lua_newtable(L);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &k_envmt);
	lua_setmetatable(L, -2);
}

void script_push_helpers_table(lua_State *L)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &k_envmt);
	lua_getfield(L, -1, "__index");
	lua_remove(L, -2);
}

/* Pushes a fresh environment holding the entries of ctx (a map or NULL)
 * and makes it the current one (for include and url). */
static void push_env(lua_State *L, const struct value *ctx)
{
	size_t i, n = ctx && ctx->type == VALUE_MAP ? ctx->u.map.len : 0;

	lua_createtable(L, 0, (int)n);
	for (i = 0; i < n; i++) {
		script_push_value(L, ctx->u.map.vals[i], 1);
		lua_setfield(L, -2, ctx->u.map.keys[i]);
	}
	lua_rawgetp(L, LUA_REGISTRYINDEX, &k_envmt);
	lua_setmetatable(L, -2);
	lua_pushvalue(L, -1);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &script_env_key);
}

static int l_compile(lua_State *L)
{
	struct call *c = lua_touserdata(L, 1);

	if (luaL_loadbufferx(L, c->code, c->len, c->chunkname, "t") != LUA_OK)
		return lua_error(L);
	lua_pushnil(L); /* the code declares its own _ENV: no globals */
	lua_setupvalue(L, -2, 1);
	c->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	luaL_unref(L, LUA_REGISTRYINDEX, c->old_ref);
	return 0;
}

static int l_render(lua_State *L)
{
	struct call *c = lua_touserdata(L, 1);

	reseed(L, 0);
	push_env(L, c->ctx);
	script_call_template(L, c->tpl, lua_gettop(L));
	lua_pushnil(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &script_env_key);
	return 0;
}

int script_compile_template(struct script *s, const char *name,
                            const char *chunkname, const char *code, size_t len)
{
	struct call c = {.s = s, .code = code, .len = len};
	struct buf at = BUF_INIT;
	struct tpl *t = script_find_tpl(s, name);
	int ret = -1;

	buf_printf(&at, "@%s", chunkname);
	c.chunkname = buf_str(&at);
	c.old_ref = t ? t->ref : LUA_NOREF;
	if (script_run(s, l_compile, &c) != LUA_OK) {
		script_report(s, chunkname, NULL, NULL);
		goto out;
	}
	if (!t) {
		s->tpls = xgrow(s->tpls, &s->cap, s->ntpls + 1, sizeof(*t));
		t = &s->tpls[s->ntpls++];
		t->name = xstrdup(name);
	} else {
		free(t->file);
	}
	t->file = xstrdup(chunkname);
	t->ref = c.ref;
	ret = 0;
out:
	buf_free(&at);
	return ret;
}

int script_has_template(struct script *s, const char *name)
{
	return script_find_tpl(s, name) != NULL;
}

int script_render_template(struct script *s, const char *name,
                           const struct value *ctx, const char *page_src,
                           struct buf *out)
{
	struct call c = {.s = s, .ctx = ctx, .tpl = script_find_tpl(s, name)};
	size_t start = out->len;
	int status;

	if (!c.tpl) {
		diag_error(page_src, 0, 0, "template \"%s\" not found", name);
		return -1;
	}
	s->out = out;
	s->out_start = start;
	status = script_run(s, l_render, &c);
	s->out = NULL;
	if (status == LUA_OK)
		return 0;
	buf_truncate(out, start);
	script_report(s, c.tpl->file, page_src, "rendering");
	return -1;
}

static int l_eval(lua_State *L)
{
	struct call *c = lua_touserdata(L, 1);
	struct script *s = c->s;

	if (luaL_loadbufferx(L, c->code, c->len, c->chunkname, "t") != LUA_OK)
		return lua_error(L);
	reseed(L, 0);
	push_env(L, c->ctx);
	lua_setupvalue(L, -2, 1); /* _ENV */
	lua_call(L, 0, 1);
	lua_newtable(L); /* the tables being converted */
	s->pending = value_nil();
	script_fill_value(L, lua_gettop(L) - 1, 0, s->pending, lua_gettop(L));
	c->result = s->pending;
	s->pending = NULL;
	return 0;
}

int script_eval(struct script *s, const char *chunkname, const char *code,
                size_t len, const struct value *env, struct value **result)
{
	struct call c = {.s = s, .code = code, .len = len, .ctx = env};
	struct buf at = BUF_INIT;
	int ret = -1;

	*result = NULL;
	buf_printf(&at, "@%s", chunkname);
	c.chunkname = buf_str(&at);
	if (script_run(s, l_eval, &c) != LUA_OK) {
		value_free(s->pending);
		s->pending = NULL;
		script_report(s, chunkname, NULL, NULL);
		goto out;
	}
	*result = c.result;
	ret = 0;
out:
	buf_free(&at);
	return ret;
}
