/*
 * history: versions from git (SPEC §3), the one module that includes
 * git2.h. This file opens the repository and walks it; history_map.c maps
 * paths to documents, history_commit.c reads messages and trailers,
 * history_versions.c makes the versions, history_read.c reads files at a
 * commit.
 *
 * The repository is opened without the user's global, XDG, system or
 * program-data configuration (their search paths are cleared), so that a
 * build depends on the repository alone. Each history_open takes a
 * reference on libgit2 (git_libgit2_init) and history_free gives it back
 * (git_libgit2_shutdown): libgit2 counts them, and frees its global state
 * when the last one goes.
 *
 * The walk goes once along HEAD's first parents, newest first (so that a
 * rename found in a commit tells which older path held the same document),
 * diffing each commit's tree against its first parent's, restricted to the
 * content directory, with rename detection (history_tree.c). A merge is diffed
 * against its first parent only, like `git log --first-parent`; the commits of
 * the merged branch are not versions. The chain is followed by hand rather than
 * with a git_revwalk (simplified to first parents it visits the same commits)
 * so that the boundary of a shallow clone, whose parent objects are missing,
 * ends the walk cleanly. Cost: one tree comparison per commit, which opens only
 * the directories on changed paths, and one map lookup per changed file;
 * nothing per document inside the loop.
 */
#include "history.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "fs.h"
#include "history_int.h"
#include "site.h"
#include "value.h"
#include "xalloc.h"

const char *history_git_error(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown error";
}

/* Takes a reference on libgit2 and clears the configuration search paths
 * (options are global: set again after every init, which may have been
 * the first). Objects are not re-hashed on every read, as git itself does
 * not: zlib's checksum still catches a damaged object, `git fsck` checks
 * hashes, and hashing each tree read doubled the time of a long walk. */
static void lib_init(void)
{
	static const int levels[] = {
	    GIT_CONFIG_LEVEL_PROGRAMDATA, GIT_CONFIG_LEVEL_SYSTEM,
	    GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL};

	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT,
	                 (size_t)0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
	                 (size_t)0);
	for (size_t i = 0; i < sizeof(levels) / sizeof(*levels); i++)
		git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, levels[i], "");
}

/* The site root relative to the work tree, "" or ending with "/"; NULL
 * when the site is not inside the work tree. */
static char *site_prefix(git_repository *repo)
{
	const char *wd = git_repository_workdir(repo);
	char *root = realpath(".", NULL),
	     *real = wd ? realpath(wd, NULL) : NULL;
	char *prefix = NULL;
	size_t n;

	if (!root || !real)
		goto out;
	n = strlen(real);
	if (!strcmp(root, real))
		prefix = xstrdup("");
	else if (n == 1 && root[0] == '/')
		prefix = xstrdup(root + 1); /* the work tree is "/" */
	else if (!strncmp(root, real, n) && root[n] == '/')
		prefix = xstrdup(root + n + 1);
	if (prefix && prefix[0]) {
		char *p = xmalloc(strlen(prefix) + 2);

		strcpy(p, prefix);
		strcat(p, "/");
		free(prefix);
		prefix = p;
	}
out:
	free(root);
	free(real);
	return prefix;
}

/* Opens the repository holding ".", reading HEAD; reports a warning and
 * returns -1 when the history cannot be read. */
static int open_repo(struct history *h)
{
	static const char *const fallback =
	    "pages are built from the working tree, without versions";
	git_commit *c = NULL;
	int err = git_repository_open_ext(&h->repo, ".", 0, NULL);

	if (err == GIT_ENOTFOUND) {
		diag_warning(NULL, 0, 0, "not a git repository: %s", fallback);
		return -1;
	}
	if (err == GIT_EOWNER) {
		diag_warning(NULL, 0, 0,
		             "the git repository is owned by another user, so "
		             "its history is not read: %s",
		             fallback);
		return -1;
	}
	if (err < 0 || git_repository_is_bare(h->repo)) {
		diag_warning(
		    NULL, 0, 0, "cannot open the git repository: %s: %s",
		    err < 0 ? history_git_error() : "it is bare", fallback);
		return -1;
	}
	h->prefix = site_prefix(h->repo);
	if (!h->prefix) {
		diag_warning(NULL, 0, 0,
		             "the site is not inside the work tree of its git "
		             "repository: %s",
		             fallback);
		return -1;
	}
	if (git_repository_head_unborn(h->repo) == 1) {
		diag_warning(NULL, 0, 0,
		             "the git repository has no commits yet: %s",
		             fallback);
		return -1;
	}
	if (git_reference_name_to_id(&h->head, h->repo, "HEAD") < 0 ||
	    git_commit_lookup(&c, h->repo, &h->head) < 0) {
		diag_warning(NULL, 0, 0,
		             "cannot read HEAD of the git repository: "
		             "%s: %s",
		             history_git_error(), fallback);
		return -1;
	}
	h->head_time = (long long)git_commit_time(c);
	git_commit_free(c);
	return 0;
}

struct history *history_open(const struct config *cfg)
{
	struct history *h;

	if (cfg->history == HISTORY_NONE) {
		diag_note(
		    NULL, 0, 0,
		    "history none: pages are built from the working tree, "
		    "without versions");
		return NULL;
	}
	lib_init();
	h = xcalloc(1, sizeof(*h));
	if (open_repo(h) < 0) {
		git_repository_free(h->repo);
		free(h->prefix);
		free(h);
		git_libgit2_shutdown();
		return NULL;
	}
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->given, NULL);
	return h;
}

void history_free(struct history *h)
{
	if (!h)
		return;
	hr_free(h);
	pthread_cond_destroy(&h->given);
	pthread_mutex_destroy(&h->lock);
	git_repository_free(h->repo);
	free(h->prefix);
	free(h);
	git_libgit2_shutdown();
}

long long history_head_time(const struct history *h)
{
	return h ? h->head_time : 0;
}

/* The content directory as a repository path ("site/content"), or NULL
 * for the whole repository (content "." at the top of the work tree). */
static char *content_spec(const struct history *h, const char *content)
{
	struct buf b = BUF_INIT;
	size_t n;

	if (!content)
		content = "content";
	while (content[0] == '.' && content[1] == '/')
		for (content += 2; *content == '/';)
			content++;
	n = strlen(content);
	while (n > 0 && content[n - 1] == '/')
		n--;
	buf_puts(&b, h->prefix);
	if (!(n == 1 && content[0] == '.'))
		buf_put(&b, content, n);
	while (b.len > 0 && b.data[b.len - 1] == '/')
		b.len--;
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	b.data[b.len] = '\0';
	return buf_detach(&b);
}

/* Records that the commit being visited (seq) touched document doc. */
static void add_touched(struct walk *w, long doc, size_t seq)
{
	if (doc < 0 || w->docs[doc].stamp == seq)
		return;
	w->docs[doc].stamp = seq;
	w->tmp = xgrow(w->tmp, &w->captmp, w->ntmp + 1, sizeof(*w->tmp));
	w->tmp[w->ntmp++] = doc;
}

/* Notes that path, in the tree of the commit being visited (seq), is the
 * file of document doc (a bundle's index.md): keep_existing then needs
 * no lookup. */
static void note_present(struct walk *w, long doc, const char *path, size_t seq)
{
	struct hdoc *hd = doc >= 0 ? &w->docs[doc] : NULL;
	size_t n = hd && hd->path ? strlen(hd->path) : 0;

	if (!n || strncmp(path, hd->path, n))
		return;
	if (path[n] == '\0' || (w->site->docs[doc]->kind == DOC_BUNDLE &&
	                        !strcmp(path + n, "/index.md")))
		hd->present = seq;
}

/* One changed file of the commit being visited: touches its document
 * (for a rename, the documents of both paths) and keeps the rename to
 * carry over once every path of the commit has been looked up. */
static void on_change(struct walk *w, git_delta_t status, const char *old,
                      const char *new_path, size_t seq)
{
	size_t dl;
	long owner = hmap_owner(&w->files, new_path, &dl);

	/* a file of its own deleted: that document did not exist then (a
	 * later file took its path) */
	if (!(status == GIT_DELTA_DELETED && dl == 0))
		add_touched(w, owner, seq);
	if (status != GIT_DELTA_DELETED)
		note_present(w, owner, new_path, seq);
	if (status != GIT_DELTA_RENAMED)
		return;
	/* the old path's owner changed only if it is a bundle that lost a
	 * file: a file of its own was not there any more */
	owner = hmap_owner(&w->files, old, &dl);
	if (dl > 0)
		add_touched(w, owner, seq);
	w->renames = xgrow(w->renames, &w->caprenames, w->nrenames + 2,
	                   sizeof(*w->renames));
	w->renames[w->nrenames++] = xstrdup(old);
	w->renames[w->nrenames++] = xstrdup(new_path);
}

/* Carries the renames of the commit just visited over to older commits. */
static void carry_renames(struct walk *w)
{
	for (size_t i = 0; i + 1 < w->nrenames; i += 2) {
		hmap_carry_rename(w, w->renames[i], w->renames[i + 1]);
		free(w->renames[i]);
		free(w->renames[i + 1]);
	}
	w->nrenames = 0;
}

/* The source of document i at the commit being visited, relative to the
 * site root, when a rename made it differ from the working tree's. */
static char *moved_src(const struct walk *w, long i)
{
	const struct hdoc *hd = &w->docs[i];
	const char *p;

	if (!hd->moved || !hd->path)
		return NULL;
	p = hd->path + strlen(w->h->prefix);
	if (w->site->docs[i]->kind == DOC_BUNDLE)
		return fs_join(p, "index.md");
	return xstrdup(p);
}

/* Leaves out of w->tmp the documents whose file (a bundle's index.md) is
 * not in the tree of commit id: a bundle's directory may hold files before
 * its index.md, and a Convention trailer may name a document not written
 * yet. A file the commit's changes show (note_present) needs no lookup;
 * the tree is read only for the others. */
static int keep_existing(struct walk *w, const git_oid *id, size_t seq)
{
	struct buf path = BUF_INIT;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	size_t n = 0;
	int ret = 0;

	for (size_t i = 0; i < w->ntmp && ret == 0; i++) {
		const struct hdoc *hd = &w->docs[w->tmp[i]];
		git_tree_entry *e = NULL;

		if (!hd->path)
			continue;
		if (hd->present == seq) { /* changed in this very tree */
			w->tmp[n++] = w->tmp[i];
			continue;
		}
		if (!tree && (git_commit_lookup(&c, w->h->repo, id) < 0 ||
		              git_commit_tree(&tree, c) < 0)) {
			diag_error(NULL, 0, 0,
			           "cannot read the history of the git "
			           "repository: %s",
			           history_git_error());
			ret = -1;
			break;
		}
		buf_reset(&path);
		buf_puts(&path, hd->path);
		if (w->site->docs[w->tmp[i]]->kind == DOC_BUNDLE)
			buf_puts(&path, "/index.md");
		if (git_tree_entry_bypath(&e, tree, path.data) == 0 &&
		    git_tree_entry_type(e) == GIT_OBJECT_BLOB)
			w->tmp[n++] = w->tmp[i];
		git_tree_entry_free(e);
	}
	w->ntmp = n;
	git_tree_free(tree);
	git_commit_free(c);
	buf_free(&path);
	return ret;
}

/* Records commit hc (taking it) as a touch of every document in w->tmp. */
static void store(struct walk *w, struct hcommit *hc)
{
	size_t k;

	w->commits = xgrow(w->commits, &w->capcommits, w->ncommits + 1,
	                   sizeof(*w->commits));
	k = w->ncommits++;
	w->commits[k] = *hc;
	for (size_t i = 0; i < w->ntmp; i++) {
		struct hdoc *d = &w->docs[w->tmp[i]];

		d->touch =
		    xgrow(d->touch, &d->cap, d->n + 1, sizeof(*d->touch));
		d->touch[d->n].commit = k;
		d->touch[d->n++].src = moved_src(w, w->tmp[i]);
	}
}

/* Visits commit l of the chain (seq: its rank, from 1): maps its changes
 * to documents, and records it when it touched one or signs one named by
 * Convention (taking l->hc then). Returns 0, or -1 after reporting. */
static int visit(struct walk *w, struct hlink *l, size_t seq)
{
	w->ntmp = 0;
	for (size_t i = 0; i < l->changes.n; i++)
		on_change(w, l->changes.v[i].status, l->changes.v[i].old,
		          l->changes.v[i].new_path, seq);
	if (w->ntmp == 0 && !(l->hc.nconv_names &&
	                      value_get_str(l->hc.trailers, "Signature"))) {
		carry_renames(w);
		return 0;
	}
	hc_check(w, &l->hc);
	for (size_t i = 0; i < l->hc.nconv; i++)
		add_touched(w, l->hc.conv[i], seq);
	if (keep_existing(w, &l->id, seq) < 0)
		return -1;
	store(w, &l->hc);
	memset(&l->hc, 0, sizeof(l->hc)); /* store took it */
	/* after store: the touches of this commit keep the newer paths */
	carry_renames(w);
	return 0;
}

/* Walks HEAD's first-parent chain, newest first (read and compared by
 * history_chain.c). */
static int walk_chain(struct walk *w)
{
	struct hlink *links;
	size_t n;
	int ret = hchain_read(w, &links, &n);

	for (size_t i = 0; ret == 0 && i < n; i++)
		ret = visit(w, &links[i], i + 1);
	hchain_free(links, n);
	return ret;
}

static void walk_free(struct walk *w)
{
	for (size_t i = 0; i < w->site->ndocs; i++) {
		for (size_t k = 0; k < w->docs[i].n; k++)
			free(w->docs[i].touch[k].src);
		free(w->docs[i].touch);
		free(w->docs[i].path);
	}
	free(w->docs);
	for (size_t i = 0; i < w->ncommits; i++)
		hc_clear(&w->commits[i]);
	free(w->commits);
	for (size_t i = 0; i < w->nfresh; i++)
		free(w->fresh[i]);
	free(w->fresh);
	free(w->dirty);
	free(w->tmp);
	for (size_t i = 0; i < w->nrenames; i++)
		free(w->renames[i]);
	free(w->renames);
	free(w->spec);
	hmap_free(&w->files);
	hmap_free(&w->names);
}

int history_walk(struct history *h, struct site *site, const struct config *cfg)
{
	struct walk w;
	int errors = diag_errors(), ret = -1;

	if (!h)
		return 0;
	memset(&w, 0, sizeof(w));
	w.h = h;
	w.site = site;
	w.cfg = cfg;
	w.docs = xcalloc(site->ndocs, sizeof(*w.docs));
	w.dirty = xcalloc(site->ndocs, 1);
	w.spec = content_spec(h, cfg->content);
	hmap_build_files(&w);
	if (git_repository_is_shallow(h->repo) == 1)
		diag_warning(NULL, 0, 0,
		             "the git repository is a shallow clone: versions "
		             "before its oldest commit are missing (run 'git "
		             "fetch --unshallow')");
	history_read_status(&w);
	if (walk_chain(&w) < 0)
		goto out;
	hv_build(&w);
	history_report_status(&w);
	if (diag_errors() == errors)
		ret = 0;
out:
	walk_free(&w);
	return ret;
}
