/*
 * fs: small file-system helpers (see fs.h).
 */
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
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
