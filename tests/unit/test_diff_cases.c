/*
 * The diff on many cases: invariants over generated texts, and the
 * golden cases of tests/cases/diff/.
 *
 * Invariants: for texts made of random paragraphs, lists, quotes, tables
 * and code with random edits (words replaced, inserted, deleted, blocks
 * added, removed, split) and random re-wrapping, in the inline view,
 * dropping what every <ins> holds and then every tag gives the old
 * rendered text, dropping what every <del> holds gives the new one
 * (whitespace collapsed; hidden labels and number deltas dropped first),
 * and every element of both views is closed in order. Texts that differ
 * only in their wrapping give no change.
 *
 * Golden cases: NAME/old.md and NAME/new.md (or NAME/old/ and NAME/new/,
 * bundles: index.md and sub-pages) diffed into NAME/expected.html, the
 * summary in a comment first, then the inline view, then each changed
 * sub-page. Reviewed by eye for readability; PARAPHE_UPDATE_GOLDEN=1
 * rewrites them.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diff.h"
#include "fs.h"
#include "load.h"
#include "markdown.h"
#include "site.h"
#include "slug.h"
#include "test.h"
#include "value.h"

#define CASES "tests/cases/diff"

/* ---- text helpers ---- */

/* Drops from s every element opened by open (e.g. "<ins") up to the
 * matching close ("</ins>"); they do not nest. */
static void drop_elements(struct buf *s, const char *open, const char *close)
{
	struct buf out = BUF_INIT;
	const char *p = buf_str(s), *q;

	while ((q = strstr(p, open))) {
		const char *end = strstr(q, close);

		buf_put(&out, p, (size_t)(q - p));
		if (!end)
			break;
		p = end + strlen(close);
	}
	if (!q)
		buf_puts(&out, p);
	buf_free(s);
	*s = out;
}

/* Tags dropped, whitespace collapsed to one space, ends trimmed. */
static char *text_of(const char *html)
{
	struct buf out = BUF_INIT;
	int in_tag = 0, space = 0;

	for (const char *p = html; *p; p++) {
		if (*p == '<')
			in_tag = 1;
		else if (*p == '>' && in_tag)
			in_tag = 0;
		else if (in_tag)
			continue;
		else if (*p == ' ' || *p == '\n' || *p == '\t')
			space = out.len > 0;
		else {
			if (space)
				buf_putc(&out, ' ');
			space = 0;
			buf_putc(&out, *p);
		}
	}
	return buf_detach(&out);
}

/* Checks that every element is closed in order (void ones aside). */
static int balanced(const char *html)
{
	static const char *const voids[] = {"br", "hr", "img", "input"};
	char stack[256][16];
	size_t n = 0;

	for (const char *p = html; (p = strchr(p, '<')); p++) {
		char name[16];
		size_t k = 0;
		int closing = p[1] == '/', is_void = 0;

		for (const char *q = p + 1 + closing;
		     *q && *q != ' ' && *q != '>' && k < 15; q++)
			name[k++] = *q;
		name[k] = '\0';
		for (size_t i = 0; i < 4; i++)
			is_void |= !strcmp(name, voids[i]);
		if (is_void || name[0] == '!')
			continue;
		if (!closing && n < 256)
			strcpy(stack[n++], name);
		else if (closing && (!n || strcmp(stack[--n], name)))
			return 0;
	}
	return n == 0;
}

static struct page *page_of(const char *text)
{
	static struct config cfg;

	return load_text("t.md", text, strlen(text), "t", &cfg);
}

static char *rendered_text(const struct page *p)
{
	struct buf h = BUF_INIT;
	char *t;

	markdown_render(load_markdown((struct page *)p), &h, NULL);
	t = text_of(buf_str(&h));
	buf_free(&h);
	return t;
}

/* The inline diff with what is neither text dropped, then the element
 * (ins or del) dropped too, as text. */
static char *view_text(const char *html, const char *drop)
{
	struct buf b = BUF_INIT;
	char *t;
	char open[8], close[8];

	buf_puts(&b, html);
	drop_elements(&b, "<span class=\"visually-hidden\">", "</span>");
	drop_elements(&b, "<span class=\"diff-annot\"", "</span>");
	drop_elements(&b, "<p class=\"diff-repere\"", "</p>");
	snprintf(open, sizeof(open), "<%s", drop);
	snprintf(close, sizeof(close), "</%s>", drop);
	drop_elements(&b, open, close);
	t = text_of(buf_str(&b));
	buf_free(&b);
	return t;
}

/* ---- generated texts ---- */

static unsigned long seed = 12345;

static unsigned rnd(unsigned n)
{
	seed = seed * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)(seed >> 33) % n;
}

static const char *const vocab[] = {"la",
                                    "convention",
                                    "Caf",
                                    "commune",
                                    "l'article",
                                    "d’accueil",
                                    "places",
                                    "enfants",
                                    "jeunes",
                                    "élus",
                                    "crèche",
                                    "Saint-Ausbert",
                                    "(annexe)",
                                    "**fort**",
                                    "*souple*",
                                    "`code`",
                                    "[lien](https://exemple.fr/a)",
                                    "40",
                                    "52",
                                    "12 340",
                                    "3,5",
                                    "2026",
                                    "œuvre",
                                    "relais",
                                    ",",
                                    ".",
                                    ";",
                                    "!",
                                    "?"};
#define NVOCAB (sizeof(vocab) / sizeof(*vocab))
#define NWORDS 25  /* the first ones are words; the rest punctuation */
#define NLETTER 17 /* the first ones may start a line */

enum kind { PARA, ITEM, QUOTE, ROW, CODE };

struct block {
	enum kind kind;
	unsigned w[24];
	size_t n;
};

struct text {
	struct block b[24];
	size_t n;
};

static void random_block(struct block *b)
{
	static const enum kind kinds[] = {PARA,  PARA, PARA, ITEM, ITEM,
	                                  QUOTE, ROW,  ROW,  CODE};

	b->kind = kinds[rnd(9)];
	b->n = b->kind == ROW ? 2 : 2 + rnd(12);
	for (size_t i = 0; i < b->n; i++)
		b->w[i] = i == 0 || b->kind == ROW ? rnd(NLETTER) : rnd(NVOCAB);
}

/* Writes a block; words wrap at random (not before numbers or
 * punctuation: a line starting with "40." could start a list). */
static void put_block(struct buf *out, const struct block *b)
{
	const char *lead = b->kind == ITEM    ? "- "
	                   : b->kind == QUOTE ? "> "
	                                      : "";
	const char *cont = b->kind == ITEM ? "  " : lead;

	if (b->kind == ROW) {
		buf_printf(out, "| %s | %s |\n", vocab[b->w[0]],
		           vocab[b->w[1]]);
		return;
	}
	if (b->kind == CODE) {
		buf_puts(out, "```\n");
		for (size_t i = 0; i < b->n; i++)
			buf_printf(out, "%s\n", vocab[b->w[i]]);
		buf_puts(out, "```\n");
		return;
	}
	buf_puts(out, lead);
	for (size_t i = 0; i < b->n; i++) {
		if (i && b->w[i] < NWORDS)
			buf_puts(out,
			         b->w[i] < NLETTER && !rnd(4) ? "\n" : " ");
		if (out->len && out->data[out->len - 1] == '\n')
			buf_puts(out, cont);
		buf_puts(out, vocab[b->w[i]]);
	}
	buf_putc(out, '\n');
}

static char *serialise(const struct text *t)
{
	struct buf out = BUF_INIT;

	for (size_t i = 0; i < t->n; i++) {
		const struct block *b = &t->b[i];
		int same = i && t->b[i - 1].kind == b->kind &&
		           (b->kind == ITEM || b->kind == ROW);

		if (i && !same)
			buf_putc(&out, '\n');
		if (b->kind == ROW && !same)
			buf_puts(&out, "| Nom | Valeur |\n|---|---|\n");
		put_block(&out, b);
	}
	return buf_detach(&out);
}

static void edit(struct text *t)
{
	struct block *b = &t->b[rnd((unsigned)t->n)];
	size_t at = rnd((unsigned)b->n);

	switch (rnd(6)) {
	case 0: /* a word replaced */
		b->w[at] = at == 0 ? rnd(NLETTER) : rnd(NVOCAB);
		break;
	case 1: /* a word deleted */
		if (b->n > 2 && at > 0 && b->kind != ROW) {
			memmove(&b->w[at], &b->w[at + 1],
			        (b->n - at - 1) * sizeof(*b->w));
			b->n--;
		}
		break;
	case 2: /* a word inserted */
		if (b->n < 24 && b->kind != ROW) {
			at += 1;
			memmove(&b->w[at + 1], &b->w[at],
			        (b->n - at) * sizeof(*b->w));
			b->w[at] = rnd(NVOCAB);
			b->n++;
		}
		break;
	case 3: /* a block inserted */
		if (t->n < 24) {
			at = rnd((unsigned)t->n + 1);
			memmove(&t->b[at + 1], &t->b[at],
			        (t->n - at) * sizeof(*t->b));
			random_block(&t->b[at]);
			t->n++;
		}
		break;
	case 4: /* a block deleted */
		if (t->n > 1) {
			at = rnd((unsigned)t->n);
			memmove(&t->b[at], &t->b[at + 1],
			        (t->n - at - 1) * sizeof(*t->b));
			t->n--;
		}
		break;
	default: /* a block split in two (a list item in two items) */
		if (t->n < 24 && b->n >= 4 && b->kind != ROW) {
			size_t k = (size_t)(b - t->b), cut = 2;

			memmove(&t->b[k + 1], &t->b[k],
			        (t->n - k) * sizeof(*t->b));
			t->n++;
			t->b[k].n = cut;
			t->b[k + 1].n -= cut;
			memmove(t->b[k + 1].w, t->b[k + 1].w + cut,
			        t->b[k + 1].n * sizeof(*b->w));
			t->b[k + 1].w[0] = rnd(NLETTER);
		}
	}
}

static int changed_cases; /* how many cases had a change to check */

/* One generated case: its two texts checked both ways. */
static int one_case(const char *a, const char *b)
{
	struct page *pa = page_of(a), *pb = page_of(b);
	struct diff *df = diff_new(pa, pb);
	struct diff_view v = {0, NULL, NULL, ""};
	struct buf h = BUF_INIT, side = BUF_INIT;
	char *ta = rendered_text(pa), *tb = rendered_text(pb);
	char *va, *vb;
	int ok = 1;

	diff_html(df, &v, &h);
	v.side = 1;
	diff_html(df, &v, &side);
	va = view_text(buf_str(&h), "ins");
	vb = view_text(buf_str(&h), "del");
	if (strcmp(ta, tb)) {
		changed_cases++;
		ok &= !strcmp(va, ta) && !strcmp(vb, tb);
	} else {
		ok &= !diff_changed(df) && !strstr(buf_str(&h), "<ins") &&
		      !strstr(buf_str(&h), "<del");
	}
	ok &= balanced(buf_str(&h)) && balanced(buf_str(&side));
	if (!ok)
		fprintf(stderr,
		        "--- old\n%s--- new\n%s--- diff\n%s\n--- old "
		        "text\n%s\n--- from diff\n%s\n--- new text\n"
		        "%s\n--- from diff\n%s\n",
		        a, b, buf_str(&h), ta, va, tb, vb);
	free(ta);
	free(tb);
	free(va);
	free(vb);
	buf_free(&h);
	buf_free(&side);
	diff_free(df);
	page_free(pa);
	page_free(pb);
	return ok;
}

static void test_invariants(void)
{
	int failed = 0;

	for (int c = 0; c < 400 && failed < 3; c++) {
		struct text t, u;
		char *a, *b;

		t.n = 1 + rnd(8);
		for (size_t i = 0; i < t.n; i++)
			random_block(&t.b[i]);
		u = t;
		for (unsigned e = rnd(4); e > 0; e--)
			edit(&u);
		a = serialise(&t);
		b = serialise(&u); /* wrapped anew */
		if (!one_case(a, b))
			failed++;
		free(a);
		free(b);
	}
	CHECK(failed == 0);
	CHECK(changed_cases > 250);
	if (getenv("PARAPHE_SHOW_CASE")) /* one case, to read */
		one_case(
		    "Le conseil *général* l'a dit.\n\n- un\n",
		    "Le conseil *départemental* l'a dit.\n\n- un\n- deux\n");
}

/* ---- golden cases ---- */

/* The page of file dir/name, NULL when absent. */
static struct page *load_file(const char *dir, const char *name)
{
	static struct config cfg;
	char *path = fs_join(dir, name);
	struct buf text = BUF_INIT;
	struct page *p = NULL;

	if (fs_read(path, 1 << 20, &text) == 0)
		p = load_text(path, buf_str(&text), text.len, name, &cfg);
	free(path);
	buf_free(&text);
	return p;
}

/* A bundle directory: index.md and its sub-pages (sorted by name). */
static void load_bundle(const char *dir, struct diff_text *t)
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort);
	struct subpage *subs = calloc(n > 0 ? (size_t)n : 1, sizeof(*subs));

	t->page = load_file(dir, "index.md");
	t->subpages = subs;
	t->nsubpages = 0;
	for (int i = 0; i < n; i++) {
		const char *f = list[i]->d_name;
		size_t len = strlen(f);

		if (len > 3 && !strcmp(f + len - 3, ".md") &&
		    strcmp(f, "index.md")) {
			struct subpage *s = &subs[t->nsubpages++];

			s->name = strndup(f, len - 3);
			s->slug = slug_new(s->name);
			s->src = fs_join(dir, f);
			s->page = load_file(dir, f);
		}
		free(list[i]);
	}
	free(list);
}

static void free_text(struct diff_text *t)
{
	struct subpage *subs = (struct subpage *)t->subpages;

	page_free((struct page *)t->page);
	for (size_t i = 0; i < t->nsubpages; i++) {
		free(subs[i].name);
		free(subs[i].slug);
		free(subs[i].src);
		page_free(subs[i].page);
	}
	free(subs);
}

/* The summary as a comment, the main text, then each sub-page. */
static void golden_output(const struct value *v, struct buf *out)
{
	const struct value *sum = value_get(v, "summary");
	const struct value *subs = value_get(v, "subpages");
	const struct value *meta = value_get(v, "meta");

	buf_puts(out, "<!-- résumé\n");
	for (size_t i = 0; i < value_len(sum); i++) {
		const struct value *e = sum->u.list.items[i];

		buf_printf(out, "  %s : %s\n", value_get_str(e, "title"),
		           value_get_str(e, "status"));
	}
	for (size_t i = 0; i < value_len(subs); i++)
		buf_printf(out, "  page %s : %s\n",
		           value_get_str(subs->u.list.items[i], "slug"),
		           value_get_str(subs->u.list.items[i], "status"));
	for (size_t i = 0; i < value_len(meta); i++) {
		const struct value *r = meta->u.list.items[i];
		const char *b = value_get_str(r, "before");
		const char *a = value_get_str(r, "after");
		const char *d = value_get_str(r, "delta");

		buf_printf(out, "  en-tête %s : %s → %s%s%s%s\n",
		           value_get_str(r, "field"), b ? b : "(absent)",
		           a ? a : "(absent)", d ? " (" : "", d ? d : "",
		           d ? ")" : "");
	}
	buf_puts(out, "-->\n");
	buf_puts(out, value_get_str(v, "html"));
	for (size_t i = 0; i < value_len(subs); i++) {
		const char *h = value_get_str(subs->u.list.items[i], "html");

		if (h)
			buf_printf(out, "<!-- page %s -->\n%s",
			           value_get_str(subs->u.list.items[i], "slug"),
			           h);
	}
}

static void golden_case(const char *name)
{
	char *dir = fs_join(CASES, name), *old = fs_join(dir, "old");
	char *new = fs_join(dir, "new"), *exp = fs_join(dir, "expected.html");
	struct diff_text ta = {NULL, NULL, 0}, tb = {NULL, NULL, 0};
	struct diff_view v = {0, "../", "../../0/", ""};
	struct buf got = BUF_INIT, want = BUF_INIT;
	struct diff_doc *dd;
	struct value *val;

	if (fs_is_dir(old)) {
		load_bundle(old, &ta);
		load_bundle(new, &tb);
	} else {
		ta.page = load_file(dir, "old.md");
		tb.page = load_file(dir, "new.md");
	}
	CHECK(ta.page && tb.page);
	dd = diff_doc_new(&ta, &tb);
	val = diff_doc_value(dd, &v);
	golden_output(val, &got);
	if (getenv("PARAPHE_UPDATE_GOLDEN")) {
		FILE *f = fopen(exp, "w");

		CHECK(f && fputs(buf_str(&got), f) >= 0 && fclose(f) == 0);
	} else if (fs_read(exp, 1 << 20, &want) < 0) {
		fprintf(stderr, "%s: missing\n", exp);
		CHECK(0);
	} else if (strcmp(buf_str(&got), buf_str(&want))) {
		fprintf(stderr, "%s differs; got:\n%s\n", exp, buf_str(&got));
		CHECK(0);
	}
	value_free(val);
	diff_doc_free(dd);
	free_text(&ta);
	free_text(&tb);
	buf_free(&got);
	buf_free(&want);
	free(dir);
	free(old);
	free(new);
	free(exp);
}

static void test_golden(void)
{
	struct dirent **list;
	int n = scandir(CASES, &list, NULL, alphasort), cases = 0;

	for (int i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.') {
			golden_case(list[i]->d_name);
			cases++;
		}
		free(list[i]);
	}
	free(list);
	CHECK(cases >= 7);
}

int main(void)
{
	RUN(test_invariants);
	RUN(test_golden);
	TEST_END();
}
