/*
 * derive: the derive stage (SPEC §6), between load and render. Lua hooks
 * run in a sandboxed state (script.h): on_site(site) once, then for every
 * page (the current text of every document and the text of every
 * published version, with their sub-pages) on_page(page) and the page's
 * derive blocks. Hooks edit page.meta, which replaces the page's meta
 * (data.json shows it), and what a derive block returns replaces the
 * block in the page's tree (markdown.h).
 *
 * Scripts: the built-in ones (embed.h, "scripts/...") overridden file by
 * file by the site's own scripts/ (hidden files skipped, symbolic links
 * that leave the site refused). The .lua files directly in scripts/ are hook
 * files, run in lexical order; the files under scripts/ are modules for
 * require. docs/hooks.md describes the page and site tables.
 */
#ifndef PARAPHE_DERIVE_H
#define PARAPHE_DERIVE_H

#include <stddef.h>

struct buf;
struct config;
struct site;
struct value;
struct derive;

/*
 * Reads the file at path (relative to the site root) as it was at commit
 * (40 hex digits) into out: returns 0, 1 when there was no such file, or
 * -1 after reporting. history_read has this contract.
 */
typedef int derive_read_fn(void *ctx, const char *commit, const char *path,
                           struct buf *out);

/*
 * Loads the scripts into a new hook state with the limits of cfg and the
 * reference time of site (os.time, os.date), and runs the hook files once.
 * Returns NULL after reporting an error in a script (a syntax error, an
 * error at load); free with derive_free.
 */
struct derive *derive_new(const struct config *cfg, const struct site *site);
/*
 * Lets version pages see their bundle's data files as they were at their
 * commit (history_read through a wrapper). Without a reader, every
 * version sees the working tree's data files.
 */
void derive_set_reader(struct derive *dv, derive_read_fn *read, void *ctx);
/*
 * Runs on_site, adds the pages it asked for as new documents of site
 * (kept ordered by path; their source is the hook file that added them),
 * then runs on_page and the derive blocks of every page: the current
 * pages of all documents first, then the pages of their versions. Every
 * problem is reported; returns 0, or -1 when any error was reported (the
 * build must then write nothing).
 */
int derive_site(struct derive *dv, struct site *site, const struct config *cfg);
/*
 * derive_site in two steps: derive_prepare runs on_site and adds its
 * pages (site gains no document after it); derive_run processes the
 * pages on the -j workers, a document and the ones under it when it is a
 * bundle (its group) in one job, and calls done(ctx, worker, first, n) in
 * that job once docs[first..first+n) are derived (not after an error),
 * with their trees still parsed and their diagnostics still captured (so
 * that what done reports comes out in document order too). Each returns
 * 0, or -1 when an error was reported.
 */
typedef void derive_done_fn(void *ctx, int worker, size_t first, size_t n);
int derive_prepare(struct derive *dv, struct site *site,
                   const struct config *cfg);
int derive_run(struct derive *dv, struct site *site, derive_done_fn *done,
               void *ctx);
void derive_free(struct derive *dv);

/*
 * Parses CSV text (RFC 4180: quoted fields with "" inside, CRLF or LF;
 * the delimiter is ";" when the header line holds more ";" than ",")
 * whose first row names the columns, into a list of maps, one per row,
 * keys in column order. An unquoted field is trimmed; empty, it is nil;
 * a decimal number (no leading zero: "063" stays a string; with ";" a
 * decimal comma is accepted) is a number; anything else, and every quoted
 * field, is a string. Empty lines are skipped. Returns the list, or NULL
 * after reporting "FILE:LINE: error: message" (a row with too many or too
 * few fields, an unclosed quote, a duplicate or empty column name, a NUL
 * byte, invalid UTF-8).
 */
struct value *derive_csv(const char *text, size_t len, const char *file);

#endif
