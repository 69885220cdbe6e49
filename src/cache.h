/*
 * cache: the rendered files of documents kept between builds, so that a
 * build renders again only the documents whose inputs changed.
 *
 * An entry is keyed by a SHA-256 that the render stage computes from
 * everything a document's pages are made of (render_cache.c); it holds
 * the document's output files, as hard links of the files the build wrote
 * into its staging tree (so keeping them costs no copy), and the page
 * counts of the build summary. Entries not used by a successful build are
 * removed at its end: the cache holds one site's output, not a history.
 *
 * Layout, for the output directory PARENT/NAME (default
 * PARENT/.paraphe-cache/NAME, see config.h):
 *   DIR/docs/KEY/index     "paraphe-cache 1" and the counts, then one line
 *                          per file: size, mtime (s, ns) and output path
 *   DIR/docs/KEY/0, 1…     the files, in the order of index
 *   DIR/docs/KEY/note      bytes the renderer keeps with the entry (what
 *                          the site-wide files need of the document)
 *   DIR/spare/             the previous output, kept for reuse (output.h)
 * The parent .paraphe-cache/ holds a .gitignore that ignores it all.
 *
 * A file is checked (size and modification time) before it is used: an
 * output file edited in place (it shares the entry's inode) makes its
 * entry a miss, never a wrong page.
 *
 * Threads: cache_fetch and cache_store may run on several workers at once
 * (for different keys).
 */
#ifndef PARAPHE_CACHE_H
#define PARAPHE_CACHE_H

#include <stddef.h>

struct buf;
struct output;

/* The build counts an entry restores: pages, versions, changes pages and
 * files copied (render_stats). */
struct cache_counts {
	int pages, versions, changes, resources;
};

struct cache;

/* Opens the cache directory dir, creating it (and the .gitignore of its
 * parent) as needed. Returns NULL after reporting (the build then goes on
 * without the cache). */
struct cache *cache_open(const char *dir);
/* The path where the output keeps its previous tree (output_begin_reuse). */
const char *cache_spare(const struct cache *c);
/* Looks key (64 hex digits) up: on a hit, links the entry's files into out
 * (output_link), fills counts, appends the entry's note to note and
 * returns 1; returns 0 on a miss (an entry that fails its check is
 * removed), -1 after reporting a failure of out. */
int cache_fetch(struct cache *c, const char *key, struct output *out,
                struct cache_counts *counts, struct buf *note);
/* Keeps the n files rels, which this build wrote into out, and the note
 * (len bytes) as the entry key. A failure only costs the entry (reported
 * with -v). */
void cache_store(struct cache *c, const char *key, struct output *out,
                 char *const *rels, size_t n, const struct cache_counts *counts,
                 const char *note, size_t len);
/* After a successful build (keep_only_used), removes the entries that
 * this build neither fetched nor stored; then frees c. NULL is safe. */
void cache_close(struct cache *c, int keep_only_used);

#endif
