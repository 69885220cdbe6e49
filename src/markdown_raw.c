/*
 * markdown_raw: raw HTML and custom nodes in the HTML renderer (part of
 * the markdown module, through markdown_int.h). Raw HTML from the source
 * is shown escaped unless unsafe_html; with it, GFM's tag filter applies
 * (cmark-gfm does not expose its own, so this is a copy of its rule).
 * Custom nodes only come from derive blocks (trusted script output).
 */
#include <ctype.h>
#include <string.h>

#include <cmark-gfm.h>

#include "esc.h"
#include "markdown_int.h"

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
static void put_raw_html(struct markdown_render *r, const char *p, size_t n,
                         int block)
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

void markdown_put_html_block(struct markdown_render *r, cmark_node *n)
{
	const char *lit = markdown_literal(n);
	size_t len = strlen(lit);

	markdown_put_cr(r);
	if (r->unsafe_html) {
		put_raw_html(r, lit, len, 1);
	} else {
		while (len && lit[len - 1] == '\n')
			len--;
		buf_puts(r->out, "<p>");
		put_raw_html(r, lit, len, 1);
		buf_puts(r->out, "</p>");
	}
	markdown_put_cr(r);
}

void markdown_put_html_inline(struct markdown_render *r, cmark_node *n)
{
	const char *lit = markdown_literal(n);

	put_raw_html(r, lit, strlen(lit), 0);
}

/* Trusted: written by the site's own scripts, not taken from Markdown. */
void markdown_put_custom(struct markdown_render *r, cmark_node *n, int entering,
                         int block)
{
	const char *s =
	    entering ? cmark_node_get_on_enter(n) : cmark_node_get_on_exit(n);

	if (block)
		markdown_put_cr(r);
	if (s)
		buf_puts(r->out, s); /* raw: trusted script output */
	if (block)
		markdown_put_cr(r);
}
