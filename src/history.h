/*
 * history: versions from git (SPEC §3). One walk of the repository that
 * holds the site; the only module that includes git2.h.
 *
 * Pipeline position: after scan and after load has read the working tree
 * (history needs each bundle sub-page's front matter to know whether it is
 * part of the signed text: d->outside_signed), before load reads the texts
 * of the versions (history_read).
 */
#ifndef PARAPHE_HISTORY_H
#define PARAPHE_HISTORY_H

#include "buf.h"

struct config;
struct site;
struct value;
struct history;

/*
 * Opens the repository holding the current directory (the site root),
 * searching upward, without reading the user's global, XDG or system git
 * configuration. Returns NULL, after a warning that says what is missing
 * and that pages are built from the working tree, when the history cannot
 * be read: not a git repository, no commit yet, bare repository, broken
 * repository. With cfg->history == HISTORY_NONE returns NULL after a note.
 */
struct history *history_open(const struct config *cfg);

/*
 * Walks HEAD's first-parent chain once. For each commit, diffs its tree
 * against its first parent's (the empty tree for a root commit),
 * restricted to the content directory, with rename detection, and maps the
 * changed paths to documents; trailers are read with git_message_trailers.
 * Then fills d->versions (oldest first) and d->is_signed of every document
 * of site following SPEC §3 exactly. Reports, through diag: unsigned
 * changes after the last signed version (a warning naming the document and
 * the short commit ids), avenant numbers with a gap or a duplicate
 * (error), malformed trailer dates (error naming the commit), a shallow
 * history (warning), commit dates at epoch 0 or in the future of HEAD
 * (note), files of the content directory not committed yet (warning).
 * Returns 0, or -1 when an error was reported.
 */
int history_walk(struct history *h, struct site *site,
                 const struct config *cfg);

/* HEAD's committer time (seconds since the epoch). */
long long history_head_time(const struct history *h);

/*
 * Reads the file at path (relative to the site root) as it was at commit
 * (40 hex digits) into out. Returns 0, 1 when there is no such file at that
 * commit, or -1 after reporting an error (a symbolic link entry is refused:
 * "'content/x.md' is a symbolic link in commit abc1234"). Thread-safe.
 */
int history_read(struct history *h, const char *commit, const char *path,
                 struct buf *out);
/* history_read that also gives the id of the file's blob (41 bytes, hex)
 * when id is not NULL and it returns 0. */
int history_read_id(struct history *h, const char *commit, const char *path,
                    struct buf *out, char id[41]);
/* Reads the blob id (40 hex digits) that history_read_id gave for path
 * (named in diagnostics) into out: no tree to walk. Returns 0, or -1
 * after reporting. Thread-safe. */
int history_read_blob(struct history *h, const char *id, const char *path,
                      struct buf *out);

/*
 * Appends to names (a list value) the paths, relative to dir, of every
 * file under directory dir (relative to the site root) at commit, sorted
 * bytewise, recursively, hidden entries left out. Returns 0, 1 when dir
 * does not exist at that commit, or -1 after reporting. Thread-safe.
 */
int history_list(struct history *h, const char *commit, const char *dir,
                 struct value *names);
/* history_list that also appends to ids (when not NULL), in the same
 * order as names, the id of each file's blob (40 hex digits), which
 * history_read_blob reads without walking the trees again. */
int history_list_ids(struct history *h, const char *commit, const char *dir,
                     struct value *names, struct value *ids);

void history_free(struct history *h);

#endif
