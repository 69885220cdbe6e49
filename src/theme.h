/*
 * theme: the files of a theme, the site's themes/NAME/ layered file by file
 * over the built-in default theme (embed.h).
 */
#ifndef PARAPHE_THEME_H
#define PARAPHE_THEME_H

#include <stddef.h>

struct theme_file {
	char *name;   /* relative to the theme dir: "templates/page.html" */
	char *origin; /* for diagnostics: "themes/x/templates/page.html" (a
	                 site file) or "themes/default/templates/page.html"
	                 (built in) */
	char *data;   /* contents, NUL-terminated */
	size_t len;
};

struct theme {
	struct theme_file *files; /* sorted by name, names unique */
	size_t nfiles;
};

/* Loads theme name: files of ./themes/NAME/ (templates/ and static/, hidden
 * files skipped) override the built-in default's files of the same name.
 * A name other than "default" without ./themes/NAME/ is an error. Returns 0,
 * or -1 after reporting a diagnostic. */
int theme_load(struct theme *t, const char *name);
const struct theme_file *theme_find(const struct theme *t, const char *name);
void theme_free(struct theme *t);

#endif
