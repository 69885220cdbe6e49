/*
 * history_status: what the working tree holds that history has not
 * recorded: documents never committed (untracked or only staged) and
 * documents with uncommitted changes, read before the walk and reported
 * after it (see history.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "history_int.h"
#include "site.h"
#include "xalloc.h"

/* Untracked files named in the warning before "and N more". */
#define SHOW_FILES 5

/* Notes the files of documents that are new (untracked or only staged)
 * and the documents with uncommitted changes, before the walk changes the
 * map. */
void history_read_status(struct walk *w)
{
	git_status_options o;
	git_status_list *st = NULL;
	char *paths[1] = {w->spec};
	size_t n, dl, plen = strlen(w->h->prefix);

	git_status_options_init(&o, GIT_STATUS_OPTIONS_VERSION);
	if (w->spec) {
		o.pathspec.strings = paths;
		o.pathspec.count = 1;
	}
	o.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	o.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED |
	          GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
	          GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH |
	          GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&st, w->h->repo, &o) < 0) {
		diag_warning(NULL, 0, 0,
		             "cannot read the status of the working tree: %s",
		             history_git_error());
		return;
	}
	n = git_status_list_entrycount(st);
	for (size_t i = 0; i < n; i++) {
		const git_status_entry *e = git_status_byindex(st, i);
		const git_diff_delta *d = e->index_to_workdir
		                              ? e->index_to_workdir
		                              : e->head_to_index;
		long owner;

		if (!d || !d->new_file.path)
			continue;
		owner = hmap_owner(&w->files, d->new_file.path, &dl);
		if (owner < 0)
			continue;
		if (e->status & (GIT_STATUS_WT_NEW | GIT_STATUS_INDEX_NEW)) {
			w->fresh = xrealloc(w->fresh, (w->nfresh + 1) *
			                                  sizeof(*w->fresh));
			w->fresh[w->nfresh++] =
			    xstrdup(d->new_file.path + plen);
		} else
			w->dirty[owner] = 1;
	}
	git_status_list_free(st);
}

/* The warnings about the working tree, once versions are known. */
void history_report_status(const struct walk *w)
{
	struct buf list = BUF_INIT;

	for (size_t i = 0; i < w->nfresh && i < SHOW_FILES; i++)
		buf_printf(&list, "%s%s", i ? ", " : "", w->fresh[i]);
	if (w->nfresh > SHOW_FILES)
		buf_printf(&list, " and %zu more", w->nfresh - SHOW_FILES);
	if (w->nfresh)
		diag_warning(NULL, 0, 0,
		             "%zu file(s) committed nowhere yet, their history "
		             "is empty: %s",
		             w->nfresh, buf_str(&list));
	buf_free(&list);
	for (size_t i = 0; i < w->site->ndocs; i++) {
		const struct document *d = w->site->docs[i];

		if (w->dirty[i] && d->is_signed)
			diag_warning(d->src, 0, 0,
			             "uncommitted changes to signed document "
			             "'%s' are not published: the current page "
			             "shows the last signed version",
			             d->src);
	}
}
