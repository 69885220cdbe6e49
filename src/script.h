/*
 * script: the sandboxed Lua state (the only module that includes lua.h;
 * template.c runs templates and derive.c runs hooks through this header).
 *
 * A state opens only the base library (without load, loadfile, dofile,
 * require, collectgarbage), string (without dump), table, math and utf8:
 * no io, os, debug or package. Chunks are text only. Lua states are not
 * thread-safe: one struct script per worker thread. A hook state
 * (script_hooks_open) adds require (registered files only), os.time and
 * os.date (the reference time) and the paraphe module.
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

/* ---- Hooks (script_hook.c, script_env.c, script_paraphe.c) ---- */

/*
 * Registers a Lua file under path ("scripts/paraphe/fmt.lua": the name
 * require resolves and errors show). A file registered again under the
 * same path replaces the earlier text: register the built-in files first,
 * then the site's own.
 */
void script_add_file(struct script *s, const char *path, const char *text,
                     size_t len);
/*
 * Makes s a hook state: require, os (time and date at reference_time),
 * and the global paraphe (its C part, extended by the registered
 * "scripts/paraphe/init.lua" when there is one, then made read-only).
 * Messages of hooks are reported once each from then on. Call after
 * registering the files. Returns 0, or -1 after reporting.
 */
int script_hooks_open(struct script *s, long long reference_time);
/* Runs the registered hook file path once, with its own global table,
 * where it defines on_site(site) and on_page(page). Returns 0, or -1
 * after reporting. */
int script_hooks_load(struct script *s, const char *path);
/*
 * Builds the field name of a table that script_page_lazy or
 * script_site_lazy left out: returns the value to convert (NULL for nil),
 * and sets *tmp to what the caller frees after converting it (NULL when
 * nothing: a cached value).
 */
typedef const struct value *script_field_fn(void *ctx, const char *name,
                                            struct value **tmp);
/*
 * Calls on_site(site) of every loaded hook file, in load order, with one
 * table made from *site (a map; each call has its own instruction limit).
 * A list returned by on_site is appended to site.pages; every page added
 * to site.pages during a call gets added_by = the hook file's path. Then
 * *site is replaced by the table converted back (even when a hook failed,
 * so that the others' work is kept), and the table becomes the global
 * site of every later chunk. Returns 0, or -1 after reporting an error.
 */
int script_hooks_on_site(struct script *s, struct value **site);
/*
 * Leaves out of the entries of site.pages that the next
 * script_hooks_on_site makes from items of pages its fields named in
 * names (NULL-terminated; nil in the items): the entry of item i gets
 * them from build(ctxs[i], name) when a script first reads them, as
 * script_page_lazy does, and the conversion back leaves out those never
 * read. names, ctxs (n items) and what they point at must stay valid
 * until script_free.
 */
void script_site_lazy(struct script *s, const char *const *names,
                      script_field_fn *build, void *const *ctxs, size_t n);
/* Builds field name of the entry made from item i of site.pages now if
 * no script read it yet (see script_page_settle). Returns 0, or -1 after
 * reporting. */
int script_site_settle(struct script *s, size_t i, const char *name);
/* Sets the global name of every later chunk of this state to v converted
 * (another worker's state gets site this way). */
void script_set_global(struct script *s, const char *name,
                       const struct value *v);

/*
 * The page being processed. script_page_begin makes a Lua table of page
 * (a map) the page of the next calls; file is its source file (for
 * paraphe.warn(msg, line)), label names it in errors ("content/x.md", or
 * "content/x.md at version 1"). Then script_page_hooks calls on_page(page)
 * of every hook file (a hook stopped by a limit is not called again for
 * the next pages), script_page_derive runs derive blocks, and
 * script_page_end returns page.meta converted (the caller frees it), or
 * NULL after reporting when it is not a table that converts. Each returns
 * 0, or -1 after reporting, and calls end with script_page_end.
 */
int script_page_begin(struct script *s, const struct value *page,
                      const char *file, const char *label);
/*
 * Leaves out of the page of script_page_begin its fields named in names
 * (NULL-terminated; nil in page, where they keep their place in the key
 * order): each is built by build(ctx, name) when a script first reads it
 * (or walks page with pairs), which is how a hook that reads no blocks
 * costs no blocks. ctx must stay valid until script_free, and what build
 * returns for a name must not change meanwhile: see script_page_settle.
 * Returns 0, or -1 after reporting.
 */
int script_page_lazy(struct script *s, const char *const *names,
                     script_field_fn *build, void *ctx);
/* Builds the field name of the page now if no script read it yet: call
 * it before what it is built from changes (a derive block replacing
 * itself in the page's text). Returns 0, or -1 after reporting. */
int script_page_settle(struct script *s, const char *name);
int script_page_hooks(struct script *s);
/*
 * Runs the code of a derive block (line: its first line in file) with the
 * page in scope as page, and appends what it returns to parts (a list) as
 * maps {html: true|false, text}: nil gives nothing; a string is Markdown;
 * a paraphe.html value is raw HTML; a number is paraphe.fmt_number's
 * text; a list of strings and paraphe.html values gives one part each;
 * any other table is given to paraphe.table, whose result is used.
 */
int script_page_derive(struct script *s, const char *file, int line,
                       const char *code, size_t len, struct value *parts);
struct value *script_page_end(struct script *s);

#endif
