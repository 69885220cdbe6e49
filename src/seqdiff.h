/*
 * seqdiff: the difference between two sequences of tokens, computed by
 * libgit2's xdiff (the engine of git diff and git diff --word-diff), so
 * that paraphe has no diff algorithm of its own. Implemented in
 * history_xdiff.c, part of the git-facing history module: the only files
 * that include git2.h.
 *
 * Tokens are compared as strings, byte for byte. The result is a list of
 * runs that cover both sequences in order: an equal run advances both, a
 * delete run the old one, an insert run the new one; where tokens are
 * replaced, the delete run comes first.
 */
#ifndef PARAPHE_SEQDIFF_H
#define PARAPHE_SEQDIFF_H

#include <stddef.h>

enum seqdiff_op { SEQDIFF_EQUAL, SEQDIFF_DELETE, SEQDIFF_INSERT };

/* The algorithm xdiff runs (libgit2 does not expose histogram). */
enum seqdiff_algo {
	SEQDIFF_MYERS,   /* git's default, with its speed heuristics */
	SEQDIFF_MINIMAL, /* Myers, searching for the smallest script */
	SEQDIFF_PATIENCE /* unique common tokens first, then Myers */
};

/* n tokens from a[a] (equal, delete) and/or b[b] (equal, insert). */
struct seqdiff_run {
	enum seqdiff_op op;
	size_t a, b, n;
};

/*
 * Compares a (na tokens) with b (nb tokens); tokens may hold any bytes
 * but NUL. Stores in *runs a malloc'd array that the caller frees (NULL
 * when both are empty) and returns the number of runs. Never fails: when
 * libgit2 does, the whole of a is deleted and the whole of b inserted.
 * Thread-safe.
 */
size_t seqdiff(const char *const *a, size_t na, const char *const *b, size_t nb,
               enum seqdiff_algo algo, struct seqdiff_run **runs);

#endif
