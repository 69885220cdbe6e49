/*
 * diag: the one diagnostics path of every stage.
 *
 * Diagnostics are printed to stderr (or the stream set by diag_set_stream)
 * as "FILE:LINE:COL: error|warning: message", LINE and COL omitted when 0.
 * FILE is relative to the site root when it is under it.
 * A NULL FILE prints "paraphe: error: message" (no location). Messages are
 * lowercase, without a final full stop, subjects in quotes.
 *
 * The counters let main decide the exit status. All functions are
 * thread-safe (one mutex), so worker threads can report directly.
 */
#ifndef PARAPHE_DIAG_H
#define PARAPHE_DIAG_H

#include <stdio.h>

enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

void diag_report(enum diag_level level, const char *file, int line, int col,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_error(const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* diag_error with a repeat key: when captured, diag_print_captured with
 * a key set drops it if an error of the same key was printed before. */
void diag_error_keyed(const char *key, const char *file, int line, int col,
                      const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_warning(const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Verbose-only notes ("-v"): shown only when the verbosity is >= 1. */
void diag_note(const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Number of errors / warnings reported since the last diag_reset. */
int diag_errors(void);
int diag_warnings(void);
void diag_reset(void);

/* -q: quiet hides warnings (still counted); -v: verbosity 1 shows notes. */
void diag_set_quiet(int quiet);
void diag_set_verbose(int verbose);
/* Where diagnostics go (default stderr); tests pass a tmpfile. */
void diag_set_stream(FILE *f);

/*
 * Captures the calling thread's diagnostics: until diag_capture(NULL),
 * what this thread reports is counted at once but written to f (a memory
 * stream, say) instead of the shared stream. A stage that runs documents
 * on worker threads captures each document's lines, then hands them to
 * diag_print in document order, so that the messages come out in the same
 * order for any -j.
 */
void diag_capture(FILE *f);
/* The errors the calling thread reported since diag_capture(f). */
int diag_captured_errors(void);
/* Writes len bytes of captured diagnostics (records: see diag.c) to the
 * shared stream. With keys, a keyed error whose key keys already holds
 * is dropped and taken back from the counters, and the others' keys are
 * added: the first in printing order is the one kept. */
struct diag_keys;
struct diag_keys *diag_keys_new(void);
void diag_keys_free(struct diag_keys *k);
void diag_print_captured(const char *text, size_t len, struct diag_keys *keys);
/* Takes back from the counters diagnostics that were captured and then
 * dropped (a repeat of a line already printed, a run whose messages
 * another run gives). */
void diag_forget(int errors, int warnings);

#endif
