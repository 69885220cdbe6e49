/*
 * load_int: what the files of the load stage share (load.c: the working
 * tree; load_versions.c: the versions from git). Private to the stage.
 */
#ifndef PARAPHE_LOAD_INT_H
#define PARAPHE_LOAD_INT_H

#include <stddef.h>

struct config;
struct document;
struct history;
struct page;
struct site;

/*
 * The work of a load stage on the pool (-j): one job per document, which
 * writes only that document (and its versions). Per document, a failure
 * flag and the diagnostics the job captured, printed in document order
 * once every job is done: the messages of a build come out the same for
 * any number of workers.
 */
struct load_jobs {
	struct site *site;
	const struct config *cfg;
	struct history *h; /* NULL for the working tree */
	unsigned char *failed;
	char **diags;
	size_t *ndiags;
};

void load_jobs_init(struct load_jobs *j, struct site *site,
                    const struct config *cfg, struct history *h);
/* Runs fn on document i with its diagnostics captured. Without a memory
 * stream (out of memory) they go straight out, in any order. */
void load_run_captured(struct load_jobs *j, size_t i,
                       int (*fn)(struct load_jobs *, struct document *));
/* Prints the captured diagnostics in document order and frees the jobs;
 * returns -1 when a document failed. */
int load_jobs_finish(struct load_jobs *j);

/* Drops the body of p (and its tree) once loaded from file (the git blob
 * of that id in repo, or the working tree's file when blob is NULL):
 * load_parse reads it again. */
void load_keep_source(struct page *p, const char *file, const char *blob,
                      struct history *repo);
/* A sub-page of a bundle is outside its signed text when it is a bilan or
 * says "signe: false" (SPEC §3). */
int load_outside_signed(const struct page *p);

#endif
