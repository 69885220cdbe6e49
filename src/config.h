/*
 * config: site.yaml and the command-line flags into one struct config.
 * Flags win over the file; every key has a default (SPEC §1).
 *
 * main.c changes to the site root (-C) before calling config_load, so every
 * path here is relative to the current directory.
 */
#ifndef PARAPHE_CONFIG_H
#define PARAPHE_CONFIG_H

#include <stddef.h>

struct value;

enum history_mode { HISTORY_GIT, HISTORY_NONE };

struct config {
	char *title; /* site title; default: the directory name of the root */
	char *base_url; /* "" when unset; never ends with "/" */
	char *language; /* default "fr" */
	char *content;  /* content directory, default "content" */
	char *output;   /* output directory, default "public" */
	char *theme;    /* default "default" */
	char *cache;    /* the cache of rendered documents (cache.h), default
	                   PARENT/.paraphe-cache/NAME for the output PARENT/NAME;
	                   NULL with --no-cache */
	int drafts, strict, unsafe_html;
	enum history_mode history;
	int jobs; /* >= 1; default: the number of online cores */
	int quiet, verbose;
	size_t limit_memory;          /* bytes per Lua state, default 256 MiB */
	long long limit_instructions; /* per hook call, default 100000000 */
	struct value
	    *data; /* the whole site.yaml map (an empty map without
	              the file), for templates and hooks as site.config */
};

/* What the command line said. NULL strings and negative ints mean "not
 * given", so the file's value (or the default) applies. */
struct config_flags {
	const char *title, *base_url, *content, *output, *theme, *history;
	int drafts, strict, unsafe_html, jobs, quiet, verbose, no_cache;
};

void config_flags_init(struct config_flags *f);
/* Reads ./site.yaml when it exists, applies the flags, checks the values.
 * Returns 0, or -1 after reporting diagnostics ("site.yaml:3:8: error:
 * 'jobs' must be a positive integer"). Unknown keys are kept in data (themes
 * and hooks may use them) without a diagnostic. On failure cfg is still safe
 * to pass to config_free. */
int config_load(struct config *cfg, const struct config_flags *flags);
void config_free(struct config *cfg);

#endif
