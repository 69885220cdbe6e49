/*
 * load: each document's source text into a page: front matter split off
 * and parsed (yaml.c), Markdown parsed (markdown.c). The source is checked
 * first: size, binary content, Git LFS pointers, UTF-8.
 */
#ifndef PARAPHE_LOAD_H
#define PARAPHE_LOAD_H

#include <stddef.h>

struct config;
struct history;
struct document;
struct page;
struct site;

/* Largest Markdown source accepted, in bytes. */
#define LOAD_MAX_SIZE (10u * 1024 * 1024)

/*
 * Parses one source text (len bytes, need not be NUL-terminated) named
 * file in diagnostics. Returns a new page, or NULL after reporting every
 * problem found. name is the fallback title (the file or directory name).
 */
struct page *load_text(const char *file, const char *text, size_t len,
                       const char *name, const struct config *cfg);

/* The parsed body of p (p->md), parsing p->body on first use (and
 * dropping the leading title when load_text took it). A page is parsed
 * at load only when its first block may be its title; the stages that
 * need the tree call this, and may free it (markdown_free, md = NULL)
 * when they are done: it is parsed again from body when needed. */
struct markdown *load_markdown(struct page *p);
/* A tree of p's text of its own (the caller frees it), read again from
 * its file when load dropped the body; NULL for a page without text, or
 * after reporting that the file changed during the build. Reads nothing
 * of p that a stage changes: safe on another thread than p's. */
struct markdown *load_parse(const struct page *p);
/* Loads the working-tree text of d into d->page (a listing without
 * _index.md gets an empty page titled after its directory). Returns 0, or
 * -1 after reporting. */
int load_document(struct document *d, const struct config *cfg);

/* load_document for every document; returns -1 if any failed, after
 * loading all of them so that every problem is reported. */
int load_site(struct site *site, const struct config *cfg);

/*
 * Loads, from git, the text of every version of every document that has
 * versions (history_walk filled them): version.page, and for a bundle its
 * signed sub-pages at that commit (version.subpages). The current page of
 * a signed document, and of its signed sub-pages, is replaced by the text
 * of its last signed version; a sub-page not in that version is left
 * unpublished (page NULL). Returns 0, or -1 after reporting.
 */
int load_versions(struct site *site, const struct config *cfg,
                  struct history *h);

#endif
