/*
 * diff_tree: the outline of a parsed text (struct dtree, diff_int.h).
 *
 * One walk of the cmark tree, with an iterator and two explicit stacks
 * (open containers, open sections), makes:
 *   - sections from the headings at the document level: a heading opens a
 *     section that holds it and what follows, up to the next heading of
 *     the same level or above, so that articles are aligned as wholes;
 *     footnote definitions (cmark puts them last) close every section;
 *   - containers (quotes, lists, items, tables, rows, notes) and leaves
 *     (paragraphs, headings, cells, code blocks; raw HTML, rules and
 *     custom blocks compared whole), with their tokens (diff_tok.c);
 *   - the id that a full rendering gives each heading (same rule, same
 *     order: markdown_unique_id over the whole text), so that links from
 *     a diff land on the right article of the full text.
 * Then one backward pass gives each node the hash of its content.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>

#include "diff_int.h"
#include "xalloc.h"

static size_t add_node(struct dtree *t, size_t parent, cmark_node *n, int kind,
                       int cls)
{
	struct dnode *d;
	size_t k = t->n;

	t->nodes = xgrow(t->nodes, &t->capn, t->n + 1, sizeof(*t->nodes));
	d = &t->nodes[t->n++];
	memset(d, 0, sizeof(*d));
	d->node = n;
	d->kind = kind;
	d->cls = (unsigned char)cls;
	d->parent = parent;
	d->first = d->last = d->next = DIFF_NONE;
	d->tok0 = d->tok1 = t->ntoks;
	d->id = d->title = DIFF_NONE;
	if (parent != DIFF_NONE) {
		struct dnode *p = &t->nodes[parent];

		if (p->last == DIFF_NONE)
			p->first = k;
		else
			t->nodes[p->last].next = k;
		p->last = k;
		p->nkids++;
	}
	return k;
}

const char *diff_tree_str(const struct dtree *t, size_t off)
{
	return off == DIFF_NONE ? "" : t->strs.data + off;
}

/* ---- heading ids: node → offset of the id in strs ---- */

static size_t ptr_hash(const void *p)
{
	uintptr_t x = (uintptr_t)p;

	return (size_t)(x ^ (x >> 17) ^ (x >> 31)) * 2654435761u;
}

static void hmap_put(struct dtree *t, cmark_node *n, size_t id);

static void hmap_grow(struct dtree *t)
{
	size_t *old = t->hmap, oldcap = t->hcap;

	t->hcap = oldcap ? 2 * oldcap : 32;
	t->hmap = xmalloc(2 * t->hcap * sizeof(*t->hmap));
	for (size_t i = 0; i < 2 * t->hcap; i += 2)
		t->hmap[i] = 0, t->hmap[i + 1] = DIFF_NONE;
	t->hlen = 0;
	for (size_t i = 0; i < 2 * oldcap; i += 2)
		if (old[i])
			hmap_put(t, (cmark_node *)old[i], old[i + 1]);
	free(old);
}

/* Slots are pairs (node pointer as a size_t, id offset). */
static void hmap_put(struct dtree *t, cmark_node *n, size_t id)
{
	size_t i;

	if (2 * (t->hlen + 1) > t->hcap)
		hmap_grow(t);
	i = ptr_hash(n) & (t->hcap - 1);
	while (t->hmap[2 * i] && t->hmap[2 * i] != (size_t)(uintptr_t)n)
		i = (i + 1) & (t->hcap - 1);
	if (!t->hmap[2 * i])
		t->hlen++;
	t->hmap[2 * i] = (size_t)(uintptr_t)n;
	t->hmap[2 * i + 1] = id;
}

size_t diff_tree_heading(const struct dtree *t, cmark_node *n)
{
	size_t i;

	if (!t->hcap)
		return DIFF_NONE;
	i = ptr_hash(n) & (t->hcap - 1);
	while (t->hmap[2 * i]) {
		if (t->hmap[2 * i] == (size_t)(uintptr_t)n)
			return t->hmap[2 * i + 1];
		i = (i + 1) & (t->hcap - 1);
	}
	return DIFF_NONE;
}

/* Gives heading n its id as a full rendering would; returns the offset
 * of the id; the plain title follows it in strs. */
static size_t name_heading(struct dtree *t, struct markdown_ids *ids,
                           cmark_node *n)
{
	struct buf title = BUF_INIT;
	size_t id = t->strs.len;

	markdown_plain_text(n, &title, 0);
	markdown_unique_id(ids, buf_str(&title), &t->strs);
	buf_putc(&t->strs, '\0');
	buf_put(&t->strs, buf_str(&title), title.len);
	buf_putc(&t->strs, '\0');
	hmap_put(t, n, id);
	buf_free(&title);
	return id;
}

/* Headings inside a block compared whole still take their ids. */
static void name_inner_headings(struct dtree *t, struct markdown_ids *ids,
                                cmark_node *block)
{
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);

		if (ev == CMARK_EVENT_ENTER && n != block &&
		    cmark_node_get_type(n) == CMARK_NODE_HEADING)
			name_heading(t, ids, n);
	}
	cmark_iter_free(it);
}

/* ---- the walk ---- */

struct stacks {
	size_t *c, nc, capc; /* open containers */
	size_t *s, ns, caps; /* open sections */
	struct markdown_ids ids;
};

static void push(size_t **v, size_t *n, size_t *cap, size_t x)
{
	*v = xgrow(*v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = x;
}

/* Closes the sections of level >= level (0: all). */
static void close_sections(struct dtree *t, struct stacks *st, int level)
{
	while (st->ns && t->nodes[st->s[st->ns - 1]].level >= level) {
		t->nodes[st->s[st->ns - 1]].tok1 = t->ntoks;
		st->ns--;
	}
}

static int is_container(int kind)
{
	return kind == CMARK_NODE_BLOCK_QUOTE || kind == CMARK_NODE_LIST ||
	       kind == CMARK_NODE_ITEM || kind == MARKDOWN_TASK_ITEM ||
	       kind == MARKDOWN_TABLE || kind == MARKDOWN_TABLE_ROW ||
	       kind == CMARK_NODE_FOOTNOTE_DEFINITION;
}

/* A heading at the document level opens a section. */
static size_t open_section(struct dtree *t, struct stacks *st, cmark_node *n)
{
	int level = cmark_node_get_heading_level(n);
	size_t sec;

	close_sections(t, st, level);
	sec = add_node(t, st->ns ? st->s[st->ns - 1] : 0, n, CMARK_NODE_HEADING,
	               DC_SECTION);
	t->nodes[sec].level = (unsigned char)level;
	push(&st->s, &st->ns, &st->caps, sec);
	return sec;
}

/* Adds the block n met on entry; returns 1 when its children are to be
 * skipped (a leaf: its tokens are read here). */
static int enter_block(struct dtree *t, struct stacks *st, cmark_node *n,
                       cmark_node *doc, size_t *notes)
{
	int kind = markdown_node_kind(n);
	int top = cmark_node_parent(n) == doc;
	size_t parent = st->nc   ? st->c[st->nc - 1]
	                : st->ns ? st->s[st->ns - 1]
	                         : 0;
	size_t k;

	if (top && kind == CMARK_NODE_FOOTNOTE_DEFINITION) {
		close_sections(t, st, 0);
		parent = 0;
	} else if (top && kind == CMARK_NODE_HEADING) {
		parent = open_section(t, st, n);
	}
	if (is_container(kind)) {
		k = add_node(t, parent, n, kind, DC_CONTAINER);
		if (kind == CMARK_NODE_FOOTNOTE_DEFINITION)
			t->nodes[k].note = ++*notes;
		push(&st->c, &st->nc, &st->capc, k);
		return 0;
	}
	k = add_node(t, parent, n, kind, DC_LEAF);
	if (kind == CMARK_NODE_HEADING) {
		t->nodes[k].level =
		    (unsigned char)cmark_node_get_heading_level(n);
		t->nodes[k].id = name_heading(t, &st->ids, n);
		t->nodes[k].title =
		    t->nodes[k].id + strlen(t->strs.data + t->nodes[k].id) + 1;
		if (top) {
			t->nodes[parent].id = t->nodes[k].id;
			t->nodes[parent].title = t->nodes[k].title;
		}
	} else if (kind != CMARK_NODE_PARAGRAPH &&
	           kind != CMARK_NODE_CODE_BLOCK &&
	           kind != MARKDOWN_TABLE_CELL) {
		t->nodes[k].atomic = 1;
		name_inner_headings(t, &st->ids, n);
	}
	diff_tok_leaf(t, n, kind);
	t->nodes[k].tok1 = t->ntoks;
	return 1;
}

/* What a node's hash starts from: its kind and what changes how it
 * reads without being text (heading level, list type, task state, code
 * language). Tight or loose lists, list start numbers and table
 * alignments are presentation: no change. */
static uint64_t attr_hash(const struct dnode *d)
{
	uint64_t h = diff_mix((uint64_t)d->kind, d->cls);
	const char *info;

	h = diff_mix(h, d->level);
	if (!d->node)
		return h;
	if (d->kind == CMARK_NODE_LIST)
		h = diff_mix(h, (uint64_t)cmark_node_get_list_type(d->node));
	if (d->kind == MARKDOWN_TASK_ITEM)
		h = diff_mix(
		    h, 2 + (uint64_t)
		               cmark_gfm_extensions_get_tasklist_item_checked(
		                   d->node));
	if (d->kind == CMARK_NODE_CODE_BLOCK &&
	    (info = cmark_node_get_fence_info(d->node)))
		h = diff_mix(h, diff_hash(0, info, strlen(info)));
	return h;
}

static void hash_nodes(struct dtree *t)
{
	for (size_t i = t->n; i-- > 0;) {
		struct dnode *d = &t->nodes[i];
		uint64_t h = attr_hash(d);

		if (d->cls == DC_LEAF)
			for (size_t k = d->tok0; k < d->tok1; k++)
				h = diff_mix(h, t->toks[k].hash);
		for (size_t c = d->first; c != DIFF_NONE; c = t->nodes[c].next)
			h = diff_mix(h, t->nodes[c].hash);
		d->hash = h;
	}
}

void diff_tree_build(struct dtree *t, const struct markdown *md)
{
	struct stacks st;
	cmark_iter *it;
	cmark_event_type ev;
	size_t notes = 0;

	memset(&st, 0, sizeof(st));
	add_node(t, DIFF_NONE, NULL, CMARK_NODE_DOCUMENT, DC_ROOT);
	if (md) {
		t->unsafe_html = md->unsafe_html;
		it = cmark_iter_new(md->doc);
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			cmark_node *n = cmark_iter_get_node(it);

			if (n == md->doc)
				continue;
			if (ev == CMARK_EVENT_EXIT) {
				if (st.nc &&
				    t->nodes[st.c[st.nc - 1]].node == n)
					t->nodes[st.c[--st.nc]].tok1 = t->ntoks;
				continue;
			}
			if (enter_block(t, &st, n, md->doc, &notes))
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
		}
		cmark_iter_free(it);
	}
	close_sections(t, &st, 0);
	t->nodes[0].tok1 = t->ntoks;
	hash_nodes(t);
	free(st.c);
	free(st.s);
	markdown_ids_free(&st.ids);
}

void diff_tree_free(struct dtree *t)
{
	for (size_t i = 0; i < t->nowned; i++)
		free(t->owned[i]);
	free(t->owned);
	free(t->nodes);
	free(t->toks);
	free(t->ctxs);
	free(t->hmap);
	buf_free(&t->strs);
	memset(t, 0, sizeof(*t));
}
