/*
 * diff_int: what the files of the diff module share. Private to diff*.c
 * (it includes cmark-gfm through markdown_int.h).
 *
 *   diff_tree.c   a parsed text → a tree of sections and blocks (struct
 *                 dtree): sections from the headings, containers (lists,
 *                 items, quotes, tables, rows, notes) and leaves
 *                 (paragraphs, headings, cells, code…), each with a hash
 *                 of its rendered content, and the heading ids of a full
 *                 rendering;
 *   diff_tok.c    the leaves' text → tokens (words, numbers, punctuation,
 *                 inline atoms), and French numbers;
 *   diff_align.c  two trees → one merged tree (struct mnode): children
 *                 aligned by seqdiff on their hashes, changed stretches
 *                 paired by likeness, words of paired leaves diffed;
 *   diff_html.c   the merged tree → HTML: the walk, collapsed sections,
 *                 side-by-side pairs; diff_blocks.c writes blocks,
 *                 diff_words.c the words of changed leaves, with <ins>
 *                 and <del>;
 *   diff_meta.c   front matter rows and number deltas;
 *   diff.c        the public API (diff.h): pages, bundles, values.
 *
 * Trees only point into the cmark trees of the pages (literals, nodes),
 * which must outlive them. Nothing here recurses over the text: deep
 * nesting is walked with cmark iterators and explicit indexes (only
 * front matter values are compared recursively, 16 levels at most).
 */
#ifndef PARAPHE_DIFF_INT_H
#define PARAPHE_DIFF_INT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diff.h"
#include "markdown_int.h"
#include "seqdiff.h"

#define DIFF_NONE ((size_t)-1)

/* The whitespace before a token, collapsed: re-wrapping, trailing spaces
 * and line endings all give GAP_SPACE; no-break spaces are kept. */
enum dgap { GAP_NONE, GAP_SPACE, GAP_NBSP, GAP_NNBSP };

/* A word, a number, a punctuation mark, an inline atom (image, code span,
 * raw HTML, hard line break, footnote reference) or a line of code. */
struct dtok {
	const char *text; /* its bytes (a cmark literal, or tree-owned);
	                     NULL for an atom */
	size_t len;
	cmark_node *atom;     /* the node of an atom */
	uint64_t hash;        /* of its key (text or atom, and context) */
	uint32_t ctx;         /* the inline element it sits in, 0 for none */
	unsigned char gap;    /* enum dgap */
	unsigned char number; /* reads as a number: 40, 12 340, 3,5 */
};

/* An inline element around tokens: emphasis, strong, strikethrough,
 * link, custom inline; index 0 of the table is "none". */
struct dctx {
	cmark_node *node;
	uint32_t parent;
	uint64_t sig; /* of the chain from the block down */
};

enum dclass { DC_ROOT, DC_SECTION, DC_CONTAINER, DC_LEAF };

/* A node of the outline: the root, a section (a document-level heading
 * and what follows it up to the next heading of its level or above), a
 * container block, or a leaf block. Children are linked by index. */
struct dnode {
	cmark_node *node;     /* the block; a section's heading; NULL root */
	int kind;             /* markdown_node_kind of node */
	unsigned char cls;    /* enum dclass */
	unsigned char atomic; /* a leaf compared whole (raw HTML, rule,
	                         custom block) */
	unsigned char level;  /* headings and sections */
	size_t parent, first, last, next, nkids;
	size_t tok0, tok1; /* the tokens of the subtree */
	uint64_t hash;     /* of the rendered content of the subtree */
	size_t id;         /* headings: offset of their id in strs, else NONE */
	size_t title;      /* headings: offset of their plain text in strs */
	size_t note;       /* footnote definitions: 1, 2… in the document */
};

struct dtree {
	struct dnode *nodes; /* nodes[0] is the root */
	size_t n, capn;
	struct dtok *toks;
	size_t ntoks, capt;
	struct dctx *ctxs;
	size_t nctx, capc;
	struct buf strs; /* heading ids and titles, NUL-terminated */
	char **owned;    /* token texts made here (merged numbers) */
	size_t nowned, capo;
	size_t *hmap;      /* heading node → dnode index, open addressing */
	size_t hcap, hlen; /* hcap is 0 or a power of two */
	int unsafe_html;
};

/* ---- diff_tree.c ---- */

/* Builds the outline of md (NULL: an empty text) into t (zeroed). */
void diff_tree_build(struct dtree *t, const struct markdown *md);
void diff_tree_free(struct dtree *t);
/* The string at offset off of t->strs. */
const char *diff_tree_str(const struct dtree *t, size_t off);
/* The dnode of heading n, or DIFF_NONE. */
size_t diff_tree_heading(const struct dtree *t, cmark_node *n);

/* ---- diff_tok.c ---- */

/* Appends the tokens of leaf block n (of kind) to t. */
void diff_tok_leaf(struct dtree *t, cmark_node *n, int kind);
/* Appends the comparison key of token k: its text or atom, then its
 * context's signature. */
void diff_tok_key(const struct dtree *t, const struct dtok *k, struct buf *out);
/* 64-bit FNV-1a of (s, n), continuing from h (0 to start). */
uint64_t diff_hash(uint64_t h, const void *s, size_t n);
/* Mixes v into h, order-sensitive. */
uint64_t diff_mix(uint64_t h, uint64_t v);
/* Reads a French number: digits, groups after no-break spaces, a
 * decimal comma. Returns 1 and stores it, or 0. */
int diff_number(const char *s, size_t n, double *v);

/* ---- diff_align.c: the merged tree ---- */

enum dop { OP_EQ, OP_DEL, OP_INS, OP_CHG };

struct mnode {
	unsigned char op;    /* enum dop */
	unsigned char renum; /* a section whose only change is the
	                        numbers of its heading */
	size_t a, b;         /* dnodes in the old and new trees, or NONE */
	size_t parent, first, last, next, prev;
	struct seqdiff_run *runs; /* changed leaves: token runs */
	size_t nruns;
};

struct diff {
	struct dtree t[2]; /* old, new */
	const struct markdown *md[2];
	struct markdown *empty; /* stands for a missing text */
	struct mnode *m;        /* m[0] pairs the roots */
	size_t nm, capm;
	struct value *meta; /* front matter rows */
	enum seqdiff_algo algo;
};

/* diff_new with a chosen algorithm for the word diffs (benchmarks). */
struct diff *diff_new_algo(const struct page *old, const struct page *new,
                           enum seqdiff_algo algo);
/* Fills df->m from df->t[0] and df->t[1]. */
void diff_align(struct diff *df);
/* The class of merged node k (from whichever side it has). */
int diff_mclass(const struct diff *df, size_t k);
/* The dnode of merged node k on the side shown for it: new unless
 * deleted. */
const struct dnode *diff_mside(const struct diff *df, size_t k, int *side);

/* ---- diff_html.c, diff_words.c: writing ---- */

/* An inline element opened in the output, from either tree. */
struct dopen {
	uint64_t sig;
	cmark_node *node;
};

struct dout {
	const struct diff *df;
	const struct diff_view *v;
	struct buf *b;
	struct markdown_render r[2]; /* one renderer per tree */
	int show[2];  /* write deleted (old) and inserted (new) content */
	int paired;   /* inside a side-by-side pair */
	size_t intro; /* the first merged child of the root before any
	                 section, or NONE */
	int intro_changed, notes_changed;
	int notes_id; /* the first footnotes section got its id */
	struct dopen *open;
	size_t nopen, capopen;
};

/* Opens or closes an <ins> (side 1) or <del> (side 0), with its hidden
 * label on opening. */
void diff_marker(struct dout *o, int side, int open);
/* Writes changed leaf k (paragraph, heading, cell) from its token runs;
 * numbers show their delta unless in a heading. */
void diff_words(struct dout *o, size_t k, int deltas);
/* Writes every token of leaf d of a side, inside one marker when
 * marked. */
void diff_tokens(struct dout *o, int side, const struct dnode *d, int marked);
/* A footnote reference: with its link and id once, in the new text;
 * deleted ones and those of the old column get their number alone. */
void diff_note_ref(struct dout *o, int side, cmark_node *n);
/* Closes the inline elements left open. */
void diff_close_inline(struct dout *o);
/* Block d of one side, deleted (side 0) or inserted (side 1) whole,
 * when that side is shown. */
void diff_put_whole(struct dout *o, int side, const struct dnode *d);
/* An unchanged block, from the new text. */
void diff_put_equal(struct dout *o, const struct dnode *d);
/* Changed leaf k: words, code lines, or old then new when compared
 * whole. */
void diff_put_changed_leaf(struct dout *o, size_t k);
/* The opening or closing tag of a changed container (new text). */
void diff_put_container(struct dout *o, const struct dnode *d, int open);

/* ---- diff_meta.c ---- */

/* Appends a number as French text: groups of three digits after a
 * narrow no-break space, a decimal comma, at most two decimals; sign
 * "+" or "−" when sign is set and x is not 0. */
void diff_format_number(double x, int sign, struct buf *out);
/* Appends "+12, +30 %" for a change from a to b (the percentage only
 * when a is not 0 and it does not round to 0). */
void diff_format_delta(double a, double b, struct buf *out);

#endif
