/*
 * script: the sandboxed Lua state (the only module that includes lua.h;
 * template.c runs templates through this header).
 *
 * A state opens only the base library (without load, loadfile, dofile,
 * require, collectgarbage), string (without dump), table, math and utf8:
 * no io, os, debug or package. Chunks are text only. Lua states are not
 * thread-safe: one struct script per worker thread.
 */
#ifndef PARAPHE_SCRIPT_H
#define PARAPHE_SCRIPT_H

#include <stddef.h>

#include "buf.h"

struct value;
struct script;

struct script_limits {
	size_t memory;          /* bytes; 0 = default 256 MiB */
	long long instructions; /* per call; 0 = default 1e8 */
};

struct script *script_new(const struct script_limits *limits);
void script_free(struct script *s);

/*
 * Compiles a template's generated Lua code (template.c's output) under
 * name; chunkname is the file shown in errors ("themes/default/templates/
 * page.html"), and the code keeps the template's line numbers.
 * Returns 0, or -1 after reporting "FILE:LINE: error: message".
 */
int script_compile_template(struct script *s, const char *name,
                            const char *chunkname, const char *code,
                            size_t len);
/* 1 when a template was compiled under name. */
int script_has_template(struct script *s, const char *name);
/*
 * Runs template name with ctx (a map value: its keys become the template's
 * variables) and appends its output to out. `page_src` names the page in
 * error messages ("… (while rendering content/x.md)"). Returns 0, or -1
 * after reporting the error with the template file and line.
 */
int script_render_template(struct script *s, const char *name,
                           const struct value *ctx, const char *page_src,
                           struct buf *out);

/*
 * Runs the text chunk code (errors name chunkname) with the entries of env
 * (a map, or NULL) as its variables, and converts what it returns into
 * *result, which the caller frees with value_free. Returns 0, or -1 with
 * *result NULL after reporting "FILE:LINE: error: message".
 */
int script_eval(struct script *s, const char *chunkname, const char *code,
                size_t len, const struct value *env, struct value **result);

#endif
