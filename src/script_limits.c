/*
 * script_limits: the limits of a Lua state and the protected calls that
 * every entry point of script.c goes through (see script_lua.h).
 *
 * Limits. The allocator counts the state's bytes; past the memory limit it
 * sets a flag and a count hook of 1 so that the next instruction raises
 * "memory limit of N MiB exceeded" at a known line; a single allocation
 * that would pass twice the limit is refused at once (Lua's own memory
 * error, reported with the same message, without a line). A count hook
 * every HOOK_PERIOD instructions raises "instruction limit of N exceeded".
 * Both errors are sticky until the top-level call returns, so pcall cannot
 * swallow them. C library functions (string.rep, string.find) run
 * uncounted between two instructions.
 *
 * Errors are reported as "FILE:LINE: error: message": the message handler
 * finds the Lua frame that the message names (its full chunkname, which
 * Lua's own messages truncate) and strips Lua's position prefix.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "script_lua.h"
#include "xalloc.h"

#define HOOK_PERIOD 1000

/* ---- Limits ---- */

static void hook(lua_State *L, lua_Debug *ar);

void *script_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct script *s = ud;
	void *p;

	if (!ptr)
		osize = 0; /* osize is then a type tag */
	if (nsize == 0) {
		free(ptr);
		s->used -= osize;
		return NULL;
	}
	if (nsize > osize && s->used + (nsize - osize) > s->mem_limit) {
		if (!s->mem_over && s->L) /* error at the next instruction */
			lua_sethook(s->L, hook, LUA_MASKCOUNT, 1);
		s->mem_over = 1;
		if (s->used + (nsize - osize) > 2 * s->mem_limit)
			return NULL;
	}
	p = realloc(ptr, nsize);
	if (p)
		s->used = s->used - osize + nsize;
	return p;
}

static const char *limit_message(struct script *s, char *tmp, size_t size)
{
	if (s->mem_over && s->mem_limit % SCRIPT_MIB == 0)
		snprintf(tmp, size, "memory limit of %zu MiB exceeded",
		         s->mem_limit / SCRIPT_MIB);
	else if (s->mem_over)
		snprintf(tmp, size, "memory limit of %zu bytes exceeded",
		         s->mem_limit);
	else
		snprintf(tmp, size, "instruction limit of %lld exceeded",
		         s->insn_limit);
	return tmp;
}

/* Raises the limit error at the running Lua function's line (in a hook,
 * level 0 is the function being executed). */
static int limit_error(lua_State *L, struct script *s, int level)
{
	char tmp[80];

	luaL_where(L, level);
	lua_pushstring(L, limit_message(s, tmp, sizeof(tmp)));
	lua_concat(L, 2);
	return lua_error(L);
}

int script_memory_error(lua_State *L, int level)
{
	struct script *s = script_of(L);

	s->mem_over = 1;
	lua_sethook(L, hook, LUA_MASKCOUNT, 1); /* sticky */
	return limit_error(L, s, level);
}

static void hook(lua_State *L, lua_Debug *ar)
{
	struct script *s = script_of(L);

	(void)ar;
	s->icount += HOOK_PERIOD;
	if (!s->mem_over && s->icount > s->insn_limit && !s->insn_over) {
		s->insn_over = 1; /* sticky: every next instruction fails */
		lua_sethook(L, hook, LUA_MASKCOUNT, 1);
	}
	if (s->mem_over || s->insn_over)
		limit_error(L, s, 0);
}

/* ---- Protected calls and error positions ---- */

/* The "SRC:LINE: " prefix of a Lua message: returns the text after it and
 * sets *line, or returns msg and leaves *line alone. */
static const char *skip_position(const char *msg, int *line)
{
	const char *p = strchr(msg, ':'), *q;

	for (; p; p = strchr(p + 1, ':')) {
		for (q = p + 1; *q >= '0' && *q <= '9'; q++)
			;
		if (q > p + 1 && q[0] == ':' && q[1] == ' ') {
			*line = atoi(p + 1);
			return q + 2;
		}
	}
	return msg;
}

/* Finds the Lua frame the message names (else the innermost Lua frame),
 * records its full source name and line, returns the length of the
 * message's "SRC:LINE: " prefix to strip. */
static size_t locate(lua_State *L, struct script *s, const char *msg)
{
	lua_Debug ar;
	char pre[LUA_IDSIZE + 32];
	size_t skip = 0;
	int level, found = 0, n, match;

	for (level = 1; lua_getstack(L, level, &ar); level++) {
		if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0)
			continue;
		n = snprintf(pre, sizeof(pre), "%s:%d: ", ar.short_src,
		             ar.currentline);
		match = n > 0 && (size_t)n < sizeof(pre) &&
		        !strncmp(msg, pre, (size_t)n);
		if (!found || match) {
			free(s->err_file);
			s->err_file =
			    xstrdup(ar.source[0] == '@' || ar.source[0] == '='
			                ? ar.source + 1
			                : ar.short_src);
			s->err_line = ar.currentline;
			skip = match ? (size_t)n : 0;
			found = 1;
		}
		if (match)
			break;
	}
	return skip;
}

/* The message handler of every top-level call: a message without
 * traceback, its position recorded in s->err_file and s->err_line. */
static int l_msgh(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);

	if (!msg && luaL_callmeta(L, 1, "__tostring") &&
	    lua_type(L, -1) == LUA_TSTRING)
		msg = lua_tostring(L, -1);
	else if (!msg)
		msg = lua_pushfstring(L, "(error object is a %s value)",
		                      luaL_typename(L, 1));
	if (script_of(L)->err_fixed) { /* the raiser set the position */
		int line;

		lua_pushstring(L, skip_position(msg, &line));
	} else
		lua_pushstring(L, msg + locate(L, script_of(L), msg));
	return 1;
}

/* Runs fn(ud) protected, with fresh limits. Returns the Lua status; on
 * error the message is left on the stack above the old top. */
int script_run(struct script *s, lua_CFunction fn, void *ud)
{
	lua_State *L = s->L;
	int base = lua_gettop(L), status;

	if (s->mem_over || s->used > s->mem_limit)
		lua_gc(L, LUA_GCCOLLECT);
	s->mem_over = s->insn_over = 0;
	s->icount = 0;
	free(s->err_file);
	s->err_file = NULL;
	s->err_line = 0;
	s->err_fixed = 0;
	lua_sethook(L, hook, LUA_MASKCOUNT, HOOK_PERIOD);
	lua_pushcfunction(L, l_msgh);
	lua_pushcfunction(L, fn);
	lua_pushlightuserdata(L, ud);
	status = lua_pcall(L, 1, 0, base + 1);
	if (status == LUA_OK && s->mem_over) { /* crossed in C code only */
		lua_pushliteral(L, "not enough memory");
		status = LUA_ERRMEM;
	}
	lua_remove(L, base + 1);
	return status;
}

/* Reports the error on the stack top as "FILE:LINE: error: message" (the
 * position from the handler, else from the message, else fallback), with
 * " (while VERB PAGE)" when page is not NULL, and pops it. */
void script_report(struct script *s, const char *fallback, const char *page,
                   const char *verb)
{
	const char *msg = lua_tostring(s->L, -1);
	const char *file = s->err_file ? s->err_file : fallback;
	struct buf key = BUF_INIT;
	char tmp[80];
	int line = s->err_line;

	if (!msg)
		msg = "unknown error";
	if (!s->err_file)
		msg = skip_position(msg, &line);
	if (s->mem_over || s->insn_over)
		msg = limit_message(s, tmp, sizeof(tmp));
	/* the same error on every page of a site is reported once */
	buf_printf(&key, "E%s:%d:%s", file ? file : "", line, msg);
	/* and, on several states, once by the build (derive.c): the key
	 * goes with the message */
	if (s->dedupe && script_seen_add(&s->seen, buf_str(&key)))
		;
	else if (page)
		diag_error_keyed(s->dedupe ? buf_str(&key) : NULL, file, line,
		                 0, "%s (while %s %s)", msg,
		                 verb ? verb : "processing", page);
	else
		diag_error_keyed(s->dedupe ? buf_str(&key) : NULL, file, line,
		                 0, "%s", msg);
	buf_free(&key);
	lua_pop(s->L, 1);
}

int script_limit_hit(const struct script *s)
{
	return s->mem_over || s->insn_over;
}
