/*
 * load: source text into pages (see load.h).
 *
 * A source is refused, with a diagnostic naming it, when it is larger than
 * LOAD_MAX_SIZE, holds a NUL byte (a binary file), is a Git LFS pointer
 * instead of the real file, or is not valid UTF-8. Front matter is YAML
 * between a first line "---" and the next line "---" (or "..."); it must
 * be a map.
 */
#include "load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "fs.h"
#include "history.h"
#include "markdown.h"
#include "pool.h"
#include "site.h"
#include "slug.h"
#include "utf8.h"
#include "value.h"
#include "xalloc.h"
#include "yaml.h"

static const char lfs_magic[] = "version https://git-lfs.github.com/spec/";

/* Refuses text that is not a Markdown source; returns 0 when it is fine. */
static int check_source(const char *file, const char *text, size_t len)
{
	const char *nul = memchr(text, '\0', len);
	size_t bad;
	int line, col;

	if (nul) {
		utf8_position(text, (size_t)(nul - text), &line, &col);
		diag_error(file, line, col,
		           "binary file: NUL byte in a Markdown source");
		return -1;
	}
	if (len >= sizeof(lfs_magic) - 1 &&
	    !memcmp(text, lfs_magic, sizeof(lfs_magic) - 1)) {
		diag_error(file, 1, 1,
		           "git lfs pointer instead of the file's content "
		           "(run 'git lfs pull')");
		return -1;
	}
	bad = utf8_check(text, len);
	if (bad < len) {
		utf8_position(text, bad, &line, &col);
		diag_error(file, line, col, "invalid utf-8 (byte 0x%02x)",
		           (unsigned char)text[bad]);
		return -1;
	}
	return 0;
}

/* Length of the line starting at p (without its end), and the offset of
 * the next line in *next. */
static size_t line_len(const char *p, size_t n, size_t *next)
{
	const char *nl = memchr(p, '\n', n);
	size_t l = nl ? (size_t)(nl - p) : n;

	*next = nl ? l + 1 : n;
	if (l && p[l - 1] == '\r')
		l--;
	return l;
}

/* 1 when the line (p, l) is the fence s, allowing trailing blanks. */
static int is_fence(const char *p, size_t l, const char *s)
{
	size_t k = strlen(s);

	if (l < k || memcmp(p, s, k))
		return 0;
	for (; k < l; k++)
		if (p[k] != ' ' && p[k] != '\t')
			return 0;
	return 1;
}

/*
 * Splits the front matter off text. On success stores its parsed map in
 * *meta (an empty map when there is none) and the offset and line of the
 * body; returns -1 after reporting.
 */
static int split_front_matter(const char *file, const char *text, size_t len,
                              struct value **meta, size_t *body, int *body_line)
{
	size_t start, off, next, l;
	int line = 2;

	*meta = NULL;
	*body = 0;
	*body_line = 1;
	l = line_len(text, len, &start);
	if (!is_fence(text, l, "---")) {
		*meta = value_map();
		return 0;
	}
	for (off = start; off < len; off = next, line++) {
		l = line_len(text + off, len - off, &next);
		next += off;
		if (is_fence(text + off, l, "---") ||
		    is_fence(text + off, l, "..."))
			break;
	}
	if (off >= len) {
		diag_error(file, 1, 1,
		           "front matter is not closed by a '---' line");
		return -1;
	}
	/* the YAML starts on line 2 of the file */
	*meta = yaml_parse(text + start, off - start, file, 1);
	if (!*meta)
		return -1;
	if ((*meta)->type == VALUE_NIL) {
		value_free(*meta);
		*meta = value_map();
	} else if ((*meta)->type != VALUE_MAP) {
		diag_error(file, (*meta)->line, (*meta)->col,
		           "front matter must be a map of keys and values");
		value_free(*meta);
		*meta = NULL;
		return -1;
	}
	*body = next;
	*body_line = line + 1;
	return 0;
}

/* Checks the types of the common keys (SPEC §2); returns -1 after
 * reporting a wrong one. */
static int check_meta(const char *file, const struct value *meta)
{
	static const struct {
		const char *key;
		enum value_type type;
		const char *what;
	} keys[] = {
	    {"title", VALUE_STRING, "a string"},
	    {"type", VALUE_STRING, "a string"},
	    {"slug", VALUE_STRING, "a string"},
	    {"weight", VALUE_NUMBER, "a number"},
	    {"draft", VALUE_BOOL, "true or false"},
	};
	int ret = 0;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct value *v = value_get(meta, keys[i].key);

		if (v && v->type != keys[i].type && v->type != VALUE_NIL) {
			diag_error(file, v->line, v->col, "'%s' must be %s",
			           keys[i].key, keys[i].what);
			ret = -1;
		}
	}
	return ret;
}

/* The length of the line at p (n bytes left), without its end; *next
 * is the offset of the following line. */
static size_t next_line(const char *p, size_t n, size_t *next)
{
	const char *nl = memchr(p, '\n', n);
	size_t l = nl ? (size_t)(nl - p) : n;

	*next = nl ? l + 1 : n;
	return l;
}

/* 0 when the first block of the Markdown text s (n bytes) cannot be a
 * level-1 heading, so the title question needs no parse: its first line
 * that is not blank does not start (after up to 3 spaces) with "# " or
 * "[" (a link definition, which makes no block, may come first), and no
 * line of its first paragraph is a setext "===" underline. 1 otherwise
 * (the parse then decides). */
static int may_open_with_title(const char *s, size_t n)
{
	size_t at = 0, next, l, i, j;
	int seen = 0;

	for (; at < n; at += next) {
		l = next_line(s + at, n - at, &next);
		for (j = 0; j < l && strchr(" \t\r", s[at + j]); j++)
			;
		if (j == l) { /* blank */
			if (seen)
				return 0; /* the first paragraph ended */
			continue;
		}
		for (i = 0; i < l && s[at + i] == ' '; i++)
			;
		if (i < 4 && s[at + i] != '\t') {
			const char *c = s + at + i;

			if (!seen && c[0] == '#') /* "# x", not "## x" */
				return i + 1 == l || strchr(" \t\r", c[1]);
			if ((!seen && c[0] == '[') || (seen && c[0] == '='))
				return 1;
		}
		seen = 1;
	}
	return 0;
}

/* A 64-bit sum of n bytes, eight at a time (FNV-1a's constants on
 * words): a check that a working-tree file read again is the one loaded,
 * not a digest. Byte at a time, it cost 3 % of a render-only build. */
static unsigned long long text_sum(const char *s, size_t n)
{
	unsigned long long h = 14695981039346656037ull ^ n, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 1099511628211ull;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/* Reads the file of p again into text; 0, or -1 after reporting (the
 * file went away or changed since load: the build fails rather than
 * mix two texts). */
static int read_again(const struct page *p, struct buf *text)
{
	int r = p->blob ? history_read_blob(p->repo, p->blob, p->file, text)
	                : fs_read(p->file, LOAD_MAX_SIZE, text);

	/* a blob is the same bytes for the same id */
	if (r == 0 && text->len == p->body_off + p->body_len &&
	    (p->blob ||
	     text_sum(text->data + p->body_off, p->body_len) == p->body_sum))
		return 0;
	if (p->blob)
		diag_error(p->file, 0, 0,
		           "blob %.7s read again during the build is not the "
		           "text loaded",
		           p->blob);
	else
		diag_error(p->file, 0, 0,
		           "changed during the build: build again");
	return -1;
}

struct markdown *load_parse(const struct page *p)
{
	struct markdown_options mdopt = {p->unsafe_html};
	struct buf text = BUF_INIT;
	const char *s = p->body;
	struct markdown *md;

	if (!s && p->file) {
		if (read_again(p, &text) < 0) {
			buf_free(&text);
			return NULL;
		}
		s = text.data + p->body_off;
	}
	if (!s)
		return NULL;
	md = markdown_parse(s, p->body_len, &mdopt);
	if (p->drop_title)
		markdown_drop_title(md);
	buf_free(&text);
	return md;
}

struct markdown *load_markdown(struct page *p)
{
	if (!p->md)
		p->md = load_parse(p);
	return p->md;
}

/* Drops the body of p (and its tree) once loaded from file (the git blob
 * of that id in repo, or the working tree's file when blob is NULL):
 * load_parse reads it again. */
static void keep_source(struct page *p, const char *file, const char *blob,
                        struct history *repo)
{
	p->file = xstrdup(file);
	p->blob = blob ? xstrdup(blob) : NULL;
	p->repo = repo;
	p->body_sum = blob ? 0 : text_sum(p->body, p->body_len);
	free(p->body);
	p->body = NULL;
	markdown_free(p->md);
	p->md = NULL;
}

struct page *load_text(const char *file, const char *text, size_t len,
                       const char *name, const struct config *cfg)
{
	struct page *p = page_new();
	const char *s;
	char *h1 = NULL;
	size_t body, bom = 0;

	/* a UTF-8 byte order mark is not part of the text */
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
		text += 3;
		len -= 3;
		bom = 3;
	}
	if (check_source(file, text, len) < 0 ||
	    split_front_matter(file, text, len, &p->meta, &body,
	                       &p->body_line) < 0 ||
	    check_meta(file, p->meta) < 0) {
		page_free(p);
		return NULL;
	}
	p->body = xstrndup(text + body, len - body);
	p->body_len = len - body;
	p->body_off = bom + body;
	p->has_derive = strstr(p->body, "derive") != NULL;
	p->unsafe_html = cfg->unsafe_html;
	s = value_get_str(p->meta, "type");
	p->type = xstrdup(s && *s ? s : "page");
	s = value_get_str(p->meta, "title");
	if (may_open_with_title(p->body, p->body_len))
		h1 = markdown_title(load_markdown(p));
	/* the template shows the title as the one <h1>: a leading "# Title"
	 * gives the title, or repeats it, and leaves the body */
	if (h1 && (!s || !*s || !strcmp(s, h1))) {
		p->drop_title = 1;
		markdown_drop_title(p->md);
	}
	p->title = xstrdup(s && *s ? s : h1 ? h1 : name);
	free(h1);
	return p;
}

/* A sub-page of a bundle is outside its signed text when it is a bilan or
 * says "signe: false" (SPEC §3). */
static int outside_signed(const struct page *p)
{
	const struct value *signe = value_get(p->meta, "signe");

	return !strcmp(p->type, "bilan") ||
	       (signe && signe->type == VALUE_BOOL && !signe->u.boolean);
}

/* The title of a listing without _index.md: its directory name, with a
 * capital first letter when it is ASCII. */
static char *listing_title(const struct document *d, const struct config *cfg)
{
	char *t;

	if (!d->parent)
		return xstrdup(cfg->title);
	t = xstrdup(d->name);
	if (t[0] >= 'a' && t[0] <= 'z')
		t[0] = (char)(t[0] - 'a' + 'A');
	return t;
}

int load_document(struct document *d, const struct config *cfg)
{
	struct buf text = BUF_INIT;
	int ret = -1;

	if (d->kind == DOC_LIST && fs_is_dir(d->src)) {
		d->page = page_new();
		d->page->meta = value_map();
		d->page->type = xstrdup("page");
		d->page->title = listing_title(d, cfg);
		return 0;
	}
	if (fs_read(d->src, LOAD_MAX_SIZE, &text) < 0) {
		if (errno == EFBIG)
			diag_error(d->src, 0, 0,
			           "file too large (limit %u MiB)",
			           LOAD_MAX_SIZE / (1024 * 1024));
		else
			diag_error(d->src, 0, 0, "cannot read: %s",
			           strerror(errno));
		goto out;
	}
	d->page = load_text(d->src, buf_str(&text), text.len, d->name, cfg);
	if (!d->page)
		goto out;
	keep_source(d->page, d->src, NULL, NULL);
	if (d->kind == DOC_LIST && !d->parent &&
	    !value_get_str(d->page->meta, "title")) {
		free(d->page->title);
		d->page->title = xstrdup(cfg->title);
	}
	{
		const struct value *w = value_get(d->page->meta, "weight");

		d->weight = w && w->type == VALUE_NUMBER ? w->u.number : 0;
	}
	d->outside_signed = d->kind == DOC_PAGE && d->parent &&
	                    d->parent->kind == DOC_BUNDLE &&
	                    outside_signed(d->page);
	ret = 0;
out:
	buf_free(&text);
	return ret;
}

/*
 * The work of a load stage on the pool (-j): one job per document, which
 * writes only that document (and its versions). Per document, a failure
 * flag and the diagnostics the job captured, printed in document order
 * once every job is done: the messages of a build come out the same for
 * any number of workers.
 */
struct load_jobs {
	struct site *site;
	const struct config *cfg;
	struct history *h; /* NULL for the working tree */
	unsigned char *failed;
	char **diags;
	size_t *ndiags;
};

static void jobs_init(struct load_jobs *j, struct site *site,
                      const struct config *cfg, struct history *h)
{
	size_t n = site->ndocs ? site->ndocs : 1;

	j->site = site;
	j->cfg = cfg;
	j->h = h;
	j->failed = xcalloc(n, sizeof(*j->failed));
	j->diags = xcalloc(n, sizeof(*j->diags));
	j->ndiags = xcalloc(n, sizeof(*j->ndiags));
}

/* Runs fn on document i with its diagnostics captured. Without a memory
 * stream (out of memory) they go straight out, in any order. */
static void run_captured(struct load_jobs *j, size_t i,
                         int (*fn)(struct load_jobs *, struct document *))
{
	FILE *f = open_memstream(&j->diags[i], &j->ndiags[i]);

	diag_capture(f);
	j->failed[i] = fn(j, j->site->docs[i]) < 0;
	diag_capture(NULL);
	if (f)
		fclose(f);
}

/* Prints the captured diagnostics in document order and frees the jobs;
 * returns -1 when a document failed. */
static int jobs_finish(struct load_jobs *j)
{
	int ret = 0;

	for (size_t i = 0; i < j->site->ndocs; i++) {
		if (j->ndiags[i])
			diag_print(j->diags[i], j->ndiags[i]);
		free(j->diags[i]);
		if (j->failed[i])
			ret = -1;
	}
	free(j->failed);
	free(j->diags);
	free(j->ndiags);
	return ret;
}

static int load_one(struct load_jobs *j, struct document *d)
{
	return load_document(d, j->cfg);
}

static void load_job(size_t i, int worker, void *arg)
{
	(void)worker;
	run_captured(arg, i, load_one);
}

int load_site(struct site *site, const struct config *cfg)
{
	struct load_jobs j;

	jobs_init(&j, site, cfg, NULL);
	pool_run(cfg->jobs, site->ndocs, load_job, &j);
	return jobs_finish(&j);
}

/* Loads src as it was at commit; NULL when it did not exist then (*absent
 * set) or failed (reported). */
static struct page *load_at(struct history *h, const char *commit,
                            const char *src, const char *name,
                            const struct config *cfg, int *absent)
{
	struct buf text = BUF_INIT, file = BUF_INIT;
	struct page *p = NULL;
	char blob[41];
	int r = history_read_id(h, commit, src, &text, blob);

	*absent = r == 1;
	if (r == 0) {
		/* diagnostics name the file and the commit it comes from */
		buf_printf(&file, "%s@%.7s", src, commit);
		p = load_text(buf_str(&file), buf_str(&text), text.len, name,
		              cfg);
		if (p)
			keep_source(p, src, blob, h);
	}
	buf_free(&text);
	buf_free(&file);
	return p;
}

/* The directory of a bundle: its src without "/index.md". */
static char *bundle_dir(const char *src)
{
	const char *slash = strrchr(src, '/');

	return slash ? xstrndup(src, (size_t)(slash - src)) : xstrdup(".");
}

static void add_subpage(struct version *v, char *src, const char *file,
                        struct page *p)
{
	struct subpage *sp;
	size_t n = strlen(file) - 3; /* without ".md" */

	v->subpages =
	    xrealloc(v->subpages, (v->nsubpages + 1) * sizeof(*v->subpages));
	sp = &v->subpages[v->nsubpages++];
	sp->src = src;
	sp->name = xstrndup(file, n);
	sp->slug = slug_new(sp->name);
	sp->page = p;
}

/* The signed sub-pages of bundle d at version v: the *.md files beside
 * index.md in that commit's tree, bilans left out. */
static int load_subpages(struct history *h, const struct document *d,
                         struct version *v, const struct config *cfg)
{
	char *dir = bundle_dir(v->src ? v->src : d->src);
	struct value *names = value_list();
	int ret = 0;

	if (history_list(h, v->commit, dir, names) < 0)
		ret = -1;
	for (size_t i = 0; i < value_len(names); i++) {
		const char *f = names->u.list.items[i]->u.str.ptr;
		size_t n = strlen(f);
		struct page *p;
		char *src;
		int absent;

		if (strchr(f, '/') || n < 4 || strcmp(f + n - 3, ".md") ||
		    !strcmp(f, "index.md"))
			continue;
		src = fs_join(dir, f);
		p = load_at(h, v->commit, src, f, cfg, &absent);
		if (!p && !absent)
			ret = -1;
		if (!p || outside_signed(p)) {
			page_free(p);
			free(src);
			continue;
		}
		add_subpage(v, src, f, p);
	}
	value_free(names);
	free(dir);
	return ret;
}

/* The last signed version of d, or NULL. */
static const struct version *last_signed(const struct document *d)
{
	const struct version *last = NULL;

	for (size_t i = 0; i < d->nversions; i++)
		if (d->versions[i].is_signed)
			last = &d->versions[i];
	return last;
}

/*
 * The current text of a signed document is its last signed version's
 * (SPEC §3): reload it, and its signed sub-pages, from that commit. A
 * sub-page missing there is not signed yet and is not published.
 *
 * A sub-page with signed versions of its own would keep the last of them:
 * its own job replaces its page, as it did last when documents were loaded
 * one after the other (ordered by path, a bundle before its sub-pages).
 * History gives none today (a Convention trailer never names a sub-page
 * of a bundle), but no two jobs may write one page: its text at the
 * bundle's commit is then read, for the same diagnostics, and dropped.
 */
static int load_signed_current(struct history *h, struct document *d,
                               const struct config *cfg)
{
	const struct version *last = last_signed(d);
	int absent, ret = 0;

	if (!last)
		return 0;
	page_free(d->page);
	d->page = load_at(h, last->commit, last->src ? last->src : d->src,
	                  d->name, cfg, &absent);
	if (!d->page)
		return -1;
	for (size_t i = 0; i < d->nchildren && d->kind == DOC_BUNDLE; i++) {
		struct document *c = d->children[i];
		struct page *p;

		if (c->kind != DOC_PAGE || c->outside_signed)
			continue;
		p = load_at(h, last->commit, c->src, c->name, cfg, &absent);
		if (!p && !absent)
			ret = -1;
		if (c->is_signed && last_signed(c)) {
			page_free(p);
			continue;
		}
		page_free(c->page);
		c->page = p;
	}
	return ret;
}

/* The versions of one document, then its current text when it is signed
 * (see load_versions). */
static int load_doc_versions(struct load_jobs *j, struct document *d)
{
	int ret = 0;

	for (size_t k = 0; k < d->nversions; k++) {
		struct version *v = &d->versions[k];
		const char *src = v->src ? v->src : d->src;
		int absent;

		v->page =
		    load_at(j->h, v->commit, src, d->name, j->cfg, &absent);
		if (!v->page) {
			if (absent)
				diag_error(src, 0, 0, "missing in commit %.7s",
				           v->commit);
			ret = -1;
			continue;
		}
		if (d->kind == DOC_BUNDLE &&
		    load_subpages(j->h, d, v, j->cfg) < 0)
			ret = -1;
	}
	if (d->is_signed && load_signed_current(j->h, d, j->cfg) < 0)
		ret = -1;
	return ret;
}

static void versions_job(size_t i, int worker, void *arg)
{
	(void)worker;
	run_captured(arg, i, load_doc_versions);
}

int load_versions(struct site *site, const struct config *cfg,
                  struct history *h)
{
	struct load_jobs j;

	jobs_init(&j, site, cfg, h);
	pool_run(cfg->jobs, site->ndocs, versions_job, &j);
	return jobs_finish(&j);
}
