/*
 * fs: small file-system helpers shared by the stages: reading a file with
 * a size limit, joining paths, removing a directory tree.
 */
#ifndef PARAPHE_FS_H
#define PARAPHE_FS_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"

/* Reads the whole regular file at path into out (appending). When max > 0
 * and the file is larger, reads nothing and fails with errno EFBIG.
 * Returns 0, or -1 with errno set. */
int fs_read(const char *path, size_t max, struct buf *out);
/* 1 when path is an existing directory, else 0. */
int fs_is_dir(const char *path);
/* Joins a and b with one "/" (a may be "" or "."); malloc'd. */
char *fs_join(const char *a, const char *b);
/*
 * Removes the directory root and everything under it. Never follows a
 * symbolic link: a link is removed, never its target, and a root that is
 * a link (or not a directory) is a failure. Iterative (no recursion), but
 * paths are built from root, so a tree deeper than PATH_MAX bytes fails
 * where the path gets too long. The first failure is reported at level
 * ("PATH: error: cannot remove: REASON", PATH the directory that could not
 * be emptied or removed) and stops the removal, leaving the rest. Returns
 * 0, or -1 after reporting.
 */
int fs_remove_tree(const char *root, enum diag_level level);

#endif
