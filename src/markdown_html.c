/*
 * markdown_html: renders a parsed tree as HTML with our own renderer (see
 * markdown.h for the contract, markdown_int.h for the pieces).
 *
 * The renderer produces the same HTML as cmark-gfm's cmark_render_html
 * (0.29.0.gfm.6, with the table, strikethrough, autolink, tagfilter,
 * tasklist and footnotes extensions) except where paraphe wants more:
 *   - headings carry a unique id="slug" (SPEC §4);
 *   - every table is wrapped in <div class="defilement" role="region"
 *     tabindex="0" aria-label="Tableau">, a keyboard-reachable region
 *     that the theme lets scroll when the table is wider than the screen;
 *   - raw HTML is shown escaped unless unsafe_html (cmark omits it);
 *   - every dynamic string goes through esc.h, which escapes a few more
 *     characters than cmark (' and = in attributes: equivalent HTML), and
 *     esc_url turns URLs of other schemes than http(s), mailto and tel
 *     into "#" (cmark empties javascript:, vbscript:, file: and data:);
 *   - footnote back-links are labelled in French.
 *
 * It walks the tree with cmark_iter (ENTER/EXIT events, a switch on the
 * node kind in render_block and render_inline), never by recursion, so
 * deeply nested input cannot overflow the stack.
 */
#include "markdown.h"

#include <stdint.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "esc.h"
#include "markdown_int.h"
#include "value.h"

/* Opens the region around a table; a French label, as the back-links. */
#define TABLE_REGION                                                           \
	"<div class=\"defilement\" role=\"region\" tabindex=\"0\" "            \
	"aria-label=\"Tableau\">"

/* ---- footnotes ---- */

/* Appends the fragment "#PREFIX-LABEL", with "-N" when n > 1, as a URL;
 * for_id drops the "#" for the id attribute of the target, which must be
 * escaped exactly as the links to it. */
static void put_fragment(struct markdown_render *r, const char *prefix,
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
static int put_footnote_backref(struct markdown_render *r)
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

void markdown_put_footnote_def(struct markdown_render *r, int entering)
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

void markdown_put_footnote_ref(struct markdown_render *r, cmark_node *n)
{
	struct markdown_notes *fn = &r->fn;
	const char *lit = cmark_node_get_literal(n);
	size_t k = markdown_note_number(fn, n);
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

/* ---- blocks ---- */

/* As cmark's cmark_html_render_cr. */
void markdown_put_cr(struct markdown_render *r)
{
	struct buf *o = r->out;

	if (o->len > r->start && o->data[o->len - 1] != '\n')
		buf_putc(o, '\n');
}

void markdown_put_block_quote(struct markdown_render *r, int entering)
{
	markdown_put_cr(r);
	buf_puts(r->out, entering ? "<blockquote>\n" : "</blockquote>\n");
}

void markdown_put_thematic_break(struct markdown_render *r)
{
	markdown_put_cr(r);
	buf_puts(r->out, "<hr />\n");
}

void markdown_put_heading(struct markdown_render *r, cmark_node *n,
                          int entering)
{
	int level = cmark_node_get_heading_level(n);
	struct buf title = BUF_INIT, id = BUF_INIT;

	if (!entering) {
		buf_printf(r->out, "</h%d>\n", level);
		return;
	}
	markdown_plain_text(n, &title, 0);
	markdown_unique_id(&r->ids, buf_str(&title), &id);
	if (r->toc && r->toc->type == VALUE_LIST) {
		struct value *entry = value_push(r->toc, value_map());

		value_set_num(entry, "level", level);
		value_set_str(entry, "id", buf_str(&id));
		value_set_str(entry, "title", buf_str(&title));
	}
	markdown_put_cr(r);
	buf_printf(r->out, "<h%d id=\"", level);
	esc_attr(r->out, buf_str(&id), id.len);
	buf_puts(r->out, "\">");
	buf_free(&title);
	buf_free(&id);
}

void markdown_put_list(struct markdown_render *r, cmark_node *n, int entering)
{
	int ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
	int start = cmark_node_get_list_start(n);

	if (!entering) {
		buf_puts(r->out, ordered ? "</ol>\n" : "</ul>\n");
		return;
	}
	markdown_put_cr(r);
	if (!ordered)
		buf_puts(r->out, "<ul>\n");
	else if (start == 1)
		buf_puts(r->out, "<ol>\n");
	else
		buf_printf(r->out, "<ol start=\"%d\">\n", start);
}

void markdown_put_item(struct markdown_render *r, cmark_node *n, int entering,
                       int task)
{
	if (!entering) {
		buf_puts(r->out, "</li>\n");
		return;
	}
	markdown_put_cr(r);
	buf_puts(r->out, "<li>");
	if (task && cmark_gfm_extensions_get_tasklist_item_checked(n))
		buf_puts(r->out, "<input type=\"checkbox\" checked=\"\" "
		                 "disabled=\"\" /> ");
	else if (task)
		buf_puts(r->out, "<input type=\"checkbox\" disabled=\"\" /> ");
}

void markdown_put_code_block(struct markdown_render *r, cmark_node *n)
{
	const char *info = cmark_node_get_fence_info(n);

	markdown_put_cr(r);
	if (!info || !*info) {
		buf_puts(r->out, "<pre><code>");
	} else {
		buf_puts(r->out, "<pre><code class=\"language-");
		esc_attr(r->out, info, strcspn(info, " \t\n\v\f\r"));
		buf_puts(r->out, "\">");
	}
	markdown_put_literal(r, n);
	buf_puts(r->out, "</code></pre>\n");
}

/* Paragraphs of tight list items have no <p>; the last paragraph of a
 * footnote ends with the links back to its references. */
void markdown_put_paragraph(struct markdown_render *r, cmark_node *n,
                            int entering)
{
	cmark_node *parent = cmark_node_parent(n);
	cmark_node *grand = parent ? cmark_node_parent(parent) : NULL;

	if (grand && cmark_node_get_type(grand) == CMARK_NODE_LIST &&
	    cmark_node_get_list_tight(grand))
		return;
	if (entering) {
		markdown_put_cr(r);
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

/* ---- tables ---- */

void markdown_put_table(struct markdown_render *r, cmark_node *n, int entering)
{
	if (entering) {
		markdown_put_cr(r);
		buf_puts(r->out, TABLE_REGION "\n<table>");
		r->aligns = cmark_gfm_extensions_get_table_alignments(n);
		r->ncols = cmark_gfm_extensions_get_table_columns(n);
		r->tbody_open = 0;
		return;
	}
	if (r->tbody_open) {
		markdown_put_cr(r);
		buf_puts(r->out, "</tbody>");
		markdown_put_cr(r);
	}
	r->tbody_open = 0;
	markdown_put_cr(r);
	buf_puts(r->out, "</table>\n</div>");
	markdown_put_cr(r);
}

/* The header row goes in <thead>, the others in one <tbody>. */
void markdown_put_table_row(struct markdown_render *r, cmark_node *n,
                            int entering)
{
	int header = cmark_gfm_extensions_get_table_row_is_header(n);

	markdown_put_cr(r);
	if (!entering) {
		buf_puts(r->out, "</tr>");
		if (header) {
			markdown_put_cr(r);
			buf_puts(r->out, "</thead>");
			r->in_thead = 0;
		}
		return;
	}
	if (header) {
		r->in_thead = 1;
		buf_puts(r->out, "<thead>");
		markdown_put_cr(r);
	} else if (!r->tbody_open) {
		buf_puts(r->out, "<tbody>");
		markdown_put_cr(r);
		r->tbody_open = 1;
	}
	buf_puts(r->out, "<tr>");
	r->cell = 0;
}

void markdown_put_table_cell(struct markdown_render *r, int entering)
{
	const char *tag = r->in_thead ? "th" : "td";
	uint8_t align =
	    r->aligns && r->cell < r->ncols ? r->aligns[r->cell] : 0;

	if (!entering) {
		buf_printf(r->out, "</%s>", tag);
		r->cell++;
		return;
	}
	markdown_put_cr(r);
	buf_printf(r->out, "<%s", tag);
	if (align == 'l')
		buf_puts(r->out, " align=\"left\"");
	else if (align == 'c')
		buf_puts(r->out, " align=\"center\"");
	else if (align == 'r')
		buf_puts(r->out, " align=\"right\"");
	buf_putc(r->out, '>');
}

/* ---- inlines ---- */

void markdown_put_tag(struct markdown_render *r, const char *name, int entering)
{
	buf_printf(r->out, entering ? "<%s>" : "</%s>", name);
}

void markdown_put_literal(struct markdown_render *r, cmark_node *n)
{
	esc_html_str(r->out, markdown_literal(n));
}

void markdown_put_code(struct markdown_render *r, cmark_node *n)
{
	buf_puts(r->out, "<code>");
	markdown_put_literal(r, n);
	buf_puts(r->out, "</code>");
}

void markdown_put_link(struct markdown_render *r, cmark_node *n, int entering)
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

void markdown_put_image(struct markdown_render *r, cmark_node *n)
{
	const char *url = cmark_node_get_url(n);
	const char *title = cmark_node_get_title(n);
	struct buf alt = BUF_INIT;

	markdown_plain_text(n, &alt, 1);
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

/* ---- the walk ---- */

/* Writes the part of block n for one event (one switch per category of
 * node, blocks here and inlines below, to keep functions short). */
static void render_block(struct markdown_render *r, cmark_node *n, int kind,
                         int entering)
{
	switch (kind) {
	case CMARK_NODE_BLOCK_QUOTE:
		markdown_put_block_quote(r, entering);
		break;
	case CMARK_NODE_LIST:
		markdown_put_list(r, n, entering);
		break;
	case CMARK_NODE_ITEM:
	case MARKDOWN_TASK_ITEM:
		markdown_put_item(r, n, entering, kind == MARKDOWN_TASK_ITEM);
		break;
	case CMARK_NODE_CODE_BLOCK:
		markdown_put_code_block(r, n);
		break;
	case CMARK_NODE_HTML_BLOCK:
		markdown_put_html_block(r, n);
		break;
	case CMARK_NODE_CUSTOM_BLOCK:
		markdown_put_custom(r, n, entering, 1);
		break;
	case CMARK_NODE_PARAGRAPH:
		markdown_put_paragraph(r, n, entering);
		break;
	case CMARK_NODE_HEADING:
		markdown_put_heading(r, n, entering);
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		markdown_put_thematic_break(r);
		break;
	case CMARK_NODE_FOOTNOTE_DEFINITION:
		markdown_put_footnote_def(r, entering);
		break;
	case MARKDOWN_TABLE:
		markdown_put_table(r, n, entering);
		break;
	case MARKDOWN_TABLE_ROW:
		markdown_put_table_row(r, n, entering);
		break;
	case MARKDOWN_TABLE_CELL:
		markdown_put_table_cell(r, entering);
		break;
	default:
		break; /* the document, and kinds added later */
	}
}

/* Writes the part of inline n for one event. */
static void render_inline(struct markdown_render *r, cmark_iter *it,
                          cmark_node *n, int kind, int entering)
{
	switch (kind) {
	case CMARK_NODE_TEXT:
		markdown_put_literal(r, n);
		break;
	case CMARK_NODE_SOFTBREAK:
		buf_putc(r->out, '\n');
		break;
	case CMARK_NODE_LINEBREAK:
		buf_puts(r->out, "<br />\n");
		break;
	case CMARK_NODE_CODE:
		markdown_put_code(r, n);
		break;
	case CMARK_NODE_HTML_INLINE:
		markdown_put_html_inline(r, n);
		break;
	case CMARK_NODE_CUSTOM_INLINE:
		markdown_put_custom(r, n, entering, 0);
		break;
	case CMARK_NODE_EMPH:
		markdown_put_tag(r, "em", entering);
		break;
	case CMARK_NODE_STRONG:
		markdown_put_tag(r, "strong", entering);
		break;
	case MARKDOWN_STRIKETHROUGH:
		markdown_put_tag(r, "del", entering);
		break;
	case CMARK_NODE_LINK:
		markdown_put_link(r, n, entering);
		break;
	case CMARK_NODE_IMAGE:
		markdown_put_image(r, n);
		cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
		break;
	case CMARK_NODE_FOOTNOTE_REFERENCE:
		if (entering)
			markdown_put_footnote_ref(r, n);
		break;
	default:
		break; /* kinds added later */
	}
}

void markdown_render_event(struct markdown_render *r, cmark_iter *it,
                           cmark_node *n, int entering)
{
	int kind = markdown_node_kind(n);

	if ((cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) ==
	    CMARK_NODE_TYPE_INLINE)
		render_inline(r, it, n, kind, entering);
	else
		render_block(r, n, kind, entering);
}

void markdown_render_node(struct markdown_render *r, cmark_node *node)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		markdown_render_event(r, it, cmark_iter_get_node(it),
		                      ev == CMARK_EVENT_ENTER);
	cmark_iter_free(it);
}

void markdown_render_begin(struct markdown_render *r, const struct markdown *md,
                           struct buf *out, struct value *toc)
{
	memset(r, 0, sizeof(*r));
	r->out = out;
	r->start = out->len;
	r->unsafe_html = md->unsafe_html;
	r->toc = toc;
	markdown_notes_index(&r->fn, md->doc);
}

void markdown_render_end(struct markdown_render *r)
{
	if (r->footnote_ix)
		buf_puts(r->out, "</ol>\n</section>\n");
	markdown_notes_free(&r->fn);
	markdown_ids_free(&r->ids);
}

void markdown_render(struct markdown *md, struct buf *out, struct value *toc)
{
	struct markdown_render r;

	markdown_render_begin(&r, md, out, toc);
	markdown_render_node(&r, md->doc);
	markdown_render_end(&r);
}
