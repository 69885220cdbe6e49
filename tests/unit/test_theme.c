/*
 * Unit tests of theme.c. The built-in theme's content is whatever
 * themes/default holds, so the tests only assume that its files are
 * there, and build site themes in a temporary directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "embed.h"
#include "test.h"
#include "theme.h"

#define BUILTIN "themes/default/"

static char top[4096];      /* the directory the tests started in */
static char tmp[4096 + 64]; /* the site: a temporary directory */
static FILE *diag_file;
static char diag_text[4096];

static void diag_begin(void)
{
	diag_file = tmpfile();
	diag_set_stream(diag_file);
}

static const char *diag_end(void)
{
	size_t n;

	rewind(diag_file);
	n = fread(diag_text, 1, sizeof(diag_text) - 1, diag_file);
	diag_text[n] = '\0';
	fclose(diag_file);
	diag_set_stream(NULL);
	return diag_text;
}

/* Writes data to path (relative to the site), making parents. */
static void put(const char *path, const char *data)
{
	char dir[4096], *p;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", path);
	for (p = strchr(dir, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(data, f);
		fclose(f);
	}
}

static void rm_tree(const char *path)
{
	struct dirent *e;
	struct stat st;
	char sub[4096];
	DIR *d;

	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
	    (d = opendir(path))) {
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
				snprintf(sub, sizeof(sub), "%s/%s", path,
				         e->d_name);
				rm_tree(sub);
			}
		closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* Makes an empty site directory and enters it. */
static void site_begin(void)
{
	char parent[4096 + 16];

	snprintf(parent, sizeof(parent), "%s/build/tmp", top);
	mkdir(parent, 0755);
	snprintf(tmp, sizeof(tmp), "%s/theme-XXXXXX", parent);
	CHECK(mkdtemp(tmp) != NULL);
	CHECK(chdir(tmp) == 0);
}

static void site_end(void)
{
	CHECK(chdir(top) == 0);
	rm_tree(tmp);
}

/* The number of built-in theme files, and the name of the first built-in
 * template (NULL when there is none). */
static size_t builtin(const char **first_template)
{
	size_t i, n = 0, k = strlen(BUILTIN);

	*first_template = NULL;
	for (i = 0; i < embed_nfiles; i++) {
		if (strncmp(embed_files[i].path, BUILTIN, k) != 0)
			continue;
		n++;
		if (!*first_template &&
		    !strncmp(embed_files[i].path + k, "templates/", 10))
			*first_template = embed_files[i].path + k;
	}
	return n;
}

static void test_builtin(void)
{
	struct theme t;
	const char *first;
	size_t n = builtin(&first), i;

	site_begin();
	CHECK(theme_load(&t, "default") == 0);
	CHECK(t.nfiles == n);
	for (i = 0; i < t.nfiles; i++) {
		CHECK(strncmp(t.files[i].origin, BUILTIN, strlen(BUILTIN)) ==
		      0);
		CHECK_STR(t.files[i].origin + strlen(BUILTIN), t.files[i].name);
		CHECK(t.files[i].data[t.files[i].len] == '\0');
		if (i)
			CHECK(strcmp(t.files[i - 1].name, t.files[i].name) < 0);
		CHECK(theme_find(&t, t.files[i].name) == &t.files[i]);
	}
	CHECK(theme_find(&t, "templates/none.html") == NULL);
	CHECK(theme_find(&t, "") == NULL);
	theme_free(&t);
	theme_free(&t);
	theme_free(NULL);
	site_end();
}

static void test_overlay(void)
{
	char path[4096];
	const char *first;
	const struct theme_file *f;
	size_t n = builtin(&first);
	struct theme t;

	site_begin();
	if (first) {
		snprintf(path, sizeof(path), "themes/mine/%s", first);
		put(path, "MINE");
	}
	put("themes/mine/templates/zz/new.html", "new");
	put("themes/mine/static/css/x.css", "css");
	put("themes/mine/static/.hidden", "no");
	put("themes/mine/.git/config", "no");
	put("themes/mine/templates/.draft/a.html", "no");
	put("themes/mine/README", "not in templates/ or static/");
	CHECK(theme_load(&t, "mine") == 0);
	CHECK(t.nfiles == n + 2);
	if (first) {
		f = theme_find(&t, first);
		CHECK(f && !strcmp(f->data, "MINE") && f->len == 4);
		snprintf(path, sizeof(path), "themes/mine/%s", first);
		CHECK(f && !strcmp(f->origin, path));
	}
	f = theme_find(&t, "templates/zz/new.html");
	CHECK(f && !strcmp(f->data, "new") &&
	      !strcmp(f->origin, "themes/mine/templates/zz/new.html"));
	f = theme_find(&t, "static/css/x.css");
	CHECK(f && !strcmp(f->data, "css"));
	CHECK(!theme_find(&t, "static/.hidden"));
	CHECK(!theme_find(&t, "README"));
	for (size_t i = 1; i < t.nfiles; i++)
		CHECK(strcmp(t.files[i - 1].name, t.files[i].name) < 0);
	theme_free(&t);
	/* themes/default/ of the site overrides the built-in theme too. */
	put("themes/default/templates/zz/mine.html", "d");
	CHECK(theme_load(&t, "default") == 0);
	CHECK(t.nfiles == n + 1);
	f = theme_find(&t, "templates/zz/mine.html");
	CHECK(f && !strcmp(f->origin, "themes/default/templates/zz/mine.html"));
	theme_free(&t);
	site_end();
}

static void test_errors(void)
{
	char outside[4096 + 128];
	struct theme t;
	int fd;

	site_begin();
	diag_begin();
	CHECK(theme_load(&t, "nope") == -1);
	CHECK(t.nfiles == 0 && t.files == NULL);
	CHECK(theme_load(&t, "../x") == -1);
	CHECK_STR(diag_end(), "themes/nope: error: theme \"nope\" not found\n"
	                      "paraphe: error: invalid theme name \"../x\"\n");

	/* A link leaving the site, a broken link, an oversized file: each
	 * reported; a link inside the site is followed. */
	snprintf(outside, sizeof(outside), "%s.out", tmp);
	put("themes/bad/templates/ok.html", "ok");
	put(outside, "secret");
	CHECK(symlink(outside, "themes/bad/templates/evil.html") == 0);
	CHECK(symlink("nowhere", "themes/bad/templates/broken.html") == 0);
	CHECK(symlink("ok.html", "themes/bad/templates/same.html") == 0);
	fd = open("themes/bad/static/big.bin", O_WRONLY | O_CREAT, 0644);
	if (fd < 0 && mkdir("themes/bad/static", 0755) == 0)
		fd =
		    open("themes/bad/static/big.bin", O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0 && ftruncate(fd, 16 * 1024 * 1024 + 1) == 0);
	close(fd);
	diag_begin();
	CHECK(theme_load(&t, "bad") == -1);
	CHECK_STR(
	    diag_end(),
	    "themes/bad/templates/broken.html: error: broken symbolic "
	    "link\n"
	    "themes/bad/templates/evil.html: error: symbolic link leads "
	    "outside the site\n"
	    "themes/bad/static/big.bin: error: file larger than 16 MiB\n");
	CHECK(t.nfiles == 0);
	unlink("themes/bad/templates/evil.html");
	unlink("themes/bad/templates/broken.html");
	unlink("themes/bad/static/big.bin");
	CHECK(theme_load(&t, "bad") == 0);
	CHECK(theme_find(&t, "templates/same.html") &&
	      !strcmp(theme_find(&t, "templates/same.html")->data, "ok"));
	theme_free(&t);

	/* A theme directory that is a link out of the site. */
	CHECK(mkdir("themes", 0755) == 0 || errno == EEXIST);
	snprintf(outside, sizeof(outside), "%s.dir", tmp);
	mkdir(outside, 0755);
	CHECK(symlink(outside, "themes/far") == 0);
	diag_begin();
	CHECK(theme_load(&t, "far") == -1);
	CHECK_STR(diag_end(),
	          "themes/far: error: symbolic link leads outside the site\n");
	rmdir(outside);
	snprintf(outside, sizeof(outside), "%s.out", tmp);
	unlink(outside);
	site_end();
}

int main(void)
{
	if (!getcwd(top, sizeof(top)))
		return 1;
	RUN(test_builtin);
	RUN(test_overlay);
	RUN(test_errors);
	TEST_END();
}
