/*
 * fs: small file-system helpers (see fs.h). Every descriptor is opened
 * with O_CLOEXEC; nothing here follows a symbolic link it did not have to
 * (fs_read opens what it is given, like any reader).
 */
#include "fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

int fs_read(const char *path, size_t max, struct buf *out)
{
	struct stat st;
	size_t start = out->len;
	int fd, ret = -1, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto out;
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		goto out;
	}
	if (max && (size_t)st.st_size > max) {
		errno = EFBIG;
		goto out;
	}
	buf_grow(out, (size_t)st.st_size);
	for (;;) {
		ssize_t n;

		buf_grow(out, 65536);
		n = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->data[out->len] = '\0';
		if (max && out->len - start > max) {
			errno = EFBIG;
			goto out;
		}
	}
	ret = 0;
out:
	saved = errno;
	close(fd);
	errno = saved;
	return ret;
}

int fs_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *fs_join(const char *a, const char *b)
{
	struct buf r = BUF_INIT;

	if (a[0] && strcmp(a, ".") != 0) {
		buf_puts(&r, a);
		if (r.len && r.data[r.len - 1] != '/')
			buf_putc(&r, '/');
	}
	buf_puts(&r, b);
	return buf_detach(&r);
}

/* Empties the directory top one level down: unlinks its files and links
 * and pushes its subdirectories on the stack (*pushed set). Returns 0 or
 * an errno value. */
static int clear_dir(const char *top, char ***stack, size_t *n, size_t *cap,
                     int *pushed)
{
	struct dirent *e;
	struct stat st;
	int fd, err = 0;
	DIR *d;

	fd = open(top, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (!(d = fdopendir(fd))) {
		err = errno;
		close(fd);
		return err;
	}
	while (!err && (e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		/* d_type saves a stat per entry; a link is DT_LNK, never
		 * followed */
		if (e->d_type == DT_DIR ||
		    (e->d_type == DT_UNKNOWN &&
		     fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		     S_ISDIR(st.st_mode))) {
			char *child = fs_join(top, e->d_name);

			*stack = xgrow(*stack, cap, *n + 1, sizeof **stack);
			(*stack)[(*n)++] = child;
			*pushed = 1;
		} else if (unlinkat(fd, e->d_name, 0) < 0 && errno != ENOENT) {
			err = errno;
		}
	}
	closedir(d);
	return err;
}

/* A stack of directories: each is emptied (its subdirectories pushed),
 * then found empty on a second visit and removed. */
int fs_remove_tree(const char *root, enum diag_level level)
{
	char **stack = NULL, tmp[128];
	size_t n = 0, cap = 0;
	int ret = -1;

	stack = xgrow(stack, &cap, 1, sizeof *stack);
	stack[n++] = xstrdup(root);
	while (n > 0) {
		const char *top = stack[n - 1];
		int pushed = 0, err;

		err = clear_dir(top, &stack, &n, &cap, &pushed);
		if (!err && pushed)
			continue; /* the subdirectories first, then top again */
		if (!err && rmdir(top) < 0)
			err = errno;
		if (err) {
			/* strerror is not thread-safe; this is the XSI one */
			if (strerror_r(err, tmp, sizeof tmp) != 0)
				snprintf(tmp, sizeof tmp, "error %d", err);
			diag_report(level, top, 0, 0, "cannot remove: %s", tmp);
			goto out;
		}
		free(stack[--n]);
	}
	ret = 0;
out:
	while (n > 0)
		free(stack[--n]);
	free(stack);
	return ret;
}
