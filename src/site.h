/*
 * site: the plain data shared by the stages. scan creates the documents,
 * history fills their versions, load fills their pages, render reads them.
 * Nothing here has behaviour beyond construction and freeing.
 */
#ifndef PARAPHE_SITE_H
#define PARAPHE_SITE_H

#include <stddef.h>

struct value;
struct history;
struct markdown;

enum doc_kind {
	DOC_PAGE,   /* a single Markdown file, or a sub-page of a bundle */
	DOC_BUNDLE, /* a directory holding index.md */
	DOC_LIST    /* a directory listing (with or without _index.md) */
};

/* A file copied next to a page: a signed PDF, an image, a data file. */
struct resource {
	char *
	    src; /* path relative to the site root, e.g. content/ctg/scan.pdf */
	char *
	    out; /* output path relative to the output dir, e.g. ctg/scan.pdf */
	char *name; /* file name, e.g. scan.pdf */
};

/* A sub-page of a bundle as it stood at one version: an annex. */
struct subpage {
	char *src;  /* source relative to the site root, at that commit */
	char *name; /* base name without .md */
	char *slug; /* output segment, e.g. "annexe-1" */
	struct page *page;
};

/* One version of a document, as history finds it (SPEC §3). */
struct version {
	int id;          /* 0, 1, 2… ; the avenant number for signed ones */
	char commit[41]; /* hex object id */
	char *src;       /* the document's source path (relative to the site
	                    root) at this commit, when a rename makes it
	                    differ from document.src; NULL otherwise */
	char *subject;   /* commit subject (first line of the message) */
	char *label;     /* "Convention initiale", "Avenant n°1", or subject */
	char *date;      /* YYYY-MM-DD: signature date when signed, else the
	                    commit date (UTC) */
	long long time;  /* committer time, seconds since the epoch */
	int is_signed;
	int is_draft;           /* unsigned changes published with --drafts */
	struct value *trailers; /* map of trailer key → string, in order */
	/* Filled by load for the versions that are published: */
	struct page *page;        /* the text at this version */
	struct subpage *subpages; /* a bundle's signed sub-pages then */
	size_t nsubpages;
};

/* The loaded text of a document at one version (or the working tree). */
struct page {
	struct value *meta; /* front matter map (never NULL after load) */
	char *title;   /* meta.title, else the first heading, else file name */
	char *type;    /* meta.type, default "page" */
	char *html;    /* the rendered body (render), or NULL: freed, with md,
	                  once the document's files are written */
	char *excerpt; /* the search excerpt of html, kept after it */
	struct markdown *md; /* the parsed body, or NULL until load_markdown
	                        parses body (load.h): parsed when needed and
	                        freed when done, so that a build does not
	                        hold every tree at once */
	/* The Markdown source after the front matter: in body while the
	 * page is loaded, then, for a page read from a file, dropped and read
	 * again from there when a stage parses it (load.h), so that a build
	 * does not hold every text either. */
	char *body;
	size_t body_len;
	char *file;           /* where it is read again: a path relative to
	                         the site root, or NULL (body stays) */
	char *blob;           /* the id of its git blob (hex), or NULL:
	                         the working tree's file */
	struct history *repo; /* the repository of blob */
	size_t body_off;      /* where the body starts in the file */
	unsigned long long body_sum; /* a sum of a working-tree file's body,
	                                checked then */
	int has_derive;  /* the body may hold derive blocks: it has "derive"
	                    or "&" (an entity in an info string) */
	int derived;     /* derive blocks replaced parts of md: the tree is
	                    the text now, never parsed again from the source */
	int drop_title;  /* the leading "# Title" is the title: not in the body
	                  */
	int unsafe_html; /* the parse option of the site */
	struct value *toc; /* list of {level, id, title} */
	int body_line;     /* line of the source where the Markdown starts */
};

struct document {
	enum doc_kind kind;
	char *src;     /* source relative to the site root: content/a/b.md,
	                  content/ctg/index.md, content/dir/_index.md; for a
	                  listing without _index.md, the directory content/dir */
	char *dir;     /* directory relative to the content dir, "" at top */
	char *path;    /* output directory relative to the output root, with a
	                  trailing slash ("ctg-2026/"), "" for the home page */
	char *name;    /* base name without .md, or the directory name */
	double weight; /* front matter weight, for ordering (0 when unset) */
	struct document
	    *parent; /* enclosing bundle or listing; NULL for home */
	struct document **children; /* sub-pages (bundle) or entries (listing),
	                               ordered by weight then path */
	size_t nchildren;
	struct resource *resources; /* bundle resources, by path */
	size_t nresources;
	struct version *versions; /* oldest first; filled by history */
	size_t nversions;
	int is_signed;      /* has at least one signed version */
	int outside_signed; /* a sub-page of a bundle that is not part
	                       of its signed text (type bilan, or
	                       signe: false): its own history */
	struct page *page;  /* current text; filled by load */
};

struct site {
	struct document **docs; /* every document, ordered by output path */
	size_t ndocs;
	struct document *home;    /* the top listing, path "" */
	long long reference_time; /* the build's "now" (SPEC §3): never the
	                             wall clock */
	char reference_date[11];  /* the same as YYYY-MM-DD (UTC) */
};

struct document *document_new(enum doc_kind kind);
/* "home", "list", "bundle" or "page": the kind templates and hooks see. */
const char *document_kind_name(const struct document *d);
/* The value of trailer key of v, whatever its case, or NULL. */
const char *version_trailer(const struct version *v, const char *key);
/* {id, label, date, commit, signed, draft, trailers}: a version as
 * data.json and hooks give it (SPEC §4); the caller frees. */
struct value *version_to_value(const struct version *v);
void document_free(struct document *d); /* frees children array, not children */
void document_add_child(struct document *parent, struct document *child);
struct page *page_new(void);
void page_free(struct page *p);
void version_clear(struct version *v);
/* Frees every document in s->docs (the home listing is one of them). */
void site_free(struct site *s);

#endif
