/*
 * embed: the built-in default theme and scripts, compiled into the binary.
 * embed.c is generated at build time by tools/embed.c from
 * themes/default/ and scripts/ of this repository.
 */
#ifndef PARAPHE_EMBED_H
#define PARAPHE_EMBED_H

#include <stddef.h>

struct embed_file {
	const char *path; /* e.g. "themes/default/templates/page.html" */
	const char *data; /* NUL-terminated (the NUL is not counted in len) */
	size_t len;
};

extern const struct embed_file embed_files[]; /* sorted by path */
extern const size_t embed_nfiles;

/* The embedded file at path, or NULL. */
const struct embed_file *embed_find(const char *path);

#endif
