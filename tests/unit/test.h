/*
 * A minimal unit-test harness. A test file defines static void functions
 * and lists them in main with RUN(fn); each prints one line, "PASS name" or
 * "FAIL name", which tests/run.sh counts. CHECK failures print the file,
 * line and expression and let the test go on.
 */
#ifndef PARAPHE_TEST_H
#define PARAPHE_TEST_H

#include <stdio.h>
#include <string.h>

static int test_failed_checks;
static int test_failed_tests;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
			        __LINE__, #cond);                              \
			test_failed_checks++;                                  \
		}                                                              \
	} while (0)

#define CHECK_STR(a, b)                                                        \
	do {                                                                   \
		const char *check_a_ = (a), *check_b_ = (b);                   \
		if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_)) {    \
			fprintf(stderr,                                        \
			        "%s:%d: check failed: %s == %s\n  got:      " \
			        "\"%s\"\n  expected: \"%s\"\n",                \
			        __FILE__, __LINE__, #a, #b,                    \
			        check_a_ ? check_a_ : "(null)",                \
			        check_b_ ? check_b_ : "(null)");               \
			test_failed_checks++;                                  \
		}                                                              \
	} while (0)

/* Substring check: haystack contains needle. */
#define CHECK_HAS(hay, needle)                                                 \
	do {                                                                   \
		const char *check_h_ = (hay), *check_n_ = (needle);            \
		if (!check_h_ || !strstr(check_h_, check_n_)) {                \
			fprintf(stderr,                                        \
			        "%s:%d: check failed: \"%s\" not in:\n%s\n",   \
			        __FILE__, __LINE__, check_n_,                  \
			        check_h_ ? check_h_ : "(null)");               \
			test_failed_checks++;                                  \
		}                                                              \
	} while (0)

#define RUN(fn)                                                                \
	do {                                                                   \
		int before_ = test_failed_checks;                              \
		fn();                                                          \
		if (test_failed_checks == before_)                             \
			printf("PASS %s\n", #fn);                              \
		else {                                                         \
			printf("FAIL %s\n", #fn);                              \
			test_failed_tests++;                                   \
		}                                                              \
		fflush(stdout);                                                \
	} while (0)

#define TEST_END() return test_failed_tests ? 1 : 0

#endif
