/*
 * script_value: the conversions between struct value and Lua, the only
 * ones in paraphe (rules at the top of script.c), and the deterministic
 * key order that map iteration and conversion share.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script_lua.h"
#include "value.h"
#include "xalloc.h"

static int l_map_pairs(lua_State *L);

static void push_number(lua_State *L, double d)
{
	if (d == floor(d) && d >= -9223372036854775808.0 &&
	    d < 9223372036854775808.0)
		lua_pushinteger(L, (lua_Integer)d);
	else
		lua_pushnumber(L, d);
}

/* The registry key (its address) of the metatables of maps by keys. */
static const char k_metas = 'm';

#define META_CACHE_MAX 4096 /* metatables kept, at most */
#define META_SIG_MAX 512    /* bytes of keys of a metatable kept */

/* Pushes a new metatable for a map with the keys of v: its keys in order
 * (the array part), __pairs and __name. */
static void new_map_meta(lua_State *L, const struct value *v)
{
	size_t i, n = v->u.map.len;

	lua_createtable(L, (int)n, 2);
	for (i = 0; i < n; i++) {
		lua_pushstring(L, v->u.map.keys[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_pushcfunction(L, l_map_pairs);
	lua_setfield(L, -2, "__pairs");
	lua_pushliteral(L, "paraphe.map");
	lua_setfield(L, -2, "__name");
}

/*
 * Pushes the metatable of a map with the keys of v. Maps with the same keys
 * in the same order share one (the blocks of a page, the rows of a CSV):
 * most maps then cost one table, not two. Nothing changes a map's
 * metatable once made but script_lazy.c, which gives the table a copy of
 * its own first. The cache is in the registry, keyed by the keys joined
 * with NULs, and bounded.
 */
static void push_map_meta(lua_State *L, const struct value *v)
{
	struct script *s = script_of(L);
	char sig[META_SIG_MAX];
	size_t i, len = 0, k;

	for (i = 0; i < v->u.map.len; i++) {
		k = strlen(v->u.map.keys[i]) + 1;
		if (len + k > sizeof(sig)) {
			new_map_meta(L, v); /* too long to be worth a key */
			return;
		}
		memcpy(sig + len, v->u.map.keys[i], k);
		len += k;
	}
	if (lua_rawgetp(L, LUA_REGISTRYINDEX, &k_metas) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_rawsetp(L, LUA_REGISTRYINDEX, &k_metas);
	}
	lua_pushlstring(L, sig, len);
	if (lua_rawget(L, -2) == LUA_TTABLE) {
		lua_remove(L, -2);
		return;
	}
	lua_pop(L, 1);
	new_map_meta(L, v);
	if (s->nmetas < META_CACHE_MAX) {
		s->nmetas++;
		lua_pushlstring(L, sig, len);
		lua_pushvalue(L, -2);
		lua_rawset(L, -4);
	}
	lua_remove(L, -2);
}

void script_push_value(lua_State *L, const struct value *v, int depth)
{
	size_t i, n;

	luaL_checkstack(L, 8, "value nested too deeply");
	if (depth > SCRIPT_MAX_DEPTH)
		luaL_error(L, "value nested too deeply");
	switch (v ? v->type : VALUE_NIL) {
	case VALUE_BOOL:
		lua_pushboolean(L, v->u.boolean);
		return;
	case VALUE_NUMBER:
		push_number(L, v->u.number);
		return;
	case VALUE_STRING:
		lua_pushlstring(L, v->u.str.ptr, v->u.str.len);
		return;
	case VALUE_LIST:
		n = v->u.list.len;
		lua_createtable(L, (int)n, 0);
		for (i = 0; i < n; i++) {
			if (v->u.list.items[i]->type == VALUE_NIL)
				lua_pushboolean(
				    L, 0); /* nil cannot be in a list */
			else
				script_push_value(L, v->u.list.items[i],
				                  depth + 1);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		return;
	case VALUE_MAP:
		n = v->u.map.len;
		lua_createtable(L, 0, (int)n);
		for (i = 0; i < n; i++) {
			lua_pushstring(L, v->u.map.keys[i]);
			script_push_value(L, v->u.map.vals[i], depth + 1);
			lua_rawset(L, -3);
		}
		push_map_meta(L, v);
		lua_setmetatable(L, -2);
		return;
	default:
		lua_pushnil(L);
		return;
	}
}

/* Key order */

int script_is_map(lua_State *L, int idx)
{
	int r = 0;

	if (lua_getmetatable(L, idx)) {
		lua_pushliteral(L, "__pairs");
		lua_rawget(L, -2);
		r = lua_tocfunction(L, -1) == l_map_pairs;
		lua_pop(L, 2);
	}
	return r;
}

/* The string form of the key at idx (numbers formatted into tmp), or
 * NULL for other types. */
const char *script_key_form(lua_State *L, int idx, char *tmp, size_t *len)
{
	if (lua_type(L, idx) == LUA_TSTRING)
		return lua_tolstring(L, idx, len);
	if (lua_type(L, idx) != LUA_TNUMBER)
		return NULL;
	if (lua_isinteger(L, idx))
		*len = (size_t)snprintf(tmp, 32, LUA_INTEGER_FMT,
		                        lua_tointeger(L, idx));
	else
		*len = (size_t)snprintf(tmp, 32, "%.14g", lua_tonumber(L, idx));
	return tmp;
}

struct key_ent {
	const char *form; /* anchored in the keys or forms table */
	size_t len;
	int other;     /* not a string or number: last, in next() order */
	int isnum;     /* 1 and "1": the number first */
	lua_Integer i; /* position in the unsorted array */
};

static int key_cmp(const void *pa, const void *pb)
{
	const struct key_ent *a = pa, *b = pb;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = n ? memcmp(a->form, b->form, n) : 0;

	if (a->other != b->other)
		return a->other - b->other;
	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	if (a->isnum != b->isnum)
		return b->isnum - a->isnum;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* Sorts keys[from..to] of the array at idx by string form. The entries
 * live in a userdata, so that an error leaks nothing. */
static void sort_keys(lua_State *L, int idx, lua_Integer from, lua_Integer to)
{
	size_t n = (size_t)(to - from + 1), k, len;
	struct key_ent *e;
	const char *form;
	char tmp[32];

	if (to <= from)
		return;
	e = lua_newuserdatauv(L, n * sizeof(*e), 0);
	lua_createtable(L, (int)n, 0); /* anchors the forms of numbers */
	for (k = 0; k < n; k++) {
		lua_rawgeti(L, idx, from + (lua_Integer)k);
		form = script_key_form(L, -1, tmp, &len);
		e[k].other = !form;
		e[k].isnum = lua_type(L, -1) == LUA_TNUMBER;
		e[k].i = from + (lua_Integer)k;
		e[k].len = form ? len : 0;
		e[k].form = form ? form : "";
		if (form == tmp) {
			e[k].form = lua_pushlstring(L, tmp, len);
			lua_rawseti(L, -3, (lua_Integer)k + 1);
		}
		lua_pop(L, 1);
	}
	qsort(e, n, sizeof(*e), key_cmp);
	lua_createtable(L, (int)n, 0);
	for (k = 0; k < n; k++) {
		lua_rawgeti(L, idx, e[k].i);
		lua_rawseti(L, -2, (lua_Integer)k + 1);
	}
	for (k = 0; k < n; k++) {
		lua_rawgeti(L, -1, (lua_Integer)k + 1);
		lua_rawseti(L, idx, from + (lua_Integer)k);
	}
	lua_pop(L, 3);
}

/* Pushes the array of the keys of table t in a deterministic order: for a
 * map, its recorded keys still present, in source order; then every other
 * key, sorted by string form. A recorded key that is absent is read with
 * its __index when the map has one: a page field not built yet
 * (script_lazy.c) is built then, unless s->lazy_raw. */
static void push_keys(lua_State *L, int t)
{
	lua_Integer n = 0, i, first;
	int keys, seen, lazy;

	t = lua_absindex(L, t);
	lua_newtable(L);
	keys = lua_gettop(L);
	lua_newtable(L);
	seen = keys + 1;
	if (script_is_map(L, t)) {
		lua_getmetatable(L, t);
		lazy = lua_getfield(L, -1, "__index") != LUA_TNIL &&
		       !script_of(L)->lazy_raw;
		lua_pop(L, 1);
		for (i = 1; lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
			lua_pushvalue(L, -1);
			lua_pushboolean(L, 1);
			lua_rawset(L, seen);
			lua_pushvalue(L, -1);
			if ((lazy ? lua_gettable(L, t) : lua_rawget(L, t)) !=
			    LUA_TNIL) {
				lua_pop(L, 1);
				lua_rawseti(L, keys, ++n);
			} else {
				lua_pop(L, 2);
			}
		}
		lua_pop(L, 2);
	}
	first = n + 1;
	lua_pushnil(L);
	while (lua_next(L, t)) {
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		if (lua_rawget(L, seen) == LUA_TNIL) {
			lua_pushvalue(L, -2);
			lua_rawseti(L, keys, ++n);
		}
		lua_pop(L, 1);
	}
	sort_keys(L, keys, first, n);
	lua_pop(L, 1);
}

/* The iterator of a map's pairs: upvalues are the key array and the
 * position; keys removed since pairs() was called are skipped. */
static int l_map_next(lua_State *L)
{
	lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));

	luaL_checktype(L, 1, LUA_TTABLE);
	for (;;) {
		if (lua_rawgeti(L, lua_upvalueindex(1), ++i) == LUA_TNIL)
			return 1;
		lua_pushvalue(L, -1);
		if (lua_rawget(L, 1) != LUA_TNIL)
			break;
		lua_pop(L, 2);
	}
	lua_pushinteger(L, i);
	lua_replace(L, lua_upvalueindex(2));
	return 2;
}

/* __pairs of maps: source order (SPEC §6), whatever Lua's hash order. */
static int l_map_pairs(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	push_keys(L, 1);
	lua_pushinteger(L, 0);
	lua_pushcclosure(L, l_map_next, 2);
	lua_pushvalue(L, 1);
	lua_pushnil(L);
	return 3;
}

/* Lua -> struct value */

/* Turns *dst, a nil already owned by the tree being built (so that an
 * error leaves nothing unreachable), into v, whose shell is freed. */
static void become(struct value *dst, struct value *v)
{
	*dst = *v;
	free(v);
}

/* 1 when the keys of table t are exactly 1..*n. */
static int is_sequence(lua_State *L, int t, lua_Integer *n)
{
	lua_Integer count = 0, i;
	int hole;

	*n = (lua_Integer)lua_rawlen(L, t);
	lua_pushnil(L);
	while (lua_next(L, t)) {
		lua_pop(L, 1);
		count++;
	}
	if (count != *n)
		return 0;
	for (i = 1; i <= *n; i++) {
		hole = lua_rawgeti(L, t, i) == LUA_TNIL;
		lua_pop(L, 1);
		if (hole)
			return 0;
	}
	return 1;
}

static void fill_table(lua_State *L, int t, int depth, struct value *dst,
                       int seen)
{
	lua_Integer n, i;
	const char *k;
	char tmp[32];
	size_t len;

	luaL_checkstack(L, 8, "value nested too deeply");
	if (depth >= SCRIPT_MAX_DEPTH)
		luaL_error(L, "value nested too deeply");
	lua_pushvalue(L, t);
	if (lua_rawget(L, seen) != LUA_TNIL)
		luaL_error(L, "cannot convert a table that contains itself");
	lua_pushvalue(L, t);
	lua_pushboolean(L, 1);
	lua_rawset(L, seen);
	if (!script_is_map(L, t) && is_sequence(L, t, &n)) {
		become(dst, value_list());
		for (i = 1; i <= n; i++) {
			lua_rawgeti(L, t, i);
			script_fill_value(L, lua_gettop(L), depth + 1,
			                  value_push(dst, value_nil()), seen);
			lua_pop(L, 1);
		}
	} else {
		become(dst, value_map());
		push_keys(L, t);
		for (i = 1; lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
			k = script_key_form(L, -1, tmp, &len);
			if (!k || strlen(k) != len)
				luaL_error(
				    L, "cannot convert a table key of type %s",
				    luaL_typename(L, -1));
			lua_pushvalue(L, -1);
			lua_rawget(L, t);
			script_fill_value(L, lua_gettop(L), depth + 1,
			                  value_set(dst, k, value_nil()), seen);
			lua_pop(L, 2);
		}
		lua_pop(L, 2);
	}
	lua_pushvalue(L, t);
	lua_pushnil(L);
	lua_rawset(L, seen);
	lua_pop(L, 1);
}

/* Converts the Lua value at idx into *dst (see become). seen is the index
 * of the table of the tables being converted, to refuse cycles. */
void script_fill_value(lua_State *L, int idx, int depth, struct value *dst,
                       int seen)
{
	const char *p;
	size_t len;

	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		return;
	case LUA_TBOOLEAN:
		become(dst, value_bool(lua_toboolean(L, idx)));
		return;
	case LUA_TNUMBER:
		become(dst, value_number(lua_tonumber(L, idx)));
		return;
	case LUA_TSTRING:
		p = lua_tolstring(L, idx, &len);
		become(dst, value_string(p, len));
		return;
	case LUA_TTABLE:
		fill_table(L, idx, depth, dst, seen);
		return;
	default:
		luaL_error(L, "cannot convert a %s value",
		           luaL_typename(L, idx));
	}
}
