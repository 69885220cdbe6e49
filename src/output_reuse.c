/*
 * output_reuse: the previous output as the next staging tree (see
 * output.h, output_begin_reuse).
 *
 * Removing a large output after the swap costs as much as writing it (an
 * unlink per file, and with a "discard" mount a trim per freed block),
 * and every build used to write every file again. With a spare directory
 * (inside the cache, on the output's file system), the output that a
 * swap replaces is moved there instead of being removed, and the next
 * build takes it as its staging tree: files that come from the cache and
 * are already in place (the same inode) cost a stat, the others replace
 * what is there, and what this build did not write is pruned before the
 * swap. So the tree that is swapped in holds exactly this build's files.
 *
 * A file is never rewritten in place: it may be a hard link of a cache
 * entry (cache.c), so it is unlinked and created anew.
 */
#include "output_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "fs.h"
#include "xalloc.h"

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The slot of rel in c: where it is, or the empty slot where it goes. */
static size_t slot_of(const struct output_claims *c, const char *rel)
{
	size_t i = (size_t)fnv(rel) & (c->cap - 1);

	while (c->slots[i] && strcmp(c->slots[i], rel))
		i = (i + 1) & (c->cap - 1);
	return i;
}

static void claims_grow(struct output_claims *c)
{
	char **old = c->slots;
	size_t n = c->cap;

	c->cap = n ? n * 2 : 1024;
	c->slots = xcalloc(c->cap, sizeof(*c->slots));
	for (size_t i = 0; i < n; i++)
		if (old[i])
			c->slots[slot_of(c, old[i])] = old[i];
	free(old);
}

/* Adds rel; returns 0, or 1 when it was there already. */
static int claims_add(struct output_claims *c, const char *rel)
{
	size_t i;
	int r = 1;

	pthread_mutex_lock(&c->lock);
	if (2 * (c->len + 1) > c->cap)
		claims_grow(c);
	i = slot_of(c, rel);
	if (!c->slots[i]) {
		c->slots[i] = xstrdup(rel);
		c->len++;
		r = 0;
	}
	pthread_mutex_unlock(&c->lock);
	return r;
}

/* 1 when rel was claimed; only called once every write is done. */
static int claims_has(const struct output_claims *c, const char *rel)
{
	return c->cap && c->slots[slot_of(c, rel)] != NULL;
}

void output_claims_free(struct output_claims *c)
{
	for (size_t i = 0; i < c->cap; i++)
		free(c->slots[i]);
	free(c->slots);
	c->slots = NULL;
	c->cap = c->len = 0;
	pthread_mutex_destroy(&c->lock);
}

/* Removes whatever is at rel in the staging tree: a file, or a directory
 * with everything in it. ENOENT is success. */
static int remove_at(struct output *o, const char *rel)
{
	char *path;
	int r;

	if (unlinkat(o->staging_fd, rel, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM) {
		output_staging_error(o, rel, "cannot remove", errno);
		return -1;
	}
	path = fs_join(o->staging, rel);
	r = fs_remove_tree(path, DIAG_ERROR);
	free(path);
	return r;
}

/* An older output may hold a file where rel needs a directory: removes
 * the files that stand in for rel's parent directories. */
static void clear_parents(struct output *o, const char *rel)
{
	char tmp[REL_MAX + 1], *p;
	struct stat st;

	snprintf(tmp, sizeof tmp, "%s", rel);
	for (p = strchr(tmp, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (fstatat(o->staging_fd, tmp, &st, AT_SYMLINK_NOFOLLOW) ==
		        0 &&
		    !S_ISDIR(st.st_mode))
			unlinkat(o->staging_fd, tmp, 0);
		*p = '/';
	}
}

int output_claim(struct output *o, const char *rel)
{
	if (claims_add(&o->claims, rel)) {
		diag_error(NULL, 0, 0, "'%s' is written twice", rel);
		return -1;
	}
	if (unlinkat(o->staging_fd, rel, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno == ENOTDIR) {
		clear_parents(o, rel);
		return 0;
	}
	return remove_at(o, rel);
}

int output_adopt_spare(struct output *o)
{
	struct stat st;
	int fd;

	if (lstat(o->spare, &st) < 0)
		return 0;
	if (!S_ISDIR(st.st_mode) || !output_has_file(o->spare, MARKER)) {
		/* not an output of ours (a crash while it was being kept):
		 * it lives in the cache, which paraphe made */
		return fs_remove_tree(o->spare, DIAG_ERROR) < 0 ? -1 : 0;
	}
	if (rename(o->spare, o->staging) < 0) {
		output_io_error(o->spare, "cannot reuse the previous output",
		                errno);
		return -1;
	}
	o->staging_fd =
	    open(o->staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (o->staging_fd < 0) {
		output_io_error(o->staging, "cannot open directory", errno);
		return -1;
	}
	/* a staging marker first, then the output marker goes: a crash
	 * leaves a staging directory that carries one, removed next time */
	fd = openat(o->staging_fd, STAGING_MARKER,
	            O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || close(fd) < 0 || unlinkat(o->staging_fd, MARKER, 0) < 0) {
		output_staging_error(o, MARKER, "cannot reuse", errno);
		return -1;
	}
	o->reusing = 1;
	return 1;
}

/* The type of the entry e of d: its d_type, or lstat's. */
static int entry_is_dir(DIR *d, const struct dirent *e)
{
	struct stat st;

	if (e->d_type != DT_UNKNOWN)
		return e->d_type == DT_DIR;
	return fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISDIR(st.st_mode);
}

/* Prunes the directory dfd (at rel, "" for the top): removes every entry
 * not claimed, and returns the number of entries left, or -1. */
static long prune_dir(struct output *o, int dfd, struct buf *rel)
{
	const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	DIR *d = fdopendir(dfd);
	struct dirent *e;
	size_t base = rel->len;
	long left = 0;

	if (!d) {
		close(dfd);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		int sub;
		long n;

		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		left++;
		if (!base && !strcmp(name, STAGING_MARKER))
			continue;
		buf_truncate(rel, base);
		buf_printf(rel, "%s%s", base ? "/" : "", name);
		if (!entry_is_dir(d, e)) {
			if (!claims_has(&o->claims, buf_str(rel)) &&
			    remove_at(o, buf_str(rel)) == 0)
				left--;
			continue;
		}
		sub = openat(dirfd(d), name, flags);
		n = sub < 0 ? -1 : prune_dir(o, sub, rel);
		if (n == 0 && unlinkat(dirfd(d), name, AT_REMOVEDIR) == 0)
			left--;
	}
	buf_truncate(rel, base);
	closedir(d);
	return left;
}

int output_prune(struct output *o)
{
	struct buf rel = BUF_INIT;
	int fd = openat(o->staging_fd, ".",
	                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	long r = fd < 0 ? -1 : prune_dir(o, fd, &rel);

	buf_free(&rel);
	if (r < 0) {
		output_io_error(o->staging, "cannot read directory", errno);
		return -1;
	}
	return 0;
}

/* Copies the file sname of the directory sfd to dname of dfd (a new
 * file), for when a hard link cannot be made. */
static int copy_file_at(int sfd, const char *sname, int dfd, const char *dname)
{
	char chunk[65536];
	int in = openat(sfd, sname, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), out;
	ssize_t n = 0;
	int err = 0;

	if (in < 0)
		return errno;
	out =
	    openat(dfd, dname,
	           O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (out < 0) {
		err = errno;
		close(in);
		return err;
	}
	while (!err && (n = read(in, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		err = n < 0 ? errno : output_write_all(out, chunk, (size_t)n);
	}
	if (close(out) < 0 && !err)
		err = errno;
	close(in);
	return err;
}

/* Links (or copies, across file systems) sname of sfd to dname of dfd. */
static int link_or_copy(int sfd, const char *sname, int dfd, const char *dname)
{
	if (linkat(sfd, sname, dfd, dname, 0) == 0)
		return 0;
	if (errno != EXDEV && errno != EMLINK && errno != EPERM)
		return errno;
	return copy_file_at(sfd, sname, dfd, dname);
}

int output_link(struct output *o, const char *rel, int dirfd_, const char *name)
{
	struct stat a, b;
	int err;

	if (output_check_rel(rel) < 0)
		return -1;
	/* already in place: the previous output has this very file */
	if (o->reusing && fstatat(dirfd_, name, &a, 0) == 0 &&
	    fstatat(o->staging_fd, rel, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
		if (claims_add(&o->claims, rel)) {
			diag_error(NULL, 0, 0, "'%s' is written twice", rel);
			return -1;
		}
		return 0;
	}
	if (o->reusing && output_claim(o, rel) < 0)
		return -1;
	err = link_or_copy(dirfd_, name, o->staging_fd, rel);
	if (err == ENOENT && strchr(rel, '/')) {
		if (output_make_parents(o, rel) < 0)
			return -1;
		err = link_or_copy(dirfd_, name, o->staging_fd, rel);
	}
	if (err == EEXIST)
		diag_error(NULL, 0, 0, "'%s' is written twice", rel);
	else if (err)
		output_staging_error(o, rel, "cannot link", err);
	return err ? -1 : 0;
}

int output_export(struct output *o, const char *rel, int dirfd_,
                  const char *name)
{
	int err = link_or_copy(o->staging_fd, rel, dirfd_, name);

	if (err)
		output_staging_error(o, rel, "cannot keep in the cache", err);
	return err ? -1 : 0;
}

void output_keep_spare(struct output *o)
{
	if (rename(o->trash, o->spare) == 0)
		return;
	/* no room to keep it (another file system?): remove it */
	fs_remove_tree(o->trash, DIAG_WARNING);
}
