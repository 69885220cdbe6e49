/*
 * site: construction, freeing and a few read-only accessors of the shared
 * plain data (see site.h).
 */
#include "site.h"

#include <stdlib.h>
#include <strings.h>

#include "markdown.h"
#include "value.h"
#include "xalloc.h"

struct document *document_new(enum doc_kind kind)
{
	struct document *d = xcalloc(1, sizeof(*d));

	d->kind = kind;
	return d;
}

const char *document_kind_name(const struct document *d)
{
	if (!d->parent)
		return "home";
	switch (d->kind) {
	case DOC_LIST:
		return "list";
	case DOC_BUNDLE:
		return "bundle";
	default:
		return "page";
	}
}

const char *version_trailer(const struct version *v, const char *key)
{
	const struct value *t = v->trailers;

	for (size_t i = 0; i < value_len(t); i++)
		if (!strcasecmp(t->u.map.keys[i], key) &&
		    t->u.map.vals[i]->type == VALUE_STRING)
			return t->u.map.vals[i]->u.str.ptr;
	return NULL;
}

struct value *version_to_value(const struct version *v)
{
	struct value *m = value_map();

	value_set_num(m, "id", v->id);
	value_set_str(m, "label", v->label);
	value_set_str(m, "date", v->date);
	value_set_str(m, "commit", v->commit);
	value_set_bool(m, "signed", v->is_signed);
	value_set_bool(m, "draft", v->is_draft);
	value_set(m, "trailers",
	          v->trailers ? value_copy(v->trailers) : value_map());
	return m;
}

void document_add_child(struct document *parent, struct document *child)
{
	size_t cap = parent->nchildren;

	/* exact-size growth: children lists are short and built once */
	parent->children =
	    xrealloc(parent->children, (cap + 1) * sizeof(*parent->children));
	parent->children[parent->nchildren++] = child;
	child->parent = parent;
}

void version_clear(struct version *v)
{
	free(v->src);
	free(v->subject);
	free(v->label);
	free(v->date);
	value_free(v->trailers);
	page_free(v->page);
	for (size_t i = 0; i < v->nsubpages; i++) {
		free(v->subpages[i].src);
		free(v->subpages[i].name);
		free(v->subpages[i].slug);
		page_free(v->subpages[i].page);
	}
	free(v->subpages);
	v->src = v->subject = v->label = v->date = NULL;
	v->trailers = NULL;
	v->page = NULL;
	v->subpages = NULL;
	v->nsubpages = 0;
}

struct page *page_new(void)
{
	return xcalloc(1, sizeof(struct page));
}

void page_free(struct page *p)
{
	if (!p)
		return;
	value_free(p->meta);
	value_free(p->toc);
	markdown_free(p->md);
	free(p->title);
	free(p->type);
	free(p->html);
	free(p->excerpt);
	free(p->body);
	free(p->file);
	free(p->blob);
	free(p);
}

void document_free(struct document *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->nresources; i++) {
		free(d->resources[i].src);
		free(d->resources[i].out);
		free(d->resources[i].name);
	}
	free(d->resources);
	for (i = 0; i < d->nversions; i++)
		version_clear(&d->versions[i]);
	free(d->versions);
	page_free(d->page);
	free(d->children);
	free(d->src);
	free(d->dir);
	free(d->path);
	free(d->name);
	free(d);
}

void site_free(struct site *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->ndocs; i++)
		document_free(s->docs[i]);
	free(s->docs);
	s->docs = NULL;
	s->ndocs = 0;
	s->home = NULL;
}
