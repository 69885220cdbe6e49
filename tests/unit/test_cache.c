/*
 * Unit tests of cache (entries kept as hard links, checked before use,
 * collected) and of the output's reuse of its previous tree
 * (output_begin_reuse: files in place stay, the rest is replaced or
 * pruned). Everything happens in a temporary directory under build/tmp.
 */
#define _XOPEN_SOURCE 700 /* nftw, for the final clean-up */

#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "diag.h"
#include "output.h"
#include "test.h"
#include "testutil.h"

#define KEY_A "aaaa000000000000000000000000000000000000000000000000000000000000"
#define KEY_B "bbbb000000000000000000000000000000000000000000000000000000000000"

static const char *get_file(const char *path)
{
	static char text[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return "(missing)";
	n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static ino_t inode(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? st.st_ino : 0;
}

/* A build that renders document A (two files) and stores it. */
static int build_a(struct cache *c, const char *text)
{
	struct output *o = output_begin_reuse("site/public", cache_spare(c));
	char r0[] = "a/index.html", r1[] = "a/data.json";
	char *rels[] = {r0, r1};
	struct cache_counts k = {1, 0, 0, 0};

	if (!o)
		return -1;
	if (output_write(o, rels[0], text, strlen(text)) < 0 ||
	    output_write(o, rels[1], "{}", 2) < 0) {
		output_abort(o);
		return -1;
	}
	cache_store(c, KEY_A, o, rels, 2, &k, "note A", 6);
	return output_commit(o);
}

static void test_store_fetch_and_reuse(void)
{
	struct buf note = BUF_INIT;
	struct cache *c;
	struct output *o;
	struct cache_counts k = {0, 0, 0, 0};

	diag_reset();
	mkdir("site", 0755);
	c = cache_open("site/.paraphe-cache/public");
	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_STR(
	    get_file("site/.paraphe-cache/.gitignore"),
	    "# paraphe's cache (paraphe build --no-cache ignores it)\n*\n");
	CHECK(build_a(c, "<p>A</p>") == 0);
	cache_close(c, 1);
	CHECK(exists("site/.paraphe-cache/public/docs/" KEY_A "/index"));
	CHECK(inode("site/.paraphe-cache/public/docs/" KEY_A "/0") ==
	      inode("site/public/a/index.html"));

	/* a second build: the first output becomes the spare, a stray file
	 * is not carried over, the hit is linked */
	test_put("site/public/stray.html", "stray");
	c = cache_open("site/.paraphe-cache/public");
	o = output_begin_reuse("site/public", cache_spare(c));
	CHECK(o != NULL);
	if (!o)
		return;
	CHECK(cache_fetch(c, KEY_A, o, &k, &note) == 1);
	CHECK(k.pages == 1);
	CHECK_STR(buf_str(&note), "note A"); /* kept with the entry */
	CHECK(cache_fetch(c, KEY_B, o, &k, &note) == 0);
	CHECK_STR(buf_str(&note), "note A");
	buf_free(&note);
	CHECK(output_write(o, "b/index.html", "B", 1) == 0);
	CHECK(output_commit(o) == 0);
	cache_close(c, 1);
	CHECK_STR(get_file("site/public/a/index.html"), "<p>A</p>");
	CHECK_STR(get_file("site/public/b/index.html"), "B");
	CHECK(exists("site/.paraphe-cache/public/spare/stray.html"));

	/* a third build reuses the tree holding stray.html: pruned, and the
	 * directory of a document no longer written goes too */
	c = cache_open("site/.paraphe-cache/public");
	o = output_begin_reuse("site/public", cache_spare(c));
	CHECK(o != NULL);
	if (!o)
		return;
	CHECK(cache_fetch(c, KEY_A, o, &k, &note) == 1);
	buf_free(&note);
	CHECK(output_commit(o) == 0);
	cache_close(c, 1);
	CHECK(!exists("site/public/stray.html"));
	CHECK(!exists("site/public/b"));
	CHECK_STR(get_file("site/public/a/data.json"), "{}");
	CHECK(exists("site/public/.paraphe"));
	CHECK(!exists("site/public/.paraphe-staging"));
	CHECK(diag_errors() == 0);
}

static void test_edited_file_is_a_miss(void)
{
	struct buf note = BUF_INIT;
	struct cache *c = cache_open("site/.paraphe-cache/public");
	struct cache_counts k;
	struct output *o;
	FILE *f;

	CHECK(c != NULL);
	if (!c)
		return;
	/* edited in place: the entry shares the inode, so it changed too */
	f = fopen("site/public/a/index.html", "a");
	CHECK(f != NULL);
	if (f) {
		fputs("vandalised", f);
		fclose(f);
	}
	o = output_begin_reuse("site/public", cache_spare(c));
	CHECK(o != NULL);
	if (!o)
		return;
	CHECK(cache_fetch(c, KEY_A, o, &k, &note) == 0);
	CHECK(!exists("site/.paraphe-cache/public/docs/" KEY_A));
	output_abort(o);
	CHECK(build_a(c, "<p>A2</p>") == 0);
	cache_close(c, 1);
	CHECK_STR(get_file("site/public/a/index.html"), "<p>A2</p>");
}

static void test_collect_unused(void)
{
	struct cache *c = cache_open("site/.paraphe-cache/public");
	struct output *o;

	CHECK(c != NULL);
	if (!c)
		return;
	o = output_begin_reuse("site/public", cache_spare(c));
	CHECK(o != NULL);
	if (!o)
		return;
	CHECK(output_write(o, "index.html", "home", 4) == 0);
	CHECK(output_commit(o) == 0);
	cache_close(c, 1); /* KEY_A was not used by this build */
	CHECK(!exists("site/.paraphe-cache/public/docs/" KEY_A));
	CHECK(!exists("site/public/a"));
}

static void test_damaged_index(void)
{
	struct buf note = BUF_INIT;
	struct cache *c = cache_open("site/.paraphe-cache/public");
	struct cache_counts k;
	struct output *o;

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK(build_a(c, "<p>A</p>") == 0);
	test_put("site/.paraphe-cache/public/docs/" KEY_A "/index",
	         "paraphe-cache 2 1 0 0 0 2\n3 0 0 a/index.html\n");
	o = output_begin_reuse("site/public", cache_spare(c));
	CHECK(o != NULL);
	if (!o)
		return;
	CHECK(cache_fetch(c, KEY_A, o, &k, &note) == 0);
	output_abort(o);
	cache_close(c, 0);
	CHECK(!exists("site/.paraphe-cache/public/docs/" KEY_A));
}

static void test_reuse_written_twice_and_shapes(void)
{
	struct cache *c = cache_open("site/.paraphe-cache/public");
	struct output *o;

	CHECK(c != NULL);
	if (!c)
		return;
	diag_reset();
	o = output_begin_reuse("site/public", cache_spare(c));
	CHECK(o != NULL);
	if (!o)
		return;
	CHECK(output_write(o, "x", "file", 4) == 0);
	CHECK(output_write(o, "a/index.html", "dir", 3) == 0);
	CHECK(output_write(o, "x", "again", 5) < 0);
	CHECK(diag_errors() == 1);
	CHECK(output_commit(o) == 0);
	diag_reset();
	/* the next build has x as a directory where the spare has a file,
	 * and a file where it had a directory */
	o = output_begin_reuse("site/public", cache_spare(c));
	CHECK(output_commit(o) == 0);
	o = output_begin_reuse("site/public", cache_spare(c));
	CHECK(o != NULL);
	if (!o)
		return;
	CHECK(output_write(o, "x/index.html", "dir", 3) == 0);
	CHECK(output_write(o, "a", "now a file", 10) == 0);
	CHECK(output_commit(o) == 0);
	cache_close(c, 1);
	CHECK_STR(get_file("site/public/x/index.html"), "dir");
	CHECK_STR(get_file("site/public/a"), "now a file");
	CHECK(diag_errors() == 0);
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int main(void)
{
	char root[] = "build/tmp/cache-XXXXXX", cwd[4096];
	FILE *quiet = tmpfile();

	mkdir("build", 0755);
	mkdir("build/tmp", 0755);
	if (!getcwd(cwd, sizeof cwd) || !mkdtemp(root) || chdir(root) < 0) {
		perror("test_cache: temporary directory");
		return 1;
	}
	diag_set_stream(quiet);
	RUN(test_store_fetch_and_reuse);
	RUN(test_edited_file_is_a_miss);
	RUN(test_collect_unused);
	RUN(test_damaged_index);
	RUN(test_reuse_written_twice_and_shapes);
	diag_set_stream(NULL);
	if (quiet)
		fclose(quiet);
	if (chdir(cwd) < 0 ||
	    nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS))
		perror("test_cache: clean-up");
	TEST_END();
}
