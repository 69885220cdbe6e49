/*
 * Unit tests of load on worker threads (-j): the pages, versions and
 * diagnostics of a build are the same for any number of workers, and the
 * diagnostics come in document order. Sites are written under build/tmp;
 * the git fixture is made by tests/fixtures/make-repo.sh.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "history.h"
#include "load.h"
#include "markdown.h"
#include "scan.h"
#include "site.h"
#include "test.h"
#include "testutil.h"
#include "value.h"

static char top[PATH_MAX]; /* the directory the tests started in */
static char dir[PATH_MAX]; /* the test's temporary directory */
static FILE *diag_file;

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Makes a fresh temporary directory (with the git fixture KIND in it when
 * kind is not NULL) and changes into it; diagnostics go to a tmpfile. */
static int begin(const char *kind)
{
	char tmpl[PATH_MAX] = "build/tmp/load-XXXXXX";
	struct buf cmd = BUF_INIT;
	int ok;

	mkdir("build", 0755);
	mkdir("build/tmp", 0755);
	CHECK(mkdtemp(tmpl) != NULL);
	CHECK(realpath(tmpl, dir) != NULL);
	if (kind) {
		buf_printf(&cmd,
		           "sh '%s/tests/fixtures/make-repo.sh' %s '%s/repo'",
		           top, kind, dir);
		CHECK(system(cmd.data) == 0);
		buf_reset(&cmd);
		buf_printf(&cmd, "%s/repo", dir);
	} else
		buf_puts(&cmd, dir);
	ok = chdir(cmd.data) == 0;
	buf_free(&cmd);
	if (!ok) {
		CHECK(!"cannot enter the test directory");
		return -1;
	}
	diag_file = tmpfile();
	diag_set_stream(diag_file);
	diag_reset();
	return 0;
}

static void end(void)
{
	CHECK(chdir(top) == 0);
	CHECK(nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) == 0);
	diag_set_stream(NULL);
	if (diag_file)
		fclose(diag_file);
	diag_file = NULL;
	diag_reset();
}

/* The diagnostics printed since the last call; the caller frees. */
static char *diags(void)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	fflush(diag_file);
	rewind(diag_file);
	while ((n = fread(chunk, 1, sizeof(chunk), diag_file)) > 0)
		buf_put(&b, chunk, n);
	rewind(diag_file);
	CHECK(ftruncate(fileno(diag_file), 0) == 0);
	buf_puts(&b, "");
	return buf_detach(&b);
}

static void config_init(struct config *cfg, int jobs)
{
	static char content[] = "content", output[] = "public",
	            title[] = "Site";

	memset(cfg, 0, sizeof(*cfg));
	cfg->content = content;
	cfg->output = output;
	cfg->title = title;
	cfg->history = HISTORY_GIT;
	cfg->jobs = jobs;
}

/* One line per page: its title and text. */
static void dump_page(struct buf *b, const char *what, const struct page *p)
{
	buf_printf(b, "%s: ", what);
	if (!p) {
		buf_puts(b, "(none)\n");
		return;
	}
	buf_printf(b, "%s [%s] ", p->title, p->type);
	markdown_text(load_markdown((struct page *)p), b);
	buf_putc(b, '\n');
}

/* Every page of the site, versions and their sub-pages included. */
static char *dump_site(const struct site *s)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < s->ndocs; i++) {
		const struct document *d = s->docs[i];

		dump_page(&b, d->src, d->page);
		for (size_t k = 0; k < d->nversions; k++) {
			const struct version *v = &d->versions[k];

			buf_printf(&b, "  version %d ", v->id);
			dump_page(&b, v->commit, v->page);
			for (size_t m = 0; m < v->nsubpages; m++) {
				buf_puts(&b, "    ");
				dump_page(&b, v->subpages[m].src,
				          v->subpages[m].page);
			}
		}
	}
	buf_puts(&b, "");
	return buf_detach(&b);
}

struct capture_arg {
	char *text;
	size_t len;
	int errors;
};

static void *capture_thread(void *arg)
{
	struct capture_arg *a = arg;
	FILE *f = open_memstream(&a->text, &a->len);

	diag_capture(f);
	diag_error("content/a.md", 2, 3, "captured %d", 1);
	diag_capture(NULL);
	fclose(f);
	a->errors = diag_errors();
	return NULL;
}

/* A capture is the calling thread's: counted at once, printed later. */
static void test_capture(void)
{
	struct capture_arg a = {NULL, 0, 0};
	pthread_t t;
	char *out;

	if (begin(NULL) < 0)
		return;
	CHECK(pthread_create(&t, NULL, capture_thread, &a) == 0);
	pthread_join(t, NULL);
	diag_error(NULL, 0, 0, "direct");
	CHECK(a.errors == 1 && diag_errors() == 2);
	out = diags();
	CHECK_STR(out, "paraphe: error: direct\n");
	free(out);
	/* a record: separator, (no) repeat key, separator, the line */
	CHECK_STR(a.text, "\x1e\x1f"
	                  "content/a.md:2:3: error: captured 1\n");
	diag_print_captured(a.text, a.len, NULL);
	out = diags();
	CHECK_STR(out, "content/a.md:2:3: error: captured 1\n");
	free(out);
	free(a.text);
	end();
}

struct parse_arg {
	int ok;
};

/* Parses text with strikethroughs, autolinks and emphasis again and
 * again, and counts the right renderings. */
static void *parse_thread(void *arg)
{
	static const char text[] = "Un ~~mot~~ et *un* autre : www.example.org "
	                           "ou https://example.org/a, ~~b~~.\n";
	struct parse_arg *a = arg;
	struct buf b = BUF_INIT;

	for (int i = 0; i < 300; i++) {
		struct markdown *md = markdown_parse(text, strlen(text), NULL);

		buf_reset(&b);
		markdown_render(md, &b, NULL);
		if (strstr(buf_str(&b), "<del>mot</del>") &&
		    strstr(buf_str(&b), "<del>b</del>") &&
		    strstr(buf_str(&b), "<em>un</em>") &&
		    strstr(buf_str(&b), "href=\"http://www.example.org\"") &&
		    strstr(buf_str(&b), "href=\"https://example.org/a\""))
			a->ok++;
		markdown_free(md);
	}
	buf_free(&b);
	return NULL;
}

/* cmark-gfm's inline passes run at once (markdown.c pins its table of
 * special characters) and every thread keeps its strikethroughs and
 * autolinks. */
static void test_parse_threads(void)
{
	struct parse_arg a[4] = {{0}, {0}, {0}, {0}};
	pthread_t t[4];

	CHECK(markdown_parallel_inlines() == 1);
	for (int i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, parse_thread, &a[i]) == 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		CHECK(a[i].ok == 300);
	}
}

/* Loads the working tree with jobs workers; returns the diagnostics and
 * stores load_site's result and the pages. */
static char *load_tree(int jobs, int *ret, char **pages)
{
	struct config cfg;
	struct site site;

	config_init(&cfg, jobs);
	memset(&site, 0, sizeof(site));
	CHECK(scan_site(&cfg, &site) == 0);
	*ret = load_site(&site, &cfg);
	*pages = dump_site(&site);
	site_free(&site);
	return diags();
}

/* Broken and sound documents: the same pages and the same messages, in
 * document order, for 1 and 4 workers. */
static void test_site_any_jobs(void)
{
	char path[64], *d1, *d4, *p1, *p4;
	int r1, r4;

	if (begin(NULL) < 0)
		return;
	test_put("content/_index.md", "---\ntitle: Accueil\n---\n");
	for (int i = 0; i < 24; i++) {
		snprintf(path, sizeof(path), "content/p%02d.md", i);
		test_put(path, i % 3 == 0 ? "---\ntitle: [\n---\nTexte.\n"
		               : i % 3 == 1
		                   ? "# Titre *un*\n\nDu ~~texte~~ "
		                     "et www.example.org.\n"
		                   : "---\nweight: deux\n---\nTexte.\n");
	}
	d1 = load_tree(1, &r1, &p1);
	d4 = load_tree(4, &r4, &p4);
	CHECK(r1 == -1 && r4 == -1);
	CHECK_STR(d4, d1);
	CHECK_STR(p4, p1);
	CHECK_HAS(d1, "content/p00.md:3:1: error: malformed yaml");
	CHECK_HAS(d1, "content/p23.md:2:9: error: 'weight' must be a number");
	CHECK(strstr(d1, "p00.md") < strstr(d1, "p02.md") &&
	      strstr(d1, "p21.md") < strstr(d1, "p23.md"));
	CHECK_HAS(p1, "content/p22.md: Titre un [page] Du texte et "
	              "www.example.org.");
	free(d1);
	free(d4);
	free(p1);
	free(p4);
	end();
}

/* Walks the fixture's history and loads every version with jobs workers;
 * returns the pages and diagnostics (one text). */
static char *load_history(int jobs)
{
	struct config cfg;
	struct site site;
	struct history *h;
	struct buf b = BUF_INIT;
	char *pages, *d;

	config_init(&cfg, jobs);
	memset(&site, 0, sizeof(site));
	CHECK(scan_site(&cfg, &site) == 0);
	CHECK(load_site(&site, &cfg) == 0);
	h = history_open(&cfg);
	CHECK(h != NULL);
	if (h) {
		history_walk(h, &site, &cfg);
		CHECK(load_versions(&site, &cfg, h) == 0);
	}
	pages = dump_site(&site); /* the texts are read again from h */
	history_free(h);
	d = diags();
	buf_printf(&b, "%s--\n%s", pages, d);
	free(pages);
	free(d);
	site_free(&site);
	return buf_detach(&b);
}

/* Versions, sub-pages at each commit and the signed current texts are the
 * same for 1 and 3 workers. */
static void test_versions_any_jobs(void)
{
	char *s1, *s3;

	if (begin("ctg") < 0)
		return;
	s1 = load_history(1);
	s3 = load_history(3);
	CHECK_STR(s3, s1);
	CHECK_HAS(s1, "version 2 ");
	CHECK_HAS(s1, "annexe-1.md: Annexe 1");
	free(s1);
	free(s3);
	end();
}

/* A loaded page keeps where its text comes from, not the text: parsing
 * it reads the file again (the same tree as at load, title dropped, with
 * a byte order mark), and a file changed since load is an error, never a
 * mix of two texts. */
static void test_read_again(void)
{
	struct config cfg;
	struct site site;
	struct buf b = BUF_INIT;
	char *d;

	if (begin(NULL) < 0)
		return;
	config_init(&cfg, 1);
	memset(&site, 0, sizeof(site));
	test_put("content/_index.md", "---\ntitle: Accueil\n---\n");
	test_put("content/a.md",
	         "\xEF\xBB\xBF---\ntype: page\n---\n# Titre\n\nUn *texte*.\n");
	test_put("content/b.md", "Deux.\n");
	CHECK(scan_site(&cfg, &site) == 0);
	CHECK(load_site(&site, &cfg) == 0);
	for (size_t i = 0; i < site.ndocs; i++) {
		struct page *p = site.docs[i]->page;

		CHECK(p->body == NULL && p->md == NULL && p->file != NULL);
		if (!strcmp(site.docs[i]->path, "a/")) {
			CHECK_STR(p->title, "Titre");
			markdown_text(load_markdown(p), &b);
			CHECK_STR(buf_str(&b), "Un texte.");
		}
	}
	test_put("content/b.md", "Trois.\n");
	for (size_t i = 0; i < site.ndocs; i++)
		if (!strcmp(site.docs[i]->path, "b/"))
			CHECK(load_markdown(site.docs[i]->page) == NULL);
	d = diags();
	CHECK_STR(d, "content/b.md: error: changed during the build: build "
	             "again\n");
	free(d);
	buf_free(&b);
	site_free(&site);
	end();
}

/* The title a text gives (load_text skips the parse when its first block
 * cannot be a level-1 heading): the same as cmark decides. */
static void test_titles(void)
{
	static const char *const cases[][2] = {
	    {"# Titre\n\nTexte.\n", "Titre"},
	    {"   # Titre\n", "Titre"},
	    {"#\tTitre\n", "Titre"},
	    {"Titre\n=====\n\nTexte.\n", "Titre"},
	    {"#foo\n===\n", "#foo"},
	    {"Un\ndeux\n===\n", "Un deux"},
	    {"[ref]: https://example.org\n\n# Titre\n", "Titre"},
	    {"## Sous-titre\n", "nom"},
	    {"#######\nTexte.\n", "nom"},
	    {"    # Code\n", "nom"},
	    {"Texte.\n\n# Plus loin\n", "nom"},
	    {"#foo\n\n===\n", "nom"},
	};
	struct config cfg;

	memset(&cfg, 0, sizeof(cfg));
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct page *p = load_text("t.md", cases[i][0],
		                           strlen(cases[i][0]), "nom", &cfg);

		CHECK(p != NULL);
		if (!p)
			continue;
		if (strcmp(p->title, cases[i][1]))
			fprintf(stderr, "case %zu: title \"%s\"\n", i,
			        p->title);
		CHECK_STR(p->title, cases[i][1]);
		page_free(p);
	}
}

int main(void)
{
	CHECK(getcwd(top, sizeof(top)) != NULL);
	RUN(test_capture);
	RUN(test_parse_threads);
	RUN(test_site_any_jobs);
	RUN(test_versions_any_jobs);
	RUN(test_read_again);
	RUN(test_titles);
	TEST_END();
}
