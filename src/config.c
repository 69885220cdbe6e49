/*
 * config: ./site.yaml and the command-line flags into one struct config
 * (SPEC §1 and §8). Order: defaults, then the file, then the flags, then
 * checks that need the final values (content and output directories).
 *
 * Every problem is reported (the file is read to the end), each at the
 * position of the offending value in site.yaml, or without a location when
 * the value came from a flag or a default.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "fs.h"
#include "value.h"
#include "xalloc.h"
#include "yaml.h"

#define CONFIG_FILE "site.yaml"
#define CONFIG_MAX_SIZE (1024 * 1024)
#define JOBS_MAX 4096
#define INSTRUCTIONS_MAX 1e15 /* exact in a double, hours of Lua */
#define THEME_MSG "'theme' must be the name of a directory of themes/"

/* Where a value of the file sits; line 0 when it did not come from the
 * file (default or flag), so diagnostics then carry no location. */
struct origin {
	int line, col;
};

void config_flags_init(struct config_flags *f)
{
	memset(f, 0, sizeof *f);
	f->drafts = f->strict = f->unsafe_html = -1;
	f->jobs = f->quiet = f->verbose = -1;
}

/* PARENT/.paraphe-cache/NAME for the output PARENT/NAME (slashes
 * stripped): beside the output, so that its files can be hard links of
 * the output's, one cache per output directory. */
static char *default_cache(const char *output)
{
	const char *slash = strrchr(output, '/');
	struct buf b = BUF_INIT;

	if (slash)
		buf_put(&b, output, (size_t)(slash - output) + 1);
	buf_printf(&b, ".paraphe-cache/%s", slash ? slash + 1 : output);
	return buf_detach(&b);
}

/* Reports an error at the position of v in site.yaml. */
__attribute__((format(printf, 2, 3))) static void
value_error(const struct value *v, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	diag_error(CONFIG_FILE, v->line, v->col, "%s", buf_str(&msg));
	buf_free(&msg);
}

/* Replaces the string *dst (owned) with a copy of s. */
static void set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = xstrdup(s);
}

/* The base name of the site directory, the default title. */
static char *default_title(void)
{
	char *root = realpath(".", NULL), *slash, *title;

	if (!root)
		return xstrdup("site");
	slash = strrchr(root, '/');
	title = xstrdup(slash && slash[1] ? slash + 1 : "site");
	free(root);
	return title;
}

static void set_defaults(struct config *cfg)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	memset(cfg, 0, sizeof *cfg);
	cfg->title = default_title();
	cfg->base_url = xstrdup("");
	cfg->language = xstrdup("fr");
	/* A folder of plain Markdown builds with zero configuration (SPEC
	 * §1): without a content/ directory, the content is the root. */
	cfg->content = xstrdup(fs_is_dir("content") ? "content" : ".");
	cfg->output = xstrdup("public");
	cfg->theme = xstrdup("default");
	cfg->history = HISTORY_GIT;
	cfg->jobs = cores < 1 ? 1 : cores > JOBS_MAX ? JOBS_MAX : (int)cores;
	cfg->limit_memory = (size_t)256 * 1024 * 1024;
	cfg->limit_instructions = 100000000;
}

/* Reads and parses ./site.yaml into *data; no file gives an empty map.
 * Returns 0, or -1 after a diagnostic (*data is then NULL). */
static int read_file(struct value **data)
{
	struct buf text = BUF_INIT;
	int ret = -1;

	*data = NULL;
	if (fs_read(CONFIG_FILE, CONFIG_MAX_SIZE, &text) < 0) {
		if (errno == ENOENT) {
			*data = value_map();
			ret = 0;
		} else if (errno == EFBIG) {
			diag_error(CONFIG_FILE, 0, 0, "file larger than 1 MiB");
		} else {
			diag_error(CONFIG_FILE, 0, 0, "cannot read: %s",
			           strerror(errno));
		}
		goto out;
	}
	*data = yaml_parse(buf_str(&text), text.len, CONFIG_FILE, 0);
	if (!*data)
		goto out;
	if ((*data)->type == VALUE_NIL) { /* "~": nothing configured */
		value_free(*data);
		*data = value_map();
	} else if ((*data)->type != VALUE_MAP) {
		value_error(*data, "the configuration must be a map of keys, "
		                   "such as 'title: My site'");
		value_free(*data);
		*data = NULL;
		goto out;
	}
	ret = 0;
out:
	buf_free(&text);
	return ret;
}

/* The value of key in data, NULL when absent or written empty (nil): an
 * empty value keeps the default. */
static const struct value *lookup(const struct value *data, const char *key)
{
	const struct value *v = value_get(data, key);

	return v && v->type != VALUE_NIL ? v : NULL;
}

/* The string v of key into *dst. A number is accepted for the title only
 * ("title: 2026"). nonempty refuses "". Records the position in at. */
static int file_str(const struct value *v, const char *key, char **dst,
                    int nonempty, struct origin *at)
{
	struct buf text = BUF_INIT;

	if (v->type == VALUE_NUMBER && !strcmp(key, "title")) {
		value_to_text(v, &text);
		free(*dst);
		*dst = buf_detach(&text);
		return 0;
	}
	if (v->type != VALUE_STRING || strlen(v->u.str.ptr) != v->u.str.len) {
		value_error(v, "'%s' must be a string", key);
		return -1;
	}
	if (nonempty && !v->u.str.len) {
		value_error(v, "'%s' must not be empty", key);
		return -1;
	}
	set_str(dst, v->u.str.ptr);
	if (at) {
		at->line = v->line;
		at->col = v->col;
	}
	return 0;
}

static int file_bool(const struct value *v, const char *key, int *dst)
{
	if (v->type != VALUE_BOOL) {
		value_error(v, "'%s' must be true or false", key);
		return -1;
	}
	*dst = v->u.boolean;
	return 0;
}

/* 1 when v is a whole number in [min, max]. */
static int is_int(const struct value *v, double min, double max)
{
	return v->type == VALUE_NUMBER && v->u.number == floor(v->u.number) &&
	       v->u.number >= min && v->u.number <= max;
}

static int file_jobs(const struct value *v, int *dst)
{
	if (!is_int(v, 1, JOBS_MAX)) {
		value_error(v, "'jobs' must be a positive integer (at most %d)",
		            JOBS_MAX);
		return -1;
	}
	*dst = (int)v->u.number;
	return 0;
}

/* "git" or "none" into *dst; returns -1 for anything else. */
static int history_mode(const char *s, enum history_mode *dst)
{
	if (!strcmp(s, "git"))
		*dst = HISTORY_GIT;
	else if (!strcmp(s, "none"))
		*dst = HISTORY_NONE;
	else
		return -1;
	return 0;
}

static int file_history(const struct value *v, enum history_mode *dst)
{
	if (v->type != VALUE_STRING || history_mode(v->u.str.ptr, dst) < 0) {
		value_error(v, "'history' must be 'git' or 'none'");
		return -1;
	}
	return 0;
}

/*
 * A size: a number, then optionally a unit among B, K, M, G (any case,
 * with or without "i" and "B": "64M", "256 MiB", "1.5 gb"), every unit a
 * power of 1024, as memory is counted. Returns 0 and the number of bytes
 * (at least 1, at most 1 TiB), or -1.
 */
static int parse_size(const char *s, size_t *out)
{
	static const char units[] = "bkmg";
	const char *u;
	char *end;
	double d;

	/* digits and a point only: strtod alone would take "0x10" or "1e3" */
	if (!(*s >= '0' && *s <= '9'))
		return -1;
	d = strtod(s, &end);
	if (end != s + strspn(s, "0123456789."))
		return -1;
	while (*end == ' ')
		end++;
	if (*end && (u = strchr(units, end[0] | 0x20)) != NULL) {
		d *= pow(1024, (double)(u - units));
		end++;
		if (u != units && (*end == 'i' || *end == 'I'))
			end++;
		if (u != units && (*end == 'b' || *end == 'B'))
			end++;
	}
	if (*end || !(d >= 1 && d <= 1099511627776.0))
		return -1;
	*out = (size_t)d;
	return 0;
}

/* limits: {memory, instructions}; other keys are left to themes. */
static int file_limits(const struct value *lim, struct config *cfg)
{
	const struct value *v;
	int ret = 0;

	if (lim->type != VALUE_MAP) {
		value_error(lim,
		            "'limits' must be a map (memory, instructions)");
		return -1;
	}
	if ((v = lookup(lim, "memory")) != NULL) {
		if (is_int(v, 1, 1099511627776.0))
			cfg->limit_memory = (size_t)v->u.number;
		else if (v->type != VALUE_STRING ||
		         parse_size(v->u.str.ptr, &cfg->limit_memory) < 0) {
			value_error(v,
			            "'limits.memory' must be a size in bytes "
			            "or with a unit, such as '256 MiB'");
			ret = -1;
		}
	}
	if ((v = lookup(lim, "instructions")) != NULL) {
		if (is_int(v, 1, INSTRUCTIONS_MAX)) {
			cfg->limit_instructions = (long long)v->u.number;
		} else {
			value_error(v,
			            "'limits.instructions' must be a positive "
			            "integer");
			ret = -1;
		}
	}
	return ret;
}

/* A theme is a directory name under themes/ (or built in), never a path
 * that could lead elsewhere. */
static int theme_name_ok(const char *name)
{
	return name[0] && name[0] != '.' && !strchr(name, '/');
}

/* Applies one key of the file when it is known; returns 0 or -1. */
static int apply_key(struct config *cfg, const char *k, const struct value *v,
                     struct origin *content_at, struct origin *output_at)
{
	if (!strcmp(k, "title"))
		return file_str(v, k, &cfg->title, 0, NULL);
	if (!strcmp(k, "base_url"))
		return file_str(v, k, &cfg->base_url, 0, NULL);
	if (!strcmp(k, "language"))
		return file_str(v, k, &cfg->language, 1, NULL);
	if (!strcmp(k, "content"))
		return file_str(v, k, &cfg->content, 1, content_at);
	if (!strcmp(k, "output"))
		return file_str(v, k, &cfg->output, 1, output_at);
	if (!strcmp(k, "theme")) {
		if (file_str(v, k, &cfg->theme, 1, NULL) < 0)
			return -1;
		if (!theme_name_ok(cfg->theme)) {
			value_error(v, THEME_MSG);
			return -1;
		}
		return 0;
	}
	if (!strcmp(k, "drafts"))
		return file_bool(v, k, &cfg->drafts);
	if (!strcmp(k, "strict"))
		return file_bool(v, k, &cfg->strict);
	if (!strcmp(k, "unsafe_html"))
		return file_bool(v, k, &cfg->unsafe_html);
	if (!strcmp(k, "history"))
		return file_history(v, &cfg->history);
	if (!strcmp(k, "jobs"))
		return file_jobs(v, &cfg->jobs);
	if (!strcmp(k, "limits"))
		return file_limits(v, cfg);
	return 0; /* unknown keys stay in data for themes and hooks */
}

/* Applies the keys of the file in source order, reporting all problems.
 * An empty value (nil) keeps the default. */
static int apply_file(struct config *cfg, const struct value *d,
                      struct origin *content_at, struct origin *output_at)
{
	int ret = 0;

	for (size_t i = 0; i < d->u.map.len; i++)
		if (d->u.map.vals[i]->type != VALUE_NIL &&
		    apply_key(cfg, d->u.map.keys[i], d->u.map.vals[i],
		              content_at, output_at) < 0)
			ret = -1;
	return ret;
}

/* Flags win over the file; a flag's value has no position in site.yaml. */
static int apply_flags(struct config *cfg, const struct config_flags *f,
                       struct origin *content_at, struct origin *output_at)
{
	static const struct origin none = {0, 0};
	int ret = 0;

	if (f->title)
		set_str(&cfg->title, f->title);
	if (f->base_url)
		set_str(&cfg->base_url, f->base_url);
	if (f->content) {
		set_str(&cfg->content, f->content);
		*content_at = none;
	}
	if (f->output) {
		set_str(&cfg->output, f->output);
		*output_at = none;
	}
	if (f->theme)
		set_str(&cfg->theme, f->theme);
	if (f->theme && !theme_name_ok(f->theme)) {
		diag_error(NULL, 0, 0, THEME_MSG);
		ret = -1;
	}
	if (f->history && history_mode(f->history, &cfg->history) < 0) {
		diag_error(NULL, 0, 0,
		           "'--history' must be 'git' or 'none', not '%s'",
		           f->history);
		ret = -1;
	}
	if (f->drafts >= 0)
		cfg->drafts = f->drafts > 0;
	if (f->strict >= 0)
		cfg->strict = f->strict > 0;
	if (f->unsafe_html >= 0)
		cfg->unsafe_html = f->unsafe_html > 0;
	if (f->jobs == 0 || f->jobs > JOBS_MAX) {
		diag_error(NULL, 0, 0,
		           "'-j' must be a positive integer (at most %d)",
		           JOBS_MAX);
		ret = -1;
	} else if (f->jobs > 0) {
		cfg->jobs = f->jobs;
	}
	cfg->quiet = f->quiet > 0;
	cfg->verbose = f->verbose > 0 ? f->verbose : 0;
	return ret;
}

/* Removes the trailing slashes of *s, keeping "/" itself (or all of them
 * when keep_root is 0: base_url "https://x.fr/" → "https://x.fr"). */
static void strip_slashes(char *s, int keep_root)
{
	size_t n = strlen(s);

	while (n > (size_t)(keep_root ? 1 : 0) && s[n - 1] == '/')
		s[--n] = '\0';
}

/*
 * The absolute form of path seen from root (the physical site directory):
 * its realpath when it exists, else root/path with "." and ".." folded
 * lexically (the output directory often does not exist yet). malloc'd.
 */
static char *abs_path(const char *root, const char *path)
{
	char *real = realpath(path, NULL), *joined, *p, *save = NULL;
	struct buf out = BUF_INIT;

	if (real)
		return real;
	joined = path[0] == '/' ? xstrdup(path) : fs_join(root, path);
	for (p = strtok_r(joined, "/", &save); p;
	     p = strtok_r(NULL, "/", &save)) {
		if (!strcmp(p, ".."))
			while (out.len && out.data[--out.len] != '/')
				;
		else if (strcmp(p, ".") != 0)
			buf_printf(&out, "/%s", p);
		if (out.data)
			out.data[out.len] = '\0';
	}
	free(joined);
	if (!out.len)
		buf_putc(&out, '/');
	return buf_detach(&out);
}

/* 1 when path a is dir or inside it. */
static int is_within(const char *a, const char *dir)
{
	size_t n = strlen(dir);

	if (!strcmp(dir, "/"))
		return 1;
	return !strncmp(a, dir, n) && (a[n] == '\0' || a[n] == '/');
}

/*
 * The output directory is replaced wholesale by a build, so it must not
 * be, hold or sit inside the sources. Inside the content directory is
 * allowed only when the content is the site root itself (content "."):
 * scan skips the output directory then.
 */
static int check_dirs(const struct config *cfg, struct origin content_at,
                      struct origin output_at)
{
	char *root = realpath(".", NULL);
	char *con = NULL, *out = NULL;
	const char *msg = NULL;
	struct origin at = output_at.line ? output_at : content_at;

	if (!root)
		root = xstrdup("/");
	con = abs_path(root, cfg->content);
	out = abs_path(root, cfg->output);
	if (!strcmp(con, out))
		msg = "'output' and 'content' must be different directories";
	else if (is_within(root, out))
		msg = "'output' must not be the site root or a parent of it";
	else if (is_within(con, out))
		msg = "'output' must not contain the content directory";
	else if (is_within(out, con) && strcmp(con, root) != 0)
		msg = "'output' must not be inside the content directory";
	if (msg)
		diag_error(at.line ? CONFIG_FILE : NULL, at.line, at.col, "%s",
		           msg);
	free(root);
	free(con);
	free(out);
	return msg ? -1 : 0;
}

int config_load(struct config *cfg, const struct config_flags *flags)
{
	struct origin content_at = {0, 0}, output_at = {0, 0};
	int ret = -1, bad = 0;

	set_defaults(cfg);
	if (read_file(&cfg->data) < 0)
		goto out;
	/* both run, so that the file and the flags report every problem */
	bad |= apply_file(cfg, cfg->data, &content_at, &output_at) < 0;
	bad |= apply_flags(cfg, flags, &content_at, &output_at) < 0;
	if (bad)
		goto out;
	strip_slashes(cfg->base_url, 0);
	strip_slashes(cfg->content, 1);
	strip_slashes(cfg->output, 1);
	if (check_dirs(cfg, content_at, output_at) < 0)
		goto out;
	if (!flags->no_cache)
		cfg->cache = default_cache(cfg->output);
	ret = 0;
out:
	return ret;
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	free(cfg->title);
	free(cfg->base_url);
	free(cfg->language);
	free(cfg->content);
	free(cfg->output);
	free(cfg->theme);
	free(cfg->cache);
	value_free(cfg->data);
	memset(cfg, 0, sizeof *cfg);
}
