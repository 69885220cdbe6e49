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

struct document;
struct page;
struct script;
struct version;

/* The data files of one bundle at one commit ("" for the working tree). */
struct derive_data {
	const struct document *bundle;
	char commit[41];
	struct value *data; /* map: file stem -> parsed contents */
};

struct derive {
	struct script *lua;
	derive_read_fn *read;
	void *read_ctx;
	struct derive_data *cache;
	size_t ncache, cap;
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

/* derive_model.c: the page table of a view (the caller frees). */
struct value *derive_page_value(struct derive *dv, const struct derive_view *v);
/* The site table: {title, language, base_url, config, reference_date,
 * pages}, one entry per document with a page. */
struct value *derive_site_value(const struct site *site,
                                const struct config *cfg);

#endif
