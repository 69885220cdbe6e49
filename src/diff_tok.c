/*
 * diff_tok: the text of a leaf block into tokens, the unit that words are
 * compared in (diff_int.h):
 *   - a word is a run of letters (any script, accents included) and
 *     digits; a hyphen between two letters or digits stays inside it
 *     ("Saint-Ausbert", "2026-2030"); an apostrophe, straight or curly,
 *     ends it, so that an elided article is a token of its own: "l'article"
 *     is "l'" then "article", and "l'article" → "l'annexe" changes only
 *     the noun;
 *   - a number is a word of digits with groups of three after no-break
 *     spaces (or after a plain space between two tokens of the same
 *     element: "12 340") and a decimal comma;
 *   - every other character that is not a space is a token of its own,
 *     punctuation included ("général." is "général" then ".");
 *   - whitespace is no token: each token records whether whitespace came
 *     before it (no-break spaces kept apart), so that re-wrapping a
 *     paragraph or changing its trailing spaces changes nothing;
 *   - inline elements that hold text (emphasis, links…) become the
 *     token's context, compared with it; those that do not (images, code
 *     spans, raw HTML, hard breaks, note references) are atoms;
 *   - a code block is compared line by line.
 */
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"
#include "utf8.h"
#include "xalloc.h"

uint64_t diff_hash(uint64_t h, const void *s, size_t n)
{
	const unsigned char *p = s;

	if (!h)
		h = 14695981039346656037ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

uint64_t diff_mix(uint64_t h, uint64_t v)
{
	/* splitmix64's finaliser over the sum: order matters, bits spread */
	uint64_t z = h * 31 + v + 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ---- characters ---- */

static int is_space(uint32_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0 ||
	       c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
	       c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* Invisible joiners and the byte order mark: neither token nor space. */
static int is_ignored(uint32_t c)
{
	return (c >= 0x200B && c <= 0x200D) || c == 0xFEFF;
}

/* Letters and digits of any script; punctuation and symbols are not. */
static int is_wordc(uint32_t c)
{
	if (c < 0x80)
		return (c | 32) - 'a' < 26 || c - '0' < 10 || c == '_';
	if (is_space(c) || is_ignored(c))
		return 0;
	if ((c >= 0xA1 && c <= 0xBF) || c == 0xD7 || c == 0xF7)
		return 0;
	if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x2E00 && c <= 0x2E7F) ||
	    (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE10 && c <= 0xFE6F) ||
	    (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0x1F000 && c <= 0x1FAFF))
		return 0;
	return c != 0xFFFD;
}

static int is_hyphen(uint32_t c)
{
	return c == '-' || c == 0x2010 || c == 0x2011;
}

static int is_apostrophe(uint32_t c)
{
	return c == '\'' || c == 0x2019;
}

/* The code point at s[p] (p < n) and its length. */
static size_t cp_at(const char *s, size_t n, size_t p, uint32_t *c)
{
	return utf8_decode(s + p, n - p, c);
}

static int digit_at(const char *s, size_t n, size_t p)
{
	return p < n && s[p] >= '0' && s[p] <= '9';
}

static size_t skip_digits(const char *s, size_t n, size_t p)
{
	while (digit_at(s, n, p))
		p++;
	return p;
}

/* After digits: groups of three after a no-break space (2 or 3 bytes). */
static size_t skip_groups(const char *s, size_t n, size_t p)
{
	for (;;) {
		uint32_t c;
		size_t k;

		if (p >= n)
			return p;
		k = cp_at(s, n, p, &c);
		if ((c != 0xA0 && c != 0x202F) || !digit_at(s, n, p + k) ||
		    !digit_at(s, n, p + k + 1) || !digit_at(s, n, p + k + 2) ||
		    digit_at(s, n, p + k + 3))
			return p;
		p += k + 3;
	}
}

/* Whether a word goes on at p: a letter or digit, or a hyphen or an
 * apostrophe before one. */
static int word_goes_on(const char *s, size_t n, size_t p)
{
	uint32_t c, d;
	size_t k;

	if (p >= n)
		return 0;
	k = cp_at(s, n, p, &c);
	if (is_wordc(c))
		return 1;
	if (!is_hyphen(c) && !is_apostrophe(c))
		return 0;
	return p + k < n && (cp_at(s, n, p + k, &d), is_wordc(d));
}

/* The end of the word starting at p; an apostrophe ends it (elision). */
static size_t scan_letters(const char *s, size_t n, size_t p)
{
	for (;;) {
		uint32_t c;
		size_t k;

		while (p < n && (k = cp_at(s, n, p, &c), is_wordc(c)))
			p += k;
		if (!word_goes_on(s, n, p))
			return p;
		k = cp_at(s, n, p, &c);
		p += k;
		if (is_apostrophe(c))
			return p;
	}
}

/* The end of the word or number starting at p. */
static size_t scan_word(const char *s, size_t n, size_t p, int *number)
{
	size_t q = p;

	*number = 0;
	if (digit_at(s, n, q)) {
		q = skip_digits(s, n, q);
		if (q - p <= 3)
			q = skip_groups(s, n, q);
		if (q + 1 < n && s[q] == ',' && digit_at(s, n, q + 1))
			q = skip_digits(s, n, q + 1);
		if (!word_goes_on(s, n, q)) {
			*number = 1;
			return q;
		}
	}
	return scan_letters(s, n, q);
}

/* ---- tokens ---- */

static struct dtok *add_tok(struct dtree *t, const char *text, size_t len,
                            uint32_t ctx, unsigned char gap)
{
	struct dtok *k;

	t->toks = xgrow(t->toks, &t->capt, t->ntoks + 1, sizeof(*t->toks));
	k = &t->toks[t->ntoks++];
	memset(k, 0, sizeof(*k));
	k->text = text;
	k->len = len;
	k->ctx = ctx;
	k->gap = gap;
	k->hash = diff_hash(0, text, len);
	if (ctx)
		k->hash = diff_mix(k->hash, t->ctxs[ctx].sig);
	return k;
}

/* What an atom is compared by: its kind and its text. */
static void atom_key(cmark_node *n, struct buf *out)
{
	const char *url = cmark_node_get_url(n);
	const char *title = cmark_node_get_title(n);
	const char *s;

	buf_printf(out, "\x1e%d\x1f", markdown_node_kind(n));
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_IMAGE:
		buf_printf(out, "%s\x1f%s\x1f", url ? url : "",
		           title ? title : "");
		markdown_plain_text(n, out, 1);
		break;
	case CMARK_NODE_CUSTOM_BLOCK:
	case CMARK_NODE_CUSTOM_INLINE:
		s = cmark_node_get_on_enter(n);
		buf_puts(out, s ? s : "");
		buf_putc(out, '\x1f');
		s = cmark_node_get_on_exit(n);
		buf_puts(out, s ? s : "");
		buf_putc(out, '\x1f');
		markdown_plain_text(n, out, 1);
		break;
	default:
		buf_puts(out, markdown_literal(n));
	}
}

static void add_atom(struct dtree *t, cmark_node *n, uint32_t ctx,
                     unsigned char gap)
{
	struct buf key = BUF_INIT;
	struct dtok *k = add_tok(t, NULL, 0, ctx, gap);

	atom_key(n, &key);
	k->atom = n;
	k->hash = diff_hash(0, key.data, key.len);
	if (ctx)
		k->hash = diff_mix(k->hash, t->ctxs[ctx].sig);
	buf_free(&key);
}

void diff_tok_key(const struct dtree *t, const struct dtok *k, struct buf *out)
{
	if (k->atom)
		atom_key(k->atom, out);
	else
		buf_put(out, k->text, k->len);
	if (k->ctx)
		buf_printf(out, "\x1f%016llx",
		           (unsigned long long)t->ctxs[k->ctx].sig);
}

/* Splits a text literal into tokens; *gap carries the whitespace seen
 * since the last token across literals and soft breaks. */
static void tok_text(struct dtree *t, const char *s, size_t n, uint32_t ctx,
                     unsigned char *gap)
{
	size_t p = 0;

	while (p < n) {
		uint32_t c;
		size_t k = cp_at(s, n, p, &c);
		int number;

		if (is_space(c)) {
			if (c == 0xA0)
				*gap = GAP_NBSP;
			else if (c == 0x202F)
				*gap = GAP_NNBSP;
			else if (*gap == GAP_NONE)
				*gap = GAP_SPACE;
		} else if (is_ignored(c)) {
			/* nothing */
		} else if (is_wordc(c)) {
			size_t q = scan_word(s, n, p, &number);

			add_tok(t, s + p, q - p, ctx, *gap)->number =
			    (unsigned char)number;
			*gap = GAP_NONE;
			p = q;
			continue;
		} else {
			add_tok(t, s + p, k, ctx, *gap);
			*gap = GAP_NONE;
		}
		p += k;
	}
}

/* ---- numbers split by plain spaces: "12 340" ---- */

/* Digits at the start of a token's text before anything else. */
static size_t lead_digits(const struct dtok *k)
{
	size_t i = 0;

	while (i < k->len && k->text[i] >= '0' && k->text[i] <= '9')
		i++;
	return i;
}

/* Whether b (after a space) is a group of three that continues a. */
static int continues_number(const struct dtok *a, const struct dtok *b)
{
	return a->number && b->number && !a->atom && !b->atom &&
	       a->ctx == b->ctx && b->gap == GAP_SPACE &&
	       !memchr(a->text, ',', a->len) && lead_digits(a) <= 3 &&
	       lead_digits(b) == 3 && (b->len == 3 || b->text[3] == ',');
}

/* Joins the numbers of tokens [first, ntoks) written with plain spaces
 * between groups into one token whose text the tree owns. */
static void merge_numbers(struct dtree *t, size_t first)
{
	size_t w = first;

	for (size_t r = first; r < t->ntoks; w++) {
		struct dtok k = t->toks[r++];

		if (r < t->ntoks && continues_number(&k, &t->toks[r])) {
			struct buf b = BUF_INIT;

			buf_put(&b, k.text, k.len);
			while (r < t->ntoks &&
			       continues_number(&k, &t->toks[r])) {
				buf_putc(&b, ' ');
				buf_put(&b, t->toks[r].text, t->toks[r].len);
				k.text = b.data; /* for the next test */
				k.len = b.len;
				r++;
			}
			k.len = b.len;
			k.text = buf_detach(&b);
			t->owned = xgrow(t->owned, &t->capo, t->nowned + 1,
			                 sizeof(*t->owned));
			t->owned[t->nowned++] = (char *)k.text;
			k.hash = diff_hash(0, k.text, k.len);
			if (k.ctx)
				k.hash = diff_mix(k.hash, t->ctxs[k.ctx].sig);
		}
		t->toks[w] = k;
	}
	t->ntoks = w;
}

/* ---- leaves ---- */

static int is_context(int kind)
{
	return kind == CMARK_NODE_EMPH || kind == CMARK_NODE_STRONG ||
	       kind == MARKDOWN_STRIKETHROUGH || kind == CMARK_NODE_LINK ||
	       kind == CMARK_NODE_CUSTOM_INLINE;
}

static uint32_t push_ctx(struct dtree *t, cmark_node *n, uint32_t parent)
{
	struct buf key = BUF_INIT;
	struct dctx *c;

	if (!t->nctx) { /* entry 0: no element */
		t->ctxs = xgrow(t->ctxs, &t->capc, 1, sizeof(*t->ctxs));
		memset(&t->ctxs[0], 0, sizeof(t->ctxs[0]));
		t->nctx = 1;
	}
	t->ctxs = xgrow(t->ctxs, &t->capc, t->nctx + 1, sizeof(*t->ctxs));
	c = &t->ctxs[t->nctx];
	c->node = n;
	c->parent = parent;
	buf_printf(&key, "%d\x1f", markdown_node_kind(n));
	if (cmark_node_get_type(n) == CMARK_NODE_LINK) {
		const char *url = cmark_node_get_url(n);
		const char *title = cmark_node_get_title(n);

		buf_printf(&key, "%s\x1f%s", url ? url : "",
		           title ? title : "");
	} else if (cmark_node_get_type(n) == CMARK_NODE_CUSTOM_INLINE) {
		const char *a = cmark_node_get_on_enter(n);
		const char *b = cmark_node_get_on_exit(n);

		buf_printf(&key, "%s\x1f%s", a ? a : "", b ? b : "");
	}
	c->sig = diff_mix(parent ? t->ctxs[parent].sig : 0,
	                  diff_hash(0, key.data, key.len));
	buf_free(&key);
	return (uint32_t)t->nctx++;
}

/* The inline content of a paragraph, heading or table cell. */
static void tok_inlines(struct dtree *t, cmark_node *leaf)
{
	cmark_iter *it = cmark_iter_new(leaf);
	cmark_event_type ev;
	uint32_t ctx = 0;
	unsigned char gap = GAP_NONE;
	size_t first = t->ntoks;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int kind = markdown_node_kind(n);

		if (n == leaf)
			continue;
		if (is_context(kind)) {
			ctx = ev == CMARK_EVENT_ENTER ? push_ctx(t, n, ctx)
			                              : t->ctxs[ctx].parent;
			continue;
		}
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (kind == CMARK_NODE_TEXT) {
			const char *s = markdown_literal(n);

			tok_text(t, s, strlen(s), ctx, &gap);
		} else if (kind == CMARK_NODE_SOFTBREAK) {
			if (gap == GAP_NONE)
				gap = GAP_SPACE;
		} else if ((cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) ==
		           CMARK_NODE_TYPE_INLINE) {
			add_atom(t, n, ctx, gap);
			gap = GAP_NONE;
			if (kind == CMARK_NODE_IMAGE)
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
		}
	}
	cmark_iter_free(it);
	merge_numbers(t, first);
}

/* A code block, one token per line (its indentation included). */
static void tok_lines(struct dtree *t, cmark_node *n)
{
	const char *s = markdown_literal(n), *nl;

	while (*s) {
		nl = strchr(s, '\n');
		if (!nl)
			nl = s + strlen(s);
		add_tok(t, s, (size_t)(nl - s), 0, GAP_NONE);
		s = *nl ? nl + 1 : nl;
	}
}

void diff_tok_leaf(struct dtree *t, cmark_node *n, int kind)
{
	switch (kind) {
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
	case MARKDOWN_TABLE_CELL:
		tok_inlines(t, n);
		break;
	case CMARK_NODE_CODE_BLOCK:
		tok_lines(t, n);
		break;
	default: /* compared whole */
		add_atom(t, n, 0, GAP_NONE);
	}
}

int diff_number(const char *s, size_t n, double *v)
{
	char num[64];
	size_t w = 0, digits = 0;
	int comma = 0;

	if (!n || !digit_at(s, n, 0) || (n > 1 && s[0] == '0' && s[1] != ','))
		return 0; /* "063": a code, not a quantity */
	for (size_t p = 0; p < n;) {
		uint32_t c;
		size_t k = cp_at(s, n, p, &c);

		if (c >= '0' && c <= '9' && w + 2 < sizeof(num))
			num[w++] = (char)c, digits++;
		else if (c == ',' && !comma && w + 2 < sizeof(num))
			num[w++] = '.', comma = 1;
		else if (c != ' ' && c != 0xA0 && c != 0x202F)
			return 0;
		p += k;
	}
	if (digits > 15)
		return 0; /* beyond a double's exact integers */
	num[w] = '\0';
	*v = strtod(num, NULL);
	return 1;
}
