/*
 * Unit tests of history: fixture repositories are made by
 * tests/fixtures/make-repo.sh under build/tmp (fixed identities and dates),
 * the test changes into them, scans the site with the real scan_site, then
 * walks the history and checks the versions and the diagnostics (captured
 * in a tmpfile). Commit ids are asked of git (rev-parse), not written here.
 */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
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
#include "scan.h"
#include "site.h"
#include "test.h"
#include "value.h"

static char top[PATH_MAX];     /* the directory the tests started in */
static char fixture[PATH_MAX]; /* the fixture's temporary directory */
static FILE *diag_file;
static char diag_text[16384];

/* The fixture's site, its history, and the configuration used. */
struct fx {
	struct config cfg;
	struct site site;
	struct history *h;
	int walk; /* history_walk's result */
};

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Makes a fresh temporary directory under base and the fixture KIND in
 * it (in "repo"), and changes into repo/sub. */
static int begin_in(const char *base, const char *kind, const char *sub)
{
	char tmpl[PATH_MAX];
	struct buf cmd = BUF_INIT;
	int entered;

	snprintf(tmpl, sizeof(tmpl), "%s/history-XXXXXX", base);
	CHECK(mkdtemp(tmpl) != NULL);
	CHECK(realpath(tmpl, fixture) != NULL);
	if (kind) {
		buf_printf(&cmd,
		           "sh '%s/tests/fixtures/make-repo.sh' %s '%s/repo'",
		           top, kind, fixture);
		CHECK(system(cmd.data) == 0);
		buf_reset(&cmd);
		buf_printf(&cmd, "%s/repo/%s", fixture, sub);
	} else
		buf_puts(&cmd, fixture);
	entered = chdir(cmd.data) == 0;
	buf_free(&cmd);
	if (!entered) {
		CHECK(!"cannot enter the fixture");
		return -1;
	}
	diag_file = tmpfile();
	diag_set_stream(diag_file);
	diag_set_verbose(1);
	diag_reset();
	return 0;
}

static int begin(const char *kind)
{
	mkdir("build", 0755);
	mkdir("build/tmp", 0755);
	return begin_in("build/tmp", kind, "");
}

static void end(void)
{
	CHECK(chdir(top) == 0);
	CHECK(nftw(fixture, rm_entry, 16, FTW_DEPTH | FTW_PHYS) == 0);
	diag_set_stream(NULL);
	diag_set_verbose(0);
	if (diag_file)
		fclose(diag_file);
	diag_file = NULL;
	diag_reset();
}

/* The diagnostics printed since the last call. */
static const char *diags(void)
{
	size_t n;

	fflush(diag_file);
	rewind(diag_file);
	n = fread(diag_text, 1, sizeof(diag_text) - 1, diag_file);
	diag_text[n] = '\0';
	rewind(diag_file);
	CHECK(ftruncate(fileno(diag_file), 0) == 0);
	return diag_text;
}

static struct document *doc(const struct site *s, const char *src)
{
	for (size_t i = 0; i < s->ndocs; i++)
		if (!strcmp(s->docs[i]->src, src))
			return s->docs[i];
	return NULL;
}

/* Scans the site, flags the bundle sub-pages named bilan* as outside the
 * signed text (load does it from their front matter), opens and walks. */
static void run(struct fx *f, int drafts, int outside)
{
	static char content[] = "content", output[] = "public";

	memset(f, 0, sizeof(*f));
	f->cfg.content = content;
	f->cfg.output = output;
	f->cfg.drafts = drafts;
	f->cfg.history = HISTORY_GIT;
	CHECK(scan_site(&f->cfg, &f->site) == 0);
	for (size_t i = 0; outside && i < f->site.ndocs; i++)
		if (!strncmp(f->site.docs[i]->name, "bilan", 5))
			f->site.docs[i]->outside_signed = 1;
	f->h = history_open(&f->cfg);
	f->walk = history_walk(f->h, &f->site, &f->cfg);
}

static void done(struct fx *f)
{
	history_free(f->h);
	site_free(&f->site);
}

/* The short id of a revision of the fixture, e.g. "HEAD~3". */
static const char *rev(const char *spec)
{
	static char out[8][64];
	static int next;
	char cmd[256], *r = out[next++ % 8];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "git rev-parse --short=7 %s", spec);
	p = popen(cmd, "r");
	r[0] = '\0';
	if (p) {
		if (!fgets(r, 64, p))
			r[0] = '\0';
		pclose(p);
	}
	r[strcspn(r, "\n")] = '\0';
	return r;
}

static const char *full_rev(const char *spec)
{
	static char r[64];
	char cmd[256];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "git rev-parse %s", spec);
	p = popen(cmd, "r");
	r[0] = '\0';
	if (p) {
		if (!fgets(r, sizeof(r), p))
			r[0] = '\0';
		pclose(p);
	}
	r[strcspn(r, "\n")] = '\0';
	return r;
}

/* "id|label|date|signed|draft|commit" per version, one a line. */
static char *versions(const struct document *d)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; d && i < d->nversions; i++) {
		const struct version *v = &d->versions[i];

		buf_printf(&b, "%d|%s|%s|%d|%d|%.7s\n", v->id, v->label,
		           v->date, v->is_signed, v->is_draft, v->commit);
	}
	return buf_detach(&b);
}

/* The version.src of each version ("-" for NULL), one a line. */
static char *srcs(const struct document *d)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; d && i < d->nversions; i++)
		buf_printf(&b, "%s\n",
		           d->versions[i].src ? d->versions[i].src : "-");
	return buf_detach(&b);
}

static char *trailers(const struct version *v)
{
	struct buf b = BUF_INIT;

	value_to_json(v->trailers, &b, 0);
	return buf_detach(&b);
}

#define CHECK_OWNED(expr, expected)                                            \
	do {                                                                   \
		char *got_ = (expr);                                           \
		CHECK_STR(got_, expected);                                     \
		free(got_);                                                    \
	} while (0)

/* "0|Convention initiale|2026-01-15|1|0|abc1234\n" */
static char *line(int id, const char *label, const char *date, int s, int d,
                  const char *commit)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%d|%s|%s|%d|%d|%s\n", id, label, date, s, d, commit);
	return buf_detach(&b);
}

static char *lines3(char *a, char *b, char *c)
{
	struct buf out = BUF_INIT;

	buf_puts(&out, a);
	buf_puts(&out, b ? b : "");
	buf_puts(&out, c ? c : "");
	free(a);
	free(b);
	free(c);
	return buf_detach(&out);
}

#define BUNDLE "content/ctg-val-ambreuse-2026-2030/index.md"
#define BILAN "content/ctg-val-ambreuse-2026-2030/bilan-2027.md"
#define ANNEXE "content/ctg-val-ambreuse-2026-2030/annexe-1.md"

static void test_ctg_signed(void)
{
	struct fx f;
	struct document *d;
	char *want, msg[512];

	if (begin("ctg") < 0)
		return;
	run(&f, 0, 1);
	CHECK(f.h != NULL);
	CHECK(f.walk == 0);
	d = doc(&f.site, BUNDLE);
	CHECK(d != NULL);
	if (d) {
		CHECK(d->is_signed == 1);
		want = lines3(
		    line(0, "Convention initiale", "2026-01-15", 1, 0,
		         rev("HEAD~9")),
		    line(1, "Avenant n°1", "2027-03-15", 1, 0, rev("HEAD~5")),
		    line(2, "Avenant n°2", "2028-02-10", 1, 0, rev("HEAD~3")));
		CHECK_OWNED(versions(d), want);
		free(want);
	}
	if (d && d->nversions == 3) {
		CHECK_OWNED(trailers(&d->versions[0]),
		            "{\"Signature\":\"2026-01-15\",\"Effet\":"
		            "\"2026-01-01\",\"Acte\":\"063-216300699-20260115-"
		            "260115001-CC\",\"Publication\":\"2026-01-20\"}");
		/* "signature:" as written, stored under the known spelling */
		CHECK_OWNED(
		    trailers(&d->versions[1]),
		    "{\"Signature\":\"2027-03-15\",\"Avenant\":\"1\","
		    "\"Acte\":\"063-216300699-20270301-270301004-DE\"}");
		CHECK_STR(d->versions[1].subject,
		          "Avenant n°1 : extension de la micro-crèche");
		CHECK_STR(d->versions[2].commit, full_rev("HEAD~3"));
		CHECK(d->versions[2].time == 1833012000LL);
	}
	snprintf(msg, sizeof(msg),
	         BUNDLE ": warning: unsigned changes after avenant n°2: %s, %s "
	                "(record them with a signed commit, or build with "
	                "--drafts to publish a draft)\n",
	         rev("HEAD~2"), rev("HEAD~1"));
	CHECK_STR(diags(), msg);
	CHECK(diag_errors() == 0 && diag_warnings() == 1);
	/* sub-pages of the signed text have no history of their own */
	d = doc(&f.site, ANNEXE);
	CHECK(d && d->nversions == 0 && !d->is_signed);
	CHECK(history_head_time(f.h) == 1846058400LL);
	done(&f);
	end();
}

static void test_ctg_drafts(void)
{
	struct fx f;
	struct document *d;
	char *want;

	if (begin("ctg") < 0)
		return;
	run(&f, 1, 1);
	CHECK(f.walk == 0);
	d = doc(&f.site, BUNDLE);
	CHECK(d && d->nversions == 4);
	if (d && d->nversions == 4) {
		want = line(3, "Projet d'avenant", "2028-06-01", 0, 1,
		            rev("HEAD~1"));
		{
			struct document one = *d;

			one.versions = &d->versions[3];
			one.nversions = 1;
			CHECK_OWNED(versions(&one), want);
		}
		free(want);
		CHECK_STR(d->versions[3].subject, "Annexe 1 : mise à jour");
	}
	CHECK_HAS(diags(), "(published as a draft, \"projet d'avenant\")");
	done(&f);
	end();
}

static void test_ctg_ordinary(void)
{
	struct fx f;
	char *want;

	if (begin("ctg") < 0)
		return;
	run(&f, 0, 1);
	/* the page renamed from old-name.md keeps its older commits */
	want = lines3(
	    line(0, "Premier projet de convention", "2025-11-02", 0, 0,
	         rev("HEAD~10")),
	    line(1, "Guide : deuxième version", "2026-02-01", 0, 0,
	         rev("HEAD~8")),
	    line(2, "Guide : renommé", "2026-03-01", 0, 0, rev("HEAD~7")));
	CHECK_OWNED(versions(doc(&f.site, "content/guide.md")), want);
	free(want);
	CHECK_OWNED(srcs(doc(&f.site, "content/guide.md")),
	            "content/old-name.md\ncontent/old-name.md\n-\n");
	/* the bilan has its own history, outside the signed text */
	want = lines3(
	    line(0, "Bilan 2027 : premier jet", "2027-01-10", 0, 0,
	         rev("HEAD~6")),
	    line(1, "Bilan 2027 : complété", "2027-06-10", 0, 0, rev("HEAD~4")),
	    line(2, "Bilan 2027 : final", "2028-07-01", 0, 0, rev("HEAD")));
	CHECK_OWNED(versions(doc(&f.site, BILAN)), want);
	free(want);
	CHECK(!doc(&f.site, BILAN)->is_signed);
	want = line(0, "Premier projet de convention", "2025-11-02", 0, 0,
	            rev("HEAD~10"));
	CHECK_OWNED(versions(doc(&f.site, "content/_index.md")), want);
	free(want);
	done(&f);
	end();
}

/* Without the bilan flagged, its commits are changes of the bundle. */
static void test_ctg_bilan_inside(void)
{
	struct fx f;
	char msg[256];

	if (begin("ctg") < 0)
		return;
	run(&f, 0, 0);
	snprintf(msg, sizeof(msg), "after avenant n°2: %s, %s, %s (",
	         rev("HEAD~2"), rev("HEAD~1"), rev("HEAD"));
	CHECK_HAS(diags(), msg);
	CHECK(doc(&f.site, BILAN)->nversions == 0);
	done(&f);
	end();
}

static void test_read(void)
{
	struct fx f;
	struct buf b = BUF_INIT;
	char c1[64], c2[64];

	if (begin("ctg") < 0)
		return;
	run(&f, 0, 1);
	diags();
	snprintf(c1, sizeof(c1), "%s", full_rev("HEAD~10"));
	snprintf(c2, sizeof(c2), "%s", full_rev("HEAD~9"));
	CHECK(history_read(f.h, c1, BUNDLE, &b) == 0);
	CHECK_HAS(buf_str(&b), "définit le cadre.\n");
	buf_reset(&b);
	CHECK(history_read(f.h, c2, BUNDLE, &b) == 0);
	CHECK_HAS(buf_str(&b), "le cadre de la coopération.\n");
	buf_reset(&b);
	CHECK(history_read(f.h, c1,
	                   "content/ctg-val-ambreuse-2026-2030/"
	                   "scan.pdf",
	                   &b) == 1);
	CHECK(history_read(f.h, c2,
	                   "content/ctg-val-ambreuse-2026-2030/"
	                   "scan.pdf",
	                   &b) == 0);
	CHECK_STR(buf_str(&b), "%PDF-1.4\n% signed scan\n");
	buf_reset(&b);
	CHECK(history_read(f.h, c1, "content/guide.md", &b) == 1);
	CHECK(history_read(f.h, c1, "content/old-name.md", &b) == 0);
	CHECK(history_read(f.h, c1, "content", &b) == -1);
	CHECK(history_read(f.h, "1234", "content/a.md", &b) == -1);
	CHECK(history_read(f.h, "0123456789012345678901234567890123456789",
	                   "content/a.md", &b) == -1);
	CHECK_HAS(diags(),
	          "content: error: 'content' is a directory in commit");
	CHECK_HAS(diag_text, "content/a.md: error: '1234' is not a commit id");
	CHECK_HAS(diag_text, "content/a.md: error: cannot read commit 0123456");
	buf_free(&b);
	done(&f);
	end();
}

struct reader {
	struct history *h;
	char commit[41];
	int ok;
};

static void *read_many(void *arg)
{
	struct reader *r = arg;
	struct buf b = BUF_INIT;

	for (int i = 0; i < 50; i++) {
		buf_reset(&b);
		if (history_read(r->h, r->commit, BUNDLE, &b) == 0 &&
		    strstr(buf_str(&b), "## Article 1"))
			r->ok++;
	}
	buf_free(&b);
	return NULL;
}

/* history_read from worker threads, as load does with -j. */
static void test_read_threads(void)
{
	struct fx f;
	struct reader r[4];
	pthread_t t[4];

	if (begin("ctg") < 0)
		return;
	run(&f, 0, 1);
	for (int i = 0; i < 4; i++) {
		r[i].h = f.h;
		snprintf(r[i].commit, sizeof(r[i].commit), "%s",
		         full_rev(i % 2 ? "HEAD" : "HEAD~9"));
		r[i].ok = 0;
	}
	for (int i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, read_many, &r[i]) == 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		CHECK(r[i].ok == 50);
	}
	done(&f);
	end();
}

static char *joined(const struct value *list)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < value_len(list); i++)
		buf_printf(&b, "%s\n", list->u.list.items[i]->u.str.ptr);
	return buf_detach(&b);
}

static void test_list(void)
{
	struct fx f;
	struct value *names;

	if (begin("ctg") < 0)
		return;
	run(&f, 0, 1);
	names = value_list();
	CHECK(history_list(f.h, full_rev("HEAD~9"),
	                   "content/ctg-val-ambreuse-2026-2030", names) == 0);
	CHECK_OWNED(joined(names), "annexe-1.md\nindex.md\nscan.pdf\n");
	value_free(names);
	names = value_list();
	CHECK(history_list(f.h, full_rev("HEAD"),
	                   "content/ctg-val-ambreuse-2026-2030/", names) == 0);
	CHECK_OWNED(joined(names),
	            "annexe-1.md\nbilan-2027.md\nindex.md\nscan.pdf\n");
	value_free(names);
	names = value_list();
	CHECK(history_list(f.h, full_rev("HEAD~10"),
	                   "content/ctg-val-ambreuse-2026-2030/nope",
	                   names) == 1);
	CHECK(history_list(f.h, full_rev("HEAD~10"), "content/_index.md",
	                   names) == 1);
	CHECK(value_len(names) == 0);
	value_free(names);
	done(&f);
	end();
}

static void test_symlink(void)
{
	struct fx f;
	struct buf b = BUF_INIT;
	struct value *names = value_list();
	char msg[256];
	const char *c;

	if (begin("symlink") < 0) {
		value_free(names);
		return;
	}
	run(&f, 0, 1);
	diags();
	c = full_rev("HEAD~1");
	CHECK(history_read(f.h, c, "content/evil.md", &b) == -1);
	CHECK(b.len == 0);
	snprintf(msg, sizeof(msg),
	         "content/evil.md: error: 'content/evil.md' is a symbolic link "
	         "in commit %.7s\n",
	         c);
	CHECK_STR(diags(), msg);
	CHECK(history_read(f.h, c, "content/big.bin", &b) == -1);
	CHECK(b.len == 0);
	snprintf(msg, sizeof(msg),
	         "content/big.bin: error: 'content/big.bin' is larger than 10 "
	         "MiB in commit %.7s\n",
	         c);
	CHECK_STR(diags(), msg);
	CHECK(history_list(f.h, c, "content/docs", names) == 0);
	CHECK_OWNED(joined(names), "a-b.txt\nsub/y.txt\nz.txt\n");
	snprintf(msg, sizeof(msg),
	         "content/docs: warning: 'link.md' is a symbolic link in "
	         "commit %.7s, not published\n",
	         c);
	CHECK_STR(diags(), msg);
	value_free(names);
	buf_free(&b);
	done(&f);
	end();
}

static void test_plain(void)
{
	struct fx f;
	char *want;

	if (begin("plain") < 0)
		return;
	run(&f, 0, 1);
	CHECK(f.walk == 0);
	CHECK_STR(diags(), "");
	want = lines3(line(0, "Premier jet", "2024-01-01", 0, 0, rev("HEAD~4")),
	              line(1, "A : deux", "2024-02-01", 0, 0, rev("HEAD~3")),
	              NULL);
	CHECK_OWNED(versions(doc(&f.site, "content/a.md")), want);
	free(want);
	/* a bundle whose directory was renamed keeps its history */
	want = lines3(
	    line(0, "Premier jet", "2024-01-01", 0, 0, rev("HEAD~4")),
	    line(1, "Le brouillon devient un projet", "2024-03-01", 0, 0,
	         rev("HEAD~2")),
	    line(2, "Projet : texte revu", "2024-04-01", 0, 0, rev("HEAD~1")));
	CHECK_OWNED(versions(doc(&f.site, "content/projet/index.md")), want);
	free(want);
	CHECK_OWNED(srcs(doc(&f.site, "content/projet/index.md")),
	            "content/brouillon/index.md\n-\n-\n");
	/* renamed and changed in one commit: followed by similarity */
	want = lines3(
	    line(0, "Premier jet", "2024-01-01", 0, 0, rev("HEAD~4")),
	    line(1, "Projet : texte revu", "2024-04-01", 0, 0, rev("HEAD~1")),
	    NULL);
	CHECK_OWNED(versions(doc(&f.site, "content/dir/notes-v2.md")), want);
	free(want);
	CHECK_OWNED(srcs(doc(&f.site, "content/dir/notes-v2.md")),
	            "content/notes.md\n-\n");
	/* a listing without _index.md has no file, so no history */
	CHECK(doc(&f.site, "content/dir")->nversions == 0);
	CHECK(doc(&f.site, "content/dir/b.md")->nversions == 1);
	done(&f);
	end();
}

static void test_gap(void)
{
	struct fx f;
	char msg[256], *want;

	if (begin("gap") < 0)
		return;
	run(&f, 0, 1);
	CHECK(f.walk == -1);
	snprintf(msg, sizeof(msg),
	         "content/conv/index.md: error: avenant n°3 (commit %s) "
	         "follows avenant n°1: avenant n°2 is missing\n",
	         rev("HEAD"));
	CHECK_STR(diags(), msg);
	want = lines3(
	    line(0, "Convention initiale", "2026-01-02", 1, 0, rev("HEAD~2")),
	    line(1, "Avenant n°1", "2026-02-02", 1, 0, rev("HEAD~1")),
	    line(3, "Avenant n°3", "2026-03-02", 1, 0, rev("HEAD")));
	CHECK_OWNED(versions(doc(&f.site, "content/conv/index.md")), want);
	free(want);
	done(&f);
	end();
}

static void test_duplicate(void)
{
	struct fx f;
	char msg[256], *want;

	if (begin("duplicate") < 0)
		return;
	run(&f, 0, 1);
	CHECK(f.walk == -1);
	snprintf(msg, sizeof(msg),
	         "content/conv/index.md: error: avenant n°1 is signed twice "
	         "(commits %s and %s)\n",
	         rev("HEAD~1"), rev("HEAD"));
	CHECK_STR(diags(), msg);
	/* the second one is dropped: ids stay unique */
	want = lines3(
	    line(0, "Convention initiale", "2026-01-02", 1, 0, rev("HEAD~2")),
	    line(1, "Avenant n°1", "2026-02-02", 1, 0, rev("HEAD~1")), NULL);
	CHECK_OWNED(versions(doc(&f.site, "content/conv/index.md")), want);
	free(want);
	done(&f);
	end();
}

static void test_twoinitial(void)
{
	struct fx f;
	char msg[256];

	if (begin("twoinitial") < 0)
		return;
	run(&f, 0, 1);
	CHECK(f.walk == -1);
	snprintf(msg, sizeof(msg),
	         "content/conv/index.md: error: the initial convention is "
	         "signed twice (commits %s and %s): a later signed commit "
	         "needs an 'Avenant: N' trailer\n",
	         rev("HEAD~1"), rev("HEAD"));
	CHECK_STR(diags(), msg);
	CHECK(doc(&f.site, "content/conv/index.md")->nversions == 1);
	done(&f);
	end();
}

static void test_noinitial(void)
{
	struct fx f;
	char msg[256];

	if (begin("noinitial") < 0)
		return;
	run(&f, 0, 1);
	CHECK(f.walk == -1);
	snprintf(msg, sizeof(msg),
	         "content/conv/index.md: error: avenant n°1 (commit %s) has no "
	         "signed convention before it: the first signed commit has no "
	         "'Avenant' trailer\n",
	         rev("HEAD"));
	CHECK_STR(diags(), msg);
	done(&f);
	end();
}

static void test_baddate(void)
{
	struct fx f;
	char msg[512];
	struct document *d;

	if (begin("baddate") < 0)
		return;
	run(&f, 0, 1);
	CHECK(f.walk == -1);
	snprintf(msg, sizeof(msg),
	         "paraphe: error: commit %s: 'Signature: 2026-02-30' is not a "
	         "real date written YYYY-MM-DD\n"
	         "paraphe: error: commit %s: 'Publication: 2026-13-01' is not "
	         "a real date written YYYY-MM-DD\n"
	         "paraphe: error: commit %s: 'Avenant: 0' must be a positive "
	         "integer\n",
	         rev("HEAD~1"), rev("HEAD"), rev("HEAD"));
	/* newest first: the walk meets HEAD first */
	{
		char want[512];

		snprintf(want, sizeof(want), "%s", strchr(msg, '\n') + 1);
		strncat(want, msg, (size_t)(strchr(msg, '\n') - msg + 1));
		CHECK_STR(diags(), want);
	}
	/* no valid signature: an ordinary document */
	d = doc(&f.site, "content/conv/index.md");
	CHECK(d && !d->is_signed && d->nversions == 2);
	done(&f);
	end();
}

static void test_convention(void)
{
	struct fx f;
	char msg[256], *want;

	if (begin("convention") < 0)
		return;
	run(&f, 0, 1);
	CHECK(f.walk == -1);
	snprintf(msg, sizeof(msg),
	         "paraphe: error: commit %s: 'Convention: gamma' names no "
	         "convention of the site\n",
	         rev("HEAD"));
	CHECK_STR(diags(), msg);
	want =
	    line(0, "Convention initiale", "2026-01-05", 1, 0, rev("HEAD~3"));
	CHECK_OWNED(versions(doc(&f.site, "content/alpha/index.md")), want);
	free(want);
	/* the first commit touched beta but signed alpha only; the empty
	 * commit naming beta signs the text as it stands */
	want =
	    line(0, "Convention initiale", "2026-03-05", 1, 0, rev("HEAD~1"));
	CHECK_OWNED(versions(doc(&f.site, "content/beta/index.md")), want);
	free(want);
	done(&f);
	end();
}

static void test_trailers(void)
{
	struct fx f;
	struct document *d;
	char msg[768], *want;

	if (begin("trailers") < 0)
		return;
	run(&f, 0, 1);
	CHECK(f.walk == -1);
	snprintf(msg, sizeof(msg),
	         "paraphe: error: commit %s: trailer 'Signature' is given "
	         "twice with different values\n"
	         "paraphe: warning: commit %s has 'Avenant: 2' but no "
	         "'Signature' trailer: it is not a signed version\n",
	         rev("HEAD"), rev("HEAD~1"));
	CHECK_STR(diags(), msg);
	/* a single page is signed when a Convention trailer names it */
	want =
	    line(0, "Convention initiale", "2026-01-05", 1, 0, rev("HEAD~2"));
	CHECK_OWNED(versions(doc(&f.site, "content/charte.md")), want);
	free(want);
	/* the bundle was touched by a commit signing another document only,
	 * and its own signature is malformed: an ordinary document */
	d = doc(&f.site, "content/conv/index.md");
	CHECK(d && !d->is_signed && d->nversions == 3);
	if (d && d->nversions == 3)
		CHECK_OWNED(trailers(&d->versions[2]),
		            "{\"Signature\":\"2026-03-01\",\"Relu-par\":"
		            "\"Anne, Paul\"}");
	done(&f);
	end();
}

static void test_movesigned(void)
{
	struct fx f;
	struct buf b = BUF_INIT;
	struct value *names = value_list();
	char *want;
	struct document *d;

	if (begin("movesigned") < 0) {
		value_free(names);
		return;
	}
	run(&f, 0, 1);
	CHECK(f.walk == 0);
	CHECK_STR(diags(), "");
	d = doc(&f.site, "content/new/index.md");
	want = lines3(
	    line(0, "Convention initiale", "2026-01-02", 1, 0, rev("HEAD~1")),
	    line(1, "Avenant n°1", "2026-02-02", 1, 0, rev("HEAD")), NULL);
	CHECK_OWNED(versions(d), want);
	free(want);
	CHECK_OWNED(srcs(d), "content/old/index.md\n-\n");
	/* what load does with version.src: the text and the sub-pages */
	if (d && d->nversions == 2) {
		CHECK(history_read(f.h, d->versions[0].commit,
		                   d->versions[0].src, &b) == 0);
		CHECK_HAS(buf_str(&b), "La présente convention");
		CHECK(history_list(f.h, d->versions[0].commit, "content/old",
		                   names) == 0);
		CHECK_OWNED(joined(names), "annexe.md\nindex.md\n");
	}
	value_free(names);
	buf_free(&b);
	done(&f);
	end();
}

/* A bundle's history starts with its index.md, not with its files. */
static void test_resource_first(void)
{
	struct fx f;
	char *want;

	if (begin("resfirst") < 0)
		return;
	run(&f, 0, 1);
	CHECK(f.walk == 0);
	want = line(0, "Le texte ensuite", "2026-02-01", 0, 0, rev("HEAD"));
	CHECK_OWNED(versions(doc(&f.site, "content/ctg/index.md")), want);
	free(want);
	done(&f);
	end();
}

static void test_merge(void)
{
	struct fx f;
	char *want;

	if (begin("merge") < 0)
		return;
	run(&f, 0, 1);
	CHECK(f.walk == 0);
	want = lines3(line(0, "A : un", "2024-01-01", 0, 0, rev("HEAD~2")),
	              line(1, "A : deux", "2024-03-01", 0, 0, rev("HEAD~1")),
	              NULL);
	CHECK_OWNED(versions(doc(&f.site, "content/a.md")), want);
	free(want);
	/* first parent only: the branch's commits are the merge */
	want = line(0, "Fusion de la branche", "2024-04-01", 0, 0, rev("HEAD"));
	CHECK_OWNED(versions(doc(&f.site, "content/b.md")), want);
	free(want);
	done(&f);
	end();
}

static void test_nonutf8(void)
{
	struct fx f;
	struct document *d;

	if (begin("nonutf8") < 0)
		return;
	run(&f, 0, 1);
	CHECK(f.walk == 0);
	d = doc(&f.site, "content/a.md");
	CHECK(d && d->nversions == 1);
	if (d && d->nversions == 1) {
		CHECK_STR(d->versions[0].subject,
		          "R\xEF\xBF\xBDsum\xEF\xBF\xBD \xEF\xBF\xBD");
		CHECK_STR(d->versions[0].label, d->versions[0].subject);
		CHECK_OWNED(trailers(&d->versions[0]),
		            "{\"Signature\":\"2026-01-15\",\"Acte\":"
		            "\"caf\xEF\xBF\xBD\"}");
		/* a single page is signed only when a Convention names it */
		CHECK(!d->is_signed);
	}
	d = doc(&f.site, "content/b.md");
	CHECK(d && d->nversions == 1);
	if (d && d->nversions == 1)
		CHECK_STR(d->versions[0].subject, "Année à venir");
	done(&f);
	end();
}

static void test_epoch0(void)
{
	struct fx f;
	char *want, msg[512];
	const char *text;

	if (begin("epoch0") < 0)
		return;
	run(&f, 0, 1);
	CHECK(f.walk == 0);
	want =
	    lines3(line(0, "Texte de 1804", "1970-01-01", 0, 0, rev("HEAD~2")),
	           line(1, "Du futur", "2099-01-01", 0, 0, rev("HEAD~1")),
	           line(2, "Aujourd'hui", "2025-01-01", 0, 0, rev("HEAD")));
	CHECK_OWNED(versions(doc(&f.site, "content/code-civil.md")), want);
	free(want);
	text = diags();
	snprintf(msg, sizeof(msg),
	         "paraphe: note: 1 commit(s) dated at or before 1970-01-01 "
	         "(epoch 0), the oldest %s: commit dates are shown as they are "
	         "and never used as legal dates\n"
	         "paraphe: note: 1 commit(s) dated after HEAD, the oldest %s: "
	         "commit dates are shown as they are and never used as legal "
	         "dates\n",
	         rev("HEAD~2"), rev("HEAD~1"));
	CHECK_STR(text, msg);
	CHECK(diag_warnings() == 0 && diag_errors() == 0);
	done(&f);
	end();
}

static void test_shallow(void)
{
	struct fx f;
	char *want;

	if (begin("shallow") < 0)
		return;
	run(&f, 0, 1);
	CHECK(f.walk == 0);
	CHECK_HAS(diags(), "paraphe: warning: the git repository is a shallow "
	                   "clone: versions before its oldest commit are "
	                   "missing (run 'git fetch --unshallow')\n");
	/* only the last commit is known: it added every file */
	want = line(0, "Bilan 2027 : final", "2028-07-01", 0, 0, rev("HEAD"));
	CHECK_OWNED(versions(doc(&f.site, BUNDLE)), want);
	free(want);
	done(&f);
	end();
}

static void test_empty(void)
{
	struct fx f;

	if (begin("empty") < 0)
		return;
	run(&f, 0, 1);
	CHECK(f.h == NULL && f.walk == 0);
	CHECK_STR(diags(), "paraphe: warning: the git repository has no "
	                   "commits yet: pages are built from the working "
	                   "tree, without versions\n");
	CHECK(doc(&f.site, "content/a.md")->nversions == 0);
	done(&f);
	end();
}

static void test_not_a_repository(void)
{
	struct fx f;
	const char *tmp = getenv("TMPDIR");

	/* outside the project's own repository, which would be found */
	if (begin_in(tmp && *tmp ? tmp : "/tmp", NULL, "") < 0)
		return;
	mkdir("content", 0755);
	fclose(fopen("content/a.md", "w"));
	run(&f, 0, 1);
	CHECK(f.h == NULL && f.walk == 0);
	CHECK_STR(diags(), "paraphe: warning: not a git repository: pages are "
	                   "built from the working tree, without versions\n");
	done(&f);
	end();
}

static void test_history_none(void)
{
	struct config cfg;

	if (begin("empty") < 0)
		return;
	memset(&cfg, 0, sizeof(cfg));
	cfg.history = HISTORY_NONE;
	CHECK(history_open(&cfg) == NULL);
	CHECK_STR(diags(), "paraphe: note: history none: pages are built from "
	                   "the working tree, without versions\n");
	CHECK(history_walk(NULL, NULL, &cfg) == 0);
	history_free(NULL);
	end();
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_worktree(void)
{
	struct fx f;
	char name[64];
	const char *text;

	if (begin("ctg") < 0)
		return;
	for (int i = 1; i <= 7; i++) {
		snprintf(name, sizeof(name), "content/nouveau-%d.md", i);
		put(name, "# Nouveau\n");
	}
	put(BUNDLE, "# Modifié sans avenant\n");
	put("content/guide.md", "# Guide modifié\n");
	run(&f, 0, 1);
	CHECK(f.walk == 0);
	text = diags();
	CHECK_HAS(text, "paraphe: warning: 7 file(s) committed nowhere yet, "
	                "their history is empty: content/nouveau-1.md, "
	                "content/nouveau-2.md, content/nouveau-3.md, "
	                "content/nouveau-4.md, content/nouveau-5.md and 2 "
	                "more\n");
	CHECK_HAS(text, BUNDLE ": warning: uncommitted changes to signed "
	                       "document '" BUNDLE "' are not published: the "
	                       "current page shows the last signed version\n");
	/* an ordinary page shows its working tree: no warning */
	CHECK(!strstr(text, "content/guide.md"));
	CHECK(doc(&f.site, "content/nouveau-1.md")->nversions == 0);
	CHECK(diag_warnings() == 3);
	done(&f);
	end();
}

static void test_subdir(void)
{
	struct fx f;
	struct buf b = BUF_INIT;
	char *want;

	mkdir("build", 0755);
	mkdir("build/tmp", 0755);
	if (begin_in("build/tmp", "subdir", "site") < 0)
		return;
	run(&f, 0, 1);
	CHECK(f.walk == 0);
	CHECK_STR(diags(), "");
	want = lines3(line(0, "Site dans un sous-dossier", "2024-01-01", 0, 0,
	                   rev("HEAD~1")),
	              line(1, "A revu", "2024-02-01", 0, 0, rev("HEAD")), NULL);
	CHECK_OWNED(versions(doc(&f.site, "content/a.md")), want);
	free(want);
	CHECK(history_read(f.h, full_rev("HEAD~1"), "content/a.md", &b) == 0);
	CHECK_STR(buf_str(&b), "# A\n");
	buf_free(&b);
	done(&f);
	end();
}

int main(void)
{
	CHECK(getcwd(top, sizeof(top)) != NULL);
	RUN(test_ctg_signed);
	RUN(test_ctg_drafts);
	RUN(test_ctg_ordinary);
	RUN(test_ctg_bilan_inside);
	RUN(test_read);
	RUN(test_read_threads);
	RUN(test_list);
	RUN(test_symlink);
	RUN(test_plain);
	RUN(test_gap);
	RUN(test_duplicate);
	RUN(test_twoinitial);
	RUN(test_noinitial);
	RUN(test_baddate);
	RUN(test_convention);
	RUN(test_trailers);
	RUN(test_movesigned);
	RUN(test_resource_first);
	RUN(test_merge);
	RUN(test_nonutf8);
	RUN(test_epoch0);
	RUN(test_shallow);
	RUN(test_empty);
	RUN(test_not_a_repository);
	RUN(test_history_none);
	RUN(test_worktree);
	RUN(test_subdir);
	TEST_END();
}
