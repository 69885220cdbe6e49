/*
 * script_hook: the calls of the derive stage (see script.h): hook files,
 * on_site, on_page and derive blocks, each a protected call with its own
 * instruction limit, reported as "FILE:LINE: error: message (while
 * processing PAGE)".
 *
 * Each hook file runs once with its own global table (missing names come
 * from the helpers, then the sandbox's globals), kept in the registry: its
 * on_site and on_page are looked up there. A derive block gets a fresh
 * environment holding page. The helpers table of a hook state holds
 * require, os, paraphe and, after on_site, site.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "script.h"
#include "script_lua.h"
#include "value.h"
#include "xalloc.h"

#define PARAPHE_INIT "scripts/paraphe/init.lua"

static const char k_site = 's'; /* registry: the site table */

/* The arguments of a protected call. */
struct hcall {
	struct script *s;
	struct script_hook *hook;
	const struct value *v;
	const char *name, *code, *chunk, *file;
	size_t len;
	int line;
	struct value *result;
};

void script_hooks_free(struct script *s)
{
	size_t i;

	for (i = 0; i < s->nfiles; i++) {
		free(s->files[i].path);
		free(s->files[i].text);
	}
	free(s->files);
	for (i = 0; i < s->nhooks; i++)
		free(s->hooks[i].path);
	free(s->hooks);
	free(s->page_src);
	free(s->page_file);
	value_free(s->lazy_tmp);
	script_seen_free(&s->seen);
}

/* Converts the Lua value at idx into a new value, through s->pending so
 * that an error leaks nothing. */
static struct value *to_value(lua_State *L, int idx)
{
	struct script *s = script_of(L);
	struct value *v;

	idx = lua_absindex(L, idx);
	lua_newtable(L); /* the tables being converted */
	s->pending = value_nil();
	script_fill_value(L, idx, 0, s->pending, lua_gettop(L));
	lua_pop(L, 1);
	v = s->pending;
	s->pending = NULL;
	return v;
}

/* Runs fn protected; on error reports it (naming file when the error
 * has no position) and frees a half-built value. */
static int run(struct script *s, lua_CFunction fn, struct hcall *c,
               const char *file)
{
	if (script_run(s, fn, c) == LUA_OK)
		return 0;
	value_free(s->pending);
	s->pending = NULL;
	script_report(s, file, s->page_src, "processing");
	return -1;
}

/* ---- opening ---- */

static int l_open(lua_State *L)
{
	struct hcall *c = lua_touserdata(L, 1);
	struct script *s = c->s;
	int h;

	script_push_helpers_table(L);
	h = lua_gettop(L);
	script_env_open(L, h);
	script_push_paraphe(L);
	lua_pushvalue(L, -1);
	lua_setfield(L, h, "paraphe");
	lua_pushvalue(L, -1);
	script_env_preload(L, "paraphe");
	if (script_find_file(s, PARAPHE_INIT)) {
		script_require_file(L, "paraphe", PARAPHE_INIT);
		lua_pop(L, 1);
	}
	script_freeze(L); /* hooks cannot change paraphe for one another */
	lua_pushvalue(L, -1);
	lua_setfield(L, h, "paraphe");
	script_env_preload(L, "paraphe");
	return 0;
}

int script_hooks_open(struct script *s, long long reference_time)
{
	struct hcall c = {.s = s};

	s->ref_time = reference_time;
	s->dedupe = 1;
	/* pages make much garbage that dies young, and a little that lives
	 * on: a generational collector does a tenth less work here */
	lua_gc(s->L, LUA_GCGEN, 0, 0);
	return run(s, l_open, &c, PARAPHE_INIT);
}

static int l_load(lua_State *L)
{
	struct hcall *c = lua_touserdata(L, 1);
	struct script *s = c->s;
	struct script_hook *hk;

	script_run_hook_file(L, c->name);
	s->hooks =
	    xgrow(s->hooks, &s->hooks_cap, s->nhooks + 1, sizeof(*s->hooks));
	hk = &s->hooks[s->nhooks];
	hk->env = luaL_ref(L, LUA_REGISTRYINDEX);
	hk->path = xstrdup(c->name);
	hk->disabled = 0;
	s->nhooks++;
	return 0;
}

int script_hooks_load(struct script *s, const char *path)
{
	struct hcall c = {.s = s, .name = path};

	return run(s, l_load, &c, path);
}

/* ---- on_site ---- */

/* Pushes the hook function name of hook k, or returns 0 (nothing
 * pushed) when the file defines none. */
static int push_hook(lua_State *L, const struct script_hook *hk,
                     const char *name)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, hk->env);
	if (lua_getfield(L, -1, name) == LUA_TFUNCTION) {
		lua_remove(L, -2);
		return 1;
	}
	lua_pop(L, 2);
	return 0;
}

static int l_site_begin(lua_State *L)
{
	struct hcall *c = lua_touserdata(L, 1);

	script_push_value(L, c->v, 0);
	if (lua_getfield(L, -1, "pages") != LUA_TTABLE) {
		lua_newtable(L);
		lua_setfield(L, -3, "pages");
	} else {
		script_lazy_site_pages(L, -1);
	}
	lua_pop(L, 1);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &k_site);
	return 0;
}

/* Appends the items of the list at idx to pages (at index p). */
static void append_pages(lua_State *L, int p, int idx)
{
	lua_Integer i, n = (lua_Integer)luaL_len(L, idx), end;

	end = (lua_Integer)luaL_len(L, p);
	for (i = 1; i <= n; i++) {
		lua_geti(L, idx, i);
		lua_seti(L, p, ++end);
	}
}

static int l_site_hook(lua_State *L)
{
	struct hcall *c = lua_touserdata(L, 1);
	lua_Integer before, i, n;
	int p;

	lua_rawgetp(L, LUA_REGISTRYINDEX, &k_site); /* 2 */
	lua_getfield(L, 2, "pages");
	before =
	    lua_type(L, -1) == LUA_TTABLE ? (lua_Integer)luaL_len(L, -1) : 0;
	lua_pop(L, 1);
	script_reseed(L);
	if (!push_hook(L, c->hook, "on_site"))
		return 0;
	lua_pushvalue(L, 2);
	lua_call(L, 1, 1);
	if (lua_getfield(L, 2, "pages") != LUA_TTABLE)
		return luaL_error(L, "site.pages is not a table any more");
	p = lua_gettop(L);
	if (lua_type(L, p - 1) == LUA_TTABLE && !lua_rawequal(L, p - 1, p))
		append_pages(L, p, p - 1);
	n = (lua_Integer)luaL_len(L, p);
	for (i = before + 1; i <= n; i++) { /* who added it */
		if (lua_geti(L, p, i) == LUA_TTABLE &&
		    lua_getfield(L, -1, "added_by") == LUA_TNIL) {
			lua_pushstring(L, c->hook->path);
			lua_setfield(L, -3, "added_by");
		}
		lua_settop(L, p);
	}
	return 0;
}

static int l_site_end(lua_State *L)
{
	struct hcall *c = lua_touserdata(L, 1);

	lua_rawgetp(L, LUA_REGISTRYINDEX, &k_site);
	c->s->lazy_raw = 1; /* entries' fields never read stay out */
	c->result = to_value(L, -1);
	c->s->lazy_raw = 0;
	script_push_helpers_table(L);
	lua_pushvalue(L, -2);
	lua_setfield(L, -2, "site");
	return 0;
}

int script_hooks_on_site(struct script *s, struct value **site)
{
	struct hcall c = {.s = s, .v = *site};
	int ret = 0;
	size_t k;

	if (run(s, l_site_begin, &c, "site") < 0)
		return -1;
	for (k = 0; k < s->nhooks; k++) {
		c.hook = &s->hooks[k];
		if (run(s, l_site_hook, &c, c.hook->path) < 0)
			ret = -1;
	}
	/* even after an error, later hooks see what on_site did */
	if (run(s, l_site_end, &c, "site") == 0) {
		value_free(*site);
		*site = c.result;
	} else {
		ret = -1;
	}
	s->lazy_raw = 0; /* l_site_end may have stopped in the middle */
	return ret;
}

static int l_set_global(lua_State *L)
{
	struct hcall *c = lua_touserdata(L, 1);

	script_push_helpers_table(L);
	script_push_value(L, c->v, 0);
	lua_setfield(L, -2, c->name);
	return 0;
}

void script_set_global(struct script *s, const char *name,
                       const struct value *v)
{
	struct hcall c = {.s = s, .v = v, .name = name};

	run(s, l_set_global, &c, name);
}

/* ---- pages ---- */

static int l_page_begin(lua_State *L)
{
	struct hcall *c = lua_touserdata(L, 1);

	script_push_value(L, c->v, 0);
	if (lua_getfield(L, -1, "meta") != LUA_TTABLE) {
		lua_newtable(L);
		lua_setfield(L, -3, "meta");
	}
	lua_pop(L, 1);
	c->s->page_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

int script_page_begin(struct script *s, const struct value *page,
                      const char *file, const char *label)
{
	struct hcall c = {.s = s, .v = page};

	free(s->page_src);
	free(s->page_file);
	s->page_src = xstrdup(label);
	s->page_file = xstrdup(file);
	return run(s, l_page_begin, &c, file);
}

static int l_page_hook(lua_State *L)
{
	struct hcall *c = lua_touserdata(L, 1);

	script_reseed(L);
	if (!push_hook(L, c->hook, "on_page"))
		return 0;
	lua_rawgeti(L, LUA_REGISTRYINDEX, c->s->page_ref);
	lua_call(L, 1, 0);
	return 0;
}

int script_page_hooks(struct script *s)
{
	struct hcall c = {.s = s};
	size_t k;
	int ret = 0;

	if (s->page_ref == LUA_NOREF)
		return -1;
	for (k = 0; k < s->nhooks; k++) {
		c.hook = &s->hooks[k];
		if (c.hook->disabled)
			continue;
		if (run(s, l_page_hook, &c, c.hook->path) < 0) {
			ret = -1;
			if (script_limit_hit(s)) {
				c.hook->disabled = 1;
				diag_note(c.hook->path, 0, 0,
				          "on_page is not called again after "
				          "hitting a limit");
			}
		}
	}
	return ret;
}

/* Appends the map {html, text} to parts. */
static void add_text(struct value *parts, int html, const char *p, size_t n)
{
	struct value *m = value_push(parts, value_map());

	value_set_bool(m, "html", html);
	value_set(m, "text", value_string(p, n));
}

/* Pushes paraphe's field name (nil when there is none). */
static int push_paraphe_fn(lua_State *L, const char *name)
{
	script_push_helpers_table(L);
	lua_getfield(L, -1, "paraphe");
	lua_remove(L, -2);
	if (lua_type(L, -1) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_pushnil(L);
		return 0;
	}
	lua_getfield(L, -1, name);
	lua_remove(L, -2);
	return lua_type(L, -1) == LUA_TFUNCTION;
}

/* 1 when the table at idx is a non-empty list of strings and HTML. */
static int is_part_list(lua_State *L, int idx)
{
	lua_Integer i, n = (lua_Integer)lua_rawlen(L, idx);
	size_t len;
	int ok = n > 0;

	for (i = 1; ok && i <= n; i++) {
		lua_rawgeti(L, idx, i);
		ok = lua_type(L, -1) == LUA_TSTRING ||
		     script_html_text(L, -1, &len);
		lua_pop(L, 1);
	}
	return ok;
}

/* Appends the derive result at idx to parts (see script.h); depth 1 is a
 * value that paraphe.table or fmt_number made. */
static void add_result(lua_State *L, int idx, struct value *parts, int depth)
{
	const char *p;
	size_t n;
	lua_Integer i;
	int t = lua_type(L, idx);

	idx = lua_absindex(L, idx);
	if (t == LUA_TNIL) {
		return;
	} else if (t == LUA_TSTRING) {
		p = lua_tolstring(L, idx, &n);
		add_text(parts, 0, p, n);
		return;
	} else if ((p = script_html_text(L, idx, &n))) {
		add_text(parts, 1, p, n);
		return;
	} else if (t == LUA_TTABLE && is_part_list(L, idx)) {
		for (i = 1; i <= (lua_Integer)lua_rawlen(L, idx); i++) {
			lua_rawgeti(L, idx, i);
			add_result(L, -1, parts, depth);
			lua_pop(L, 1);
		}
		return;
	}
	if (depth == 0 && (t == LUA_TTABLE || t == LUA_TNUMBER)) {
		const char *fn = t == LUA_TTABLE ? "table" : "fmt_number";

		if (!push_paraphe_fn(L, fn))
			luaL_error(L,
			           "a derive block returned a %s but "
			           "paraphe.%s is missing",
			           luaL_typename(L, idx), fn);
		lua_pushvalue(L, idx);
		lua_call(L, 1, 1);
		add_result(L, -1, parts, 1);
		lua_pop(L, 1);
		return;
	}
	luaL_error(L,
	           "a derive block must return a string, a table or "
	           "paraphe.html(...), not a %s%s",
	           luaL_typename(L, idx),
	           depth ? " (from paraphe.table or paraphe.fmt_number)" : "");
}

static int l_derive(lua_State *L)
{
	struct hcall *c = lua_touserdata(L, 1);
	struct script *s = c->s;

	if (luaL_loadbufferx(L, c->code, c->len, c->chunk, "t") != LUA_OK)
		return lua_error(L);
	script_push_fresh_env(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, s->page_ref);
	lua_setfield(L, -2, "page");
	lua_setupvalue(L, -2, 1);
	script_reseed(L);
	lua_call(L, 0, 1);
	/* errors from here on are the block's: name its line */
	free(s->err_file);
	s->err_file = xstrdup(c->file);
	s->err_line = c->line;
	s->err_fixed = 1;
	s->pending = value_list();
	add_result(L, -1, s->pending, 0);
	c->result = s->pending;
	s->pending = NULL;
	return 0;
}

int script_page_derive(struct script *s, const char *file, int line,
                       const char *code, size_t len, struct value *parts)
{
	struct hcall c = {.s = s};
	struct buf text = BUF_INIT, chunk = BUF_INIT;
	size_t i;
	int ret = -1;

	if (s->page_ref == LUA_NOREF)
		return -1;
	/* blank lines first, so that Lua's line numbers are the file's */
	for (i = 1; (int)i < line && i < 10000000; i++)
		buf_putc(&text, '\n');
	buf_put(&text, code, len);
	buf_printf(&chunk, "@%s", file);
	c.code = buf_str(&text);
	c.len = text.len;
	c.chunk = buf_str(&chunk);
	c.file = file;
	c.line = line;
	if (run(s, l_derive, &c, file) == 0) {
		for (i = 0; i < value_len(c.result); i++) /* moved */
			value_push(parts, c.result->u.list.items[i]);
		c.result->u.list.len = 0;
		value_free(c.result);
		ret = 0;
	}
	buf_free(&text);
	buf_free(&chunk);
	return ret;
}

static int l_page_end(lua_State *L)
{
	struct hcall *c = lua_touserdata(L, 1);

	lua_rawgeti(L, LUA_REGISTRYINDEX, c->s->page_ref);
	if (lua_getfield(L, -1, "meta") != LUA_TTABLE)
		return luaL_error(L, "page.meta must be a table, not a %s",
		                  luaL_typename(L, -1));
	c->result = to_value(L, -1);
	if (c->result->type != VALUE_MAP) { /* an empty table is a list */
		value_free(c->result);
		c->result = value_map();
	}
	return 0;
}

struct value *script_page_end(struct script *s)
{
	struct hcall c = {.s = s};

	if (s->page_ref == LUA_NOREF)
		return NULL;
	if (run(s, l_page_end, &c, s->page_file) < 0)
		c.result = NULL;
	luaL_unref(s->L, LUA_REGISTRYINDEX, s->page_ref);
	s->page_ref = LUA_NOREF;
	return c.result;
}
