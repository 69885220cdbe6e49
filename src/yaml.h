/*
 * yaml: YAML text into a struct value, through libyaml (the only module
 * that includes yaml.h).
 */
#ifndef PARAPHE_YAML_H
#define PARAPHE_YAML_H

#include <stddef.h>

struct value;

/*
 * Parses one YAML document. An empty text gives an empty map. Plain scalars
 * are typed: null/~/empty → nil, true/false → bool, decimal numbers (no
 * leading zeros except "0" and "0.x", so "01234" stays a string) → number,
 * everything else (dates included) a string; quoted scalars are strings.
 * Mappings keep source order; a duplicate key is an error. Every value
 * carries its line and column. Aliases and anchors are refused (error), as
 * are several documents and non-scalar keys.
 *
 * file names the source in diagnostics; line_offset is added to every line
 * (front matter starting on line 2 of a Markdown file passes 1).
 * Returns the value (the caller frees it), or NULL after reporting
 * "FILE:LINE:COL: error: message" through diag.
 */
struct value *yaml_parse(const char *text, size_t len, const char *file,
                         int line_offset);

#endif
