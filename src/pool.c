/*
 * pool: worker threads over a shared job counter (see pool.h). The counter
 * is the only shared state, behind one mutex: jobs are whole documents, so
 * handing one out costs nothing next to running it.
 */
#include "pool.h"

#include <pthread.h>
#include <stdlib.h>

#include "xalloc.h"

struct pool {
	pthread_mutex_t lock;
	size_t next, n;
	pool_fn *fn;
	void *arg;
};

struct worker {
	struct pool *pool;
	int id;
};

/* Takes the next job; returns 0 when there is none left. */
static int take(struct pool *p, size_t *job)
{
	int ok;

	pthread_mutex_lock(&p->lock);
	ok = p->next < p->n;
	if (ok)
		*job = p->next++;
	pthread_mutex_unlock(&p->lock);
	return ok;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	size_t job;

	while (take(w->pool, &job))
		w->pool->fn(job, w->id, w->pool->arg);
	return NULL;
}

void pool_run(int workers, size_t n, pool_fn *fn, void *arg)
{
	struct pool p = {PTHREAD_MUTEX_INITIALIZER, 0, n, fn, arg};
	struct worker *ws;
	pthread_t *threads;
	int started = 0;

	if (workers < 1)
		workers = 1;
	if ((size_t)workers > n)
		workers = n ? (int)n : 1;
	ws = xcalloc((size_t)workers, sizeof(*ws));
	threads = xcalloc((size_t)workers, sizeof(*threads));
	for (int i = 0; i < workers; i++) {
		ws[i].pool = &p;
		ws[i].id = i;
	}
	for (int i = 1; i < workers; i++)
		if (pthread_create(&threads[started], NULL, work, &ws[i]) == 0)
			started++;
	work(&ws[0]);
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	pthread_mutex_destroy(&p.lock);
	free(threads);
	free(ws);
}
