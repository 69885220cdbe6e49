/*
 * markdown: parses CommonMark + GFM with cmark-gfm and renders the tree as
 * HTML with our own renderer (see markdown.h).
 *
 * The renderer produces the same HTML as cmark-gfm's cmark_render_html
 * (0.29.0.gfm.6, with the table, strikethrough, autolink, tagfilter,
 * tasklist and footnotes extensions) except where paraphe wants more:
 *   - headings carry a unique id="slug" (SPEC §4);
 *   - raw HTML is shown escaped unless unsafe_html (cmark omits it);
 *   - every dynamic string goes through esc.h, which escapes a few more
 *     characters than cmark (' and = in attributes: equivalent HTML), and
 *     esc_url turns URLs of other schemes than http(s), mailto and tel
 *     into "#" (cmark empties javascript:, vbscript:, file: and data:).
 *
 * It walks the tree with cmark_iter (ENTER/EXIT events, a switch on the
 * node kind in render_block and render_inline), never by recursion, so deeply
 * nested input cannot overflow the stack. The put_* helpers write one piece of
 * a node (an open tag, a close tag, a leaf) so that a diff renderer walking two
 * trees can reuse them and put <ins>/<del> around the text it compares.
 */
#include "markdown.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include "esc.h"
#include "slug.h"
#include "value.h"
#include "xalloc.h"

/* Smart punctuation off and no sourcepos: only footnotes and UTF-8
 * validation (invalid bytes become U+FFFD). */
#define PARSE_OPTIONS (CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8)

struct markdown {
	cmark_node *doc;
	int unsafe_html;
};

/* Node kinds of the extensions, whose cmark type numbers are assigned at
 * registration and not exported by the headers: they get small numbers
 * that no core CMARK_NODE_* value (0x8000 and up) can take. */
enum {
	KIND_TABLE = 1,
	KIND_TABLE_ROW,
	KIND_TABLE_CELL,
	KIND_STRIKETHROUGH,
	KIND_TASK_ITEM
};

/* Heading ids given so far: an open-addressing set of strings, each with
 * the next "-N" suffix to try when the id comes again. */
struct id_slot {
	char *id;
	unsigned next;
};

struct id_set {
	struct id_slot *slots;
	size_t cap, len; /* cap is 0 or a power of two */
};

/* Footnotes, resolved before rendering: cmark keeps the label and the
 * reference counts of a definition in fields its API does not expose. */
struct fn_ref {
	cmark_node *node;
	int line, col; /* source position, for the original order */
	size_t seq;    /* document order, to keep the sort stable */
	int ix;        /* 1 for the first reference to its note, then 2… */
};

struct footnotes {
	char **labels; /* label of note i + 1 (definitions in render order) */
	int *counts;   /* number of references to note i + 1 */
	size_t nnotes, cap_notes;
	struct fn_ref *refs;              /* in document order */
	size_t nrefs, cap_refs, next_ref; /* next_ref: render's cursor */
};

struct render {
	struct buf *out;
	size_t start; /* out->len when rendering began: cr() looks no further */
	int unsafe_html;
	struct value *toc; /* a list, or NULL */
	struct id_set ids;
	struct footnotes fn;
	int footnote_ix, written_footnote_ix; /* as in cmark's html.c */
	/* the table being rendered (tables cannot nest) */
	const uint8_t *aligns;
	unsigned ncols, cell;
	int in_thead, tbody_open;
};

/* cmark allocates through our wrappers: running out of memory is fatal
 * with paraphe's message instead of cmark's abort(). */
static void *md_calloc(size_t count, size_t size)
{
	return xcalloc(count, size);
}

static void *md_realloc(void *p, size_t n)
{
	return xrealloc(p, n);
}

static cmark_mem md_mem = {md_calloc, md_realloc, free};

/* The extension registry of cmark-gfm is a global list that
 * ensure_registered fills without a lock: do it once for all threads. */
static pthread_once_t register_once = PTHREAD_ONCE_INIT;

/* cmark-gfm (up to at least 0.29.0.gfm.6) keeps the table of special
 * inline characters in a global that every parser changes while it parses
 * inlines: the extensions add "~" (strikethrough) and ":" "w" (autolink)
 * then remove them (github/cmark-gfm pull request 176, never merged). Two
 * threads parsing inlines at once lose each other's strikethroughs and
 * autolinks, so the inline pass (cmark_parser_finish) is serialised. */
static pthread_mutex_t inline_lock = PTHREAD_MUTEX_INITIALIZER;

static void register_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

struct markdown *markdown_parse(const char *text, size_t len,
                                const struct markdown_options *opt)
{
	static const char *const names[] = {
	    "table", "strikethrough", "autolink", "tagfilter", "tasklist"};
	struct markdown *md = xcalloc(1, sizeof(*md));
	cmark_parser *parser;
	size_t i;

	pthread_once(&register_once, register_extensions);
	parser = cmark_parser_new_with_mem(PARSE_OPTIONS, &md_mem);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		cmark_syntax_extension *ext =
		    cmark_find_syntax_extension(names[i]);

		if (!ext)
			xfatal("cmark-gfm has no \"%s\" extension", names[i]);
		cmark_parser_attach_syntax_extension(parser, ext);
	}
	cmark_parser_feed(parser, text ? text : "", text ? len : 0);
	pthread_mutex_lock(&inline_lock);
	md->doc = cmark_parser_finish(parser);
	pthread_mutex_unlock(&inline_lock);
	cmark_parser_free(parser); /* the tree does not depend on it */
	md->unsafe_html = opt && opt->unsafe_html;
	return md;
}

void markdown_free(struct markdown *md)
{
	if (!md)
		return;
	cmark_node_free(md->doc);
	free(md);
}

/* The kind of a node: its cmark type, or one of the KIND_* of the
 * extensions (autolinks are plain links). */
static int node_kind(cmark_node *n)
{
	const char *t;

	if (!cmark_node_get_syntax_extension(n))
		return (int)cmark_node_get_type(n);
	t = cmark_node_get_type_string(n);
	if (!strcmp(t, "table"))
		return KIND_TABLE;
	if (!strcmp(t, "table_row") || !strcmp(t, "table_header"))
		return KIND_TABLE_ROW;
	if (!strcmp(t, "table_cell"))
		return KIND_TABLE_CELL;
	if (!strcmp(t, "strikethrough"))
		return KIND_STRIKETHROUGH;
	if (!strcmp(t, "tasklist"))
		return KIND_TASK_ITEM;
	return (int)cmark_node_get_type(n);
}

static const char *lit_or_empty(cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);

	return lit ? lit : "";
}

/* Appends the plain text of node's descendants, unescaped: text and code
 * literals (and raw inline HTML when with_html), line breaks as spaces. */
static void plain_text(cmark_node *node, struct buf *b, int with_html)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int t = (int)cmark_node_get_type(n);

		if (ev != CMARK_EVENT_ENTER || n == node)
			continue;
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE ||
		    (with_html && t == CMARK_NODE_HTML_INLINE))
			buf_puts(b, lit_or_empty(n));
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			buf_putc(b, ' ');
	}
	cmark_iter_free(it);
}

/* ---- heading ids ---- */

static size_t id_hash(const char *s)
{
	size_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot holding id, or the empty slot where it would go. */
static struct id_slot *id_find(struct id_set *set, const char *id)
{
	size_t i = id_hash(id) & (set->cap - 1);

	while (set->slots[i].id && strcmp(set->slots[i].id, id))
		i = (i + 1) & (set->cap - 1);
	return &set->slots[i];
}

/* Adds id (not yet in the set), growing the table at half load. */
static void id_add(struct id_set *set, const char *id)
{
	struct id_slot *old = set->slots, *s;
	size_t i, oldcap = set->cap;

	if (2 * (set->len + 1) > set->cap) {
		set->cap = oldcap ? 2 * oldcap : 64;
		set->slots = xcalloc(set->cap, sizeof(*set->slots));
		for (i = 0; i < oldcap; i++)
			if (old[i].id)
				*id_find(set, old[i].id) = old[i];
		free(old);
	}
	s = id_find(set, id);
	s->id = xstrdup(id);
	s->next = 1;
	set->len++;
}

static void id_set_free(struct id_set *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->slots[i].id);
	free(set->slots);
}

/* Appends to out an id made from text that no earlier heading has:
 * its slug, else "section", then with "-1", "-2"… while taken. */
static void unique_id(struct id_set *set, const char *text, struct buf *out)
{
	struct buf base = BUF_INIT, cand = BUF_INIT;
	struct id_slot *s;
	unsigned k;

	if (!slug_append(&base, text, strlen(text)))
		buf_puts(&base, "section");
	if (set->cap == 0 || !(s = id_find(set, base.data))->id) {
		id_add(set, base.data);
		buf_put(out, base.data, base.len);
		goto out;
	}
	for (k = s->next;; k++) {
		buf_reset(&cand);
		buf_printf(&cand, "%s-%u", base.data, k);
		if (!id_find(set, cand.data)->id)
			break;
	}
	s->next = k + 1; /* before id_add, which may move the slots */
	id_add(set, cand.data);
	buf_put(out, cand.data, cand.len);
out:
	buf_free(&base);
	buf_free(&cand);
}

/* ---- footnotes ---- */

/* Records the label of a definition. The API gives no access to it, but
 * the CommonMark renderer writes it first, as "[^label]:", and labels
 * cannot hold "]" (cmark's scanner). */
static void fn_add_note(struct footnotes *fn, cmark_node *def)
{
	char *md = cmark_render_commonmark(def, 0, 0);
	const char *label = "", *end;
	size_t n = 0;

	if (!strncmp(md, "[^", 2) && (end = strchr(md + 2, ']'))) {
		label = md + 2;
		n = (size_t)(end - label);
	}
	fn->labels = xgrow(fn->labels, &fn->cap_notes, fn->nnotes + 1,
	                   sizeof(*fn->labels));
	fn->labels[fn->nnotes++] = xstrndup(label, n);
	free(md);
}

static void fn_add_ref(struct footnotes *fn, cmark_node *ref)
{
	struct fn_ref *r;

	fn->refs =
	    xgrow(fn->refs, &fn->cap_refs, fn->nrefs + 1, sizeof(*fn->refs));
	r = &fn->refs[fn->nrefs];
	r->node = ref;
	r->line = cmark_node_get_start_line(ref);
	r->col = cmark_node_get_start_column(ref);
	r->seq = fn->nrefs++;
	r->ix = 1;
}

static int ref_by_position(const void *a, const void *b)
{
	const struct fn_ref *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int ref_by_seq(const void *a, const void *b)
{
	const struct fn_ref *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The note number of a reference: cmark replaces its literal by the
 * number; 0 when the tree was edited into something else. */
static size_t fn_number(const struct footnotes *fn, cmark_node *ref)
{
	const char *lit = cmark_node_get_literal(ref);
	long n = lit ? strtol(lit, NULL, 10) : 0;

	return n >= 1 && (size_t)n <= fn->nnotes ? (size_t)n : 0;
}

/* Collects the labels of the notes (definitions, which cmark moved to the
 * end in number order) and numbers the references to each note. cmark
 * numbers them in source order, before it moves the definitions, so
 * references are sorted by source position for that. */
static void fn_prepare(struct footnotes *fn, cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	size_t i;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION)
			fn_add_note(fn, n);
		else if (cmark_node_get_type(n) ==
		         CMARK_NODE_FOOTNOTE_REFERENCE)
			fn_add_ref(fn, n);
	}
	cmark_iter_free(it);
	fn->counts = xcalloc(fn->nnotes + 1, sizeof(*fn->counts));
	if (!fn->nrefs)
		return;
	qsort(fn->refs, fn->nrefs, sizeof(*fn->refs), ref_by_position);
	for (i = 0; i < fn->nrefs; i++) {
		size_t k = fn_number(fn, fn->refs[i].node);

		if (k)
			fn->refs[i].ix = ++fn->counts[k - 1];
	}
	qsort(fn->refs, fn->nrefs, sizeof(*fn->refs), ref_by_seq);
}

static void fn_free(struct footnotes *fn)
{
	size_t i;

	for (i = 0; i < fn->nnotes; i++)
		free(fn->labels[i]);
	free(fn->labels);
	free(fn->counts);
	free(fn->refs);
}

/* ---- output of the pieces of a node ---- */

/* A newline unless at the start of the output or after one (cmark's
 * cmark_html_render_cr). */
static void cr(struct render *r)
{
	struct buf *o = r->out;

	if (o->len > r->start && o->data[o->len - 1] != '\n')
		buf_putc(o, '\n');
}

/* Appends the fragment "#PREFIX-LABEL", with "-N" when n > 1, as a URL;
 * for_id drops the "#" for the id attribute of the target, which must be
 * escaped exactly as the links to it. */
static void put_fragment(struct render *r, const char *prefix,
                         const char *label, int n, int for_id)
{
	struct buf frag = BUF_INIT, url = BUF_INIT;

	buf_printf(&frag, "#%s-%s", prefix, label);
	if (n > 1)
		buf_printf(&frag, "-%d", n);
	esc_url(&url, frag.data, frag.len);
	buf_puts(r->out, buf_str(&url) + (for_id && url.data[0] == '#'));
	buf_free(&frag);
	buf_free(&url);
}

/* The links back to the references of the current note, once per note;
 * returns 1 when written. */
static int put_footnote_backref(struct render *r)
{
	const char *label;
	int i, count;

	if (r->written_footnote_ix >= r->footnote_ix ||
	    (size_t)r->footnote_ix > r->fn.nnotes)
		return 0;
	r->written_footnote_ix = r->footnote_ix;
	label = r->fn.labels[r->footnote_ix - 1];
	count = r->fn.counts[r->footnote_ix - 1];
	buf_puts(r->out, "<a href=\"");
	put_fragment(r, "fnref", label, 1, 0);
	buf_puts(r->out, "\" class=\"footnote-backref\" data-footnote-backref "
	                 "aria-label=\"Retour au texte\">\xe2\x86\xa9</a>");
	for (i = 2; i <= count; i++) {
		buf_puts(r->out, " <a href=\"");
		put_fragment(r, "fnref", label, i, 0);
		buf_printf(
		    r->out,
		    "\" class=\"footnote-backref\" data-footnote-backref "
		    "aria-label=\"Retour au texte\">\xe2\x86\xa9<sup "
		    "class=\"footnote-ref\">%d</sup></a>",
		    i);
	}
	return 1;
}

static void put_footnote_def(struct render *r, int entering)
{
	const char *label;

	if (!entering) {
		if (put_footnote_backref(r))
			buf_putc(r->out, '\n');
		buf_puts(r->out, "</li>\n");
		return;
	}
	if (r->footnote_ix == 0)
		buf_puts(
		    r->out,
		    "<section class=\"footnotes\" data-footnotes>\n<ol>\n");
	r->footnote_ix++;
	label = (size_t)r->footnote_ix <= r->fn.nnotes
	            ? r->fn.labels[r->footnote_ix - 1]
	            : "";
	buf_puts(r->out, "<li id=\"");
	put_fragment(r, "fn", label, 1, 1);
	buf_puts(r->out, "\">\n");
}

static void put_footnote_ref(struct render *r, cmark_node *n)
{
	struct footnotes *fn = &r->fn;
	const char *lit = cmark_node_get_literal(n);
	size_t k = fn_number(fn, n);
	const char *label = k ? fn->labels[k - 1] : lit ? lit : "";

	/* references come in document order; those inside image
	 * descriptions are skipped */
	while (fn->next_ref < fn->nrefs && fn->refs[fn->next_ref].node != n)
		fn->next_ref++;
	buf_puts(r->out, "<sup class=\"footnote-ref\"><a href=\"");
	put_fragment(r, "fn", label, 1, 0);
	buf_puts(r->out, "\" id=\"");
	put_fragment(r, "fnref", label,
	             fn->next_ref < fn->nrefs ? fn->refs[fn->next_ref].ix : 1,
	             1);
	buf_puts(r->out, "\" data-footnote-ref>");
	esc_html_str(r->out, lit);
	buf_puts(r->out, "</a></sup>");
}

/* GFM's tag filter: 1 when p (n bytes) starts with an opening or closing
 * tag of an element that changes how HTML around it is parsed. */
static int filtered_tag(const char *p, size_t n)
{
	static const char *const names[] = {
	    "title",   "textarea", "style",  "xmp",      "iframe",
	    "noembed", "noframes", "script", "plaintext"};
	size_t i, k;

	if (n < 3 || p[0] != '<')
		return 0;
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		const char *t = names[k];

		i = p[1] == '/' ? 2 : 1;
		while (i < n && *t && tolower((unsigned char)p[i]) == *t)
			i++, t++;
		if (*t || i == n)
			continue;
		if ((p[i] && strchr(" \t\n\v\f\r>", p[i])) ||
		    (p[i] == '/' && i + 1 < n && p[i + 1] == '>'))
			return 1;
	}
	return 0;
}

/* Raw HTML from the source, shown escaped as text, or in unsafe mode
 * output as is, but with the "<" of tags that GFM's tag filter names
 * escaped: anywhere in a block, at the start of inline HTML (one tag), as
 * cmark-gfm does. */
static void put_raw_html(struct render *r, const char *p, size_t n, int block)
{
	size_t i, start = 0;

	if (!r->unsafe_html) {
		esc_html(r->out, p, n);
		return;
	}
	for (i = 0; i < n && (block || i == 0); i++) {
		if (p[i] != '<' || !filtered_tag(p + i, n - i))
			continue;
		buf_put(r->out, p + start, i - start); /* raw: unsafe_html */
		buf_puts(r->out, "&lt;");
		start = i + 1;
	}
	buf_put(r->out, p + start, n - start); /* raw: unsafe_html */
}

static void put_html_block(struct render *r, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	size_t len;

	if (!lit)
		lit = "";
	len = strlen(lit);
	cr(r);
	if (r->unsafe_html) {
		put_raw_html(r, lit, len, 1);
	} else {
		while (len && lit[len - 1] == '\n')
			len--;
		buf_puts(r->out, "<p>");
		put_raw_html(r, lit, len, 1);
		buf_puts(r->out, "</p>");
	}
	cr(r);
}

/* Custom nodes come from the site's own scripts, not from Markdown: their
 * HTML is trusted and output as is. */
static void put_custom(struct render *r, cmark_node *n, int entering, int block)
{
	const char *s =
	    entering ? cmark_node_get_on_enter(n) : cmark_node_get_on_exit(n);

	if (block)
		cr(r);
	if (s)
		buf_puts(r->out, s); /* raw: trusted script output */
	if (block)
		cr(r);
}

static void put_heading(struct render *r, cmark_node *n, int entering)
{
	int level = cmark_node_get_heading_level(n);
	struct buf title = BUF_INIT, id = BUF_INIT;

	if (!entering) {
		buf_printf(r->out, "</h%d>\n", level);
		return;
	}
	plain_text(n, &title, 0);
	unique_id(&r->ids, buf_str(&title), &id);
	if (r->toc && r->toc->type == VALUE_LIST) {
		struct value *entry = value_push(r->toc, value_map());

		value_set_num(entry, "level", level);
		value_set_str(entry, "id", buf_str(&id));
		value_set_str(entry, "title", buf_str(&title));
	}
	cr(r);
	buf_printf(r->out, "<h%d id=\"", level);
	esc_attr(r->out, buf_str(&id), id.len);
	buf_puts(r->out, "\">");
	buf_free(&title);
	buf_free(&id);
}

static void put_list(struct render *r, cmark_node *n, int entering)
{
	int ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
	int start = cmark_node_get_list_start(n);

	if (!entering) {
		buf_puts(r->out, ordered ? "</ol>\n" : "</ul>\n");
		return;
	}
	cr(r);
	if (!ordered)
		buf_puts(r->out, "<ul>\n");
	else if (start == 1)
		buf_puts(r->out, "<ol>\n");
	else
		buf_printf(r->out, "<ol start=\"%d\">\n", start);
}

/* A list item; a task list item starts with a disabled checkbox. */
static void put_item(struct render *r, cmark_node *n, int entering, int task)
{
	if (!entering) {
		buf_puts(r->out, "</li>\n");
		return;
	}
	cr(r);
	buf_puts(r->out, "<li>");
	if (task && cmark_gfm_extensions_get_tasklist_item_checked(n))
		buf_puts(r->out, "<input type=\"checkbox\" checked=\"\" "
		                 "disabled=\"\" /> ");
	else if (task)
		buf_puts(r->out, "<input type=\"checkbox\" disabled=\"\" /> ");
}

static void put_code_block(struct render *r, cmark_node *n)
{
	const char *info = cmark_node_get_fence_info(n);
	const char *lit = cmark_node_get_literal(n);

	cr(r);
	if (!info || !*info) {
		buf_puts(r->out, "<pre><code>");
	} else {
		buf_puts(r->out, "<pre><code class=\"language-");
		esc_attr(r->out, info, strcspn(info, " \t\n\v\f\r"));
		buf_puts(r->out, "\">");
	}
	esc_html_str(r->out, lit);
	buf_puts(r->out, "</code></pre>\n");
}

/* Paragraphs of tight list items have no <p>; the last paragraph of a
 * footnote ends with the links back to its references. */
static void put_paragraph(struct render *r, cmark_node *n, int entering)
{
	cmark_node *parent = cmark_node_parent(n);
	cmark_node *grand = parent ? cmark_node_parent(parent) : NULL;

	if (grand && cmark_node_get_type(grand) == CMARK_NODE_LIST &&
	    cmark_node_get_list_tight(grand))
		return;
	if (entering) {
		cr(r);
		buf_puts(r->out, "<p>");
		return;
	}
	if (parent &&
	    cmark_node_get_type(parent) == CMARK_NODE_FOOTNOTE_DEFINITION &&
	    !cmark_node_next(n)) {
		buf_putc(r->out, ' ');
		put_footnote_backref(r);
	}
	buf_puts(r->out, "</p>\n");
}

static void put_link(struct render *r, cmark_node *n, int entering)
{
	const char *url = cmark_node_get_url(n);
	const char *title = cmark_node_get_title(n);

	if (!entering) {
		buf_puts(r->out, "</a>");
		return;
	}
	buf_puts(r->out, "<a href=\"");
	esc_url(r->out, url ? url : "", url ? strlen(url) : 0);
	if (title && *title) {
		buf_puts(r->out, "\" title=\"");
		esc_attr_str(r->out, title);
	}
	buf_puts(r->out, "\">");
}

/* The whole image: its description becomes the alt text. */
static void put_image(struct render *r, cmark_node *n)
{
	const char *url = cmark_node_get_url(n);
	const char *title = cmark_node_get_title(n);
	struct buf alt = BUF_INIT;

	plain_text(n, &alt, 1);
	buf_puts(r->out, "<img src=\"");
	esc_url(r->out, url ? url : "", url ? strlen(url) : 0);
	buf_puts(r->out, "\" alt=\"");
	esc_attr(r->out, buf_str(&alt), alt.len);
	if (title && *title) {
		buf_puts(r->out, "\" title=\"");
		esc_attr_str(r->out, title);
	}
	buf_puts(r->out, "\" />");
	buf_free(&alt);
}

static void put_table(struct render *r, cmark_node *n, int entering)
{
	if (entering) {
		cr(r);
		buf_puts(r->out, "<table>");
		r->aligns = cmark_gfm_extensions_get_table_alignments(n);
		r->ncols = cmark_gfm_extensions_get_table_columns(n);
		r->tbody_open = 0;
		return;
	}
	if (r->tbody_open) {
		cr(r);
		buf_puts(r->out, "</tbody>");
		cr(r);
	}
	r->tbody_open = 0;
	cr(r);
	buf_puts(r->out, "</table>");
	cr(r);
}

/* The header row goes in <thead>, the others in one <tbody>. */
static void put_table_row(struct render *r, cmark_node *n, int entering)
{
	int header = cmark_gfm_extensions_get_table_row_is_header(n);

	cr(r);
	if (!entering) {
		buf_puts(r->out, "</tr>");
		if (header) {
			cr(r);
			buf_puts(r->out, "</thead>");
			r->in_thead = 0;
		}
		return;
	}
	if (header) {
		r->in_thead = 1;
		buf_puts(r->out, "<thead>");
		cr(r);
	} else if (!r->tbody_open) {
		buf_puts(r->out, "<tbody>");
		cr(r);
		r->tbody_open = 1;
	}
	buf_puts(r->out, "<tr>");
	r->cell = 0;
}

static void put_table_cell(struct render *r, int entering)
{
	const char *tag = r->in_thead ? "th" : "td";
	uint8_t align =
	    r->aligns && r->cell < r->ncols ? r->aligns[r->cell] : 0;

	if (!entering) {
		buf_printf(r->out, "</%s>", tag);
		r->cell++;
		return;
	}
	cr(r);
	buf_printf(r->out, "<%s", tag);
	if (align == 'l')
		buf_puts(r->out, " align=\"left\"");
	else if (align == 'c')
		buf_puts(r->out, " align=\"center\"");
	else if (align == 'r')
		buf_puts(r->out, " align=\"right\"");
	buf_putc(r->out, '>');
}

/* A tag without attributes around inline content. */
static void put_tag(struct render *r, const char *name, int entering)
{
	buf_printf(r->out, entering ? "<%s>" : "</%s>", name);
}

static void put_literal(struct render *r, cmark_node *n)
{
	esc_html_str(r->out, cmark_node_get_literal(n));
}

static void put_html_inline(struct render *r, cmark_node *n)
{
	const char *lit = lit_or_empty(n);

	put_raw_html(r, lit, strlen(lit), 0);
}

/* ---- the walk ---- */

/* Writes the part of block n for one event (one switch per category of
 * node, blocks here and inlines below, to keep functions short). */
static void render_block(struct render *r, cmark_node *n, int kind,
                         int entering)
{
	switch (kind) {
	case CMARK_NODE_BLOCK_QUOTE:
		cr(r);
		buf_puts(r->out,
		         entering ? "<blockquote>\n" : "</blockquote>\n");
		break;
	case CMARK_NODE_LIST:
		put_list(r, n, entering);
		break;
	case CMARK_NODE_ITEM:
		put_item(r, n, entering, 0);
		break;
	case KIND_TASK_ITEM:
		put_item(r, n, entering, 1);
		break;
	case CMARK_NODE_CODE_BLOCK:
		put_code_block(r, n);
		break;
	case CMARK_NODE_HTML_BLOCK:
		put_html_block(r, n);
		break;
	case CMARK_NODE_CUSTOM_BLOCK:
		put_custom(r, n, entering, 1);
		break;
	case CMARK_NODE_PARAGRAPH:
		put_paragraph(r, n, entering);
		break;
	case CMARK_NODE_HEADING:
		put_heading(r, n, entering);
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		cr(r);
		buf_puts(r->out, "<hr />\n");
		break;
	case CMARK_NODE_FOOTNOTE_DEFINITION:
		put_footnote_def(r, entering);
		break;
	case KIND_TABLE:
		put_table(r, n, entering);
		break;
	case KIND_TABLE_ROW:
		put_table_row(r, n, entering);
		break;
	case KIND_TABLE_CELL:
		put_table_cell(r, entering);
		break;
	default:
		break; /* the document, and kinds added later */
	}
}

/* Writes the part of inline n for one event. Images are written whole on
 * entry and the iterator skips their description. */
static void render_inline(struct render *r, cmark_iter *it, cmark_node *n,
                          int kind, int entering)
{
	switch (kind) {
	case CMARK_NODE_TEXT:
		put_literal(r, n);
		break;
	case CMARK_NODE_SOFTBREAK:
		buf_putc(r->out, '\n');
		break;
	case CMARK_NODE_LINEBREAK:
		buf_puts(r->out, "<br />\n");
		break;
	case CMARK_NODE_CODE:
		buf_puts(r->out, "<code>");
		put_literal(r, n);
		buf_puts(r->out, "</code>");
		break;
	case CMARK_NODE_HTML_INLINE:
		put_html_inline(r, n);
		break;
	case CMARK_NODE_CUSTOM_INLINE:
		put_custom(r, n, entering, 0);
		break;
	case CMARK_NODE_EMPH:
		put_tag(r, "em", entering);
		break;
	case CMARK_NODE_STRONG:
		put_tag(r, "strong", entering);
		break;
	case KIND_STRIKETHROUGH:
		put_tag(r, "del", entering);
		break;
	case CMARK_NODE_LINK:
		put_link(r, n, entering);
		break;
	case CMARK_NODE_IMAGE:
		put_image(r, n);
		cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
		break;
	case CMARK_NODE_FOOTNOTE_REFERENCE:
		if (entering)
			put_footnote_ref(r, n);
		break;
	default:
		break; /* kinds added later */
	}
}

void markdown_render(struct markdown *md, struct buf *out, struct value *toc)
{
	struct render r;
	cmark_iter *it;
	cmark_event_type ev;

	memset(&r, 0, sizeof(r));
	r.out = out;
	r.start = out->len;
	r.unsafe_html = md->unsafe_html;
	r.toc = toc;
	fn_prepare(&r.fn, md->doc);
	it = cmark_iter_new(md->doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int kind = node_kind(n);

		if ((cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) ==
		    CMARK_NODE_TYPE_INLINE)
			render_inline(&r, it, n, kind, ev == CMARK_EVENT_ENTER);
		else
			render_block(&r, n, kind, ev == CMARK_EVENT_ENTER);
	}
	cmark_iter_free(it);
	if (r.footnote_ix)
		buf_puts(out, "</ol>\n</section>\n");
	fn_free(&r.fn);
	id_set_free(&r.ids);
}

char *markdown_title(const struct markdown *md)
{
	cmark_node *n = cmark_node_first_child(md->doc);
	struct buf b = BUF_INIT;

	if (!n || cmark_node_get_type(n) != CMARK_NODE_HEADING ||
	    cmark_node_get_heading_level(n) != 1)
		return NULL;
	plain_text(n, &b, 0);
	return buf_detach(&b);
}

void markdown_drop_title(struct markdown *md)
{
	cmark_node *n = cmark_node_first_child(md->doc);

	if (n && cmark_node_get_type(n) == CMARK_NODE_HEADING &&
	    cmark_node_get_heading_level(n) == 1)
		cmark_node_free(n); /* unlinks it too */
}
