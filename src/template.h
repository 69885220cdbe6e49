/*
 * template: HTML templates with Lua, compiled once into Lua functions.
 *
 * Syntax (SPEC §7):
 *   {{ expr }}      the value of a Lua expression, HTML-escaped (nil prints
 *                   nothing)
 *   {{{ expr }}}    the value printed raw: for trusted HTML only (the page's
 *                   rendered body); every use is deliberate
 *   {% stmt %}      Lua statements: {% if x then %}…{% else %}…{% end %},
 *                   {% for _, p in ipairs(list) do %}…{% end %}
 *   {% include "partials/nav.html" %}
 *                   the named template, rendered with the same variables
 *   {# comment #}   nothing
 *   {%- … -%}, {{- … -}}
 *                   a dash trims the whitespace (newlines included) on
 *                   that side of the tag
 * Generated code keeps the template's line numbers, so a Lua error names
 * the template file and line.
 */
#ifndef PARAPHE_TEMPLATE_H
#define PARAPHE_TEMPLATE_H

#include <stddef.h>

#include "buf.h"

struct script;
struct theme;
struct value;

/*
 * Translates template source into Lua code appended to lua. file names
 * the template in diagnostics. Returns 0, or -1 after reporting a syntax
 * error (unclosed tag) as "FILE:LINE:COL: error: message".
 */
int template_translate(const char *file, const char *src, size_t len,
                       struct buf *lua);

/* Compiles every templates/… file of the theme into s (names without the
 * "templates/" prefix: "page.html", "partials/head.html"). Returns 0, or
 * -1 after reporting every template that fails. */
int template_compile_theme(struct script *s, const struct theme *theme);

/* 1 when s has a template called name. */
int template_exists(struct script *s, const char *name);

/* Renders template name with ctx into out; see script_render_template. */
int template_render(struct script *s, const char *name, const struct value *ctx,
                    const char *page_src, struct buf *out);

#endif
