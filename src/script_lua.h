/*
 * script_lua: private to the script module (script.c: the state, sandbox
 * and public API; script_limits.c: the memory and instruction limits, the
 * protected calls and their error reports; script_value.c: struct value
 * <-> Lua; script_tpl.c: the template runtime and helpers; script_env.c:
 * require and os of hook states; script_hook.c: hook files and the calls
 * of the derive stage; script_lazy.c: the page fields built when first
 * read; script_paraphe.c: the C part of the paraphe module). The only header
 * that includes the Lua headers; no other module may include it.
 */
#ifndef PARAPHE_SCRIPT_LUA_H
#define PARAPHE_SCRIPT_LUA_H

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stddef.h>

#include "buf.h"
#include "script.h"

struct value;

#define SCRIPT_MAX_DEPTH 100 /* nesting of converted values */
#define SCRIPT_MIB (1024 * 1024)

/* A compiled template. */
struct tpl {
	char *name; /* "page.html" */
	char *file; /* its chunkname, for errors without a position */
	int ref;    /* the compiled function, in the registry */
};

/* A Lua file that require and script_hooks_load can find. */
struct script_file {
	char *path; /* "scripts/paraphe/fmt.lua", also its name in errors */
	char *text;
	size_t len;
};

/* A loaded hook file: its own global table keeps on_site and on_page. */
struct script_hook {
	char *path;
	int env;      /* registry reference of its global table */
	int disabled; /* its on_page hit a limit: not called again */
};

/* Messages already reported by hooks (open addressing, strings). */
struct script_seen {
	char **keys;
	size_t cap, len; /* cap is 0 or a power of two */
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
	int err_fixed;         /* err_file/err_line set by the raiser */
	struct value *pending; /* value being built by script_eval */
	struct buf scratch;    /* for helpers; reset before each use */
	/* hooks (script_hook.c) */
	struct script_file *files;
	size_t nfiles, files_cap;
	struct script_hook *hooks;
	size_t nhooks, hooks_cap;
	long long ref_time; /* what os.time() returns */
	int page_ref;       /* the page being processed, or LUA_NOREF */
	char *page_src;     /* its name in messages ("content/x.md") */
	char *page_file;    /* its source file, for paraphe.warn(msg, line) */
	int dedupe;         /* report each hook message once */
	struct script_seen seen;
	size_t nmetas; /* metatables of maps cached (script_value.c) */
	/* lazy fields (script_lazy.c) */
	struct value *lazy_tmp; /* a field being converted */
	int lazy_raw;           /* conversions leave out fields not built */
	const char *const *site_names; /* of site.pages entries, see */
	script_field_fn *site_build;   /* script_site_lazy */
	void *const *site_ctxs;
	size_t site_n;
};

/* The registry key (its address) of the running call's environment. */
extern const char script_env_key;

/* The struct script of L (kept in the state's extra space). */
static inline struct script *script_of(lua_State *L)
{
	return *(struct script **)lua_getextraspace(L);
}

/* script.c: pushes a fresh environment for a chunk (an empty table whose
 * missing names come from the helpers, then the globals). */
void script_push_fresh_env(lua_State *L);
/* Pushes the helpers table (what every environment sees first). */
void script_push_helpers_table(lua_State *L);
/* Replaces the table on top by a read-only proxy of it. */
void script_freeze(lua_State *L);
/* Restarts math.random from the constant seed. */
void script_reseed(lua_State *L);

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
 * " (while VERB PAGE)" when page is not NULL ("rendering", "processing"),
 * and pops it. With s->dedupe, a message reported before is not repeated
 * (it was counted then). */
void script_report(struct script *s, const char *fallback, const char *page,
                   const char *verb);
/* 1 when the limit that stopped the last call was one of the limits. */
int script_limit_hit(const struct script *s);

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

/* script_paraphe.c: pushes the table of paraphe's C functions (html,
 * is_html, warn, error). */
void script_push_paraphe(lua_State *L);
/* The HTML held by the paraphe.html value at idx, or NULL when it is not
 * one. */
const char *script_html_text(lua_State *L, int idx, size_t *len);
/* Records key in the set; returns 1 when it was there already. */
int script_seen_add(struct script_seen *set, const char *key);
void script_seen_free(struct script_seen *set);

/* script_env.c: the registered file at path, or NULL. */
const struct script_file *script_find_file(struct script *s, const char *path);
/* Runs registered file path as module name, leaving its result. */
void script_require_file(lua_State *L, const char *name, const char *path);
/* Runs registered hook file path with a fresh environment, left on the
 * stack. */
void script_run_hook_file(lua_State *L, const char *path);
/* Adds require and os to the helpers table at index h. */
void script_env_open(lua_State *L, int h);
/* Records the value on top as the loaded module name, popping it. */
void script_env_preload(lua_State *L, const char *name);

/* script_lazy.c: makes the entries of the site.pages table at index
 * pages lazy as script_site_lazy asked. */
void script_lazy_site_pages(lua_State *L, int pages);

/* script_hook.c: frees what the hooks hold (script_free calls it). */
void script_hooks_free(struct script *s);

/* script_tpl.c: pushes the table of the template helpers. */
void script_push_helpers(lua_State *L);
/* The template compiled under name, or NULL. */
struct tpl *script_find_tpl(struct script *s, const char *name);
/* Runs template t as t(env, _o, _e, _r, _i), env at stack index env. */
void script_call_template(lua_State *L, const struct tpl *t, int env);

#endif
