/*
 * output: every output file goes into a staging directory beside the
 * output directory; the staging directory replaces the output only when
 * the whole build succeeded (SPEC §9).
 *
 * For an output directory "public":
 *   public/.paraphe            the marker file, written last into staging
 *   .public.paraphe-lock       the lock (flock), beside the output
 *   .public.paraphe-staging    the staging directory, beside the output
 * An existing output directory is replaced only when it is empty or holds
 * the marker; otherwise the build is refused and the directory left intact.
 */
#ifndef PARAPHE_OUTPUT_H
#define PARAPHE_OUTPUT_H

#include <stddef.h>

struct output;

/* Checks the output directory, takes the lock and creates a fresh staging
 * directory (removing a stale one left by a crashed build, if it holds the
 * marker of a staging directory). Returns NULL after reporting an error
 * (refused directory, lock held by another build, I/O failure). */
struct output *output_begin(const char *dir);
/* Writes data at rel (a relative path with "/" separators, no "..", no
 * leading "/") inside the staging directory, creating parent directories.
 * Writing the same rel twice is an error naming it. Thread-safe. Returns 0,
 * or -1 after reporting. Every write(2) and close(2) is checked. */
int output_write(struct output *o, const char *rel, const char *data,
                 size_t len);
/* Copies the regular file src (relative to the current directory) to rel;
 * same rules as output_write. */
int output_copy(struct output *o, const char *rel, const char *src);
/*
 * output_begin, keeping the previous output at spare (a directory path on
 * the output's file system, inside the cache) instead of removing it
 * after the swap, and taking a kept one as the staging tree: files of
 * the older output that this build links again (output_link) stay in
 * place, the others are replaced, and what this build does not write is
 * removed before the swap. spare NULL is output_begin.
 */
struct output *output_begin_reuse(const char *dir, const char *spare);
/* Puts the file name of the directory dirfd at rel, as a hard link (a
 * copy across file systems); same rules as output_write. The file must
 * never be modified afterwards (the output's files are never rewritten in
 * place). Thread-safe. Returns 0, or -1 after reporting. */
int output_link(struct output *o, const char *rel, int dirfd, const char *name);
/* Links the file rel, written by this build, as name in dirfd (a copy
 * across file systems). Returns 0, or -1 after reporting. */
int output_export(struct output *o, const char *rel, int dirfd,
                  const char *name);
/* Writes the marker, swaps the staging directory in place of the output
 * (the old output is removed only after the new one is in place), releases
 * the lock and frees o. Returns 0, or -1 after reporting (the previous
 * output is then still in place). */
int output_commit(struct output *o);
/* Removes the staging directory, releases the lock and frees o; the
 * previous output is untouched. NULL is safe. */
void output_abort(struct output *o);

#endif
