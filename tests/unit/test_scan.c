/*
 * Unit tests of scan: fixture trees are made under build/tmp with mkdtemp,
 * the test changes into them (scan works relative to the current
 * directory), and diagnostics are captured in a tmpfile.
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
#include "config.h"
#include "diag.h"
#include "scan.h"
#include "site.h"
#include "test.h"
#include "testutil.h"

static char fixture[PATH_MAX]; /* absolute path of the current fixture */
static int home_fd = -1;       /* the directory the tests started in */
static FILE *diag_file;
static char diag_text[16384]; /* diagnostics of the last scan */

static void mkdirs(const char *path)
{
	char file[PATH_MAX];

	snprintf(file, sizeof(file), "%s/.keep", path);
	test_put(file, "");
	unlink(file);
}

/* Makes a fresh fixture directory and changes into it. */
static void begin(void)
{
	char tmpl[] = "build/tmp/scan-XXXXXX";

	mkdir("build", 0755);
	mkdir("build/tmp", 0755);
	CHECK(mkdtemp(tmpl) != NULL);
	CHECK(chdir(tmpl) == 0);
	CHECK(getcwd(fixture, sizeof(fixture)) != NULL);
	diag_file = tmpfile();
	diag_set_stream(diag_file);
	diag_reset();
	diag_text[0] = '\0';
}

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Leaves and removes the fixture. */
static void end(void)
{
	CHECK(fchdir(home_fd) == 0);
	CHECK(nftw(fixture, rm_entry, 16, FTW_DEPTH | FTW_PHYS) == 0);
	diag_set_stream(NULL);
	fclose(diag_file);
	diag_reset();
}

/* Scans with the given content directory (output "public"), keeping the
 * diagnostics in diag_text. */
static int scan(const char *content_dir, struct site *site)
{
	char content[256], output[] = "public";
	struct config cfg;
	size_t n;
	int ret;

	memset(&cfg, 0, sizeof(cfg));
	memset(site, 0, sizeof(*site));
	snprintf(content, sizeof(content), "%s", content_dir);
	cfg.content = content;
	cfg.output = output;
	rewind(diag_file);
	CHECK(ftruncate(fileno(diag_file), 0) == 0);
	ret = scan_site(&cfg, site);
	rewind(diag_file);
	n = fread(diag_text, 1, sizeof(diag_text) - 1, diag_file);
	diag_text[n] = '\0';
	return ret;
}

static struct document *doc(const struct site *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->ndocs; i++)
		if (!strcmp(s->docs[i]->path, path))
			return s->docs[i];
	return NULL;
}

/* The output paths of all documents, one per line. */
static char *paths(const struct site *s)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < s->ndocs; i++)
		buf_printf(&b, "%s\n", s->docs[i]->path);
	return buf_detach(&b);
}

/* "out<src|name" for every resource of d, one per line. */
static char *resources(const struct document *d)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; d && i < d->nresources; i++)
		buf_printf(&b, "%s<%s|%s\n", d->resources[i].out,
		           d->resources[i].src, d->resources[i].name);
	return buf_detach(&b);
}

static char *children(const struct document *d)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; d && i < d->nchildren; i++) {
		buf_printf(&b, "%s\n", d->children[i]->path);
		if (d->children[i]->parent != d)
			buf_puts(&b, "(wrong parent)\n");
	}
	return buf_detach(&b);
}

#define CHECK_OWNED(expr, expected)                                            \
	do {                                                                   \
		char *got_ = (expr);                                           \
		CHECK_STR(got_, expected);                                     \
		free(got_);                                                    \
	} while (0)

static void test_flat(void)
{
	struct site s;
	struct document *d;

	begin();
	test_put("content/a.md", "# A\n");
	test_put("content/B c.md", "# B\n");
	test_put("content/note.txt", "x");
	CHECK(scan("content", &s) == 0);
	CHECK_STR(diag_text, "");
	CHECK_OWNED(paths(&s), "\na/\nb-c/\n");
	CHECK(s.home == doc(&s, ""));
	if (s.home) {
		CHECK(s.home->kind == DOC_LIST);
		CHECK_STR(s.home->src, "content");
		CHECK_STR(s.home->dir, "");
		CHECK_STR(s.home->name, "");
		CHECK(s.home->parent == NULL);
		CHECK_OWNED(children(s.home), "a/\nb-c/\n");
		CHECK_OWNED(resources(s.home),
		            "note.txt<content/note.txt|note.txt\n");
	}
	d = doc(&s, "b-c/");
	CHECK(d != NULL);
	if (d) {
		CHECK(d->kind == DOC_PAGE);
		CHECK_STR(d->src, "content/B c.md");
		CHECK_STR(d->dir, "");
		CHECK_STR(d->name, "B c");
		CHECK(d->nchildren == 0 && d->nresources == 0);
	}
	site_free(&s);
	end();
}

/* The example of SPEC §2, and accents in directory and file names. */
static void test_nested_accents(void)
{
	struct site s;
	struct document *d;

	begin();
	test_put("content/Livre Ier/Titre IX/Article 375.md", "x\n");
	test_put("content/Délibérations/Conseil d'été.md", "x\n");
	CHECK(scan("content", &s) == 0);
	CHECK_OWNED(paths(&s),
	            "\ndeliberations/\ndeliberations/conseil-d-ete/\n"
	            "livre-ier/\nlivre-ier/titre-ix/\n"
	            "livre-ier/titre-ix/article-375/\n");
	d = doc(&s, "livre-ier/titre-ix/article-375/");
	CHECK(d && d->kind == DOC_PAGE);
	if (d) {
		CHECK_STR(d->src, "content/Livre Ier/Titre IX/Article 375.md");
		CHECK_STR(d->dir, "Livre Ier/Titre IX");
		CHECK_STR(d->name, "Article 375");
		CHECK(d->parent == doc(&s, "livre-ier/titre-ix/"));
	}
	d = doc(&s, "livre-ier/titre-ix/");
	CHECK(d && d->kind == DOC_LIST);
	if (d) {
		CHECK_STR(d->src, "content/Livre Ier/Titre IX");
		CHECK_STR(d->dir, "Livre Ier/Titre IX");
		CHECK_STR(d->name, "Titre IX");
		CHECK(d->parent == doc(&s, "livre-ier/"));
	}
	CHECK_OWNED(children(s.home), "deliberations/\nlivre-ier/\n");
	site_free(&s);
	end();
}

static void test_bundle(void)
{
	struct site s;
	struct document *b, *p;

	begin();
	test_put("content/CTG 2026/index.md", "x\n");
	test_put("content/CTG 2026/Bilan Final.md", "x\n");
	test_put("content/CTG 2026/annexe.md", "x\n");
	test_put("content/CTG 2026/data.yaml", "a: 1\n");
	test_put("content/CTG 2026/Pièces/Scan Signé.PDF", "%PDF");
	test_put("content/CTG 2026/Pièces/notes.md", "x\n");
	test_put("content/CTG 2026/Pièces/Sous/b.PNG", "x");
	CHECK(scan("content", &s) == 0);
	CHECK_STR(diag_text,
	          "content/CTG 2026/Pièces/notes.md: warning: 'content/CTG "
	          "2026/Pièces/notes.md' is in a sub-directory of the bundle "
	          "'content/CTG 2026/index.md': copied as a file, not made a "
	          "page\n");
	CHECK_OWNED(paths(&s),
	            "\nctg-2026/\nctg-2026/annexe/\nctg-2026/bilan-final/\n");
	b = doc(&s, "ctg-2026/");
	CHECK(b && b->kind == DOC_BUNDLE);
	if (b) {
		CHECK_STR(b->src, "content/CTG 2026/index.md");
		CHECK_STR(b->dir, "CTG 2026");
		CHECK_STR(b->name, "CTG 2026");
		CHECK(b->parent == s.home);
		CHECK_OWNED(children(b),
		            "ctg-2026/annexe/\nctg-2026/bilan-final/\n");
		CHECK_OWNED(resources(b),
		            "ctg-2026/data.yaml<content/CTG 2026/data.yaml|"
		            "data.yaml\n"
		            "ctg-2026/pieces/notes.md<content/CTG "
		            "2026/Pièces/notes.md|notes.md\n"
		            "ctg-2026/pieces/scan-signe.pdf<content/CTG "
		            "2026/Pièces/Scan Signé.PDF|Scan Signé.PDF\n"
		            "ctg-2026/pieces/sous/b.png<content/CTG "
		            "2026/Pièces/Sous/b.PNG|b.PNG\n");
	}
	p = doc(&s, "ctg-2026/bilan-final/");
	CHECK(p && p->kind == DOC_PAGE);
	if (p) {
		CHECK_STR(p->src, "content/CTG 2026/Bilan Final.md");
		CHECK_STR(p->dir, "CTG 2026");
		CHECK(p->parent == b);
	}
	CHECK_OWNED(resources(s.home), "");
	site_free(&s);
	end();
}

/* Listings with and without _index.md; a directory without pages gives
 * resources to the nearest listing. */
static void test_listings(void)
{
	struct site s;
	struct document *d;

	begin();
	test_put("content/_index.md", "x\n");
	test_put("content/Actes/_index.md", "x\n");
	test_put("content/Actes/x.md", "x\n");
	test_put("content/Actes/Fichiers/Liste.CSV", "a,b\n");
	test_put("content/Bilans/2027/y.md", "x\n");
	test_put("content/Images/Logo Caf.PNG", "x");
	test_put("content/Images/vieux/a.gif", "x");
	CHECK(scan("content", &s) == 0);
	CHECK_STR(diag_text, "");
	CHECK_OWNED(paths(&s), "\nactes/\nactes/x/\nbilans/\nbilans/2027/\n"
	                       "bilans/2027/y/\n");
	CHECK_STR(s.home->src, "content/_index.md");
	d = doc(&s, "actes/");
	CHECK(d && d->kind == DOC_LIST);
	if (d) {
		CHECK_STR(d->src, "content/Actes/_index.md");
		CHECK_OWNED(children(d), "actes/x/\n");
		CHECK_OWNED(resources(d),
		            "actes/fichiers/liste.csv<content/"
		            "Actes/Fichiers/Liste.CSV|Liste.CSV\n");
	}
	d = doc(&s, "bilans/");
	CHECK(d && d->kind == DOC_LIST);
	if (d) {
		CHECK_STR(d->src, "content/Bilans");
		CHECK_OWNED(children(d), "bilans/2027/\n");
	}
	CHECK_OWNED(children(s.home), "actes/\nbilans/\n");
	CHECK_OWNED(resources(s.home),
	            "images/logo-caf.png<content/Images/Logo Caf.PNG|Logo "
	            "Caf.PNG\n"
	            "images/vieux/a.gif<content/Images/vieux/a.gif|a.gif\n");
	site_free(&s);
	end();
}

static void test_collisions(void)
{
	struct site s;

	begin();
	test_put("content/A b.md", "x\n");
	test_put("content/a-b.md", "x\n");
	test_put("content/x.md", "x\n");
	test_put("content/x/_index.md", "x\n");
	test_put("content/x/y.md", "x\n");
	test_put("content/c/index.md", "x\n");
	test_put("content/c/Scan.PDF", "x");
	test_put("content/c/scan.pdf", "x");
	test_put("content/LICENSE", "x");
	test_put("content/license.md", "x\n");
	CHECK(scan("content", &s) == -1);
	CHECK_STR(diag_text,
	          "content/a-b.md: error: 'content/a-b.md' and 'content/A "
	          "b.md' both map to 'a-b/'\n"
	          "content/c/scan.pdf: error: 'content/c/scan.pdf' and "
	          "'content/c/Scan.PDF' both map to 'c/scan.pdf'\n"
	          "content/license.md: error: 'content/license.md' and "
	          "'content/LICENSE' both map to 'license'\n"
	          "content/x/_index.md: error: 'content/x/_index.md' and "
	          "'content/x.md' both map to 'x/'\n");
	CHECK(diag_errors() == 4);
	/* the site is still whole enough to be freed */
	CHECK(s.ndocs == 8);
	site_free(&s);
	end();
}

static void test_reserved(void)
{
	struct site s;

	begin();
	test_put("content/ctg/index.md", "x\n");
	test_put("content/ctg/Versions.md", "x\n");
	test_put("content/ctg/data.json", "{}");
	test_put("content/ctg/compare/x.pdf", "x");
	test_put("content/ctg/annexes/versions/ok.pdf", "x");
	test_put("content/feed.xml", "x");
	test_put("content/a/index.html", "x");
	test_put("content/a/b.md", "x\n");
	CHECK(scan("content", &s) == -1);
	CHECK_STR(diag_text,
	          "content/a/index.html: error: 'content/a/index.html' maps to "
	          "'a/index.html', a name reserved for the pages paraphe "
	          "generates\n"
	          "content/ctg/Versions.md: error: 'content/ctg/Versions.md' "
	          "maps to 'ctg/versions/', a name reserved for the pages "
	          "paraphe generates\n"
	          "content/ctg/compare: error: 'content/ctg/compare' maps to "
	          "'ctg/compare/', a name reserved for the pages paraphe "
	          "generates\n"
	          "content/ctg/data.json: error: 'content/ctg/data.json' maps "
	          "to 'ctg/data.json', a name reserved for the pages paraphe "
	          "generates\n"
	          "content/feed.xml: error: 'content/feed.xml' maps to "
	          "'feed.xml', a name reserved for the pages paraphe "
	          "generates\n");
	site_free(&s);
	end();

	/* the site's own accessibility page takes /accessibilite/ */
	begin();
	test_put("content/Accessibilité.md", "x\n");
	CHECK(scan("content", &s) == 0);
	CHECK(doc(&s, "accessibilite/") != NULL);
	site_free(&s);
	end();

	/* but a plain file there is refused */
	begin();
	test_put("content/a.md", "x\n");
	test_put("content/accessibilite", "x");
	CHECK(scan("content", &s) == -1);
	CHECK_HAS(diag_text, "'content/accessibilite' maps to "
	                     "'accessibilite', a name reserved");
	site_free(&s);
	end();
}

static void test_hidden(void)
{
	struct site s;

	begin();
	test_put("content/.git/config", "[core]\n");
	test_put("content/.brouillon.md", "x\n");
	test_put("content/a/.DS_Store", "x");
	test_put("content/a/b.md", "x\n");
	diag_set_verbose(1);
	CHECK(scan("content", &s) == 0);
	diag_set_verbose(0);
	CHECK_STR(diag_text, "content: note: hidden '.brouillon.md' skipped\n"
	                     "content: note: hidden '.git' skipped\n"
	                     "content/a: note: hidden '.DS_Store' skipped\n");
	CHECK(diag_warnings() == 0);
	CHECK_OWNED(paths(&s), "\na/\na/b/\n");
	CHECK_OWNED(resources(s.home), "");
	CHECK_OWNED(resources(doc(&s, "a/")), "");
	site_free(&s);
	end();
}

static void test_symlink_outside(void)
{
	struct site s;

	begin();
	test_put("content/a.md", "x\n");
	CHECK(symlink("/etc/passwd", "content/passwd") == 0);
	CHECK(symlink("/etc/passwd", "content/x.md") == 0);
	CHECK(symlink("nowhere.md", "content/dangling.md") == 0);
	CHECK(scan("content", &s) == 0);
	CHECK_STR(diag_text,
	          "content/dangling.md: warning: symbolic link "
	          "'content/dangling.md' is dangling, not published\n"
	          "content/passwd: warning: symbolic link 'content/passwd' "
	          "leads outside the site, not published\n"
	          "content/x.md: warning: symbolic link 'content/x.md' leads "
	          "outside the site, not published\n");
	CHECK_OWNED(paths(&s), "\na/\n");
	CHECK_OWNED(resources(s.home), "");
	site_free(&s);
	end();
}

static void test_symlink_inside(void)
{
	struct site s;
	struct document *d;

	begin();
	test_put("shared/commun.md", "x\n");
	test_put("shared/logo.png", "x");
	test_put(".git/config", "[core]\n");
	test_put("content/a.md", "x\n");
	CHECK(symlink("../shared/commun.md", "content/lien.md") == 0);
	CHECK(symlink("../shared/logo.png", "content/logo.png") == 0);
	CHECK(symlink("../shared", "content/dossier") == 0);
	CHECK(symlink("../.git/config", "content/config.txt") == 0);
	CHECK(scan("content", &s) == 0);
	CHECK_STR(diag_text,
	          "content/config.txt: warning: symbolic link "
	          "'content/config.txt' leads to a hidden file, not "
	          "published\n"
	          "content/dossier: warning: symbolic link 'content/dossier' "
	          "leads to a directory, not followed\n");
	CHECK_OWNED(paths(&s), "\na/\nlien/\n");
	d = doc(&s, "lien/");
	CHECK(d && !strcmp(d->src, "content/lien.md"));
	CHECK_OWNED(resources(s.home), "logo.png<content/logo.png|logo.png\n");
	site_free(&s);
	end();
}

static void test_fifo(void)
{
	struct site s;

	begin();
	test_put("content/a.md", "x\n");
	mkdirs("content/b");
	CHECK(mkfifo("content/pipe.md", 0644) == 0);
	CHECK(mkfifo("content/b/tube", 0644) == 0);
	CHECK(scan("content", &s) == 0);
	CHECK_STR(diag_text,
	          "content/pipe.md: warning: 'content/pipe.md' is not a "
	          "regular file or directory, not published\n"
	          "content/b/tube: warning: 'content/b/tube' is not a regular "
	          "file or directory, not published\n");
	CHECK_OWNED(paths(&s), "\na/\n");
	CHECK_OWNED(resources(s.home), "");
	site_free(&s);
	end();
}

/* Documents in path order, children too, whatever the creation order. */
static void test_order(void)
{
	static const char *const files[] = {
	    "content/zeta.md",   "content/Alpha.md", "content/m/b.md",
	    "content/m/A.md",    "content/é.md",     "content/m-n.md",
	    "content/Beta/x.md", "content/b.md",
	};
	struct site s, t;
	size_t i;

	begin();
	for (i = 0; i < sizeof(files) / sizeof(*files); i++)
		test_put(files[i], "x\n");
	CHECK(scan("content", &s) == 0);
	CHECK(scan("content", &t) == 0);
	CHECK_OWNED(paths(&s), "\nalpha/\nb/\nbeta/\nbeta/x/\ne/\nm-n/\nm/\n"
	                       "m/a/\nm/b/\nzeta/\n");
	CHECK(s.ndocs == t.ndocs);
	for (i = 0; i < s.ndocs && i < t.ndocs; i++)
		CHECK_STR(s.docs[i]->src, t.docs[i]->src);
	CHECK_OWNED(children(s.home),
	            "alpha/\nb/\nbeta/\ne/\nm-n/\nm/\nzeta/\n");
	site_free(&s);
	site_free(&t);
	end();
}

static void test_empty_slug(void)
{
	struct site s;

	begin();
	test_put("content/!!!.md", "x\n");
	test_put("content/(-)/a.md", "x\n");
	test_put("content/ok/«».pdf", "x");
	test_put("content/ok/b.md", "x\n");
	CHECK(scan("content", &s) == -1);
	CHECK_STR(diag_text,
	          "content/!!!.md: error: cannot make an output name from "
	          "'!!!': it has no letter or digit\n"
	          "content/(-): error: cannot make an output name from '(-)': "
	          "it has no letter or digit\n"
	          "content/ok/«».pdf: error: cannot make an output name from "
	          "'«»': it has no letter or digit\n");
	CHECK_OWNED(paths(&s), "\nok/\nok/b/\n");
	site_free(&s);
	end();
}

static void test_content_missing(void)
{
	struct site s;

	begin();
	CHECK(scan("content", &s) == -1);
	CHECK_STR(diag_text,
	          "content: error: content directory 'content' does not "
	          "exist\n");
	CHECK(s.ndocs == 0 && s.home == NULL);
	site_free(&s);
	test_put("texte", "x");
	CHECK(scan("texte/", &s) == -1);
	CHECK_STR(diag_text, "texte: error: content directory 'texte' is not "
	                     "a directory\n");
	site_free(&s);
	end();
}

/* content ".": sources without "./", the output directory left out. */
static void test_zero_config(void)
{
	struct site s;

	begin();
	test_put("a.md", "x\n");
	test_put("index.md", "x\n");
	test_put("public/index.html", "x");
	test_put("public/b.md", "x\n");
	test_put("img/logo.png", "x");
	CHECK(scan(".", &s) == 0);
	CHECK_STR(diag_text, "");
	CHECK_OWNED(paths(&s), "\na/\n");
	CHECK_STR(s.home->src, "index.md");
	CHECK_STR(doc(&s, "a/")->src, "a.md");
	CHECK_OWNED(resources(s.home), "img/logo.png<img/logo.png|logo.png\n");
	site_free(&s);
	CHECK(scan("./", &s) == 0);
	CHECK_OWNED(paths(&s), "\na/\n");
	site_free(&s);
	end();
}

/* Content that is the site root, however spelt: site.yaml, themes/ and
 * scripts/ belong to the site and are left out, at the top level only. */
static void test_site_files(void)
{
	static const char *const want_paths =
	    "\na/\ndocs/\ndocs/scripts/\ndocs/scripts/e/\ndocs/themes/\n"
	    "docs/themes/b/\n";
	struct site s;

	begin();
	test_put("site.yaml", "title: x\n");
	test_put("themes/default/templates/page.html", "x");
	test_put("themes/notes.md", "x\n");
	test_put("scripts/ctg.lua", "x");
	test_put("scripts/lisez-moi.md", "x\n");
	test_put("a.md", "x\n");
	test_put("docs/site.yaml", "x");
	test_put("docs/themes/b.md", "x\n");
	test_put("docs/scripts/e.md", "x\n");
	CHECK(scan(".", &s) == 0);
	CHECK_STR(diag_text, "");
	CHECK_OWNED(paths(&s), want_paths);
	CHECK_OWNED(resources(s.home), "");
	CHECK_OWNED(resources(doc(&s, "docs/")),
	            "docs/site.yaml<docs/site.yaml|site.yaml\n");
	site_free(&s);
	/* the same directory by its absolute path; -v says what was left */
	diag_set_verbose(1);
	CHECK(scan(fixture, &s) == 0);
	diag_set_verbose(0);
	CHECK_OWNED(paths(&s), want_paths);
	CHECK_HAS(diag_text, ": note: site file 'scripts' skipped\n");
	CHECK_HAS(diag_text, ": note: site file 'site.yaml' skipped\n");
	CHECK_HAS(diag_text, ": note: site file 'themes' skipped\n");
	site_free(&s);
	/* any other content directory may hold such names */
	test_put("content/themes/c.md", "x\n");
	test_put("content/site.yaml", "x");
	CHECK(scan("content", &s) == 0);
	CHECK_OWNED(paths(&s), "\nthemes/\nthemes/c/\n");
	CHECK_OWNED(resources(s.home),
	            "site.yaml<content/site.yaml|site.yaml\n");
	site_free(&s);
	end();
}

static void test_too_deep(void)
{
	struct buf p = BUF_INIT;
	char want[512];
	struct site s;
	int i;

	begin();
	buf_puts(&p, "content");
	for (i = 0; i < 70; i++)
		buf_puts(&p, "/d");
	buf_puts(&p, "/x.md");
	test_put(buf_str(&p), "x\n");
	CHECK(scan("content", &s) == -1);
	buf_truncate(&p, strlen("content") + 65 * 2);
	snprintf(want, sizeof(want),
	         "%s: error: directory '%s' is nested more than 64 levels "
	         "deep, not scanned\n",
	         buf_str(&p), buf_str(&p));
	CHECK_STR(diag_text, want);
	CHECK(diag_errors() == 1);
	site_free(&s);
	buf_free(&p);
	end();
}

/* A path longer than PATH_MAX: made by going down one directory at a time,
 * and removed the same way (nftw would not reach it). */
static void test_too_long(void)
{
	char name[201], want[300];
	struct site s;
	int i, levels = PATH_MAX / 200 + 1, top;

	begin();
	memset(name, 'n', 200);
	name[200] = '\0';
	mkdirs("content");
	top = open(".", O_RDONLY);
	CHECK(chdir("content") == 0);
	for (i = 0; i < levels; i++)
		CHECK(mkdir(name, 0755) == 0 && chdir(name) == 0);
	test_put("x.md", "x\n");
	CHECK(fchdir(top) == 0);
	CHECK(scan("content", &s) == -1);
	snprintf(want, sizeof(want),
	         "'%s' is longer than %d bytes, not "
	         "scanned\n",
	         name, PATH_MAX);
	CHECK_HAS(diag_text, want);
	CHECK(diag_errors() == 1);
	CHECK(s.ndocs == 1);
	site_free(&s);
	CHECK(chdir("content") == 0);
	for (i = 0; i < levels; i++)
		CHECK(chdir(name) == 0);
	unlink("x.md");
	for (i = 0; i < levels; i++)
		CHECK(chdir("..") == 0 && rmdir(name) == 0);
	CHECK(fchdir(top) == 0);
	close(top);
	end();
}

/* Needs a user the permissions apply to: skipped as root. */
static void test_unreadable(void)
{
	struct site s;

	begin();
	test_put("content/a.md", "x\n");
	test_put("content/prive/b.md", "x\n");
	CHECK(chmod("content/prive", 0) == 0);
	CHECK(scan("content", &s) == -1);
	CHECK_STR(diag_text, "content/prive: error: cannot read directory "
	                     "'content/prive': Permission denied\n");
	CHECK_OWNED(paths(&s), "\na/\n");
	site_free(&s);
	CHECK(chmod("content/prive", 0755) == 0);
	CHECK(chmod("content", 0) == 0);
	CHECK(scan("content", &s) == -1);
	CHECK_STR(diag_text, "content: error: cannot read directory "
	                     "'content': Permission denied\n");
	CHECK_OWNED(paths(&s), "\n");
	site_free(&s);
	CHECK(chmod("content", 0755) == 0);
	end();
}

int main(void)
{
	home_fd = open(".", O_RDONLY);
	if (home_fd < 0)
		return 1;
	RUN(test_flat);
	RUN(test_nested_accents);
	RUN(test_bundle);
	RUN(test_listings);
	RUN(test_collisions);
	RUN(test_reserved);
	RUN(test_hidden);
	RUN(test_symlink_outside);
	RUN(test_symlink_inside);
	RUN(test_fifo);
	RUN(test_order);
	RUN(test_empty_slug);
	RUN(test_content_missing);
	RUN(test_zero_config);
	RUN(test_site_files);
	RUN(test_too_deep);
	RUN(test_too_long);
	if (geteuid() != 0)
		RUN(test_unreadable);
	else
		printf("SKIP test_unreadable (permissions do not apply to "
		       "root)\n");
	close(home_fd);
	TEST_END();
}
