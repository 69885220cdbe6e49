/*
 * script_lua: private to the script module (script.c: the state, sandbox
 * and public API; script_limits.c: the memory and instruction limits, the
 * protected calls and their error reports; script_value.c: struct value
 * <-> Lua; script_tpl.c: the template runtime and helpers). The only
 * header that includes the Lua headers; no other module may include it.
 */
#ifndef PARAPHE_SCRIPT_LUA_H
#define PARAPHE_SCRIPT_LUA_H

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stddef.h>

#include "buf.h"

struct value;

#define SCRIPT_MAX_DEPTH 100 /* nesting of converted values */
#define SCRIPT_MIB (1024 * 1024)

/* A compiled template. */
struct tpl {
	char *name; /* "page.html" */
	char *file; /* its chunkname, for errors without a position */
	int ref;    /* the compiled function, in the registry */
};

struct script {
	lua_State *L;
	size_t used, mem_limit;       /* bytes held by the state; the limit */
	long long icount, insn_limit; /* instructions of the current call */
	int mem_over, insn_over;      /* a limit was hit during this call */
	struct tpl *tpls;
	size_t ntpls, cap;
	struct buf *out;  /* output of the running render, else NULL */
	size_t out_start; /* out->len when the render started */
	char *err_file;   /* position found by the message handler */
	int err_line;
	struct value *pending; /* value being built by script_eval */
	struct buf scratch;    /* for helpers; reset before each use */
};

/* The registry key (its address) of the running call's environment. */
extern const char script_env_key;

/* The struct script of L (kept in the state's extra space). */
static inline struct script *script_of(lua_State *L)
{
	return *(struct script **)lua_getextraspace(L);
}

/* script_limits.c: the allocator of every state (ud is its struct
 * script), which counts its bytes against s->mem_limit. */
void *script_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
/* Marks the memory limit as exceeded and raises its error at the given
 * stack level (1: the Lua caller of a C function). */
int script_memory_error(lua_State *L, int level);
/* Runs fn(ud) protected, with fresh limits and the message handler that
 * records the error's position. Returns the Lua status; on error the
 * message is left on the stack above the old top (see script_report). */
int script_run(struct script *s, lua_CFunction fn, void *ud);
/* Reports the error on the stack top as "FILE:LINE: error: message" (the
 * position from the handler, else from the message, else fallback), with
 * " (while rendering PAGE)" when page is not NULL, and pops it. */
void script_report(struct script *s, const char *fallback, const char *page);

/* script_value.c: pushes v (NULL pushes nil); see script.c's top. */
void script_push_value(lua_State *L, const struct value *v, int depth);
/* Converts the Lua value at idx into *dst, a nil value already owned by
 * the tree being built (so that an error leaves nothing unreachable);
 * seen is the index of a table used to refuse cycles. */
void script_fill_value(lua_State *L, int idx, int depth, struct value *dst,
                       int seen);
/* 1 when the table at idx came from a map (it keeps its source order). */
int script_is_map(lua_State *L, int idx);
/* The string form of a string or number key at idx (numbers formatted
 * into tmp, 32 bytes), or NULL for other types. */
const char *script_key_form(lua_State *L, int idx, char *tmp, size_t *len);

/* script_tpl.c: pushes the table of the template helpers. */
void script_push_helpers(lua_State *L);
/* The template compiled under name, or NULL. */
struct tpl *script_find_tpl(struct script *s, const char *name);
/* Runs template t as t(env, _o, _e, _r, _i), env at stack index env. */
void script_call_template(lua_State *L, const struct tpl *t, int env);

#endif
