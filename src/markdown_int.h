/*
 * markdown_int: private to the markdown module. markdown.c parses and
 * answers questions about the tree (node kinds, plain text, heading ids,
 * the footnote index); markdown_html.c renders it as HTML. Only markdown*.c
 * (and diff.c, through this header) may include it: it includes cmark-gfm.
 *
 * The renderer is made of pieces so that a diff renderer walking two trees
 * can render one block at a time with the same state (heading ids, footnote
 * numbers) and the same helpers: markdown_render_node writes a whole
 * subtree, markdown_render_event one ENTER or EXIT event, and the
 * markdown_put_* helpers one piece of one node (an open tag, a close tag, a
 * leaf), between which the diff can put <ins>/<del> around the text it
 * compares. Every dynamic string still goes through esc.h in those helpers.
 */
#ifndef PARAPHE_MARKDOWN_INT_H
#define PARAPHE_MARKDOWN_INT_H

#include <stddef.h>
#include <stdint.h>

#include <cmark-gfm.h>

#include "buf.h"
#include "markdown.h"

struct value;

struct markdown {
	cmark_node *doc;
	int unsafe_html;
};

/* Node kinds of the extensions, whose cmark type numbers are assigned at
 * registration and not exported by the headers: they get small numbers
 * that no core CMARK_NODE_* value (0x8000 and up) can take. */
enum markdown_kind {
	MARKDOWN_TABLE = 1,
	MARKDOWN_TABLE_ROW,
	MARKDOWN_TABLE_CELL,
	MARKDOWN_STRIKETHROUGH,
	MARKDOWN_TASK_ITEM
};

/* ---- tree queries (markdown.c) ---- */

/* The kind of a node: its cmark type, or one of the MARKDOWN_* kinds of
 * the extensions (autolinks are plain links). */
int markdown_node_kind(cmark_node *n);
/* The literal of n, "" when it has none. */
const char *markdown_literal(cmark_node *n);
/* Appends the plain text of node's descendants, unescaped: text and code
 * literals (and raw inline HTML when with_html), line breaks as spaces. */
void markdown_plain_text(cmark_node *node, struct buf *b, int with_html);

/* Heading ids given so far: an open-addressing set of strings, each with
 * the next "-N" suffix to try when the id comes again. Zeroed is empty. */
struct markdown_id_slot {
	char *id;
	unsigned next;
};

struct markdown_ids {
	struct markdown_id_slot *slots;
	size_t cap, len; /* cap is 0 or a power of two */
};

/* Appends to out an id made from text that no earlier call with this set
 * made: its slug, else "section", then with "-1", "-2"… while taken. */
void markdown_unique_id(struct markdown_ids *set, const char *text,
                        struct buf *out);
void markdown_ids_free(struct markdown_ids *set);

/* Footnotes, indexed before rendering: cmark keeps the label and the
 * reference counts of a definition in fields its API does not expose. */
struct markdown_note_ref {
	cmark_node *node;
	int line, col; /* source position, for the original order */
	size_t seq;    /* document order, to keep the sort stable */
	int ix;        /* 1 for the first reference to its note, then 2… */
};

struct markdown_notes {
	char **labels; /* label of note i + 1 (definitions in render order) */
	int *counts;   /* number of references to note i + 1 */
	size_t nnotes, cap_notes;
	struct markdown_note_ref *refs;   /* in document order */
	size_t nrefs, cap_refs, next_ref; /* next_ref: the renderer's cursor */
};

/* Fills fn (zeroed) from the tree doc: the labels of the notes and, per
 * reference, its rank among the references to the same note. */
void markdown_notes_index(struct markdown_notes *fn, cmark_node *doc);
/* The note number (1…) of reference ref, 0 when the tree was edited into
 * something else. */
size_t markdown_note_number(const struct markdown_notes *fn, cmark_node *ref);
void markdown_notes_free(struct markdown_notes *fn);

/* ---- the renderer (markdown_html.c) ---- */

struct markdown_render {
	struct buf *out;
	size_t start; /* out->len when rendering began: cr() looks no further */
	int unsafe_html;
	struct value *toc; /* a list, or NULL */
	struct markdown_ids ids;
	struct markdown_notes fn;
	int footnote_ix, written_footnote_ix; /* as in cmark's html.c */
	/* the table being rendered (tables cannot nest) */
	const uint8_t *aligns;
	unsigned ncols, cell;
	int in_thead, tbody_open;
};

/* Starts rendering md: output appended to out, headings listed into toc
 * (see markdown_render). Indexes the footnotes of the whole document, so
 * that notes and references are numbered as in a full rendering. */
void markdown_render_begin(struct markdown_render *r, const struct markdown *md,
                           struct buf *out, struct value *toc);
/* Writes node and everything under it (a block, or the document). */
void markdown_render_node(struct markdown_render *r, cmark_node *node);
/* Writes the part of n for one event of the iterator it; images are
 * written whole on entry and it is moved past their description. */
void markdown_render_event(struct markdown_render *r, cmark_iter *it,
                           cmark_node *n, int entering);
/* Closes the footnotes section when one was opened and frees r's state
 * (not its output). */
void markdown_render_end(struct markdown_render *r);

/* The per-node helpers: entering selects the open or the close part. */
/* A newline unless at the start of the output or after one. */
void markdown_put_cr(struct markdown_render *r);
void markdown_put_block_quote(struct markdown_render *r, int entering);
void markdown_put_list(struct markdown_render *r, cmark_node *n, int entering);
/* A list item; a task list item (task) starts with a disabled checkbox. */
void markdown_put_item(struct markdown_render *r, cmark_node *n, int entering,
                       int task);
void markdown_put_code_block(struct markdown_render *r, cmark_node *n);
void markdown_put_html_block(struct markdown_render *r, cmark_node *n);
/* Custom nodes come from the site's scripts: their HTML is output as is. */
void markdown_put_custom(struct markdown_render *r, cmark_node *n, int entering,
                         int block);
void markdown_put_paragraph(struct markdown_render *r, cmark_node *n,
                            int entering);
/* Gives the heading its unique id and lists it in the toc on entry. */
void markdown_put_heading(struct markdown_render *r, cmark_node *n,
                          int entering);
void markdown_put_thematic_break(struct markdown_render *r);
void markdown_put_footnote_def(struct markdown_render *r, int entering);
void markdown_put_footnote_ref(struct markdown_render *r, cmark_node *n);
/* A table, inside its scrolling region (<div class="defilement">). */
void markdown_put_table(struct markdown_render *r, cmark_node *n, int entering);
void markdown_put_table_row(struct markdown_render *r, cmark_node *n,
                            int entering);
void markdown_put_table_cell(struct markdown_render *r, int entering);
/* A tag without attributes around inline content ("em", "del"…). */
void markdown_put_tag(struct markdown_render *r, const char *name,
                      int entering);
/* The literal of a text or code node, escaped (no tags). */
void markdown_put_literal(struct markdown_render *r, cmark_node *n);
void markdown_put_code(struct markdown_render *r, cmark_node *n);
void markdown_put_html_inline(struct markdown_render *r, cmark_node *n);
void markdown_put_link(struct markdown_render *r, cmark_node *n, int entering);
/* The whole image: its description becomes the alt text. */
void markdown_put_image(struct markdown_render *r, cmark_node *n);

#endif
