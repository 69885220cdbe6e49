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
#include "load_int.h"

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
 * that is not blank is not (after up to 3 spaces) an ATX "# " heading of
 * level 1 or a "[" (a link definition, which makes no block, may come
 * first), and no line of its first paragraph is a setext "===" underline
 * ("#foo" starts a paragraph, which may be one). 1 otherwise (the parse
 * then decides). */
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

			if (!seen && c[0] == '#') {
				size_t k = 1;

				while (k < l - i && k < 7 && c[k] == '#')
					k++;
				/* an ATX heading: the title if of level 1 */
				if (k <= 6 &&
				    (i + k == l || strchr(" \t\r", c[k])))
					return k == 1;
			}
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
void load_keep_source(struct page *p, const char *file, const char *blob,
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
	/* an info string may spell it with entities ("&#100;erive") */
	p->has_derive = strstr(p->body, "derive") || strchr(p->body, '&');
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
int load_outside_signed(const struct page *p)
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
	load_keep_source(d->page, d->src, NULL, NULL);
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
	                    load_outside_signed(d->page);
	ret = 0;
out:
	buf_free(&text);
	return ret;
}

void load_jobs_init(struct load_jobs *j, struct site *site,
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
void load_run_captured(struct load_jobs *j, size_t i,
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
int load_jobs_finish(struct load_jobs *j)
{
	int ret = 0;

	for (size_t i = 0; i < j->site->ndocs; i++) {
		if (j->ndiags[i])
			diag_print_captured(j->diags[i], j->ndiags[i], NULL);
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
	load_run_captured(arg, i, load_one);
}

int load_site(struct site *site, const struct config *cfg)
{
	struct load_jobs j;

	load_jobs_init(&j, site, cfg, NULL);
	pool_run(cfg->jobs, site->ndocs, load_job, &j);
	return load_jobs_finish(&j);
}
