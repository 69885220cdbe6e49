/*
 * output_write: files into the staging directory (see output.h): paths
 * checked, parent directories made, every file created anew with
 * O_EXCL | O_NOFOLLOW through the staging directory's descriptor.
 */
#include "output_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"

#define SEGMENT_MAX 255

/* Why rel cannot be an output path, or NULL when it can: it must be
 * relative, with "/" separators, no empty, "." or ".." segment, no
 * backslash, not too long, and must not take a marker's name. */
static const char *rel_problem(const char *rel)
{
	const char *seg = rel, *end;
	size_t n = strlen(rel);

	if (n == 0)
		return "is empty";
	if (n > REL_MAX)
		return "is too long";
	if (rel[0] == '/')
		return "is absolute";
	if (strchr(rel, '\\'))
		return "contains a backslash";
	for (;;) {
		end = strchr(seg, '/');
		n = end ? (size_t)(end - seg) : strlen(seg);
		if (n == 0)
			return "has an empty segment";
		if ((n == 1 && seg[0] == '.') ||
		    (n == 2 && !strncmp(seg, "..", 2)))
			return "has a '.' or '..' segment";
		if (n > SEGMENT_MAX)
			return "has a name that is too long";
		if (!end)
			break;
		seg = end + 1;
	}
	n = strcspn(rel, "/");
	if ((n == strlen(MARKER) && !strncmp(rel, MARKER, n)) ||
	    (n == strlen(STAGING_MARKER) && !strncmp(rel, STAGING_MARKER, n)))
		return "is reserved for paraphe's marker";
	return NULL;
}

int output_check_rel(const char *rel)
{
	const char *problem = rel_problem(rel);

	if (!problem)
		return 0;
	diag_error(NULL, 0, 0, "output path '%s' %s", rel, problem);
	return -1;
}

/* Creates the directories above rel inside the staging directory. Another
 * thread may be creating the same ones: EEXIST means done. */
int output_make_parents(const struct output *o, const char *rel)
{
	char tmp[REL_MAX + 1], *p;

	snprintf(tmp, sizeof tmp, "%s", rel);
	for (p = strchr(tmp, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdirat(o->staging_fd, tmp, 0755) < 0 && errno != EEXIST) {
			output_staging_error(o, tmp, "cannot create directory",
			                     errno);
			return -1;
		}
		*p = '/';
	}
	return 0;
}

/* Creates the new file rel (checked) in the staging directory, with its
 * parent directories; returns its descriptor, or -1 after reporting. */
static int create_file(struct output *o, const char *rel)
{
	const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	int fd;

	if (o->reusing && output_claim(o, rel) < 0)
		return -1;
	fd = openat(o->staging_fd, rel, flags, 0644);
	if (fd < 0 && errno == ENOENT && strchr(rel, '/')) {
		if (output_make_parents(o, rel) < 0)
			return -1;
		fd = openat(o->staging_fd, rel, flags, 0644);
	}
	if (fd >= 0)
		return fd;
	if (errno == EEXIST)
		diag_error(NULL, 0, 0, "'%s' is written twice", rel);
	else
		output_staging_error(o, rel, "cannot create", errno);
	return -1;
}

/* Writes all of p, retrying short writes and EINTR; returns 0 or errno. */
int output_write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int output_write_file(struct output *o, const char *rel, const char *data,
                      size_t len)
{
	int fd, err;

	fd = create_file(o, rel);
	if (fd < 0)
		return -1;
	err = output_write_all(fd, data, len);
	if (close(fd) < 0 && !err)
		err = errno;
	if (err)
		output_staging_error(o, rel, "cannot write", err);
	return err ? -1 : 0;
}

int output_write(struct output *o, const char *rel, const char *data,
                 size_t len)
{
	if (output_check_rel(rel) < 0)
		return -1;
	return output_write_file(o, rel, data, len);
}

/* Copies the open file sfd (named src) to the open file dfd (rel). */
static int copy_fd(const struct output *o, const char *rel, int dfd,
                   const char *src, int sfd)
{
	char chunk[32768];
	ssize_t n;
	int err;

	for (;;) {
		n = read(sfd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			output_io_error(src, "cannot read", errno);
			return -1;
		}
		if (n == 0)
			return 0;
		if ((err = output_write_all(dfd, chunk, (size_t)n)) != 0) {
			output_staging_error(o, rel, "cannot write", err);
			return -1;
		}
	}
}

int output_copy(struct output *o, const char *rel, const char *src)
{
	int ret = -1, sfd = -1, dfd = -1;
	struct stat st;

	if (output_check_rel(rel) < 0)
		goto out;
	/* O_NONBLOCK: opening a FIFO must not hang; fstat refuses it. */
	sfd = open(src, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (sfd < 0) {
		if (errno == ELOOP)
			diag_error(src, 0, 0,
			           "is a symbolic link; refusing to copy it");
		else
			output_io_error(src, "cannot open", errno);
		goto out;
	}
	if (fstat(sfd, &st) < 0) {
		output_io_error(src, "cannot examine", errno);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_error(src, 0, 0,
		           "not a regular file; refusing to copy it");
		goto out;
	}
	if ((dfd = create_file(o, rel)) < 0 || copy_fd(o, rel, dfd, src, sfd))
		goto out;
	ret = 0;
out:
	if (dfd >= 0 && close(dfd) < 0 && ret == 0) {
		output_staging_error(o, rel, "cannot write", errno);
		ret = -1;
	}
	if (sfd >= 0)
		close(sfd);
	return ret;
}
