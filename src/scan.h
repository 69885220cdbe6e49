/*
 * scan: the content directory of the working tree into documents
 * (SPEC §2). Decides every output path, once, and reports collisions.
 */
#ifndef PARAPHE_SCAN_H
#define PARAPHE_SCAN_H

struct config;
struct site;

/*
 * Walks cfg->content. Fills site->docs (ordered by output path) and
 * site->home (the listing of the content directory itself, path "").
 * Returns 0, or -1 when an error was reported (collision, unreadable
 * directory, missing content directory…); warnings (hidden files skipped,
 * symbolic links leaving the site) do not fail the scan. On failure the
 * site may be partly filled; site_free releases it.
 */
int scan_site(const struct config *cfg, struct site *site);

#endif
