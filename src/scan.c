/*
 * scan: the content directory of the working tree into documents (SPEC §2).
 *
 * Two passes. read_tree walks the directories (opendir, names sorted by
 * bytes so nothing depends on the file system's order, at most
 * SCAN_MAX_DEPTH levels) into a tree of nodes, leaving out what must not be
 * published: hidden names (".git" among them, with a -v note), the output
 * directory (recognised by device and inode, whatever its spelling),
 * symbolic links that dangle, leave the site, lead to a hidden file or to a
 * directory (never followed, so no loops), and anything that is neither a
 * regular file nor a directory (never opened: a fifo would hang).
 *
 * The second pass turns the tree into documents:
 *   - a directory holding index.md is a bundle; its other *.md files are
 *     sub-pages; every other file, in it or in its sub-directories, is a
 *     resource of the bundle. A bundle is a leaf: *.md files in its
 *     sub-directories are copied as files (with a warning), not pages;
 *   - any other directory with a page in it or below is a listing, its text
 *     from _index.md when present. The content directory is the home
 *     listing; its text may also come from index.md (when there is no
 *     _index.md), so that a folder of plain Markdown with an index.md works;
 *   - a directory with no page at all is not a document: its files are
 *     resources of the nearest listing, at the same relative place.
 * With content ".", everything not hidden is content (site.yaml, themes/,
 * scripts/ too) except the output directory.
 *
 * Every output path is decided here: each segment slugified (slug.h), a
 * resource named slug of its stem + "." + lowercase extension. Names that
 * would take a file paraphe generates (versions/, data.json, feed.xml…) are
 * refused as they are made; the last step sorts every output name to report
 * two sources meeting at one name (a page "x/" and a file "x" meet too).
 */
#include "scan.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "fs.h"
#include "site.h"
#include "slug.h"
#include "xalloc.h"

#define SCAN_MAX_DEPTH 64

/* One entry kept by read_tree. */
struct node {
	char *name;      /* as on disk */
	char *src;       /* relative to the site root; "" for content "." */
	const char *rel; /* relative to the content directory (into src) */
	int is_dir;
	int has_page;      /* directory: a *.md file in it or below */
	struct node *kids; /* sorted by name */
	size_t nkids;
};

enum key_kind { KEY_DOC, KEY_DIR, KEY_RES };

/* One output name (documents and directories without their trailing "/"),
 * for the collision and reserved-name checks. */
struct key {
	char *out;
	const char *src; /* borrowed from a node or a document */
	enum key_kind kind;
};

struct scan {
	char *root;  /* realpath of the site root (the current directory) */
	size_t plen; /* length of the content prefix of every node's src */
	int skip_out;
	dev_t out_dev;
	ino_t out_ino;
	struct document **docs;
	size_t ndocs, capdocs;
	struct key *keys;
	size_t nkeys, capkeys;
};

enum entry { ENTRY_SKIP, ENTRY_FILE, ENTRY_DIR };

static int is_md(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, ".md") == 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the names in directory path ("" is "."), sorted by bytes, without
 * "." and "..". Returns the count (names malloc'd), or -1 after an error. */
static long list_names(const char *path, char ***names)
{
	const char *p = path[0] ? path : ".";
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *d = opendir(p);

	*names = NULL;
	if (!d) {
		diag_error(p, 0, 0, "cannot read directory '%s': %s", p,
		           strerror(errno));
		return -1;
	}
	for (errno = 0; (e = readdir(d)) != NULL; errno = 0) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		*names = xgrow(*names, &cap, n + 1, sizeof(**names));
		(*names)[n++] = xstrdup(e->d_name);
	}
	if (errno)
		diag_error(p, 0, 0, "cannot read directory '%s': %s", p,
		           strerror(errno));
	closedir(d);
	if (n)
		qsort(*names, n, sizeof(**names), cmp_name);
	return (long)n;
}

/* 1 when the resolved path real is root or under it. */
static int inside(const char *root, const char *real)
{
	size_t n = strlen(root);

	if (n == 1) /* the site is "/" */
		return 1;
	return strncmp(root, real, n) == 0 &&
	       (real[n] == '/' || real[n] == '\0');
}

/* A link is followed only to a regular file of the site that is not hidden
 * (a link must not publish .git/config); never to a directory, which could
 * make a loop. */
static enum entry classify_link(const struct scan *s, const char *src)
{
	char *real = realpath(src, NULL);
	const char *why = NULL;
	enum entry ret = ENTRY_SKIP;
	struct stat st;

	if (!real)
		why = errno == ENOENT ? "is dangling" : "cannot be resolved";
	else if (!inside(s->root, real))
		why = "leads outside the site";
	else if (strstr(real + (strlen(s->root) == 1 ? 0 : strlen(s->root)),
	                "/."))
		why = "leads to a hidden file";
	else if (stat(real, &st) != 0)
		why = "cannot be followed";
	else if (S_ISDIR(st.st_mode))
		diag_warning(src, 0, 0,
		             "symbolic link '%s' leads to a directory, not "
		             "followed",
		             src);
	else if (!S_ISREG(st.st_mode))
		why = "leads to a special file";
	else
		ret = ENTRY_FILE;
	if (why)
		diag_warning(src, 0, 0, "symbolic link '%s' %s, not published",
		             src, why);
	free(real);
	return ret;
}

/* What src is, by lstat: nothing is opened. */
static enum entry classify(const struct scan *s, const char *src)
{
	struct stat st;

	if (lstat(src, &st) != 0) {
		diag_warning(src, 0, 0, "cannot read '%s': %s, not published",
		             src, strerror(errno));
		return ENTRY_SKIP;
	}
	if (S_ISLNK(st.st_mode))
		return classify_link(s, src);
	if (S_ISREG(st.st_mode))
		return ENTRY_FILE;
	if (!S_ISDIR(st.st_mode)) {
		diag_warning(src, 0, 0,
		             "'%s' is not a regular file or directory, not "
		             "published",
		             src);
		return ENTRY_SKIP;
	}
	if (s->skip_out && st.st_dev == s->out_dev && st.st_ino == s->out_ino) {
		diag_note(src, 0, 0, "output directory '%s' skipped", src);
		return ENTRY_SKIP;
	}
	return ENTRY_DIR;
}

/* Adds the entry name of dir to its kids unless it is left out; takes
 * ownership of name. dir->kids has room for it. */
static void add_kid(const struct scan *s, struct node *dir, char *name)
{
	const char *where = dir->src[0] ? dir->src : ".";
	struct node *k;
	enum entry e;
	char *src;

	if (name[0] == '.') {
		diag_note(where, 0, 0, "hidden '%s' skipped", name);
		free(name);
		return;
	}
	/* +2: the "/" and the NUL; output paths are never longer than
	 * sources (slugs do not grow), so this one check bounds them too */
	if (strlen(dir->src) + strlen(name) + 2 > PATH_MAX) {
		diag_error(where, 0, 0,
		           "path of '%s' is longer than %d bytes, not scanned",
		           name, PATH_MAX);
		free(name);
		return;
	}
	src = fs_join(dir->src, name);
	e = classify(s, src);
	if (e == ENTRY_SKIP) {
		free(src);
		free(name);
		return;
	}
	k = &dir->kids[dir->nkids++];
	memset(k, 0, sizeof(*k));
	k->name = name;
	k->src = src;
	k->rel = src + s->plen;
	k->is_dir = e == ENTRY_DIR;
}

/* Fills dir->kids from the disk, then recurses into the directories among
 * them; errors are reported and leave the tree usable. */
static void read_tree(const struct scan *s, struct node *dir, int depth)
{
	char **names;
	long n, i;

	if (depth > SCAN_MAX_DEPTH) {
		diag_error(dir->src, 0, 0,
		           "directory '%s' is nested more than %d levels deep, "
		           "not scanned",
		           dir->src, SCAN_MAX_DEPTH);
		return;
	}
	n = list_names(dir->src, &names);
	if (n <= 0)
		return;
	dir->kids = xcalloc((size_t)n, sizeof(*dir->kids));
	for (i = 0; i < n; i++)
		add_kid(s, dir, names[i]);
	free(names);
	for (i = 0; i < (long)dir->nkids; i++) {
		struct node *k = &dir->kids[i];

		if (k->is_dir)
			read_tree(s, k, depth + 1);
		if (k->is_dir ? k->has_page : is_md(k->name))
			dir->has_page = 1;
	}
}

static void node_free(struct node *n)
{
	size_t i;

	for (i = 0; i < n->nkids; i++)
		node_free(&n->kids[i]);
	free(n->kids);
	free(n->name);
	free(n->src);
}

/* The file kid of n called name, or NULL. */
static const struct node *find_file(const struct node *n, const char *name)
{
	size_t i;

	for (i = 0; i < n->nkids; i++)
		if (!n->kids[i].is_dir && !strcmp(n->kids[i].name, name))
			return &n->kids[i];
	return NULL;
}

/* Names the render stage writes in every document's directory, and (top)
 * at the top of the output (SPEC §4). "accessibilite" is refused only to
 * files and to directories without pages: the site's own page may take
 * /accessibilite/, and the theme's generated declaration then yields. */
static const struct {
	const char *name;
	int top;
} reserved[] = {
    {"versions", 0},    {"compare", 0},  {"data.json", 0},
    {"index.html", 0},  {"feed.xml", 1}, {"sitemap.xml", 1},
    {"search.json", 1}, {"404.html", 1}, {"deliberations.csv", 1},
};

static int is_reserved(const char *last, int top, enum key_kind kind)
{
	size_t i;

	for (i = 0; i < sizeof(reserved) / sizeof(*reserved); i++)
		if (!strcmp(last, reserved[i].name) &&
		    (top || !reserved[i].top))
			return 1;
	return top && kind != KEY_DOC && !strcmp(last, "accessibilite");
}

/* Records the output name out of src, found in the directory of document
 * owner or below. A trailing "/" is dropped, so that a page "x/" meets a
 * file "x". A name directly in owner's directory that would take a
 * generated file is reported here. */
static void key_add(struct scan *s, const char *out, const char *src,
                    enum key_kind kind, const struct document *owner)
{
	size_t n = strlen(out);
	const char *last;
	struct key *k;

	if (n && out[n - 1] == '/')
		n--;
	s->keys = xgrow(s->keys, &s->capkeys, s->nkeys + 1, sizeof(*s->keys));
	k = &s->keys[s->nkeys++];
	k->out = xstrndup(out, n);
	k->src = src;
	k->kind = kind;
	last = strrchr(k->out, '/');
	last = last ? last + 1 : k->out;
	if ((size_t)(last - k->out) == strlen(owner->path) &&
	    is_reserved(last, !owner->path[0], kind))
		diag_error(src, 0, 0,
		           "'%s' maps to '%s', a name reserved for the pages "
		           "paraphe generates",
		           src, out);
}

/* Appends the slug of (name, n) to out; an empty slug is an error naming
 * the source src, and returns -1. */
static int put_slug(struct buf *out, const char *name, size_t n,
                    const char *src)
{
	if (slug_append(out, name, n) > 0)
		return 0;
	diag_error(src, 0, 0,
	           "cannot make an output name from '%.*s': it has no letter "
	           "or digit",
	           (int)n, name);
	return -1;
}

/* "Scan Signé.PDF" → "scan-signe.pdf": slug of the stem, then the
 * extension lowercased when it is plain ASCII letters and digits (anything
 * else is no extension, and the whole name is slugified). */
static int put_resource_name(struct buf *out, const char *name, const char *src)
{
	const char *dot = strrchr(name, '.');
	const char *p;

	for (p = dot ? dot + 1 : NULL; p && *p; p++)
		if (!isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80)
			dot = NULL;
	if (!dot || dot == name || !dot[1])
		return put_slug(out, name, strlen(name), src);
	if (put_slug(out, name, (size_t)(dot - name), src) < 0)
		return -1;
	for (p = dot; *p; p++)
		buf_putc(out, tolower((unsigned char)*p));
	return 0;
}

/* Makes a document and records it; with a parent, as its child. */
static struct document *doc_add(struct scan *s, enum doc_kind kind,
                                const char *src, const char *dir,
                                const char *path, const char *name,
                                struct document *parent)
{
	struct document *d = document_new(kind);

	d->src = xstrdup(src);
	d->dir = xstrdup(dir);
	d->path = xstrdup(path);
	d->name = xstrdup(name);
	s->docs = xgrow(s->docs, &s->capdocs, s->ndocs + 1, sizeof(*s->docs));
	s->docs[s->ndocs++] = d;
	if (parent) {
		document_add_child(parent, d);
		key_add(s, d->path, d->src, KEY_DOC, parent);
	}
	return d;
}

/* The page of file k ("x.md"), child of the listing or bundle parent. */
static void add_page(struct scan *s, const struct node *k,
                     struct document *parent)
{
	struct buf path = BUF_INIT;
	char *stem = xstrndup(k->name, strlen(k->name) - 3);

	buf_puts(&path, parent->path);
	if (put_slug(&path, stem, strlen(stem), k->src) == 0) {
		buf_putc(&path, '/');
		doc_add(s, DOC_PAGE, k->src, parent->dir, buf_str(&path), stem,
		        parent);
	}
	free(stem);
	buf_free(&path);
}

/* The file k as a resource of owner, written under prefix. */
static void add_resource(struct scan *s, const struct node *k,
                         struct document *owner, const char *prefix)
{
	struct buf out = BUF_INIT;
	struct resource *r;
	size_t n = owner->nresources;

	buf_puts(&out, prefix);
	if (put_resource_name(&out, k->name, k->src) < 0) {
		buf_free(&out);
		return;
	}
	/* struct document keeps no capacity: the array is grown to the next
	 * power of two whenever its length reaches one */
	if ((n & (n - 1)) == 0)
		owner->resources =
		    xrealloc(owner->resources, (n ? 2 * n : 1) * sizeof(*r));
	r = &owner->resources[owner->nresources++];
	r->src = xstrdup(k->src);
	r->out = buf_detach(&out);
	r->name = xstrdup(k->name);
	key_add(s, r->out, r->src, KEY_RES, owner);
}

/* Every file under directory n, recursively, as a resource of owner, under
 * prefix + the slug of n's name. Used for sub-directories of bundles and
 * for directories without pages. */
static void add_files(struct scan *s, const struct node *n,
                      struct document *owner, const char *prefix)
{
	struct buf sub = BUF_INIT;
	size_t i;

	buf_puts(&sub, prefix);
	if (put_slug(&sub, n->name, strlen(n->name), n->src) < 0)
		goto out;
	buf_putc(&sub, '/');
	key_add(s, buf_str(&sub), n->src, KEY_DIR, owner);
	for (i = 0; i < n->nkids; i++) {
		const struct node *k = &n->kids[i];

		if (k->is_dir) {
			add_files(s, k, owner, buf_str(&sub));
			continue;
		}
		if (is_md(k->name))
			diag_warning(k->src, 0, 0,
			             "'%s' is in a sub-directory of the bundle "
			             "'%s': copied as a file, not made a page",
			             k->src, owner->src);
		add_resource(s, k, owner, buf_str(&sub));
	}
out:
	buf_free(&sub);
}

/* A bundle: sub-pages from its *.md files, resources from the rest. */
static void walk_bundle(struct scan *s, const struct node *n,
                        struct document *b)
{
	size_t i;

	for (i = 0; i < n->nkids; i++) {
		const struct node *k = &n->kids[i];

		if (k->is_dir)
			add_files(s, k, b, b->path);
		else if (!strcmp(k->src, b->src))
			continue; /* index.md, the bundle's own text */
		else if (is_md(k->name))
			add_page(s, k, b);
		else
			add_resource(s, k, b, b->path);
	}
}

static void walk_listing(struct scan *s, const struct node *n,
                         struct document *l);

/* The sub-directory k of listing l: a bundle, a sub-listing, or (without
 * any page) more resources of l. */
static void add_dir(struct scan *s, const struct node *k, struct document *l)
{
	const struct node *index = find_file(k, "index.md");
	struct buf path = BUF_INIT;
	struct document *d;

	if (!index && !k->has_page) {
		add_files(s, k, l, l->path);
		return;
	}
	buf_puts(&path, l->path);
	if (put_slug(&path, k->name, strlen(k->name), k->src) < 0)
		goto out;
	buf_putc(&path, '/');
	if (index) {
		d = doc_add(s, DOC_BUNDLE, index->src, k->rel, buf_str(&path),
		            k->name, l);
		walk_bundle(s, k, d);
	} else {
		index = find_file(k, "_index.md");
		d = doc_add(s, DOC_LIST, index ? index->src : k->src, k->rel,
		            buf_str(&path), k->name, l);
		walk_listing(s, k, d);
	}
out:
	buf_free(&path);
}

/* A listing: pages, bundles and sub-listings as children, its other files
 * as resources. */
static void walk_listing(struct scan *s, const struct node *n,
                         struct document *l)
{
	size_t i;

	for (i = 0; i < n->nkids; i++) {
		const struct node *k = &n->kids[i];

		if (k->is_dir)
			add_dir(s, k, l);
		else if (!strcmp(k->src, l->src))
			continue; /* _index.md, the listing's own text */
		else if (is_md(k->name))
			add_page(s, k, l);
		else
			add_resource(s, k, l, l->path);
	}
}

/* Orders by path, then by source so that colliding entries stay in a
 * fixed order too. */
static int cmp_doc(const void *a, const void *b)
{
	const struct document *x = *(struct document *const *)a;
	const struct document *y = *(struct document *const *)b;
	int c = strcmp(x->path, y->path);

	return c ? c : strcmp(x->src, y->src);
}

static int cmp_resource(const void *a, const void *b)
{
	const struct resource *x = a, *y = b;
	int c = strcmp(x->out, y->out);

	return c ? c : strcmp(x->src, y->src);
}

static int cmp_key(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->out, y->out);

	return c ? c : strcmp(x->src, y->src);
}

static void sort_docs(struct scan *s)
{
	size_t i;

	qsort(s->docs, s->ndocs, sizeof(*s->docs), cmp_doc);
	for (i = 0; i < s->ndocs; i++) {
		struct document *d = s->docs[i];

		if (d->nchildren)
			qsort(d->children, d->nchildren, sizeof(*d->children),
			      cmp_doc);
		if (d->nresources)
			qsort(d->resources, d->nresources,
			      sizeof(*d->resources), cmp_resource);
	}
}

/* Reports every output name taken twice: each later source against the
 * first, in source order. */
static void check_keys(struct scan *s)
{
	struct buf shown = BUF_INIT;
	size_t i, first = 0;

	if (s->nkeys)
		qsort(s->keys, s->nkeys, sizeof(*s->keys), cmp_key);
	for (i = 1; i < s->nkeys; i++) {
		const struct key *k = &s->keys[i], *f = &s->keys[first];

		if (strcmp(k->out, f->out)) {
			first = i;
			continue;
		}
		buf_reset(&shown);
		buf_puts(&shown, f->out);
		if (f->kind != KEY_RES)
			buf_putc(&shown, '/');
		diag_error(k->src, 0, 0, "'%s' and '%s' both map to '%s'",
		           k->src, f->src, buf_str(&shown));
	}
	buf_free(&shown);
}

/* The content directory as given, without "./" in front or "/" behind;
 * "." when nothing is left. */
static char *content_dir(const char *content)
{
	size_t n;

	while (content[0] == '.' && content[1] == '/')
		for (content += 2; *content == '/';)
			content++;
	n = strlen(content);
	while (n > 1 && content[n - 1] == '/')
		n--;
	return n ? xstrndup(content, n) : xstrdup(".");
}

/* Checks the content directory and the site root, and finds the output
 * directory. Returns 0, or -1 after an error. */
static int scan_start(struct scan *s, const char *content, const char *output)
{
	struct stat st;
	int err = stat(content, &st)    ? errno
	          : S_ISDIR(st.st_mode) ? 0
	                                : ENOTDIR;

	if (err) {
		diag_error(content, 0, 0, "content directory '%s' %s", content,
		           err == ENOENT    ? "does not exist"
		           : err == ENOTDIR ? "is not a directory"
		                            : strerror(err));
		return -1;
	}
	s->root = realpath(".", NULL);
	if (!s->root) {
		diag_error(NULL, 0, 0, "cannot resolve the site directory: %s",
		           strerror(errno));
		return -1;
	}
	if (output && stat(output, &st) == 0 && S_ISDIR(st.st_mode)) {
		s->skip_out = 1;
		s->out_dev = st.st_dev;
		s->out_ino = st.st_ino;
	}
	return 0;
}

int scan_site(const struct config *cfg, struct site *site)
{
	char *content = content_dir(cfg->content ? cfg->content : "content");
	int errors = diag_errors(), ret = -1;
	struct scan s = {0};
	struct node root = {0};
	const struct node *index;
	size_t i;

	if (scan_start(&s, content, cfg->output) < 0)
		goto out;
	/* with content ".", sources are "a.md", not "./a.md" */
	root.src = xstrdup(strcmp(content, ".") ? content : "");
	root.rel = "";
	s.plen =
	    root.src[0] ? strlen(root.src) + (strcmp(root.src, "/") != 0) : 0;
	read_tree(&s, &root, 0);
	index = find_file(&root, "_index.md");
	if (!index)
		index = find_file(&root, "index.md");
	site->home = doc_add(&s, DOC_LIST, index ? index->src : content, "", "",
	                     "", NULL);
	walk_listing(&s, &root, site->home);
	sort_docs(&s);
	check_keys(&s);
	if (diag_errors() == errors)
		ret = 0;
out:
	/* whatever was made belongs to the site, even on failure */
	site->docs = s.docs;
	site->ndocs = s.ndocs;
	for (i = 0; i < s.nkeys; i++)
		free(s.keys[i].out);
	free(s.keys);
	node_free(&root);
	free(s.root);
	free(content);
	return ret;
}
