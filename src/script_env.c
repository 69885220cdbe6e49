/*
 * script_env: what a hook state adds to the sandbox (script_hooks_open):
 * require, limited to the registered files, and os with only time and
 * date, which read the build's reference time.
 *
 * require(name): name is made of words ([A-Za-z0-9_-]) separated by dots;
 * "a.b" is scripts/a/b.lua, else scripts/a/b/init.lua, and "a" is
 * scripts/a/init.lua (scripts/a.lua is a hook file, never a module),
 * among the files given to script_add_file (the site's scripts/ over the
 * built-in ones).
 * Nothing else can be required: require("os") is an error. A module runs
 * once per state, with its own global table, and what it returns (true
 * for nothing) is kept for the next require of the same name.
 *
 * os.time() is the reference time; os.time{year=, month=, day=, hour=12,
 * min=0, sec=0} counts in UTC (fields out of range carry over, as in
 * Lua). os.date(format, t) formats t (default: the reference time) in UTC
 * whether or not the format starts with "!"; "*t" gives a table; the
 * conversions are C's, in the C locale (month names in English:
 * paraphe.fmt_date writes French dates).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "script.h"
#include "script_lua.h"
#include "xalloc.h"

static const char k_loaded = 'l', k_loading = 'g'; /* registry keys */

void script_add_file(struct script *s, const char *path, const char *text,
                     size_t len)
{
	struct script_file *f = NULL;
	size_t i;

	for (i = 0; i < s->nfiles && !f; i++)
		if (!strcmp(s->files[i].path, path))
			f = &s->files[i];
	if (!f) {
		s->files = xgrow(s->files, &s->files_cap, s->nfiles + 1,
		                 sizeof(*s->files));
		f = &s->files[s->nfiles++];
		f->path = xstrdup(path);
	} else {
		free(f->text);
	}
	f->text = xstrndup(text, len);
	f->len = len;
}

const struct script_file *script_find_file(struct script *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->nfiles; i++)
		if (!strcmp(s->files[i].path, path))
			return &s->files[i];
	return NULL;
}

/* 1 when name is words of [A-Za-z0-9_-] separated by single dots. */
static int valid_module_name(const char *name, size_t n)
{
	size_t i;
	int word = 0;

	if (n == 0 || n > 200)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '.') {
			if (!word)
				return 0;
			word = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		           (c >= '0' && c <= '9') || c == '_' || c == '-') {
			word = 1;
		} else {
			return 0;
		}
	}
	return word;
}

/* Loads file f as a chunk; a syntax error is raised with its own
 * position (the chunk is not on the call stack to be found). */
static void load_file(lua_State *L, const struct script_file *f)
{
	struct script *s = script_of(L);
	const char *msg;
	size_t n = strlen(f->path);
	int line = 0;

	lua_pushfstring(L, "@%s", f->path);
	if (luaL_loadbufferx(L, f->text, f->len, lua_tostring(L, -1), "t") ==
	    LUA_OK) {
		lua_remove(L, -2);
		return;
	}
	msg = lua_tostring(L, -1);
	if (msg && !strncmp(msg, f->path, n) && msg[n] == ':') {
		line = atoi(msg + n + 1);
		msg = strchr(msg + n + 1, ':');
		msg = msg ? msg + 1 + (msg[1] == ' ') : lua_tostring(L, -1);
	}
	free(s->err_file);
	s->err_file = xstrdup(f->path);
	s->err_line = line;
	s->err_fixed = 1;
	lua_pushstring(L, msg ? msg : "cannot load");
	lua_error(L);
}

/* Calls the chunk on top as module name of file path, with a fresh
 * environment as its _ENV and (name, path) as its arguments, as Lua's
 * require does. Leaves its one result. */
static void run_module(lua_State *L, const char *name, const char *path)
{
	script_push_fresh_env(L);
	lua_setupvalue(L, -2, 1);
	lua_pushstring(L, name);
	lua_pushstring(L, path);
	lua_call(L, 2, 1);
}

static int l_require(lua_State *L)
{
	struct script *s = script_of(L);
	size_t n;
	const char *name = luaL_checklstring(L, 1, &n), *path;
	const struct script_file *f;

	lua_settop(L, 1);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &k_loaded); /* 2 */
	lua_pushvalue(L, 1);
	if (lua_rawget(L, 2) != LUA_TNIL) {
		lua_rawgetp(L, LUA_REGISTRYINDEX, &k_loading);
		if (lua_rawequal(L, -1, -2))
			return luaL_error(L, "module '%s' requires itself",
			                  name);
		lua_pop(L, 1);
		return 1;
	}
	lua_pop(L, 1);
	if (!valid_module_name(name, n))
		return luaL_error(L, "invalid module name '%s'", name);
	luaL_gsub(L, name, ".", "/"); /* 3 */
	f = NULL;
	if (strchr(name, '.')) { /* scripts/NAME.lua is a hook file */
		path = lua_pushfstring(L, "scripts/%s.lua", lua_tostring(L, 3));
		f = script_find_file(s, path);
	}
	if (!f) {
		path = lua_pushfstring(L, "scripts/%s/init.lua",
		                       lua_tostring(L, 3));
		f = script_find_file(s, path);
	}
	if (!f)
		return luaL_error(L,
		                  "module '%s' not found (only the files of "
		                  "scripts/ can be required)",
		                  name);
	lua_pushvalue(L, 1);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &k_loading);
	lua_rawset(L, 2);
	load_file(L, f);
	run_module(L, name, f->path);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, 1);
	lua_pushvalue(L, -2);
	lua_rawset(L, 2);
	return 1;
}

/* Runs registered file path once as module name (as require would),
 * leaving its result; an error when it is not registered. */
void script_require_file(lua_State *L, const char *name, const char *path)
{
	struct script *s = script_of(L);
	const struct script_file *f = script_find_file(s, path);

	if (!f) {
		luaL_error(L, "no file '%s'", path);
		return;
	}
	load_file(L, f);
	run_module(L, name, path);
}

/* Runs registered hook file path with a fresh environment, which it
 * leaves on the stack (its on_site and on_page are there). */
void script_run_hook_file(lua_State *L, const char *path)
{
	const struct script_file *f = script_find_file(script_of(L), path);

	if (!f) {
		luaL_error(L, "no file '%s'", path);
		return;
	}
	load_file(L, f);
	script_push_fresh_env(L);
	lua_pushvalue(L, -1);
	lua_setupvalue(L, -3, 1);
	lua_insert(L, -2);
	lua_call(L, 0, 0);
}

/* ---- os ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long days_from_civil(long long y, long long m, long long d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static long long time_field(lua_State *L, const char *key, long long def,
                            long long lim)
{
	long long v;
	int isnum;

	lua_getfield(L, 1, key);
	v = (long long)lua_tointegerx(L, -1, &isnum);
	if (!isnum) {
		if (!lua_isnil(L, -1) || def < 0)
			luaL_error(L,
			           "field '%s' missing or not an integer "
			           "in date table",
			           key);
		v = def;
	}
	lua_pop(L, 1);
	if (v < -lim || v > lim)
		luaL_error(L, "field '%s' is out-of-bound", key);
	return v;
}

static int l_os_time(lua_State *L)
{
	long long y, m, d, h, mi, sec, t;

	if (lua_isnoneornil(L, 1)) {
		lua_pushinteger(L, (lua_Integer)script_of(L)->ref_time);
		return 1;
	}
	luaL_checktype(L, 1, LUA_TTABLE);
	y = time_field(L, "year", -1, 1000000);
	m = time_field(L, "month", -1, 1000000) - 1;
	d = time_field(L, "day", -1, 100000000);
	h = time_field(L, "hour", 12, 100000000);
	mi = time_field(L, "min", 0, 100000000);
	sec = time_field(L, "sec", 0, 100000000);
	y += m >= 0 ? m / 12 : -((11 - m) / 12);
	m = ((m % 12) + 12) % 12;
	t = (days_from_civil(y, m + 1, 1) + d - 1) * 86400 + h * 3600 +
	    mi * 60 + sec;
	lua_pushinteger(L, (lua_Integer)t);
	return 1;
}

static void set_field(lua_State *L, const char *key, int v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, key);
}

static void push_tm(lua_State *L, const struct tm *tm)
{
	lua_createtable(L, 0, 9);
	set_field(L, "year", tm->tm_year + 1900);
	set_field(L, "month", tm->tm_mon + 1);
	set_field(L, "day", tm->tm_mday);
	set_field(L, "hour", tm->tm_hour);
	set_field(L, "min", tm->tm_min);
	set_field(L, "sec", tm->tm_sec);
	set_field(L, "yday", tm->tm_yday + 1);
	set_field(L, "wday", tm->tm_wday + 1);
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "isdst");
}

static int l_os_date(lua_State *L)
{
	static const char options[] = "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%";
	const char *fmt = luaL_optstring(L, 1, "%c");
	lua_Integer n = luaL_opt(L, luaL_checkinteger, 2,
	                         (lua_Integer)script_of(L)->ref_time);
	time_t t = (time_t)n;
	char conv[3] = "%?", out[256];
	luaL_Buffer b;
	struct tm tm;

	if (*fmt == '!')
		fmt++;
	if ((lua_Integer)t != n || !gmtime_r(&t, &tm))
		return luaL_error(L, "date result cannot be represented");
	if (!strcmp(fmt, "*t")) {
		push_tm(L, &tm);
		return 1;
	}
	luaL_buffinit(L, &b);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			luaL_addchar(&b, *fmt);
			continue;
		}
		if (!fmt[1] || !strchr(options, fmt[1]))
			return luaL_error(L,
			                  "bad argument #1 to 'date' (invalid "
			                  "conversion specifier '%%%c')",
			                  fmt[1] ? fmt[1] : ' ');
		conv[1] = *++fmt;
		luaL_addlstring(&b, out, strftime(out, sizeof(out), conv, &tm));
	}
	luaL_pushresult(&b);
	return 1;
}

/* Adds require and os to the helpers table at index h, and the table of
 * loaded modules. */
void script_env_open(lua_State *L, int h)
{
	static const luaL_Reg os[] = {
	    {"time", l_os_time}, {"date", l_os_date}, {NULL, NULL}};

	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &k_loaded);
	lua_newtable(L); /* a unique value: "being loaded" */
	lua_rawsetp(L, LUA_REGISTRYINDEX, &k_loading);
	lua_pushcfunction(L, l_require);
	lua_setfield(L, h, "require");
	luaL_newlib(L, os);
	script_freeze(L);
	lua_setfield(L, h, "os");
}

/* Records the value on top as the loaded module name (popping it). */
void script_env_preload(lua_State *L, const char *name)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &k_loaded);
	lua_insert(L, -2);
	lua_setfield(L, -2, name);
	lua_pop(L, 1);
}
