/*
 * pool: runs independent jobs on worker threads (-j N). A job is an index
 * in [0, n); each call of the job function also gets its worker's number,
 * so that callers keep per-worker state (a Lua state is not thread-safe:
 * one per worker). Jobs are handed out in index order; what a job writes
 * must not depend on which worker runs it, so that the build's output is
 * the same for any N.
 */
#ifndef PARAPHE_POOL_H
#define PARAPHE_POOL_H

#include <stddef.h>

typedef void pool_fn(size_t job, int worker, void *arg);

/* Runs fn(job, worker, arg) for every job in [0, n) on min(workers, n)
 * threads (the calling thread is worker 0) and returns when all are done.
 * workers < 1 counts as 1. Failing to start a thread is not fatal: the
 * remaining workers do the jobs. */
void pool_run(int workers, size_t n, pool_fn *fn, void *arg);

#endif
