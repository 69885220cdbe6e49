/*
 * history_chain: HEAD's first-parent chain read for the walk (history.c):
 * the commits, newest first, each with its message and the files it
 * changed in the content directory against its first parent.
 *
 * Following the parents is sequential and cheap; comparing the trees is
 * not, and each comparison depends on its two commits only, so the chain
 * is cut into runs of consecutive commits compared on the -j workers,
 * each with a repository handle of its own (hr_take). Inside a run each
 * tree is read once (a commit's trees are its child's parent side). The
 * walk then maps the changes to documents in chain order, on one thread,
 * as it did when it compared as it went.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "history_int.h"
#include "pool.h"
#include "xalloc.h"

/* Commits compared by one job: long enough that the tree read twice at
 * each cut costs nothing, short enough to share the work evenly. */
#define RUN_LEN 256

/* A commit's root tree and content tree (NULL when it has none). */
struct side {
	git_tree *root, *content;
};

static int side_read(git_repository *repo, const char *spec, const git_oid *id,
                     struct side *s)
{
	git_commit *c = NULL;
	int ret = git_commit_lookup(&c, repo, id) < 0 ||
	                  git_commit_tree(&s->root, c) < 0 ||
	                  ht_content(repo, spec, s->root, &s->content) < 0
	              ? -1
	              : 0;

	git_commit_free(c);
	return ret;
}

static void side_free(struct side *s)
{
	git_tree_free(s->root);
	git_tree_free(s->content);
	s->root = s->content = NULL;
}

/* The first parent of c in *parent (NULL for a root commit, or at the
 * boundary of a shallow clone). Returns -1 after an error. */
static int first_parent(git_commit *c, git_commit **parent, int shallow)
{
	char id[GIT_OID_HEXSZ + 1];

	*parent = NULL;
	if (git_commit_parentcount(c) == 0 ||
	    git_commit_parent(parent, c, 0) == 0)
		return 0;
	if (shallow)
		return 0;
	git_oid_tostr(id, sizeof(id), git_commit_id(c));
	diag_error(NULL, 0, 0, "cannot read the parent of commit %.7s: %s", id,
	           history_git_error());
	return -1;
}

/* Follows HEAD's first parents: the ids, newest first, and each commit's
 * message. Returns 0, or -1 after reporting. */
static int follow(struct walk *w, struct hlink **links, size_t *n)
{
	git_commit *c = NULL, *parent = NULL;
	int shallow = git_repository_is_shallow(w->h->repo) == 1, ret = 0;
	size_t cap = 0;

	if (git_commit_lookup(&c, w->h->repo, &w->h->head) < 0) {
		diag_error(NULL, 0, 0,
		           "cannot read the history of the git repository: "
		           "%s",
		           history_git_error());
		return -1;
	}
	while (c) {
		struct hlink *l;

		*links = xgrow(*links, &cap, *n + 1, sizeof(**links));
		l = &(*links)[(*n)++];
		memset(l, 0, sizeof(*l));
		git_oid_cpy(&l->id, git_commit_id(c));
		hc_read(&l->hc, c);
		if (first_parent(c, &parent, shallow) < 0)
			ret = -1;
		git_commit_free(c);
		c = ret < 0 ? NULL : parent;
		if (ret < 0)
			git_commit_free(parent);
		parent = NULL;
	}
	return ret;
}

struct compare_jobs {
	struct walk *w;
	struct hlink *links;
	size_t n;
};

/* Compares the commits of run k (RUN_LEN of them) with their parents. */
static void compare_run(size_t k, int worker, void *arg)
{
	struct compare_jobs *j = arg;
	git_repository *repo = hr_take(j->w->h);
	const char *spec = j->w->spec;
	size_t first = k * RUN_LEN, end = first + RUN_LEN;
	struct side cur = {NULL, NULL}, par = {NULL, NULL};

	(void)worker;
	if (end > j->n)
		end = j->n;
	if (side_read(repo, spec, &j->links[first].id, &cur) < 0)
		j->links[first].failed = 1;
	for (size_t i = first; i < end && !j->links[i].failed; i++) {
		struct hlink *l = &j->links[i];

		/* the last commit of the chain has no parent (a root, or the
		 * boundary of a shallow clone): compared with nothing */
		if (i + 1 < j->n &&
		    side_read(repo, spec, &j->links[i + 1].id, &par) < 0) {
			l->failed = 1;
			break;
		}
		if (ht_changes(repo, spec, par.root, cur.root, par.content,
		               cur.content, &l->changes) < 0) {
			l->failed = 1;
			break;
		}
		side_free(&cur);
		cur = par; /* each tree is read once */
		par.root = par.content = NULL;
	}
	side_free(&cur);
	side_free(&par);
	hr_give(j->w->h, repo);
}

int hchain_read(struct walk *w, struct hlink **links, size_t *n)
{
	struct compare_jobs j = {w, NULL, 0};
	int ret;

	*links = NULL;
	*n = 0;
	ret = follow(w, links, n);
	j.links = *links;
	j.n = *n;
	if (ret == 0 && *n)
		pool_run(w->cfg->jobs, (*n + RUN_LEN - 1) / RUN_LEN,
		         compare_run, &j);
	for (size_t i = 0; ret == 0 && i < *n; i++)
		if ((*links)[i].failed) {
			diag_error(NULL, 0, 0, "cannot diff commit %.7s",
			           (*links)[i].hc.id);
			ret = -1;
		}
	return ret;
}

void hchain_free(struct hlink *links, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		hc_clear(&links[i].hc);
		ht_changes_free(&links[i].changes);
	}
	free(links);
}
