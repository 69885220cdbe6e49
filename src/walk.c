/*
 * walk: the content directory read from disk into a tree of kept entries
 * (see walk.h), the first pass of the scan stage.
 *
 * Names are read with opendir and sorted by bytes, so nothing depends on
 * the file system's order; at most WALK_MAX_DEPTH levels are read. Every
 * entry is classified with lstat before anything is opened: a regular file
 * or a directory is kept, a symbolic link only when it leads to a regular,
 * non-hidden file inside the site (realpath), anything else is left out
 * with a warning. The output directory is recognised by device and inode;
 * with content ".", the site's own files (site.yaml, themes/, scripts/) are
 * left out by name at the top level.
 */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "fs.h"
#include "xalloc.h"

#define WALK_MAX_DEPTH 64

/* What the walk needs to know at every entry. */
struct walk {
	char *root;    /* realpath of the site root (the current directory) */
	size_t plen;   /* length of the content prefix of every node's src */
	int site_root; /* the content directory is the site root */
	int skip_out;
	dev_t out_dev;
	ino_t out_ino;
};

enum entry { ENTRY_SKIP, ENTRY_FILE, ENTRY_DIR };

int walk_is_md(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, ".md") == 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the names in directory path ("" is "."), sorted by bytes, without
 * "." and "..". Returns the count (names malloc'd), or -1 after an error. */
static long list_names(const char *path, char ***names)
{
	const char *p = path[0] ? path : ".";
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *d = opendir(p);

	*names = NULL;
	if (!d) {
		diag_error(p, 0, 0, "cannot read directory '%s': %s", p,
		           strerror(errno));
		return -1;
	}
	for (errno = 0; (e = readdir(d)) != NULL; errno = 0) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		*names = xgrow(*names, &cap, n + 1, sizeof(**names));
		(*names)[n++] = xstrdup(e->d_name);
	}
	if (errno)
		diag_error(p, 0, 0, "cannot read directory '%s': %s", p,
		           strerror(errno));
	closedir(d);
	if (n)
		qsort(*names, n, sizeof(**names), cmp_name);
	return (long)n;
}

/* 1 when the resolved path real is root or under it. */
static int inside(const char *root, const char *real)
{
	size_t n = strlen(root);

	if (n == 1) /* the site is "/" */
		return 1;
	return strncmp(root, real, n) == 0 &&
	       (real[n] == '/' || real[n] == '\0');
}

/* A link is followed only to a regular file of the site that is not hidden
 * (a link must not publish .git/config); never to a directory, which could
 * make a loop. */
static enum entry classify_link(const struct walk *w, const char *src)
{
	char *real = realpath(src, NULL);
	const char *why = NULL;
	enum entry ret = ENTRY_SKIP;
	struct stat st;

	if (!real)
		why = errno == ENOENT ? "is dangling" : "cannot be resolved";
	else if (!inside(w->root, real))
		why = "leads outside the site";
	else if (strstr(real + (strlen(w->root) == 1 ? 0 : strlen(w->root)),
	                "/."))
		why = "leads to a hidden file";
	else if (stat(real, &st) != 0)
		why = "cannot be followed";
	else if (S_ISDIR(st.st_mode))
		diag_warning(src, 0, 0,
		             "symbolic link '%s' leads to a directory, not "
		             "followed",
		             src);
	else if (!S_ISREG(st.st_mode))
		why = "leads to a special file";
	else
		ret = ENTRY_FILE;
	if (why)
		diag_warning(src, 0, 0, "symbolic link '%s' %s, not published",
		             src, why);
	free(real);
	return ret;
}

/* What src is, by lstat: nothing is opened. */
static enum entry classify(const struct walk *w, const char *src)
{
	struct stat st;

	if (lstat(src, &st) != 0) {
		diag_warning(src, 0, 0, "cannot read '%s': %s, not published",
		             src, strerror(errno));
		return ENTRY_SKIP;
	}
	if (S_ISLNK(st.st_mode))
		return classify_link(w, src);
	if (S_ISREG(st.st_mode))
		return ENTRY_FILE;
	if (!S_ISDIR(st.st_mode)) {
		diag_warning(src, 0, 0,
		             "'%s' is not a regular file or directory, not "
		             "published",
		             src);
		return ENTRY_SKIP;
	}
	if (w->skip_out && st.st_dev == w->out_dev && st.st_ino == w->out_ino) {
		diag_note(src, 0, 0, "output directory '%s' skipped", src);
		return ENTRY_SKIP;
	}
	return ENTRY_DIR;
}

/* 1 when name, in directory dir, is left out before it is even looked at
 * (with a -v note): a hidden name, or one of the site's own files when the
 * content directory is the site root. */
static int left_out(const struct walk *w, const struct walk_node *dir,
                    const char *name)
{
	static const char *const site_files[] = {"site.yaml", "themes",
	                                         "scripts"};
	const char *where = dir->src[0] ? dir->src : ".";
	size_t i;

	if (name[0] == '.') {
		diag_note(where, 0, 0, "hidden '%s' skipped", name);
		return 1;
	}
	if (!w->site_root || dir->rel[0])
		return 0;
	for (i = 0; i < sizeof(site_files) / sizeof(*site_files); i++)
		if (!strcmp(name, site_files[i])) {
			diag_note(where, 0, 0, "site file '%s' skipped", name);
			return 1;
		}
	return 0;
}

/* Adds the entry name of dir to its kids unless it is left out; takes
 * ownership of name. dir->kids has room for it. */
static void add_kid(const struct walk *w, struct walk_node *dir, char *name)
{
	struct walk_node *k;
	enum entry e = ENTRY_SKIP;
	char *src = NULL;

	if (left_out(w, dir, name))
		goto out;
	/* +2: the "/" and the NUL; output paths are never longer than
	 * sources (slugs do not grow), so this one check bounds them too */
	if (strlen(dir->src) + strlen(name) + 2 > PATH_MAX) {
		diag_error(dir->src[0] ? dir->src : ".", 0, 0,
		           "path of '%s' is longer than %d bytes, not scanned",
		           name, PATH_MAX);
		goto out;
	}
	src = fs_join(dir->src, name);
	e = classify(w, src);
	if (e == ENTRY_SKIP)
		goto out;
	k = &dir->kids[dir->nkids++];
	memset(k, 0, sizeof(*k));
	k->name = name;
	k->src = src;
	k->rel = src + w->plen;
	k->is_dir = e == ENTRY_DIR;
	return;
out:
	free(src);
	free(name);
}

/* Fills dir->kids from the disk, then recurses into the directories among
 * them; errors are reported and leave the tree usable. */
static void read_tree(const struct walk *w, struct walk_node *dir, int depth)
{
	char **names;
	long n, i;

	if (depth > WALK_MAX_DEPTH) {
		diag_error(dir->src, 0, 0,
		           "directory '%s' is nested more than %d levels deep, "
		           "not scanned",
		           dir->src, WALK_MAX_DEPTH);
		return;
	}
	n = list_names(dir->src, &names);
	if (n <= 0)
		return;
	dir->kids = xcalloc((size_t)n, sizeof(*dir->kids));
	for (i = 0; i < n; i++)
		add_kid(w, dir, names[i]);
	free(names);
	for (i = 0; i < (long)dir->nkids; i++) {
		struct walk_node *k = &dir->kids[i];

		if (k->is_dir)
			read_tree(w, k, depth + 1);
		if (k->is_dir ? k->has_page : walk_is_md(k->name))
			dir->has_page = 1;
	}
}

/* Checks the content directory and the site root, and finds the output
 * directory. Returns 0, or -1 after an error. */
static int walk_start(struct walk *w, const char *content, const char *output)
{
	struct stat st, here;
	int err = stat(content, &st)    ? errno
	          : S_ISDIR(st.st_mode) ? 0
	                                : ENOTDIR;

	if (err) {
		diag_error(content, 0, 0, "content directory '%s' %s", content,
		           err == ENOENT    ? "does not exist"
		           : err == ENOTDIR ? "is not a directory"
		                            : strerror(err));
		return -1;
	}
	w->root = realpath(".", NULL);
	if (!w->root || stat(".", &here) != 0) {
		diag_error(NULL, 0, 0, "cannot resolve the site directory: %s",
		           strerror(errno));
		return -1;
	}
	/* "." however spelt ("/abs/site", "../site"…) */
	w->site_root = st.st_dev == here.st_dev && st.st_ino == here.st_ino;
	if (output && stat(output, &st) == 0 && S_ISDIR(st.st_mode)) {
		w->skip_out = 1;
		w->out_dev = st.st_dev;
		w->out_ino = st.st_ino;
	}
	return 0;
}

int walk_read(struct walk_node *root, const char *content, const char *output)
{
	struct walk w = {0};
	int ret = -1;

	memset(root, 0, sizeof(*root));
	/* with content ".", sources are "a.md", not "./a.md" */
	root->src = xstrdup(strcmp(content, ".") ? content : "");
	root->rel = "";
	root->is_dir = 1;
	if (walk_start(&w, content, output) < 0)
		goto out;
	w.plen = root->src[0]
	             ? strlen(root->src) + (strcmp(root->src, "/") != 0)
	             : 0;
	read_tree(&w, root, 0);
	ret = 0;
out:
	free(w.root);
	return ret;
}

void walk_free(struct walk_node *root)
{
	size_t i;

	for (i = 0; i < root->nkids; i++)
		walk_free(&root->kids[i]);
	free(root->kids);
	free(root->name);
	free(root->src);
}

const struct walk_node *walk_find_file(const struct walk_node *n,
                                       const char *name)
{
	size_t i;

	for (i = 0; i < n->nkids; i++)
		if (!n->kids[i].is_dir && !strcmp(n->kids[i].name, name))
			return &n->kids[i];
	return NULL;
}
