/*
 * history_int.h: what the files of the history module share (history.c,
 * history_map.c, history_commit.c, history_versions.c). Private: no other
 * module includes it, so git2.h stays inside history.
 *
 * The walk goes newest first along HEAD's first parents. Each commit that
 * changes a document (or names one with "Convention:") becomes a struct
 * hcommit; each document collects the indices of the commits that touched
 * it (struct hdoc). history_versions.c then turns those lists, read oldest
 * first, into struct version arrays.
 */
#ifndef PARAPHE_HISTORY_INT_H
#define PARAPHE_HISTORY_INT_H

#include <git2.h>
#include <pthread.h>
#include <stddef.h>

struct config;
struct site;
struct value;
struct document;

struct history {
	git_repository *repo;
	char *prefix;        /* site root in the repository: "" or "a/b/" */
	long long head_time; /* HEAD's committer time */
	git_oid head;
	pthread_mutex_t lock; /* around libgit2 calls of history_read/list */
};

/* Path → document index, open addressing. Exact file paths and bundle
 * directories are kept apart by the is_dir flag of each entry. A doc of
 * -1 is a cleared entry (a path that held the document only later). */
struct hmap_entry {
	char *key;
	size_t hash;
	long doc;
	int is_dir;
};

struct hmap {
	struct hmap_entry *e;
	size_t cap, n; /* cap is 0 or a power of two */
};

/* A commit that changed at least one document, or named one. */
struct hcommit {
	char id[41];
	char *subject;          /* first line, valid UTF-8 */
	char *date;             /* committer date, UTC, YYYY-MM-DD */
	long long time;         /* committer time */
	struct value *trailers; /* map, never NULL */
	char *signature;        /* the Signature date when valid, else NULL */
	int avenant;            /* the Avenant number, 0 without one */
	int bad;                /* a malformed trailer was reported */
	char *dup_key;          /* a trailer given twice, differently */
	char **conv_names;      /* the Convention trailer values */
	size_t nconv_names;
	long *conv;             /* the documents they name (indices) */
	size_t nconv;
};

/* The commits that touched one document, newest first. */
struct hdoc {
	size_t *touch;
	size_t n, cap;
	size_t stamp; /* 1 + index of the last commit that touched it */
};

struct walk {
	struct history *h;
	struct site *site;
	const struct config *cfg;
	struct hmap files; /* repository path → owner */
	struct hmap names; /* Convention names → document (-2: ambiguous) */
	int names_built;
	struct hdoc *docs; /* parallel to site->docs */
	struct hcommit *commits;
	size_t ncommits, capcommits;
	char *spec; /* the content directory in the repository, or NULL */
};

/* history_map.c */
void hmap_set(struct hmap *m, const char *key, size_t len, int is_dir,
              long doc);
/* The document owning repository path: an exact file entry first, then
 * the nearest directory entry above it. *dirlen is 0 for an exact match,
 * else the length of the directory key. -1 when nothing owns it. */
long hmap_owner(const struct hmap *m, const char *path, size_t *dirlen);
/* The entry for (key, len, is_dir), or NULL. */
struct hmap_entry *hmap_find(const struct hmap *m, const char *key,
                             size_t len, int is_dir);
void hmap_free(struct hmap *m);
/* Fills w->files from the documents of w->site (see history_map.c). */
void hmap_build_files(struct walk *w);
/* Changes the map after a rename old → new_path, found newest first, so
 * that older commits map old's path to the same document. */
void hmap_carry_rename(struct walk *w, const char *old, const char *new_path);
/* The document named by a Convention trailer value, -1 when none, -2 when
 * several. */
long hmap_convention(struct walk *w, const char *name);

/* history_commit.c */
/* Valid UTF-8 copy of (s, n): invalid bytes become U+FFFD, control
 * characters other than tab become spaces. latin1: the message declares
 * ISO-8859-1, bytes are converted instead of replaced. */
char *hc_sanitise(const char *s, size_t n, int latin1);
/* Reads the message of c into hc: subject, trailers, Signature, Avenant,
 * Convention (the names only: hc->conv is resolved by hc_check). Reports
 * nothing. */
void hc_read(struct hcommit *hc, git_commit *c);
/* Checks the trailers of hc and resolves Convention names; reports errors
 * naming the commit and sets hc->bad. Returns 0 or -1. */
int hc_check(struct walk *w, struct hcommit *hc);
void hc_clear(struct hcommit *hc);
/* 1 when (s, n) is a real date written YYYY-MM-DD. */
int hc_valid_date(const char *s, size_t n);

/* history_versions.c */
/* Fills the versions of every document from w; returns 0 or -1 after
 * reporting errors. */
int hv_build(struct walk *w);

#endif
