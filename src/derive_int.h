/*
 * derive_int: what the files of the derive stage share (derive.c: the
 * stage and its pages; derive_model.c: the page and site tables given to
 * hooks; derive_data.c: the scripts, the bundles' data files and CSV).
 * Private to the derive stage.
 */
#ifndef PARAPHE_DERIVE_INT_H
#define PARAPHE_DERIVE_INT_H

#include <stddef.h>

#include "derive.h"

struct buf;
struct config;
struct site;
struct value;
struct document;
struct markdown;
struct page;
struct script;
struct version;

/* The data files of one bundle at one commit ("" for the working tree). */
struct derive_data {
	const struct document *bundle;
	char commit[41];
	struct value *data; /* map: file stem -> parsed contents */
};

struct derive_lazy;

struct derive {
	struct script *lua;
	derive_read_fn *read;
	void *read_ctx;
	struct derive_data *cache;
	size_t ncache, cap;
	struct derive_lazy **lazy; /* the views of the pages processed */
	size_t nlazy, lazy_cap;
	void **site_docs; /* the document of each site.pages entry, */
	size_t nsite;     /* in the order on_site got them */
	struct derive_entry *by_doc; /* the same, sorted by address */
	struct derive **more; /* the states of workers 1.. (derive_site) */
	int nmore;
};

/* The entry of site.pages made from a document. */
struct derive_entry {
	const struct document *doc;
	size_t i;
};

/* What a page is, for the page table (see docs/hooks.md). */
struct derive_view {
	const struct document *doc;    /* the document (a bundle for its
	                                  version sub-pages) */
	struct page *page;             /* the text processed */
	const struct version *version; /* NULL for the current text */
	const char *src;               /* its source file */
	const char *path;              /* its output path */
	const char *name;              /* sub-page name of a version, or NULL */
};

/* A view kept, with its strings, as long as the page table that the
 * lazy fields of the page are built for (until derive_free). */
struct derive_lazy {
	struct derive *dv;
	struct derive_view v;
	char *src, *path, *name; /* what v's strings point at */
};

/* derive_add.c: makes documents of the entries of pages (site.pages
 * after on_site) that have added_by, then sorts site->docs again. */
void derive_add_pages(struct site *site, const struct config *cfg,
                      const struct value *pages);

/* derive_data.c: registers the built-in scripts and then the site's
 * scripts/ files in s, and appends the hook files' paths (sorted) to
 * hooks. Returns 0, or -1 after reporting. */
int derive_load_scripts(struct script *s, struct value *hooks);
/* The data map of bundle b (NULL: none, an empty map) at commit (NULL:
 * the working tree); dir is the bundle's directory then. Cached in dv;
 * never NULL. */
const struct value *derive_data_of(struct derive *dv, const struct document *b,
                                   const char *commit, const char *dir);
void derive_data_free(struct derive *dv);

/* derive_model.c: the page table of a view (the caller frees), without
 * its fields named in derive_lazy_fields (nil there, in their place),
 * which derive_page_field builds. The data files of the view are read
 * (and their errors reported) now all the same. */
struct value *derive_page_value(struct derive *dv, const struct derive_view *v);
/* The names of the fields of the page table built when first read:
 * versions, data, outline, blocks, text, tables, subpages
 * (NULL-terminated). */
extern const char *const derive_lazy_fields[];
/* script_field_fn of the page table: ctx is a struct derive_lazy. */
const struct value *derive_page_field(void *ctx, const char *name,
                                      struct value **tmp);
/* The site table: {title, language, base_url, config, reference_date,
 * pages}, one entry per document with a page, without its outline and versions
 * (derive_site_field builds it); dv->site_docs and dv->by_doc get the
 * entries' documents. */
struct value *derive_site_value(struct derive *dv, const struct site *site,
                                const struct config *cfg);
/* script_field_fn of the site.pages entries: ctx is the document. */
const struct value *derive_site_field(void *ctx, const char *name,
                                      struct value **tmp);
/* The index in site.pages of d's entry, or -1 when it has none. */
long derive_site_entry(const struct derive *dv, const struct document *d);

#endif
