/*
 * cache: documents' rendered files kept between builds (see cache.h).
 */
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "fs.h"
#include "output.h"
#include "xalloc.h"

#define INDEX "index"
#define NOTE "note"
#define MAGIC "paraphe-cache 2"
#define INDEX_MAX (64u * 1024 * 1024)

struct cache {
	char *dir, *docs, *spare;
	int docs_fd;
	pthread_mutex_t lock; /* around used */
	char **used;          /* keys fetched or stored by this build */
	size_t nused, cap;
};

/* mkdir that accepts an existing directory. */
static int make_dir(const char *path)
{
	if (mkdir(path, 0755) == 0 || (errno == EEXIST && fs_is_dir(path)))
		return 0;
	diag_warning(path, 0, 0, "cannot create the cache directory: %s",
	             strerror(errno));
	return -1;
}

/* Creates dir's parent (.paraphe-cache) with its .gitignore, then dir. */
static int make_cache_dirs(const char *dir)
{
	const char *slash = strrchr(dir, '/');
	char *parent = slash ? xstrndup(dir, (size_t)(slash - dir)) : NULL;
	int ret = -1;

	if (parent && *parent && make_dir(parent) < 0)
		goto out;
	if (parent && *parent) {
		char *ignore = fs_join(parent, ".gitignore");
		FILE *f;

		if (access(ignore, F_OK) < 0 && (f = fopen(ignore, "w"))) {
			fputs("# paraphe's cache (paraphe build --no-cache "
			      "ignores it)\n*\n",
			      f);
			fclose(f);
		}
		free(ignore);
	}
	ret = make_dir(dir);
out:
	free(parent);
	return ret;
}

struct cache *cache_open(const char *dir)
{
	struct cache *c;

	if (make_cache_dirs(dir) < 0)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->dir = xstrdup(dir);
	c->docs = fs_join(dir, "docs");
	c->spare = fs_join(dir, "spare");
	pthread_mutex_init(&c->lock, NULL);
	c->docs_fd = -1;
	if (make_dir(c->docs) == 0)
		c->docs_fd = open(c->docs, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		                               O_CLOEXEC);
	if (c->docs_fd < 0) {
		cache_close(c, 0);
		return NULL;
	}
	return c;
}

const char *cache_spare(const struct cache *c)
{
	return c->spare;
}

static void mark_used(struct cache *c, const char *key)
{
	pthread_mutex_lock(&c->lock);
	c->used = xgrow(c->used, &c->cap, c->nused + 1, sizeof(*c->used));
	c->used[c->nused++] = xstrdup(key);
	pthread_mutex_unlock(&c->lock);
}

/* Removes the entry directory name of docs, when there is one (a
 * failure is only noted). */
static void remove_entry(struct cache *c, const char *name)
{
	struct stat st;
	char *path;

	if (fstatat(c->docs_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	path = fs_join(c->docs, name);
	fs_remove_tree(path, DIAG_NOTE);
	free(path);
}

/* Reads the file name of the directory fd into out (at most INDEX_MAX). */
static int read_at(int fd, const char *name, struct buf *out)
{
	char chunk[65536];
	int in = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;

	if (in < 0)
		return -1;
	while ((n = read(in, chunk, sizeof chunk)) > 0 &&
	       out->len + (size_t)n <= INDEX_MAX)
		buf_put(out, chunk, (size_t)n);
	close(in);
	return n == 0 ? 0 : -1;
}

/* One file of an entry, as its index line gives it. */
struct entry_file {
	long long size, sec, nsec;
	const char *rel; /* inside the index text */
};

/* Parses the index text (modified: lines are cut) into counts and files;
 * returns the number of files, or -1 when it is not a valid index. */
static long parse_index(char *text, struct cache_counts *k,
                        struct entry_file **files)
{
	char *line = text, *nl;
	long n = 0, want;
	size_t cap = 0;

	*files = NULL;
	if (sscanf(text, MAGIC " %d %d %d %d %ld", &k->pages, &k->versions,
	           &k->changes, &k->resources, &want) != 5 ||
	    !(nl = strchr(line, '\n')))
		return -1;
	for (line = nl + 1; *line && (nl = strchr(line, '\n')); line = nl + 1) {
		struct entry_file f;
		int used = 0;

		*nl = '\0';
		if (sscanf(line, "%lld %lld %lld %n", &f.size, &f.sec, &f.nsec,
		           &used) != 3 ||
		    !used)
			break;
		f.rel = line + used;
		*files = xgrow(*files, &cap, (size_t)n + 1, sizeof(**files));
		(*files)[n++] = f;
	}
	if (n != want || *line) {
		free(*files);
		*files = NULL;
		return -1;
	}
	return n;
}

/* 1 when the file i of the entry at fd is as its index says. */
static int file_intact(int fd, long i, const struct entry_file *f)
{
	char name[24];
	struct stat st;

	snprintf(name, sizeof name, "%ld", i);
	return fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISREG(st.st_mode) && st.st_size == f->size &&
	       st.st_mtim.tv_sec == f->sec && st.st_mtim.tv_nsec == f->nsec;
}

int cache_fetch(struct cache *c, const char *key, struct output *out,
                struct cache_counts *counts, struct buf *note)
{
	struct buf index = BUF_INIT, text = BUF_INIT;
	struct entry_file *files = NULL;
	int fd = openat(c->docs_fd, key,
	                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	long n = -1, i;
	int ret = 0;

	if (fd < 0)
		return 0;
	if (read_at(fd, INDEX, &index) == 0)
		n = parse_index(index.data ? index.data : (char *)"", counts,
		                &files);
	for (i = 0; i < n && file_intact(fd, i, &files[i]); i++)
		;
	if (n < 0 || i < n || read_at(fd, NOTE, &text) < 0) {
		remove_entry(c, key); /* damaged or edited: a miss */
		goto out;
	}
	for (i = 0; i < n; i++) {
		char name[24];

		snprintf(name, sizeof name, "%ld", i);
		if (output_link(out, files[i].rel, fd, name) < 0)
			ret = -1;
	}
	if (ret == 0) {
		mark_used(c, key);
		buf_put(note, text.data ? text.data : "", text.len);
		ret = 1;
	}
out:
	free(files);
	buf_free(&text);
	buf_free(&index);
	close(fd);
	return ret;
}

/* Writes the file name (len bytes) in the entry being made at fd;
 * returns 0 or -1. */
static int write_at(int fd, const char *name, const char *data, size_t len)
{
	int out =
	    openat(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	int ret = 0;

	if (out < 0)
		return -1;
	while (len > 0 && ret == 0) {
		ssize_t w = write(out, data, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			ret = -1;
		else {
			data += w;
			len -= (size_t)w;
		}
	}
	if (close(out) < 0)
		ret = -1;
	return ret;
}

/* Writes the index of the entry being made at fd; returns 0 or -1. */
static int write_index(int fd, char *const *rels, size_t n,
                       const struct cache_counts *k)
{
	struct buf b = BUF_INIT;
	int ret = -1;

	buf_printf(&b, MAGIC " %d %d %d %d %zu\n", k->pages, k->versions,
	           k->changes, k->resources, n);
	for (size_t i = 0; i < n; i++) {
		char name[24];
		struct stat st;

		snprintf(name, sizeof name, "%zu", i);
		if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			goto out;
		buf_printf(&b, "%lld %lld %lld %s\n", (long long)st.st_size,
		           (long long)st.st_mtim.tv_sec,
		           (long long)st.st_mtim.tv_nsec, rels[i]);
	}
	ret = write_at(fd, INDEX, b.data, b.len);
out:
	buf_free(&b);
	return ret;
}

void cache_store(struct cache *c, const char *key, struct output *out,
                 char *const *rels, size_t n, const struct cache_counts *counts,
                 const char *note, size_t len)
{
	char tmp[80];
	int fd = -1, ok = 0;

	snprintf(tmp, sizeof tmp, ".tmp-%s", key);
	remove_entry(c, tmp); /* left by a killed build */
	if (mkdirat(c->docs_fd, tmp, 0755) < 0 ||
	    (fd = openat(c->docs_fd, tmp,
	                 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		char name[24];

		snprintf(name, sizeof name, "%zu", i);
		if (output_export(out, rels[i], fd, name) < 0)
			goto out;
	}
	if (write_at(fd, NOTE, note ? note : "", note ? len : 0) < 0 ||
	    write_index(fd, rels, n, counts) < 0)
		goto out;
	remove_entry(c, key); /* a damaged entry under the same key */
	ok = renameat(c->docs_fd, tmp, c->docs_fd, key) == 0;
out:
	if (fd >= 0)
		close(fd);
	if (ok)
		mark_used(c, key);
	else
		remove_entry(c, tmp);
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Removes the entries of docs that are not in c->used (sorted). */
static void collect(struct cache *c)
{
	int fd = openat(c->docs_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	if (c->nused)
		qsort(c->used, c->nused, sizeof(*c->used), by_str);
	while ((e = readdir(d)) != NULL) {
		const char *name = e->d_name;

		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (!c->nused || !bsearch(&name, c->used, c->nused,
		                          sizeof(*c->used), by_str))
			remove_entry(c, name);
	}
	closedir(d);
}

void cache_close(struct cache *c, int keep_only_used)
{
	if (!c)
		return;
	if (keep_only_used && c->docs_fd >= 0)
		collect(c);
	if (c->docs_fd >= 0)
		close(c->docs_fd);
	for (size_t i = 0; i < c->nused; i++)
		free(c->used[i]);
	free(c->used);
	pthread_mutex_destroy(&c->lock);
	free(c->dir);
	free(c->docs);
	free(c->spare);
	free(c);
}
