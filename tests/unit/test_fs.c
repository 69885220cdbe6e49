/*
 * Unit tests of fs.c: fs_read (size limit, EFBIG, a directory, a fifo that
 * must not hang), fs_is_dir, fs_join and fs_remove_tree (links never
 * followed, deep trees, failures reported through diag). Fixtures live in
 * a fresh directory under build/tmp, removed at the end.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "fs.h"
#include "test.h"

static char top[] = "build/tmp/fs-XXXXXX";
static FILE *diag_file;
static char diag_buf[8192];

/* The path name under the fixture directory, in a static buffer (one at a
 * time). */
static const char *at(const char *name)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", top, name);
	return path;
}

static void put(const char *name, const char *text, size_t len)
{
	FILE *f = fopen(at(name), "wb");

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(fwrite(text, 1, len, f) == len);
	fclose(f);
}

static int exists(const char *name)
{
	struct stat st;

	return lstat(at(name), &st) == 0;
}

/* Starts capturing diagnostics afresh. */
static void diag_begin(void)
{
	rewind(diag_file);
	CHECK(ftruncate(fileno(diag_file), 0) == 0);
	diag_reset();
}

/* The diagnostics printed since diag_begin. */
static const char *diag_text(void)
{
	size_t n;

	fflush(diag_file);
	rewind(diag_file);
	n = fread(diag_buf, 1, sizeof diag_buf - 1, diag_file);
	diag_buf[n] = '\0';
	return diag_buf;
}

static void test_read(void)
{
	struct buf b = BUF_INIT;
	struct buf big = BUF_INIT;
	size_t i;

	put("five", "hello", 5);
	put("empty", "", 0);
	buf_puts(&b, "x:");
	CHECK(fs_read(at("five"), 0, &b) == 0); /* 0: no limit */
	CHECK_STR(buf_str(&b), "x:hello");
	CHECK(fs_read(at("five"), 5, &b) == 0); /* exactly the limit */
	CHECK_STR(buf_str(&b), "x:hellohello");
	errno = 0;
	CHECK(fs_read(at("five"), 4, &b) == -1);
	CHECK(errno == EFBIG);
	CHECK(b.len == 12); /* nothing appended */
	CHECK_STR(buf_str(&b), "x:hellohello");
	CHECK(fs_read(at("empty"), 1, &b) == 0);
	CHECK(b.len == 12);
	/* larger than one read: whole and exact */
	for (i = 0; i < 200000; i++)
		buf_putc(&big, (char)('a' + i % 26));
	put("big", big.data, big.len);
	buf_reset(&b);
	CHECK(fs_read(at("big"), 200000, &b) == 0);
	CHECK(b.len == big.len && memcmp(b.data, big.data, big.len) == 0);
	CHECK(b.data[b.len] == '\0');
	buf_reset(&b);
	CHECK(fs_read(at("big"), 199999, &b) == -1 && errno == EFBIG);
	CHECK(b.len == 0);
	buf_free(&b);
	buf_free(&big);
}

/* Only regular files are read; a fifo without a writer must fail at once
 * (the alarm kills the test if it hangs). */
static void test_read_special(void)
{
	struct buf b = BUF_INIT;

	CHECK(mkdir(at("dir"), 0755) == 0);
	errno = 0;
	CHECK(fs_read(at("dir"), 0, &b) == -1 && errno == EISDIR);
	CHECK(mkfifo(at("fifo"), 0644) == 0);
	alarm(10);
	errno = 0;
	CHECK(fs_read(at("fifo"), 0, &b) == -1 && errno == EINVAL);
	alarm(0);
	errno = 0;
	CHECK(fs_read(at("missing"), 0, &b) == -1 && errno == ENOENT);
	CHECK(b.len == 0);
	buf_free(&b);
}

static void test_is_dir(void)
{
	put("file", "x", 1);
	CHECK(mkdir(at("d"), 0755) == 0);
	CHECK(symlink("d", at("link-d")) == 0);
	CHECK(fs_is_dir(at("d")) == 1);
	CHECK(fs_is_dir(at("link-d")) == 1); /* follows, as stat */
	CHECK(fs_is_dir(at("file")) == 0);
	CHECK(fs_is_dir(at("nothing")) == 0);
}

#define CHECK_JOIN(a, b, expected)                                             \
	do {                                                                   \
		char *got_ = fs_join(a, b);                                    \
		CHECK_STR(got_, expected);                                     \
		free(got_);                                                    \
	} while (0)

static void test_join(void)
{
	CHECK_JOIN("", "b", "b");
	CHECK_JOIN(".", "b", "b");
	CHECK_JOIN("a", "b", "a/b");
	CHECK_JOIN("a/", "b", "a/b");
	CHECK_JOIN("/", "b", "/b");
	CHECK_JOIN("a/b", "c/d.md", "a/b/c/d.md");
	CHECK_JOIN("./a", "", "./a/");
}

/* Files, empty directories, a deep chain, a fifo and links of every kind
 * inside; the targets of the links, outside, survive. */
static void test_remove_tree(void)
{
	char chain[256] = "tree/deep";
	int i;

	CHECK(mkdir(at("outside"), 0755) == 0);
	CHECK(mkdir(at("outside/dir"), 0755) == 0);
	put("outside/dir/inner.txt", "keep", 4);
	put("outside/keep.txt", "keep", 4);
	CHECK(mkdir(at("tree"), 0755) == 0);
	CHECK(mkdir(at("tree/sub"), 0755) == 0);
	CHECK(mkdir(at("tree/sub/empty"), 0755) == 0);
	put("tree/a.txt", "a", 1);
	put("tree/sub/b.txt", "b", 1);
	for (i = 0; i < 60; i++) {
		CHECK(mkdir(at(chain), 0755) == 0);
		strcat(chain, "/d");
	}
	put(chain, "bottom", 6);
	CHECK(symlink("../outside/dir", at("tree/link-dir")) == 0);
	CHECK(symlink("../../outside/keep.txt", at("tree/sub/link-file")) == 0);
	CHECK(symlink("nowhere", at("tree/dangling")) == 0);
	CHECK(mkfifo(at("tree/sub/fifo"), 0644) == 0);
	diag_begin();
	CHECK(fs_remove_tree(at("tree"), DIAG_ERROR) == 0);
	CHECK_STR(diag_text(), "");
	CHECK(diag_errors() == 0);
	CHECK(!exists("tree"));
	CHECK(exists("outside/dir/inner.txt"));
	CHECK(exists("outside/keep.txt"));
	/* an empty directory */
	CHECK(mkdir(at("bare"), 0755) == 0);
	CHECK(fs_remove_tree(at("bare"), DIAG_ERROR) == 0);
	CHECK(!exists("bare"));
}

/* A root that is a link, a file or missing is a failure reported at the
 * level asked for; nothing is removed through the link. */
static void test_remove_tree_refusals(void)
{
	char want[PATH_MAX + 64];

	CHECK(mkdir(at("target"), 0755) == 0);
	put("target/f", "x", 1);
	CHECK(symlink("target", at("via-link")) == 0);
	diag_begin();
	CHECK(fs_remove_tree(at("via-link"), DIAG_ERROR) == -1);
	snprintf(want, sizeof want,
	         "%s: error: cannot remove: ", at("via-link"));
	CHECK_HAS(diag_text(), want);
	CHECK(diag_errors() == 1);
	CHECK(exists("via-link") && exists("target/f"));
	put("plain", "x", 1);
	diag_begin();
	CHECK(fs_remove_tree(at("plain"), DIAG_WARNING) == -1);
	snprintf(want, sizeof want,
	         "%s: warning: cannot remove: Not a directory\n", at("plain"));
	CHECK_STR(diag_text(), want);
	CHECK(diag_errors() == 0 && diag_warnings() == 1);
	CHECK(exists("plain"));
	diag_begin();
	CHECK(fs_remove_tree(at("missing"), DIAG_ERROR) == -1);
	snprintf(want, sizeof want,
	         "%s: error: cannot remove: No such file or directory\n",
	         at("missing"));
	CHECK_STR(diag_text(), want);
}

/* Paths are built from the root: a tree deeper than PATH_MAX bytes fails
 * where the path gets too long, and the removal stops there. Made and
 * cleaned up through directory descriptors, one level at a time. */
static void test_remove_tree_too_long(void)
{
	enum { LEVELS = PATH_MAX / 200 + 2 };
	int fds[LEVELS + 1], i;
	char name[201];

	memset(name, 'n', 200);
	name[200] = '\0';
	CHECK(mkdir(at("long"), 0755) == 0);
	fds[0] = open(at("long"), O_RDONLY | O_DIRECTORY);
	CHECK(fds[0] >= 0);
	for (i = 0; i < LEVELS; i++) {
		CHECK(mkdirat(fds[i], name, 0755) == 0);
		fds[i + 1] = openat(fds[i], name, O_RDONLY | O_DIRECTORY);
		CHECK(fds[i + 1] >= 0);
	}
	diag_begin();
	CHECK(fs_remove_tree(at("long"), DIAG_ERROR) == -1);
	CHECK_HAS(diag_text(), ": error: cannot remove: File name too long\n");
	CHECK(diag_errors() == 1);
	CHECK(exists("long"));
	for (i = LEVELS; i > 0; i--) {
		close(fds[i]);
		CHECK(unlinkat(fds[i - 1], name, AT_REMOVEDIR) == 0);
	}
	close(fds[0]);
	CHECK(rmdir(at("long")) == 0);
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int main(void)
{
	mkdir("build", 0755);
	mkdir("build/tmp", 0755);
	diag_file = tmpfile();
	if (!mkdtemp(top) || !diag_file) {
		perror("test_fs: temporary directory");
		return 1;
	}
	diag_set_stream(diag_file);
	RUN(test_read);
	RUN(test_read_special);
	RUN(test_is_dir);
	RUN(test_join);
	RUN(test_remove_tree);
	RUN(test_remove_tree_refusals);
	RUN(test_remove_tree_too_long);
	diag_set_stream(NULL);
	fclose(diag_file);
	diag_reset();
	if (nftw(top, remove_entry, 16, FTW_DEPTH | FTW_PHYS))
		perror("test_fs: clean-up");
	TEST_END();
}
