/*
 * fs: small file-system helpers shared by the stages that read files.
 */
#ifndef PARAPHE_FS_H
#define PARAPHE_FS_H

#include <stddef.h>

#include "buf.h"

/* Reads the whole regular file at path into out (appending). When max > 0
 * and the file is larger, reads nothing and fails with errno EFBIG.
 * Returns 0, or -1 with errno set. */
int fs_read(const char *path, size_t max, struct buf *out);
/* 1 when path is an existing directory, else 0. */
int fs_is_dir(const char *path);
/* Joins a and b with one "/" (a may be "" or "."); malloc'd. */
char *fs_join(const char *a, const char *b);

#endif
