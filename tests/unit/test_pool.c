/*
 * Unit tests of pool: every job runs exactly once, on a valid worker, for
 * any number of workers.
 */
#include <pthread.h>
#include <stdlib.h>

#include "pool.h"
#include "test.h"

struct tally {
	int *runs;
	int workers;
	int bad_worker;
	pthread_mutex_t lock;
};

static void count(size_t job, int worker, void *arg)
{
	struct tally *t = arg;

	pthread_mutex_lock(&t->lock);
	t->runs[job]++;
	if (worker < 0 || worker >= t->workers)
		t->bad_worker = 1;
	pthread_mutex_unlock(&t->lock);
}

static void check_run(int workers, size_t n)
{
	struct tally t = {calloc(n + 1, sizeof(int)), workers < 1 ? 1 : workers,
	                  0, PTHREAD_MUTEX_INITIALIZER};
	int once = 1;

	pool_run(workers, n, count, &t);
	for (size_t i = 0; i < n; i++)
		if (t.runs[i] != 1)
			once = 0;
	CHECK(once);
	CHECK(!t.bad_worker);
	free(t.runs);
}

static void test_every_job_once(void)
{
	check_run(1, 1000);
	check_run(2, 1000);
	check_run(8, 1000);
	check_run(8, 3);  /* more workers than jobs */
	check_run(0, 10); /* at least one worker */
	check_run(4, 0);  /* nothing to do */
}

int main(void)
{
	RUN(test_every_job_once);
	TEST_END();
}
