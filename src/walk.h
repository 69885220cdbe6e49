/*
 * walk: a module of the scan stage. The content directory read from disk
 * into a tree of kept entries, applying the containment rules: what must
 * not be published never enters the tree, so scan.c only classifies.
 */
#ifndef PARAPHE_WALK_H
#define PARAPHE_WALK_H

#include <stddef.h>

/* One entry kept by walk_read. */
struct walk_node {
	char *name;      /* as on disk */
	char *src;       /* relative to the site root; "" for content "." */
	const char *rel; /* relative to the content directory (into src) */
	int is_dir;
	int has_page;           /* directory: a *.md file in it or below */
	struct walk_node *kids; /* sorted by name (bytes) */
	size_t nkids;
};

/*
 * Reads the directory content (relative to the site root, the current
 * directory; "." for the root itself, without "./" in front or "/"
 * behind) into *root, which it fills from zero. Left out, never opened:
 * hidden names (".git" among them), the directory output (recognised by
 * device and inode, whatever its spelling; may be NULL), and when content
 * is the site root, its site.yaml, themes/ and scripts/ (they belong to
 * the site, SPEC §1); symbolic links that dangle, leave the site, lead to
 * a hidden file or to a directory (links are never followed into
 * directories, so no loops); anything that is neither a regular file nor a
 * directory (a fifo would hang). Warnings say what was left out and why;
 * the quiet cases (hidden names, the output, the site's own files) are -v
 * notes.
 *
 * Returns 0, or -1 after an error that leaves nothing to read (no content
 * directory, no site root). Errors deeper down (an unreadable directory, a
 * path too long or nested too deep) are reported and leave the tree usable:
 * the caller compares diag_errors(). Free with walk_free in both cases.
 */
int walk_read(struct walk_node *root, const char *content, const char *output);
/* Frees what root holds (not root itself). */
void walk_free(struct walk_node *root);

/* The file kid of n called name, or NULL. */
const struct walk_node *walk_find_file(const struct walk_node *n,
                                       const char *name);
/* 1 when name is a page's source: "*.md" with a non-empty stem. */
int walk_is_md(const char *name);

#endif
