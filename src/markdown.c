/*
 * markdown: parses CommonMark + GFM with cmark-gfm (see markdown.h) and
 * answers the questions that the renderer (markdown_html.c) and the title
 * helpers ask about the tree: node kinds, plain text, unique heading ids
 * and the footnote index (markdown_int.h).
 *
 * Parsing accepts any bytes: invalid UTF-8 becomes U+FFFD and cmark-gfm
 * never fails on input. cmark allocates through our x* wrappers, and the
 * global state of cmark-gfm (its extension registry, the table of special
 * inline characters) is guarded here, so parsing is thread-safe.
 */
#define _GNU_SOURCE /* dlsym(RTLD_NEXT) */
#include "markdown.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include "markdown_int.h"
#include "slug.h"
#include "xalloc.h"

/* Smart punctuation off and no sourcepos: only footnotes and UTF-8
 * validation (invalid bytes become U+FFFD). */
#define PARSE_OPTIONS (CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8)

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

/*
 * cmark-gfm (up to at least 0.29.0.gfm.6) keeps the table of special
 * inline characters in a global that every parser changes while it parses
 * inlines: cmark_parser_finish calls cmark_manage_extensions_special_
 * characters to add "~" (strikethrough) and ":" "w" (autolink) before its
 * inline pass and to remove them after it (github/cmark-gfm pull request
 * 176, never merged). Two threads parsing inlines at once would lose each
 * other's strikethroughs and autolinks. The API gives no way around it: the
 * parser finds the extension of a delimiter through the same list of
 * characters that the remove walks.
 *
 * So paraphe defines that function itself. cmark-gfm exports it and calls
 * it through the PLT, so the executable's definition is the one
 * cmark_parser_finish calls (ELF symbol interposition). Every parser of
 * paraphe attaches the same extensions (markdown_parse is the only one), so
 * the characters are set once for good, with cmark-gfm's own function
 * (dlsym RTLD_NEXT), and every later add or remove does nothing: the table
 * is then only read, and inline passes run at once on any thread.
 *
 * That is checked before the first parse: a probe document must call the
 * definition here for both its add and its remove, and come out with its
 * strikethrough and autolink. Otherwise (a static cmark-gfm, a library that
 * binds the call inside itself) the definition here hands every call to
 * cmark-gfm's and the inline pass is serialised by inline_lock, as before.
 * The block pass (cmark_parser_feed) reads no inline table (the table
 * extension of 0.29.0.gfm.6 parses no inlines while it finds rows) and
 * never needs the lock.
 */
enum { CHARS_FORWARD, CHARS_PROBE, CHARS_PINNED };
static int chars_state; /* written only inside register_once */
static int probe_adds, probe_removes;
static void (*library_manage)(cmark_parser *, int);
static pthread_mutex_t inline_lock = PTHREAD_MUTEX_INITIALIZER;

/* Weak: with a static cmark-gfm the library's own definition wins, and the
 * probe finds this one never called. */
__attribute__((weak)) void
cmark_manage_extensions_special_characters(cmark_parser *parser, int add)
{
	if (chars_state == CHARS_PROBE)
		*(add ? &probe_adds : &probe_removes) += 1;
	else if (chars_state == CHARS_FORWARD && library_manage)
		library_manage(parser, add);
	else if (chars_state == CHARS_FORWARD)
		xfatal("cmark-gfm's special characters cannot be set");
}

static cmark_parser *new_parser(void)
{
	static const char *const names[] = {
	    "table", "strikethrough", "autolink", "tagfilter", "tasklist"};
	cmark_parser *parser =
	    cmark_parser_new_with_mem(PARSE_OPTIONS, &md_mem);

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		cmark_syntax_extension *ext =
		    cmark_find_syntax_extension(names[i]);

		if (!ext)
			xfatal("cmark-gfm has no \"%s\" extension", names[i]);
		cmark_parser_attach_syntax_extension(parser, ext);
	}
	return parser;
}

/* 1 when doc holds a strikethrough and a link (the autolink). */
static int probe_result(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	int strike = 0, link = 0;

	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);

		strike |= markdown_node_kind(n) == MARKDOWN_STRIKETHROUGH;
		link |= cmark_node_get_type(n) == CMARK_NODE_LINK;
	}
	cmark_iter_free(it);
	return strike && link;
}

/* Sets the special characters for good when the probe shows that the
 * definition above is the one cmark_parser_finish calls. */
static void pin_chars(void)
{
	static const char probe[] = "~~a~~ www.example.org\n";
	cmark_parser *parser;
	cmark_node *doc;
	void *sym;

	/* POSIX's way from an object pointer to a function pointer */
	sym = dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters");
	memcpy(&library_manage, &sym, sizeof(sym));
	if (!library_manage)
		return;
	parser = new_parser();
	library_manage(parser, 1);
	chars_state = CHARS_PROBE;
	cmark_parser_feed(parser, probe, sizeof(probe) - 1);
	doc = cmark_parser_finish(parser);
	if (probe_adds == 1 && probe_removes == 1 && probe_result(doc))
		chars_state = CHARS_PINNED;
	else {
		chars_state = CHARS_FORWARD;
		library_manage(parser, 0);
	}
	cmark_node_free(doc);
	cmark_parser_free(parser);
}

static void register_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
	pin_chars();
}

struct markdown *markdown_parse(const char *text, size_t len,
                                const struct markdown_options *opt)
{
	struct markdown *md = xcalloc(1, sizeof(*md));
	cmark_parser *parser;

	pthread_once(&register_once, register_extensions);
	parser = new_parser();
	cmark_parser_feed(parser, text ? text : "", text ? len : 0);
	if (chars_state == CHARS_PINNED)
		md->doc = cmark_parser_finish(parser);
	else {
		pthread_mutex_lock(&inline_lock);
		md->doc = cmark_parser_finish(parser);
		pthread_mutex_unlock(&inline_lock);
	}
	cmark_parser_free(parser); /* the tree does not depend on it */
	md->unsafe_html = opt && opt->unsafe_html;
	return md;
}

/* 1 when inline passes run at once on several threads (see above). */
int markdown_parallel_inlines(void)
{
	pthread_once(&register_once, register_extensions);
	return chars_state == CHARS_PINNED;
}

void markdown_free(struct markdown *md)
{
	if (!md)
		return;
	cmark_node_free(md->doc);
	free(md);
}

char *markdown_title(const struct markdown *md)
{
	cmark_node *n = cmark_node_first_child(md->doc);
	struct buf b = BUF_INIT;

	if (!n || cmark_node_get_type(n) != CMARK_NODE_HEADING ||
	    cmark_node_get_heading_level(n) != 1)
		return NULL;
	markdown_plain_text(n, &b, 0);
	return buf_detach(&b);
}

void markdown_drop_title(struct markdown *md)
{
	cmark_node *n = cmark_node_first_child(md->doc);

	if (n && cmark_node_get_type(n) == CMARK_NODE_HEADING &&
	    cmark_node_get_heading_level(n) == 1)
		cmark_node_free(n); /* unlinks it too */
}

/* ---- tree queries ---- */

int markdown_node_kind(cmark_node *n)
{
	const char *t;

	if (!cmark_node_get_syntax_extension(n))
		return (int)cmark_node_get_type(n);
	t = cmark_node_get_type_string(n);
	if (!strcmp(t, "table"))
		return MARKDOWN_TABLE;
	if (!strcmp(t, "table_row") || !strcmp(t, "table_header"))
		return MARKDOWN_TABLE_ROW;
	if (!strcmp(t, "table_cell"))
		return MARKDOWN_TABLE_CELL;
	if (!strcmp(t, "strikethrough"))
		return MARKDOWN_STRIKETHROUGH;
	if (!strcmp(t, "tasklist"))
		return MARKDOWN_TASK_ITEM;
	return (int)cmark_node_get_type(n);
}

const char *markdown_literal(cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);

	return lit ? lit : "";
}

void markdown_plain_text(cmark_node *node, struct buf *b, int with_html)
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
			buf_puts(b, markdown_literal(n));
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
static struct markdown_id_slot *id_find(struct markdown_ids *set,
                                        const char *id)
{
	size_t i = id_hash(id) & (set->cap - 1);

	while (set->slots[i].id && strcmp(set->slots[i].id, id))
		i = (i + 1) & (set->cap - 1);
	return &set->slots[i];
}

/* Adds id (not yet in the set), growing the table at half load. */
static void id_add(struct markdown_ids *set, const char *id)
{
	struct markdown_id_slot *old = set->slots, *s;
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

void markdown_ids_free(struct markdown_ids *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->slots[i].id);
	free(set->slots);
}

void markdown_unique_id(struct markdown_ids *set, const char *text,
                        struct buf *out)
{
	struct buf base = BUF_INIT, cand = BUF_INIT;
	struct markdown_id_slot *s;
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

/* ---- the footnote index ---- */

/* Records the label of a definition. The API gives no access to it, but
 * the CommonMark renderer writes it first, as "[^label]:", and labels
 * cannot hold "]" (cmark's scanner). */
static void fn_add_note(struct markdown_notes *fn, cmark_node *def)
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

static void fn_add_ref(struct markdown_notes *fn, cmark_node *ref)
{
	struct markdown_note_ref *r;

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
	const struct markdown_note_ref *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int ref_by_seq(const void *a, const void *b)
{
	const struct markdown_note_ref *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* cmark replaces the literal of a reference by its note's number. */
size_t markdown_note_number(const struct markdown_notes *fn, cmark_node *ref)
{
	const char *lit = cmark_node_get_literal(ref);
	long n = lit ? strtol(lit, NULL, 10) : 0;

	return n >= 1 && (size_t)n <= fn->nnotes ? (size_t)n : 0;
}

/* The definitions come in number order (cmark moved them to the end).
 * cmark numbers references in source order, before it moves the
 * definitions, so references are sorted by source position to rank them,
 * then put back in document order. */
void markdown_notes_index(struct markdown_notes *fn, cmark_node *doc)
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
		size_t k = markdown_note_number(fn, fn->refs[i].node);

		if (k)
			fn->refs[i].ix = ++fn->counts[k - 1];
	}
	qsort(fn->refs, fn->nrefs, sizeof(*fn->refs), ref_by_seq);
}

void markdown_notes_free(struct markdown_notes *fn)
{
	size_t i;

	for (i = 0; i < fn->nnotes; i++)
		free(fn->labels[i]);
	free(fn->labels);
	free(fn->counts);
	free(fn->refs);
}
