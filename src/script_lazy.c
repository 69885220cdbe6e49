/*
 * script_lazy: the fields of the page table built when a script first
 * reads them (see script_page_lazy in script.h), so that a hook that only
 * looks at page.meta costs no blocks, outline or data.
 *
 * The page table is a map (script_value.c): its metatable holds its keys
 * in order, the left-out fields among them. Its __index builds a field
 * still pending through the derive stage's callback, stores it in the
 * table (rawset: later reads are plain) and returns it; its __newindex
 * drops a field from the pending set when a script assigns it first, so
 * that `page.blocks = nil` stays nil. pairs and the conversion to a value
 * read the recorded keys with __index (push_keys), so they see every
 * field. Only next() and rawget see a field that nobody read as absent.
 *
 * The entries of site.pages get the same treatment (script_site_lazy):
 * the conversion of site back to a value at the end of on_site leaves out
 * their fields never read (s->lazy_raw), which were never changed.
 */
#include "script.h"
#include "script_lua.h"
#include "value.h"

/* The builder of a page's left-out fields (a full userdata). */
struct lazy_src {
	script_field_fn *build;
	void *ctx;
};

/* __index(t, k): upvalues are the lazy_src and the pending set. */
static int l_lazy_index(lua_State *L)
{
	struct script *s = script_of(L);
	struct lazy_src *src = lua_touserdata(L, lua_upvalueindex(1));
	const struct value *v;

	lua_settop(L, 2);
	if (lua_type(L, 2) != LUA_TSTRING)
		return 0;
	lua_pushvalue(L, 2);
	if (lua_rawget(L, lua_upvalueindex(2)) == LUA_TNIL)
		return 0;
	lua_pushvalue(L, 2);
	lua_pushnil(L);
	lua_rawset(L, lua_upvalueindex(2));
	/* s->lazy_tmp frees a built value even if converting it fails */
	value_free(s->lazy_tmp);
	s->lazy_tmp = NULL;
	v = src->build(src->ctx, lua_tostring(L, 2), &s->lazy_tmp);
	script_push_value(L, v, 0);
	value_free(s->lazy_tmp);
	s->lazy_tmp = NULL;
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -2);
	lua_rawset(L, 1);
	return 1;
}

/* __newindex(t, k, v): upvalue is the pending set. */
static int l_lazy_newindex(lua_State *L)
{
	lua_settop(L, 3);
	lua_pushvalue(L, 2);
	lua_pushnil(L);
	lua_rawset(L, lua_upvalueindex(1));
	lua_rawset(L, 1);
	return 0;
}

/* Makes the fields names of the table at t built by build(ctx, name)
 * when first read. The table gets a metatable of its own (a copy of its
 * map metatable, which other maps may share). */
static void make_lazy(lua_State *L, int t, const char *const *names,
                      script_field_fn *build, void *ctx)
{
	struct lazy_src *src;
	int mt;
	size_t i;

	t = lua_absindex(L, t);
	lua_newtable(L);
	mt = lua_gettop(L);
	if (lua_getmetatable(L, t)) {
		lua_pushnil(L);
		while (lua_next(L, -2)) {
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_rawset(L, mt);
		}
		lua_pop(L, 1);
	}
	src = lua_newuserdatauv(L, sizeof(*src), 0);
	src->build = build;
	src->ctx = ctx;
	lua_newtable(L); /* the pending set */
	for (i = 0; names[i]; i++) {
		lua_pushboolean(L, 1);
		lua_setfield(L, -2, names[i]);
	}
	lua_pushvalue(L, -1);
	lua_pushcclosure(L, l_lazy_newindex, 1);
	lua_setfield(L, mt, "__newindex");
	lua_pushcclosure(L, l_lazy_index, 2);
	lua_setfield(L, mt, "__index");
	lua_setmetatable(L, t);
}

/* The arguments of the calls below. */
struct lcall {
	struct script *s;
	const char *const *names;
	const char *name;
	script_field_fn *build;
	void *ctx;
	lua_Integer item;
};

static int l_lazy(lua_State *L)
{
	struct lcall *c = lua_touserdata(L, 1);

	lua_rawgeti(L, LUA_REGISTRYINDEX, c->s->page_ref);
	make_lazy(L, -1, c->names, c->build, c->ctx);
	return 0;
}

/* Runs fn protected, reporting its error for the current page. */
static int run(struct script *s, lua_CFunction fn, struct lcall *c,
               const char *file, const char *page)
{
	if (script_run(s, fn, c) == LUA_OK)
		return 0;
	script_report(s, file, page, "processing");
	return -1;
}

int script_page_lazy(struct script *s, const char *const *names,
                     script_field_fn *build, void *ctx)
{
	struct lcall c = {s, names, NULL, build, ctx, 0};

	if (s->page_ref == LUA_NOREF)
		return -1;
	return run(s, l_lazy, &c, s->page_file, s->page_src);
}

static int l_settle(lua_State *L)
{
	struct lcall *c = lua_touserdata(L, 1);

	lua_rawgeti(L, LUA_REGISTRYINDEX, c->s->page_ref);
	lua_getfield(L, -1, c->name); /* __index builds it if pending */
	return 0;
}

int script_page_settle(struct script *s, const char *name)
{
	struct lcall c = {s, NULL, name, NULL, NULL, 0};

	if (s->page_ref == LUA_NOREF)
		return -1;
	return run(s, l_settle, &c, s->page_file, s->page_src);
}

/* ---- site.pages ---- */

static const char k_items = 'i'; /* registry: the entries made lazy */

void script_site_lazy(struct script *s, const char *const *names,
                      script_field_fn *build, void *const *ctxs, size_t n)
{
	s->site_names = names;
	s->site_build = build;
	s->site_ctxs = ctxs;
	s->site_n = n;
}

void script_lazy_site_pages(lua_State *L, int pages)
{
	struct script *s = script_of(L);
	lua_Integer i;

	pages = lua_absindex(L, pages);
	lua_createtable(L, (int)s->site_n, 0);
	for (i = 1; s->site_names && i <= (lua_Integer)s->site_n; i++) {
		if (lua_rawgeti(L, pages, i) == LUA_TTABLE) {
			make_lazy(L, -1, s->site_names, s->site_build,
			          s->site_ctxs[i - 1]);
			lua_rawseti(L, -2, i);
		} else {
			lua_pop(L, 1);
		}
	}
	lua_rawsetp(L, LUA_REGISTRYINDEX, &k_items);
}

static int l_site_settle(lua_State *L)
{
	struct lcall *c = lua_touserdata(L, 1);

	lua_rawgetp(L, LUA_REGISTRYINDEX, &k_items);
	if (lua_type(L, -1) == LUA_TTABLE &&
	    lua_rawgeti(L, -1, c->item) == LUA_TTABLE)
		lua_getfield(L, -1, c->name);
	return 0;
}

int script_site_settle(struct script *s, size_t i, const char *name)
{
	struct lcall c = {s, NULL, name, NULL, NULL, (lua_Integer)i + 1};

	return run(s, l_site_settle, &c, "site", NULL);
}
