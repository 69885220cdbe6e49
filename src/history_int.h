/*
 * history_int.h: what the files of the history module share (history.c,
 * history_map.c, history_commit.c, history_tree.c, history_versions.c,
 * history_read.c). Private: no other
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

/*
 * libgit2 objects are used by one thread at a time (its THREADING.md), a
 * git_repository included. The walk, on one thread, uses repo. Readers
 * (history_read, history_list, from any thread, after the walk) each
 * borrow a handle of their own on the same repository from the idle ones,
 * opening one more when none is idle: there are at most as many as threads
 * reading at once.
 */
struct history {
	git_repository *repo; /* the walk's */
	char *prefix;         /* site root in the repository: "" or "a/b/" */
	long long head_time;  /* HEAD's committer time */
	git_oid head;
	pthread_mutex_t lock; /* around the readers' handles below */
	pthread_cond_t given; /* a handle became idle */
	git_repository **idle;
	size_t nidle, capidle;
	size_t nreaders; /* handles lent to readers, idle or not */
	int open_failed; /* opening one more failed: wait for an idle one */
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
	long *conv; /* the documents they name (indices) */
	size_t nconv;
};

/* One commit that touched a document, and the document's source then
 * (relative to the site root) when a rename made it differ, else NULL. */
struct htouch {
	size_t commit; /* index in walk.commits */
	char *src;
};

/* The commits that touched one document, newest first. */
struct hdoc {
	struct htouch *touch;
	size_t n, cap;
	size_t stamp;   /* the walk's sequence number of the last commit that
	                   touched it */
	char *path;     /* its file (or bundle directory) in the repository at
	                   the commit being visited; NULL for a listing without
	                   a file */
	int moved;      /* path is not the working tree's any more */
	size_t present; /* the sequence number of the last commit whose
	                   changes showed its file (a bundle's index.md) in
	                   its tree: no need to look it up there */
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
	long *tmp;  /* the documents the current commit touched */
	size_t ntmp, captmp;
	char **renames; /* old and new paths of the current commit's renames */
	size_t nrenames, caprenames;
	char **fresh; /* files of documents committed nowhere yet */
	size_t nfresh;
	unsigned char *dirty; /* per document: uncommitted changes */
};

/* history.c: libgit2's message for its last error, or "unknown error". */
const char *history_git_error(void);

/* history_status.c: notes the files of documents that are new and the
 * documents with uncommitted changes (before the walk changes the map);
 * then reports them (after it). */
void history_read_status(struct walk *w);
void history_report_status(const struct walk *w);

/* history_map.c */
/* The document owning repository path: an exact file entry first, then
 * the nearest directory entry above it. *dirlen is 0 for an exact match,
 * else the length of the directory key. -1 when nothing owns it. */
long hmap_owner(const struct hmap *m, const char *path, size_t *dirlen);
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
/* Reads the message of c into hc: subject, trailers, Signature, Avenant,
 * Convention (the names only: hc->conv is resolved by hc_check). Reports
 * nothing. */
void hc_read(struct hcommit *hc, git_commit *c);
/* Checks the trailers of hc and resolves Convention names; reports errors
 * naming the commit and sets hc->bad. Returns 0 or -1. */
int hc_check(struct walk *w, struct hcommit *hc);
void hc_clear(struct hcommit *hc);

/* history_tree.c */
/* The tree of the content directory in root (root itself when the whole
 * repository is content), or NULL when root is NULL or has no content
 * directory. Returns 0, or -1 on a libgit2 failure. */
int ht_content(git_repository *repo, const char *spec, git_tree *root,
               git_tree **out);
/* One changed file: added, deleted, modified, or renamed (old != new). */
struct hchange {
	git_delta_t status;
	char *old, *new_path; /* the same string unless renamed */
};
struct hchanges {
	struct hchange *v;
	size_t n, cap;
};
/* Appends to out each file of the content directory (spec, or NULL for
 * the whole repository) that differs between the root trees pa (the
 * parent, NULL for none) and pb, whose content trees are a and b (from
 * ht_content): added, deleted, modified, or renamed (paired by libgit2's
 * similarity detection). Reads through repo only, so that commits can be
 * compared on several threads, each with its own handle. Returns 0, or
 * -1 on a libgit2 failure (not reported). */
int ht_changes(git_repository *repo, const char *spec, git_tree *pa,
               git_tree *pb, git_tree *a, git_tree *b, struct hchanges *out);
void ht_changes_free(struct hchanges *c);

/* history_chain.c */
/* One commit of HEAD's first-parent chain. */
struct hlink {
	git_oid id;
	struct hcommit hc;       /* its message (hc_read) */
	struct hchanges changes; /* the files it changed (ht_changes) */
	int failed;              /* the comparison failed */
};
/* HEAD's first-parent chain, newest first, into *links (*n of them):
 * each commit's message and changes, compared on the -j workers. Returns
 * 0, or -1 after reporting. Free with hchain_free. */
int hchain_read(struct walk *w, struct hlink **links, size_t *n);
void hchain_free(struct hlink *links, size_t n);

/* history_read.c: history_read and history_list live there, and: */
/* Frees the readers' handles (none may be in use). */
void hr_free(struct history *h);
/* A repository handle for the calling thread alone (hr_give it back). */
git_repository *hr_take(struct history *h);
void hr_give(struct history *h, git_repository *r);

/* history_versions.c */
/* Fills the versions of every document from w; returns 0 or -1 after
 * reporting errors. */
int hv_build(struct walk *w);

#endif
