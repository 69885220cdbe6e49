/*
 * derive_data: the files the derive stage reads: the scripts (built-in,
 * then the site's scripts/ over them) and the data files of bundles
 * (*.yaml, *.yml, *.csv directly in the bundle's directory), parsed into
 * page.data, from the working tree or, for a version, from git.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "derive_int.h"
#include "diag.h"
#include "embed.h"
#include "fs.h"
#include "script.h"
#include "site.h"
#include "utf8.h"
#include "value.h"
#include "xalloc.h"
#include "yaml.h"

#define SCRIPTS "scripts"
#define MAX_FILE (16 * 1024 * 1024)
#define MAX_NESTING 32

/* ---- scripts ---- */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && !strcmp(s + n - k, suffix);
}

/* A hook file: scripts/NAME.lua, directly in scripts/. */
static int is_hook(const char *path)
{
	const char *rest = path + strlen(SCRIPTS "/");

	return ends_with(path, ".lua") && !strchr(rest, '/');
}

static void add_hook(struct value *hooks, const char *path)
{
	size_t i;

	for (i = 0; i < value_len(hooks); i++)
		if (!strcmp(hooks->u.list.items[i]->u.str.ptr, path))
			return;
	value_push(hooks, value_cstring(path));
}

struct walker {
	struct script *s;
	struct value *hooks;
	char *root; /* real path of the site */
	int ret;
};

static int inside(const struct walker *w, const char *path)
{
	char *real = realpath(path, NULL);
	size_t n = strlen(w->root);
	int ok;

	if (!real)
		return -1;
	ok = !strncmp(real, w->root, n) && (real[n] == '/' || !real[n]);
	free(real);
	return ok;
}

static void walk(struct walker *w, const char *dir, int depth);

static void visit(struct walker *w, const char *path, int depth)
{
	struct buf text = BUF_INIT;
	struct stat st;
	int in = inside(w, path);

	if (in != 1) {
		diag_error(path, 0, 0, "%s",
		           in == 0 ? "symbolic link leads outside the site"
		                   : strerror(errno));
		w->ret = -1;
	} else if (stat(path, &st) < 0) {
		diag_error(path, 0, 0, "%s", strerror(errno));
		w->ret = -1;
	} else if (S_ISDIR(st.st_mode)) {
		walk(w, path, depth + 1);
	} else if (S_ISREG(st.st_mode) && ends_with(path, ".lua")) {
		if (fs_read(path, MAX_FILE, &text) < 0) {
			diag_error(path, 0, 0, "%s",
			           errno == EFBIG ? "file larger than 16 MiB"
			                          : strerror(errno));
			w->ret = -1;
		} else {
			script_add_file(w->s, path, buf_str(&text), text.len);
			if (is_hook(path))
				add_hook(w->hooks, path);
		}
	}
	buf_free(&text);
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Visits the entries of dir in byte order, hidden ones left out. */
static void walk(struct walker *w, const char *dir, int depth)
{
	char **names = NULL, *path;
	size_t n = 0, cap = 0, i;
	struct dirent *e;
	DIR *d;

	if (depth > MAX_NESTING) {
		diag_error(dir, 0, 0, "directories nested too deeply");
		w->ret = -1;
		return;
	}
	if (!(d = opendir(dir))) {
		diag_error(dir, 0, 0, "%s", strerror(errno));
		w->ret = -1;
		return;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			names = xgrow(names, &cap, n + 1, sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_string);
	for (i = 0; i < n; i++) {
		path = fs_join(dir, names[i]);
		visit(w, path, depth);
		free(path);
		free(names[i]);
	}
	free(names);
}

static int by_value_string(const void *a, const void *b)
{
	const struct value *x = *(struct value *const *)a;
	const struct value *y = *(struct value *const *)b;

	return strcmp(x->u.str.ptr, y->u.str.ptr);
}

int derive_load_scripts(struct script *s, struct value *hooks)
{
	struct walker w = {s, hooks, NULL, 0};
	size_t i, n = strlen(SCRIPTS "/");
	struct stat st;

	for (i = 0; i < embed_nfiles; i++) {
		const struct embed_file *e = &embed_files[i];

		if (!strncmp(e->path, SCRIPTS "/", n) &&
		    ends_with(e->path, ".lua")) {
			script_add_file(s, e->path, e->data, e->len);
			if (is_hook(e->path))
				add_hook(hooks, e->path);
		}
	}
	if (lstat(SCRIPTS, &st) == 0) {
		if (!(w.root = realpath(".", NULL))) {
			diag_error(".", 0, 0, "%s", strerror(errno));
			return -1;
		}
		visit(&w, SCRIPTS, 0);
		free(w.root);
	}
	if (value_len(hooks) > 1)
		qsort(hooks->u.list.items, hooks->u.list.len,
		      sizeof(*hooks->u.list.items), by_value_string);
	return w.ret;
}

/* ---- data files ---- */

/* The stem of a data file name ("places" of "places.csv"), or NULL. */
static char *data_stem(const char *name)
{
	static const char *const exts[] = {".csv", ".yaml", ".yml"};
	size_t i;

	for (i = 0; i < sizeof(exts) / sizeof(*exts); i++)
		if (ends_with(name, exts[i]))
			return xstrndup(name, strlen(name) - strlen(exts[i]));
	return NULL;
}

/* Parses one data file's text into data[stem]. */
static void parse_data(struct value *data, const char *stem, const char *file,
                       const struct buf *text)
{
	struct value *v;

	if (ends_with(file, ".csv")) {
		v = derive_csv(buf_str(text), text->len, file);
	} else if (memchr(buf_str(text), '\0', text->len) ||
	           utf8_check(buf_str(text), text->len) < text->len) {
		diag_error(file, 0, 0, "not a UTF-8 text file");
		v = NULL;
	} else {
		v = yaml_parse(buf_str(text), text->len, file, 0);
	}
	if (!v)
		return;
	if (value_get(data, stem)) {
		diag_error(file, 0, 0, "two data files are named \"%s\"", stem);
		value_free(v);
		return;
	}
	value_set(data, stem, v);
}

/* Reads the data files of bundle b into a new map. */
static struct value *read_data(struct derive *dv, const struct document *b,
                               const char *commit, const char *dir)
{
	struct value *data = value_map();
	struct buf text = BUF_INIT;
	size_t i;

	for (i = 0; b && i < b->nresources; i++) {
		const struct resource *r = &b->resources[i];
		char *stem = data_stem(r->name), *path = fs_join(dir, r->name);
		int got;

		buf_reset(&text);
		if (!stem || strchr(r->name, '/')) {
			got = 1;
		} else if (commit && dv->read) {
			got = dv->read(dv->read_ctx, commit, path, &text);
		} else if (fs_read(r->src, MAX_FILE, &text) < 0) {
			diag_error(r->src, 0, 0, "%s",
			           errno == EFBIG ? "file larger than 16 MiB"
			                          : strerror(errno));
			got = -1;
		} else {
			got = 0;
		}
		if (got == 0)
			parse_data(data, stem,
			           commit && dv->read ? path : r->src, &text);
		free(stem);
		free(path);
	}
	buf_free(&text);
	return data;
}

const struct value *derive_data_of(struct derive *dv, const struct document *b,
                                   const char *commit, const char *dir)
{
	struct derive_data *e;
	size_t i;

	if (!dv->read)
		commit = NULL; /* every version sees the working tree */
	for (i = 0; i < dv->ncache; i++)
		if (dv->cache[i].bundle == b &&
		    !strcmp(dv->cache[i].commit, commit ? commit : ""))
			return dv->cache[i].data;
	dv->cache =
	    xgrow(dv->cache, &dv->cap, dv->ncache + 1, sizeof(*dv->cache));
	e = &dv->cache[dv->ncache++];
	e->bundle = b;
	snprintf(e->commit, sizeof(e->commit), "%s", commit ? commit : "");
	e->data = read_data(dv, b, commit, dir);
	return e->data;
}

void derive_data_free(struct derive *dv)
{
	size_t i;

	for (i = 0; i < dv->ncache; i++)
		value_free(dv->cache[i].data);
	free(dv->cache);
	dv->cache = NULL;
	dv->ncache = dv->cap = 0;
}
