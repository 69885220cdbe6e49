/*
 * theme: the files of a theme (see theme.h). The built-in default theme
 * comes from embed_files ("themes/default/..."); the site's
 * ./themes/NAME/templates/ and ./themes/NAME/static/ are walked
 * recursively and override it file by file. Hidden entries are skipped;
 * a path whose real location is outside the site (through a symbolic
 * link), a file over 16 MiB or an unreadable file is an error, reported
 * and skipped so that every problem is seen in one build. Directory
 * entries are visited in byte order, so diagnostics come in a stable
 * order, and the result is sorted by name.
 */
#include "theme.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "diag.h"
#include "embed.h"
#include "fs.h"
#include "xalloc.h"

#define BUILTIN "themes/default/"
#define MAX_FILE (16 * 1024 * 1024)
#define MAX_NESTING 32

struct entry {
	struct theme_file f;
	int site; /* 1 for a site file, which wins over a built-in one */
};

struct loader {
	struct entry *ents;
	size_t n, cap;
	char *root; /* real path of the site (the current directory) */
	int ret;
};

static void add(struct loader *ld, const char *name, const char *origin,
                char *data, size_t len, int site)
{
	struct entry *e;

	ld->ents = xgrow(ld->ents, &ld->cap, ld->n + 1, sizeof(*ld->ents));
	e = &ld->ents[ld->n++];
	e->f.name = xstrdup(name);
	e->f.origin = xstrdup(origin);
	e->f.data = data;
	e->f.len = len;
	e->site = site;
}

static void fail(struct loader *ld, const char *path, const char *what)
{
	diag_error(path, 0, 0, "%s", what);
	ld->ret = -1;
}

/* 1 when the real location of path is inside the site, 0 when it is
 * not, -1 with errno set when it cannot be resolved. */
static int inside(struct loader *ld, const char *path)
{
	char *real = realpath(path, NULL);
	size_t n = strlen(ld->root);
	int ok;

	if (!real)
		return -1;
	ok = !strncmp(real, ld->root, n) &&
	     (real[n] == '/' || real[n] == '\0' || !strcmp(ld->root, "/"));
	free(real);
	return ok;
}

static void walk(struct loader *ld, const char *dir, const char *rel,
                 int depth);

/* Adds the file, or walks the directory, at path (name in the theme). */
static void visit(struct loader *ld, const char *path, const char *name,
                  int depth)
{
	struct buf data = BUF_INIT;
	struct stat st;

	switch (inside(ld, path)) {
	case 1:
		break;
	case 0:
		fail(ld, path, "symbolic link leads outside the site");
		return;
	default:
		fail(ld, path,
		     errno == ENOENT ? "broken symbolic link"
		                     : strerror(errno));
		return;
	}
	if (stat(path, &st) < 0) {
		fail(ld, path, strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		walk(ld, path, name, depth + 1);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_warning(path, 0, 0, "not a regular file, skipped");
		return;
	}
	if (fs_read(path, MAX_FILE, &data) < 0) {
		fail(ld, path,
		     errno == EFBIG ? "file larger than 16 MiB"
		                    : strerror(errno));
		buf_free(&data);
		return;
	}
	add(ld, name, path, NULL, data.len, 1);
	ld->ents[ld->n - 1].f.data = buf_detach(&data);
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(struct loader *ld, const char *dir, const char *rel, int depth)
{
	char **names = NULL, *path, *name;
	size_t n = 0, cap = 0, i;
	struct dirent *e;
	DIR *d;

	if (depth > MAX_NESTING) {
		fail(ld, dir, "directories nested too deeply");
		return;
	}
	d = opendir(dir);
	if (!d) {
		fail(ld, dir, strerror(errno));
		return;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') { /* hidden, "." and ".." */
			names = xgrow(names, &cap, n + 1, sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_string);
	for (i = 0; i < n; i++) {
		path = fs_join(dir, names[i]);
		name = fs_join(rel, names[i]);
		visit(ld, path, name, depth);
		free(path);
		free(name);
		free(names[i]);
	}
	free(names);
}

static int by_name(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c = strcmp(a->f.name, b->f.name);

	return c ? c : b->site - a->site;
}

/* Sorts the entries into t, keeping the site's file of each name. */
static void finish(struct loader *ld, struct theme *t)
{
	size_t i;

	if (ld->n)
		qsort(ld->ents, ld->n, sizeof(*ld->ents), by_name);
	t->files = xcalloc(ld->n ? ld->n : 1, sizeof(*t->files));
	for (i = 0; i < ld->n; i++) {
		struct theme_file *f = &ld->ents[i].f;

		if (t->nfiles &&
		    !strcmp(t->files[t->nfiles - 1].name, f->name)) {
			free(f->name);
			free(f->origin);
			free(f->data);
			continue;
		}
		t->files[t->nfiles++] = *f;
	}
	free(ld->ents);
}

static void load_builtin(struct loader *ld)
{
	size_t i, n = strlen(BUILTIN);

	for (i = 0; i < embed_nfiles; i++) {
		const struct embed_file *e = &embed_files[i];

		if (!strncmp(e->path, BUILTIN, n) && e->path[n])
			add(ld, e->path + n, e->path, xstrndup(e->data, e->len),
			    e->len, 0);
	}
}

static void load_site(struct loader *ld, const char *dir)
{
	static const char *const subdirs[] = {"templates", "static"};
	struct stat st;
	size_t i;

	ld->root = realpath(".", NULL);
	if (!ld->root) {
		fail(ld, ".", strerror(errno));
		return;
	}
	if (inside(ld, dir) != 1) {
		fail(ld, dir, "symbolic link leads outside the site");
		return;
	}
	for (i = 0; i < 2; i++) {
		char *path = fs_join(dir, subdirs[i]);

		if (lstat(path, &st) == 0)
			visit(ld, path, subdirs[i], 0);
		free(path);
	}
}

int theme_load(struct theme *t, const char *name)
{
	struct loader ld = {0};
	char *dir = NULL;

	memset(t, 0, sizeof(*t));
	load_builtin(&ld);
	if (!*name || strchr(name, '/') || name[0] == '.') {
		diag_error(NULL, 0, 0, "invalid theme name \"%s\"", name);
		ld.ret = -1;
		goto out;
	}
	dir = fs_join("themes", name);
	if (fs_is_dir(dir))
		load_site(&ld, dir);
	else if (strcmp(name, "default") != 0) {
		diag_error(dir, 0, 0, "theme \"%s\" not found", name);
		ld.ret = -1;
	}
out:
	finish(&ld, t);
	free(ld.root);
	free(dir);
	if (ld.ret < 0)
		theme_free(t);
	return ld.ret;
}

static int find_cmp(const void *key, const void *f)
{
	return strcmp(key, ((const struct theme_file *)f)->name);
}

const struct theme_file *theme_find(const struct theme *t, const char *name)
{
	if (!t->nfiles)
		return NULL;
	return bsearch(name, t->files, t->nfiles, sizeof(*t->files), find_cmp);
}

void theme_free(struct theme *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nfiles; i++) {
		free(t->files[i].name);
		free(t->files[i].origin);
		free(t->files[i].data);
	}
	free(t->files);
	t->files = NULL;
	t->nfiles = 0;
}
