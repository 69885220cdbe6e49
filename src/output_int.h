/*
 * output_int: what output.c (staging, lock, swap) and output_reuse.c
 * (reusing the previous output as the staging tree, links to and from
 * the cache) share. Private to the output stage.
 */
#ifndef PARAPHE_OUTPUT_INT_H
#define PARAPHE_OUTPUT_INT_H

#include <pthread.h>
#include <stddef.h>

#include "output.h"

#define MARKER ".paraphe"
#define STAGING_MARKER ".paraphe-staging"
#define REL_MAX 1024 /* longest output path accepted, in bytes */

/* The paths written by this build, when the staging tree is reused (it
 * then holds files of an older build: a path claimed twice is a path
 * written twice, and unclaimed paths are pruned before the swap). */
struct output_claims {
	pthread_mutex_t lock;
	char **slots; /* open addressing, NULL for empty */
	size_t cap, len;
};

struct output {
	char *dir;     /* the output directory, trailing slashes removed */
	char *staging; /* PARENT/.NAME.paraphe-staging */
	char *trash;   /* PARENT/.NAME.paraphe-old: the previous output */
	char *lock;    /* PARENT/.NAME.paraphe-lock */
	char *spare;   /* where the previous output is kept for reuse, or
	                  NULL (output_begin_reuse) */
	int lock_fd;
	int staging_fd; /* open on staging until the commit */
	int reusing;    /* the staging tree is an older output */
	struct output_claims claims;
};

const char *output_errstr(int err, char *tmp, size_t n);
void output_io_error(const char *file, const char *what, int err);
void output_staging_error(const struct output *o, const char *rel,
                          const char *what, int err);
/* 1 when dir/name exists and is a regular file (not a link), else 0. */
int output_has_file(const char *dir, const char *name);
/* Reports and returns -1 when rel cannot be an output path. */
int output_check_rel(const char *rel);
/* Creates the directories above rel inside staging (EEXIST is done). */
int output_make_parents(const struct output *o, const char *rel);
/* output_write without the check of rel (the marker goes through here). */
int output_write_file(struct output *o, const char *rel, const char *data,
                      size_t len);
/* Writes all of p to fd; returns 0 or an errno value. */
int output_write_all(int fd, const char *p, size_t n);

/* output_reuse.c */
/* With o->spare set: takes the kept previous output as the staging tree
 * when there is one (o->reusing), removes a spare that is not ours.
 * Returns 0 when the caller must create a fresh staging directory, 1 when
 * it was adopted, -1 after reporting. */
int output_adopt_spare(struct output *o);
/* Claims rel for this build when reusing: returns 0, or -1 after
 * reporting that rel is written twice. Makes room for a new file at rel
 * (an older file or directory there is removed). */
int output_claim(struct output *o, const char *rel);
/* Removes from the staging tree everything this build did not claim. */
int output_prune(struct output *o);
/* After the swap: keeps the previous output (at trash) as o->spare. */
void output_keep_spare(struct output *o);
void output_claims_free(struct output_claims *c);

#endif
