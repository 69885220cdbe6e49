/*
 * Helpers shared by the unit tests that build fixture trees on disk.
 * Include after test.h (they CHECK). static inline, so a test that uses
 * none of them does not warn.
 */
#ifndef PARAPHE_TESTUTIL_H
#define PARAPHE_TESTUTIL_H

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "test.h"

/* Writes text to path, making its parent directories. */
static inline void test_put(const char *path, const char *text)
{
	char dir[PATH_MAX];
	char *p;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", path);
	for (p = strchr(dir, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

#endif
