/*
 * history_tree: the files a commit changed in the content directory.
 *
 * The two trees are walked side by side in git's entry order, and a
 * sub-tree whose object id did not change is never opened: the cost is the
 * size of the directories on the changed paths, like git's own tree diff.
 * (libgit2's git_diff_tree_to_tree reads every entry under the pathspec;
 * with thousands of bundles that is thousands of entries per commit.)
 * Only a commit that both adds and deletes files can hold renames; for
 * those, libgit2's diff restricted to exactly these paths, with
 * git_diff_find_similar, pairs them.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "history_int.h"
#include "xalloc.h"

/* Deeper sub-trees are not walked: scan never makes documents that deep. */
#define TREE_MAX_DEPTH 128

struct change {
	char *path;
	git_delta_t status; /* GIT_DELTA_ADDED, _DELETED or _MODIFIED */
};

struct changes {
	git_repository *repo;
	struct change *v;
	size_t n, cap;
	size_t added, deleted;
	int failed;
};

static void record(struct changes *ch, const struct buf *path,
                   git_delta_t status)
{
	ch->v = xgrow(ch->v, &ch->cap, ch->n + 1, sizeof(*ch->v));
	ch->v[ch->n].path = xstrdup(path->data);
	ch->v[ch->n++].status = status;
	ch->added += status == GIT_DELTA_ADDED;
	ch->deleted += status == GIT_DELTA_DELETED;
}

static void compare(struct changes *ch, git_tree *a, git_tree *b,
                    struct buf *path, int depth);

/* The entry e of one side only: added (or deleted), with everything in
 * it when it is a tree. Submodules are not content. */
static void one_side(struct changes *ch, const git_tree_entry *e,
                     git_delta_t status, struct buf *path, int depth)
{
	git_tree *t = NULL;

	switch (git_tree_entry_type(e)) {
	case GIT_OBJECT_TREE:
		if (git_tree_lookup(&t, ch->repo, git_tree_entry_id(e)) < 0) {
			ch->failed = 1;
			return;
		}
		buf_putc(path, '/');
		if (status == GIT_DELTA_ADDED)
			compare(ch, NULL, t, path, depth + 1);
		else
			compare(ch, t, NULL, path, depth + 1);
		git_tree_free(t);
		break;
	case GIT_OBJECT_BLOB:
		record(ch, path, status);
		break;
	default:
		break;
	}
}

/* Entries of the same name on both sides. */
static void both_sides(struct changes *ch, const git_tree_entry *ea,
                       const git_tree_entry *eb, struct buf *path, int depth)
{
	git_tree *ta = NULL, *tb = NULL;
	git_object_t ka = git_tree_entry_type(ea), kb = git_tree_entry_type(eb);

	if (git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
	    git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb))
		return;
	if (ka == GIT_OBJECT_TREE && kb == GIT_OBJECT_TREE) {
		if (git_tree_lookup(&ta, ch->repo, git_tree_entry_id(ea)) < 0 ||
		    git_tree_lookup(&tb, ch->repo, git_tree_entry_id(eb)) < 0)
			ch->failed = 1;
		else {
			buf_putc(path, '/');
			compare(ch, ta, tb, path, depth + 1);
		}
		git_tree_free(ta);
		git_tree_free(tb);
	} else if (ka == GIT_OBJECT_BLOB && kb == GIT_OBJECT_BLOB)
		record(ch, path, GIT_DELTA_MODIFIED);
	else {
		one_side(ch, ea, GIT_DELTA_DELETED, path, depth);
		one_side(ch, eb, GIT_DELTA_ADDED, path, depth);
	}
}

/* Compares tree a (older) with b (newer), either NULL for none; path is
 * the repository path of both, ending with "/" (or empty). */
static void compare(struct changes *ch, git_tree *a, git_tree *b,
                    struct buf *path, int depth)
{
	size_t na = a ? git_tree_entrycount(a) : 0;
	size_t nb = b ? git_tree_entrycount(b) : 0;
	size_t i = 0, j = 0, len = path->len;

	if (depth > TREE_MAX_DEPTH)
		return;
	while (!ch->failed && (i < na || j < nb)) {
		const git_tree_entry *ea =
		    i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb =
		    j < nb ? git_tree_entry_byindex(b, j) : NULL;
		/* git's order: a tree sorts as if its name ended with "/" */
		int c = !ea ? 1 : !eb ? -1 : git_tree_entry_cmp(ea, eb);

		buf_puts(path, git_tree_entry_name(c <= 0 ? ea : eb));
		if (c == 0)
			both_sides(ch, ea, eb, path, depth);
		else
			one_side(ch, c < 0 ? ea : eb,
			         c < 0 ? GIT_DELTA_DELETED : GIT_DELTA_ADDED,
			         path, depth);
		i += c <= 0;
		j += c >= 0;
		buf_truncate(path, len);
	}
}

int ht_content(git_repository *repo, const char *spec, git_tree *root,
               git_tree **out)
{
	git_tree_entry *e = NULL;
	int err;

	*out = NULL;
	if (!root)
		return 0;
	if (!spec)
		return git_tree_dup(out, root);
	err = git_tree_entry_bypath(&e, root, spec);
	if (err == GIT_ENOTFOUND)
		return 0;
	if (err == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE)
		err = git_tree_lookup(out, repo, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return err < 0 ? -1 : 0;
}

/* Appends a change to out. */
static void put(struct hchanges *out, git_delta_t status, const char *old,
                const char *new_path)
{
	struct hchange *c;

	out->v = xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
	c = &out->v[out->n++];
	c->status = status;
	c->new_path = xstrdup(new_path);
	c->old = strcmp(old, new_path) ? xstrdup(old) : c->new_path;
}

void ht_changes_free(struct hchanges *c)
{
	for (size_t i = 0; i < c->n; i++) {
		if (c->v[i].old != c->v[i].new_path)
			free(c->v[i].old);
		free(c->v[i].new_path);
	}
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}

/* Pairs the added and deleted files of ch with libgit2's rename detection
 * (diffing exactly those paths); appends each resulting delta to out. */
static int find_renames(git_repository *repo, git_tree *pa, git_tree *pb,
                        const struct changes *ch, struct hchanges *out)
{
	git_diff_options o;
	git_diff_find_options fo;
	git_diff *diff = NULL;
	char **paths = xcalloc(ch->added + ch->deleted, sizeof(*paths));
	size_t n = 0;
	int ret = -1;

	for (size_t i = 0; i < ch->n; i++)
		if (ch->v[i].status != GIT_DELTA_MODIFIED)
			paths[n++] = ch->v[i].path;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
	o.pathspec.strings = paths;
	o.pathspec.count = n;
	o.flags = GIT_DIFF_DISABLE_PATHSPEC_MATCH | GIT_DIFF_IGNORE_SUBMODULES;
	fo.flags = GIT_DIFF_FIND_RENAMES;
	if (git_diff_tree_to_tree(&diff, repo, pa, pb, &o) < 0 ||
	    git_diff_find_similar(diff, &fo) < 0)
		goto out;
	n = git_diff_num_deltas(diff);
	for (size_t i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		put(out, d->status, d->old_file.path, d->new_file.path);
	}
	ret = 0;
out:
	git_diff_free(diff);
	free(paths);
	return ret;
}

int ht_changes(git_repository *repo, const char *spec, git_tree *pa,
               git_tree *pb, git_tree *a, git_tree *b, struct hchanges *out)
{
	struct changes ch = {repo, NULL, 0, 0, 0, 0, 0};
	struct buf path = BUF_INIT;
	int ret = -1;

	if ((!a && !b) ||
	    (a && b && git_oid_equal(git_tree_id(a), git_tree_id(b))))
		return 0;
	if (spec)
		buf_printf(&path, "%s/", spec);
	compare(&ch, a, b, &path, 0);
	if (ch.failed)
		goto out;
	for (size_t i = 0; i < ch.n; i++)
		if (ch.v[i].status == GIT_DELTA_MODIFIED || !ch.added ||
		    !ch.deleted)
			put(out, ch.v[i].status, ch.v[i].path, ch.v[i].path);
	if (ch.added && ch.deleted && find_renames(repo, pa, pb, &ch, out) < 0)
		goto out;
	ret = 0;
out:
	for (size_t i = 0; i < ch.n; i++)
		free(ch.v[i].path);
	free(ch.v);
	buf_free(&path);
	return ret;
}
