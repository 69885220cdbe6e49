/*
 * diff: what changed between two versions of a text, shown in the
 * rendered document (SPEC §5), not as a patch.
 *
 * The blocks of the two parsed texts are aligned (headings open sections
 * that are aligned as wholes; lists, quotes and tables item by item, row
 * by row, cell by cell), then words are compared inside the blocks that
 * changed; insertions are shown with <ins>, deletions with <del>, each
 * with a visually hidden label. Re-wrapping, trailing spaces and line
 * endings are no change; punctuation is a token of its own; a changed
 * number shows its delta. Sequences are compared by libgit2's xdiff
 * (seqdiff.h).
 *
 * A diff points into the trees of the pages it compares: they must
 * outlive it. Nothing here fails on content: any two texts compare.
 */
#ifndef PARAPHE_DIFF_H
#define PARAPHE_DIFF_H

#include <stddef.h>

#include "buf.h"

struct page;
struct subpage;
struct value;
struct diff;

/* Compares the text of old with that of new (either may be NULL, or
 * have no body: an empty text), front matter included. Free with
 * diff_free. */
struct diff *diff_new(const struct page *old, const struct page *new);
void diff_free(struct diff *df);
/* 1 when the body or the front matter differ. */
int diff_changed(const struct diff *df);

/* How to write a diff into a page. */
struct diff_view {
	int side;             /* 0: inline; 1: side by side */
	const char *link;     /* the newer full text, relative to the page
	                         ("../"): unchanged sections link to
	                         LINK#id; NULL for no links */
	const char *old_link; /* the older full text (removed sections) */
	const char *prefix;   /* put before every id written, "" (or
	                         NULL) for a page's main text */
};

/*
 * Appends the changed document as HTML: unchanged sections collapsed to
 * a heading line linking to the full text, the rest with <ins>/<del>.
 * Heading ids are those of the full newer text (PREFIX + id), so links
 * between versions hold; deleted headings get PREFIX "suppr_" + their
 * old id. Every id written holds "_" or comes from a heading, so none
 * clashes with the theme's ("pp_…").
 */
void diff_html(const struct diff *df, const struct diff_view *v,
               struct buf *out);

/* The sections of the changed document, in order, as a list of maps
 * {level, id, title, status, old_title?, link?}; status is "modifie",
 * "renumerote", "ajoute", "supprime" or "inchange"; old_title when the
 * heading changed; link (to the section in the full newer or, when
 * removed, older text) when the view has links. Sections inside an
 * unchanged one are not listed (they are not written). */
struct value *diff_toc(const struct diff *df, const struct diff_view *v);
/* The same for the top-level sections that changed (the articles), plus
 * the text before the first heading ("d_debut") and the footnotes
 * ("d_notes") when they changed. */
struct value *diff_summary(const struct diff *df, const struct diff_view *v);
/* The front matter changes: a list of {field, before, after, delta?}
 * rows, field a dotted path (communes.7.nom, lists counted from 1),
 * before/after the values as text (nil when absent), delta for numbers
 * ("+12, +30 %"). old and new may be NULL. */
struct value *diff_meta(const struct value *old, const struct value *new);

/* ---- a document and its sub-pages (bundles) ---- */

/* A document's text at one version, with its sub-pages. */
struct diff_text {
	const struct page *page;        /* NULL: no such text */
	const struct subpage *subpages; /* matched by slug */
	size_t nsubpages;
};

struct diff_doc;

/* Compares two versions of a document and of each of its sub-pages. */
struct diff_doc *diff_doc_new(const struct diff_text *old,
                              const struct diff_text *new);
void diff_doc_free(struct diff_doc *dd);
int diff_doc_changed(const struct diff_doc *dd);
/*
 * The value that a changes template receives as page.changes
 * (docs/themes.md): {changed, html, toc, summary, meta, counts,
 * subpages}; each sub-page {slug, title, status, id, link, html, toc,
 * summary, meta}, unchanged ones with status "inchange" and no html.
 * A sub-page's id is PREFIX "s_" SLUG, the ids inside it are prefixed
 * with that and "_"; its links are LINK SLUG "/".
 */
struct value *diff_doc_value(const struct diff_doc *dd,
                             const struct diff_view *v);

#endif
