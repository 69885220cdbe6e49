/*
 * history_read: files and directories of the site as they were at a
 * commit, read from git objects (see history.h). Each call borrows a
 * repository handle of its own for its libgit2 calls (history_int.h), so
 * that threads read at once; the mutex guards only the idle handles.
 *
 * A symbolic link entry is never followed (SPEC §9): history_read refuses
 * it, history_list leaves it out with a warning. Blobs larger than
 * HISTORY_MAX_BLOB are refused: a history is text and scans, not media.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "history.h"
#include "history_int.h"
#include "value.h"
#include "xalloc.h"

#define HISTORY_MAX_BLOB (10u * 1024 * 1024)
/* Directory depth history_list follows, like scan's limit. */
#define LIST_MAX_DEPTH 64

/* A handle on the repository for the calling thread alone: an idle one,
 * else a new one (opened like the walk's, from its work tree). When
 * opening fails (out of file descriptors, say), the walk's own handle
 * serves if none was opened (reads come after the walk), else the caller
 * waits for one in use to be given back. */
git_repository *hr_take(struct history *h)
{
	git_repository *r = NULL;

	pthread_mutex_lock(&h->lock);
	if (!h->nidle && !h->open_failed) {
		if (git_repository_open_ext(&r, git_repository_workdir(h->repo),
		                            GIT_REPOSITORY_OPEN_NO_SEARCH,
		                            NULL) < 0) {
			h->open_failed = 1;
			r = h->nreaders ? NULL : h->repo;
		}
		if (r)
			h->nreaders++;
	}
	while (!r && !h->nidle)
		pthread_cond_wait(&h->given, &h->lock);
	if (!r)
		r = h->idle[--h->nidle];
	pthread_mutex_unlock(&h->lock);
	return r;
}

void hr_give(struct history *h, git_repository *r)
{
	pthread_mutex_lock(&h->lock);
	h->idle = xgrow(h->idle, &h->capidle, h->nidle + 1, sizeof(*h->idle));
	h->idle[h->nidle++] = r;
	pthread_cond_signal(&h->given);
	pthread_mutex_unlock(&h->lock);
}

void hr_free(struct history *h)
{
	for (size_t i = 0; i < h->nidle; i++)
		if (h->idle[i] != h->repo)
			git_repository_free(h->idle[i]);
	free(h->idle);
	h->idle = NULL;
	h->nidle = h->capidle = h->nreaders = 0;
}

/* prefix + path without a trailing "/"; "." and "" are the site root. */
static char *repo_path(const struct history *h, const char *path)
{
	struct buf b = BUF_INIT;

	if (!strcmp(path, "."))
		path = "";
	buf_puts(&b, h->prefix);
	buf_puts(&b, path);
	while (b.len > 0 && b.data[b.len - 1] == '/')
		b.len--;
	if (b.data)
		b.data[b.len] = '\0';
	return buf_detach(&b);
}

/* The tree of commit (40 hex digits); reports about file and returns -1
 * when it cannot be read. */
static int commit_tree(git_repository *repo, const char *commit,
                       const char *file, git_tree **tree)
{
	git_commit *c = NULL;
	git_oid oid;
	int ret = -1;

	*tree = NULL;
	if (strlen(commit) != GIT_OID_HEXSZ || git_oid_fromstr(&oid, commit)) {
		diag_error(file, 0, 0, "'%s' is not a commit id", commit);
		return -1;
	}
	if (git_commit_lookup(&c, repo, &oid) < 0 ||
	    git_commit_tree(tree, c) < 0)
		diag_error(file, 0, 0, "cannot read commit %.7s: %s", commit,
		           history_git_error());
	else
		ret = 0;
	git_commit_free(c);
	return ret;
}

/* Why an entry of mode m is no file, or NULL when it is one. */
static const char *not_a_file(git_filemode_t m)
{
	switch (m) {
	case GIT_FILEMODE_BLOB:
	case GIT_FILEMODE_BLOB_EXECUTABLE:
		return NULL;
	case GIT_FILEMODE_LINK:
		return "a symbolic link";
	case GIT_FILEMODE_TREE:
		return "a directory";
	case GIT_FILEMODE_COMMIT:
		return "a submodule";
	default:
		return "not a file";
	}
}

int history_read(struct history *h, const char *commit, const char *path,
                 struct buf *out)
{
	return history_read_id(h, commit, path, out, NULL);
}

/* Appends the content of blob to out; 0, or -1 after reporting about
 * path (in kind id: a commit, or the blob itself) when it is too large. */
static int put_blob(git_blob *blob, const char *path, const char *kind,
                    const char *id, struct buf *out)
{
	if (git_blob_rawsize(blob) > HISTORY_MAX_BLOB) {
		diag_error(path, 0, 0, "'%s' is larger than %u MiB in %s %.7s",
		           path, HISTORY_MAX_BLOB / (1024 * 1024), kind, id);
		return -1;
	}
	buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	return 0;
}

int history_read_blob(struct history *h, const char *id, const char *path,
                      struct buf *out)
{
	git_repository *repo = hr_take(h);
	git_blob *blob = NULL;
	git_oid oid;
	int ret = -1;

	if (strlen(id) != GIT_OID_HEXSZ || git_oid_fromstr(&oid, id))
		diag_error(path, 0, 0, "'%s' is not an object id", id);
	else if (git_blob_lookup(&blob, repo, &oid) < 0)
		diag_error(path, 0, 0, "cannot read blob %.7s: %s", id,
		           history_git_error());
	else
		ret = put_blob(blob, path, "blob", id, out);
	git_blob_free(blob);
	hr_give(h, repo);
	return ret;
}

int history_read_id(struct history *h, const char *commit, const char *path,
                    struct buf *out, char id[41])
{
	git_repository *repo = hr_take(h);
	char *full = repo_path(h, path);
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	const char *why;
	int ret = -1, err;

	if (commit_tree(repo, commit, path, &tree) < 0)
		goto out;
	err = full[0] ? git_tree_entry_bypath(&e, tree, full) : GIT_ENOTFOUND;
	if (err == GIT_ENOTFOUND) {
		ret = 1;
		goto out;
	}
	if (err < 0) {
		diag_error(path, 0, 0, "cannot read '%s' in commit %.7s: %s",
		           path, commit, history_git_error());
		goto out;
	}
	why = not_a_file(git_tree_entry_filemode(e));
	if (why) {
		diag_error(path, 0, 0, "'%s' is %s in commit %.7s", path, why,
		           commit);
		goto out;
	}
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(e)) < 0) {
		diag_error(path, 0, 0, "cannot read '%s' in commit %.7s: %s",
		           path, commit, history_git_error());
		goto out;
	}
	if (put_blob(blob, path, "commit", commit, out) < 0)
		goto out;
	if (id)
		git_oid_tostr(id, 41, git_tree_entry_id(e));
	ret = 0;
out:
	git_blob_free(blob);
	git_tree_entry_free(e);
	git_tree_free(tree);
	hr_give(h, repo);
	free(full);
	return ret;
}

/* A file found by history_list: its path under the directory, then,
 * after its NUL, its blob id in hex. */
struct lister {
	git_repository *repo;
	const char *commit;
	const char *dir; /* as given, for diagnostics */
	char **paths;
	size_t n, cap;
	int ret;
};

/* Collects the files of tree under the relative path rel ("" or "a/"). */
static void list_tree(struct lister *l, const git_tree *tree, struct buf *rel,
                      int depth)
{
	size_t n = git_tree_entrycount(tree), len = rel->len;

	for (size_t i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		git_filemode_t m = git_tree_entry_filemode(e);
		git_tree *sub = NULL;

		if (name[0] == '.')
			continue; /* hidden files are never published */
		buf_truncate(rel, len);
		buf_puts(rel, name);
		if (m == GIT_FILEMODE_TREE && depth >= LIST_MAX_DEPTH) {
			diag_error(l->dir, 0, 0,
			           "'%s' is nested more than %d levels deep in "
			           "commit %.7s",
			           rel->data, LIST_MAX_DEPTH, l->commit);
			l->ret = -1;
		} else if (m == GIT_FILEMODE_TREE) {
			if (git_tree_lookup(&sub, l->repo,
			                    git_tree_entry_id(e)) < 0) {
				diag_error(
				    l->dir, 0, 0,
				    "cannot read '%s' in commit %.7s: %s",
				    rel->data, l->commit, history_git_error());
				l->ret = -1;
				continue;
			}
			buf_putc(rel, '/');
			list_tree(l, sub, rel, depth + 1);
			git_tree_free(sub);
		} else if (!not_a_file(m)) {
			char *p = xmalloc(rel->len + 1 + GIT_OID_HEXSZ + 1);

			memcpy(p, rel->data, rel->len + 1);
			git_oid_tostr(p + rel->len + 1, GIT_OID_HEXSZ + 1,
			              git_tree_entry_id(e));
			l->paths = xgrow(l->paths, &l->cap, l->n + 1,
			                 sizeof(*l->paths));
			l->paths[l->n++] = p;
		} else if (m == GIT_FILEMODE_LINK)
			diag_warning(
			    l->dir, 0, 0,
			    "'%s' is a symbolic link in commit %.7s, not "
			    "published",
			    rel->data, l->commit);
	}
	buf_truncate(rel, len);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The tree of dir (a repository path, "" for the root) in root. Returns
 * 0, 1 when there is no such directory, -1 on a libgit2 failure. */
static int dir_tree(git_repository *repo, git_tree *root, const char *dir,
                    git_tree **out)
{
	git_tree_entry *e = NULL;
	int err, ret = -1;

	*out = NULL;
	if (!dir[0])
		return git_tree_dup(out, root) < 0 ? -1 : 0;
	err = git_tree_entry_bypath(&e, root, dir);
	if (err == GIT_ENOTFOUND ||
	    (err == 0 && git_tree_entry_filemode(e) != GIT_FILEMODE_TREE))
		ret = 1;
	else if (err == 0 &&
	         git_tree_lookup(out, repo, git_tree_entry_id(e)) == 0)
		ret = 0;
	git_tree_entry_free(e);
	return ret;
}

int history_list(struct history *h, const char *commit, const char *dir,
                 struct value *names)
{
	return history_list_ids(h, commit, dir, names, NULL);
}

int history_list_ids(struct history *h, const char *commit, const char *dir,
                     struct value *names, struct value *ids)
{
	struct lister l = {hr_take(h), commit, dir, NULL, 0, 0, 0};
	struct buf rel = BUF_INIT;
	char *full = repo_path(h, dir);
	git_tree *root = NULL, *tree = NULL;
	int ret = -1, r;

	if (commit_tree(l.repo, commit, dir, &root) < 0)
		goto out;
	r = dir_tree(l.repo, root, full, &tree);
	if (r != 0) {
		if (r < 0)
			diag_error(dir, 0, 0,
			           "cannot read '%s' in commit %.7s: %s", dir,
			           commit, history_git_error());
		ret = r;
		goto out;
	}
	list_tree(&l, tree, &rel, 0);
	if (l.n)
		qsort(l.paths, l.n, sizeof(*l.paths), cmp_str);
	for (size_t i = 0; i < l.n; i++) {
		value_push(names, value_cstring(l.paths[i]));
		if (ids)
			value_push(ids, value_cstring(l.paths[i] +
			                              strlen(l.paths[i]) + 1));
	}
	ret = l.ret;
out:
	for (size_t i = 0; i < l.n; i++)
		free(l.paths[i]);
	free(l.paths);
	buf_free(&rel);
	git_tree_free(tree);
	git_tree_free(root);
	hr_give(h, l.repo);
	free(full);
	return ret;
}
