/*
 * main: the command line. Parses the arguments, runs the pipeline stages
 * in order (config → scan → load → render → output) and is the only place
 * that decides an exit status (SPEC §8):
 *   0 built (warnings allowed unless --strict), 1 errors in content,
 *   scripts or templates, 2 usage error, 3 repository or I/O failure.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "config.h"
#include "derive.h"
#include "diag.h"
#include "history.h"
#include "load.h"
#include "output.h"
#include "render.h"
#include "scan.h"
#include "script.h"
#include "site.h"
#include "template.h"
#include "theme.h"
#include "version.h"
#include "xalloc.h"

enum { EXIT_BUILT = 0, EXIT_CONTENT = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

static const char usage_main[] =
    "usage: paraphe build [options]     build the site into the output "
    "directory\n"
    "       paraphe help [COMMAND]      show help\n"
    "       paraphe --version | --help\n";

static const char usage_build[] =
    "usage: paraphe build [-C DIR] [-o DIR] [--content DIR] [--theme NAME]\n"
    "                     [--history git|none] [--drafts] [--strict]\n"
    "                     [-j N] [--base-url URL] [--no-cache] [-q] [-v]\n"
    "\n"
    "Builds the site of DIR (default: the current directory) into its output\n"
    "directory (default: public/). Options win over site.yaml.\n"
    "\n"
    "  -C DIR            run as if started in DIR (the site root)\n"
    "  -o, --output DIR  output directory, relative to the site root\n"
    "  --content DIR     content directory (\".\" for a folder of Markdown)\n"
    "  --theme NAME      theme in themes/NAME/ (default: the built-in one)\n"
    "  --history MODE    git (default) or none\n"
    "  --drafts          publish drafts\n"
    "  --strict          treat warnings as errors\n"
    "  -j N              worker threads (default: the number of cores)\n"
    "  --base-url URL    absolute URL of the published site\n"
    "  --no-cache        render every page again, without reading or\n"
    "                    writing the cache (.paraphe-cache/ beside the\n"
    "                    output)\n"
    "  -q, --quiet       hide warnings and the summary\n"
    "  -v, --verbose     show notes\n";

struct build_args {
	const char *dir;
	struct config_flags flags;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_int(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 1 || v > 4096)
		return -1;
	*out = (int)v;
	return 0;
}

enum {
	O_CONTENT = 256,
	O_THEME,
	O_HISTORY,
	O_DRAFTS,
	O_STRICT,
	O_BASE_URL,
	O_UNSAFE,
	O_NO_CACHE,
	O_HELP
};

static const struct option build_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"content", required_argument, NULL, O_CONTENT},
    {"theme", required_argument, NULL, O_THEME},
    {"history", required_argument, NULL, O_HISTORY},
    {"drafts", no_argument, NULL, O_DRAFTS},
    {"strict", no_argument, NULL, O_STRICT},
    {"base-url", required_argument, NULL, O_BASE_URL},
    {"unsafe-html", no_argument, NULL, O_UNSAFE},
    {"no-cache", no_argument, NULL, O_NO_CACHE},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0},
};

/* Records the option c (with optarg) in a; returns 0, -1 on a bad value
 * (message printed), or 1 for an option this function does not know. */
static int apply_option(int c, struct build_args *a)
{
	struct config_flags *f = &a->flags;

	switch (c) {
	case 'C':
		a->dir = optarg;
		break;
	case 'o':
		f->output = optarg;
		break;
	case 'q':
		f->quiet = 1;
		break;
	case 'v':
		f->verbose = 1;
		break;
	case O_CONTENT:
		f->content = optarg;
		break;
	case O_THEME:
		f->theme = optarg;
		break;
	case O_HISTORY:
		f->history = optarg;
		break;
	case O_DRAFTS:
		f->drafts = 1;
		break;
	case O_STRICT:
		f->strict = 1;
		break;
	case O_BASE_URL:
		f->base_url = optarg;
		break;
	case O_UNSAFE:
		f->unsafe_html = 1;
		break;
	case O_NO_CACHE:
		f->no_cache = 1;
		break;
	case 'j':
		if (parse_int(optarg, &f->jobs) < 0) {
			fprintf(stderr, "paraphe: error: '-j' needs a number "
			                "from 1 to 4096\n");
			return -1;
		}
		break;
	default:
		return 1;
	}
	return 0;
}

/* Returns -1 on a usage error (message printed), 1 when help was shown. */
static int parse_build(int argc, char **argv, struct build_args *a)
{
	int c, r;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":C:o:j:qvh", build_options,
	                        NULL)) != -1) {
		if (c == 'h' || c == O_HELP) {
			fputs(usage_build, stdout);
			return 1;
		}
		if (c == ':') {
			fprintf(stderr,
			        "paraphe: error: option '%s' needs a "
			        "value\n",
			        argv[optind - 1]);
			return -1;
		}
		r = apply_option(c, a);
		if (r < 0)
			return -1;
		if (r > 0) {
			fprintf(stderr,
			        "paraphe: error: unknown option '%s'\n%s",
			        argv[optind - 1], usage_build);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "paraphe: error: unexpected argument '%s'\n%s",
		        argv[optind], usage_build);
		return -1;
	}
	return 0;
}

/* SOURCE_DATE_EPOCH when it is a valid number of seconds, else -1. */
static long long source_date_epoch(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long t;

	if (!s || !*s)
		return -1;
	t = strtoll(s, &end, 10);
	if (*end || t < 0) {
		diag_warning(NULL, 0, 0,
		             "SOURCE_DATE_EPOCH '%s' is not a "
		             "number of seconds: ignored",
		             s);
		return -1;
	}
	return t;
}

/*
 * The build's reference time (SPEC §3), which dates the status of every
 * version: SOURCE_DATE_EPOCH, else the date of HEAD, else (without git) the
 * newest source file's modification time. Never the wall clock, so that a
 * build is reproducible.
 */
static void set_reference_time(struct site *site, const struct history *h)
{
	long long t = source_date_epoch();
	time_t tt;
	struct tm tm;

	if (t < 0 && h)
		t = history_head_time(h);
	for (size_t i = 0; t < 0 && i < site->ndocs; i++) {
		struct stat st;

		if (stat(site->docs[i]->src, &st) == 0 &&
		    (long long)st.st_mtime > site->reference_time)
			site->reference_time = (long long)st.st_mtime;
	}
	if (t >= 0)
		site->reference_time = t;
	tt = (time_t)site->reference_time;
	gmtime_r(&tt, &tm);
	strftime(site->reference_date, sizeof(site->reference_date), "%Y-%m-%d",
	         &tm);
}

/* With -v, the time a stage took, from start, and the peak resident
 * memory of the build so far (make bench reads them). */
static void stage_time(const char *stage, double start)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		ru.ru_maxrss = 0;
	diag_note(NULL, 0, 0, "stage %s: %.3f s, peak %.0f MiB", stage,
	          now() - start, (double)ru.ru_maxrss / 1024);
}

/* history_read for the derive stage: version pages read their bundle's
 * data files as they were at their commit. */
static int read_at_commit(void *h, const char *commit, const char *path,
                          struct buf *out)
{
	return history_read(h, commit, path, out);
}

/* derive_done_fn: a derived group goes to render in the same job. */
static void render_derived(void *r, int worker, size_t first, size_t n)
{
	render_group(r, worker, first, n);
}

/* What a build renders with: the theme, its template states (one per
 * worker), the output and the cache. */
struct rendering {
	const struct theme *theme;
	struct script **lua;
	struct output *out;
	struct cache *cache;
};

/* The derive stage (Lua hooks and derive blocks, SPEC §6) and the render
 * stage, interleaved: each document is rendered by the job that derived
 * it, with the trees its hooks parsed, unless its pages list other
 * documents (listings, home), which render_end does after. Returns 0, or
 * -1 after reporting (errors are counted by diag). */
static int derive_and_render(const struct config *cfg, struct site *site,
                             struct history *h, const struct rendering *g,
                             struct render_stats *stats)
{
	double t = now();
	struct derive *dv = derive_new(cfg, site);
	struct render *r;
	int ret = -1;

	if (!dv)
		return -1;
	if (h)
		derive_set_reader(dv, read_at_commit, h);
	if (derive_prepare(dv, site, cfg) == 0) {
		r = render_begin(cfg, site, g->lua, cfg->jobs, g->theme, g->out,
		                 g->cache);
		ret = derive_run(dv, site, render_derived, r);
		/* the hook states are done: their memory goes before the
		 * listings and site-wide files are rendered */
		derive_free(dv);
		dv = NULL;
		if (ret < 0) {
			render_abort(r);
		} else {
			stage_time("derive and render", t);
			t = now();
			ret = render_end(r, stats);
			stage_time("render listings and site files", t);
		}
	}
	derive_free(dv);
	return ret;
}

/* The history stage and the texts of the versions; errors are counted by
 * diag. Returns the repository (or NULL), which the caller frees after
 * render: derive reads data files at a version's commit, and the texts
 * of versions are read from it again when parsed. */
static struct history *build_history(const struct config *cfg,
                                     struct site *site)
{
	double t = now();
	struct history *h = history_open(cfg);

	if (h && history_walk(h, site, cfg) == 0) {
		stage_time("history", t);
		t = now();
		load_versions(site, cfg, h);
		stage_time("load versions", t);
	}
	set_reference_time(site, h);
	return h;
}

/* One Lua state per render worker, each with the theme's templates
 * compiled; NULL after reporting template errors (once: the first state
 * is compiled first). Free with free_states. */
static struct script **template_states(const struct config *cfg,
                                       const struct theme *theme)
{
	struct script_limits limits = {cfg->limit_memory,
	                               cfg->limit_instructions};
	struct script **lua = xcalloc((size_t)cfg->jobs, sizeof(*lua));

	for (int w = 0; w < cfg->jobs; w++) {
		lua[w] = script_new(&limits);
		if (template_compile_theme(lua[w], theme) < 0) {
			for (int k = 0; k <= w; k++)
				script_free(lua[k]);
			free(lua);
			return NULL;
		}
	}
	return lua;
}

static void free_states(struct script **lua, int n)
{
	for (int w = 0; lua && w < n; w++)
		script_free(lua[w]);
	free(lua);
}

/* The stages up to rendering; returns an exit status. */
static int build_site(const struct config *cfg, struct site *site,
                      struct render_stats *stats)
{
	struct theme theme = {NULL, 0};
	struct script **lua = NULL;
	struct output *out = NULL;
	struct cache *cache = NULL;
	struct history *h = NULL;
	struct rendering g;
	int status = EXIT_CONTENT;
	double t = now();

	if (scan_site(cfg, site) < 0)
		goto out;
	stage_time("scan", t);
	t = now();
	/* errors are counted by diag: the stages go on to report them all,
	 * and nothing is written when there was any */
	if (load_site(site, cfg) == 0) {
		stage_time("load", t);
		h = build_history(cfg, site);
	}
	if (theme_load(&theme, cfg->theme) < 0)
		goto out;
	lua = template_states(cfg, &theme);
	if (!lua || diag_errors())
		goto out;
	/* without a cache directory, the build goes on without the cache */
	if (cfg->cache)
		cache = cache_open(cfg->cache);
	out =
	    output_begin_reuse(cfg->output, cache ? cache_spare(cache) : NULL);
	if (!out) {
		status = EXIT_IO;
		goto out;
	}
	g.theme = &theme;
	g.lua = lua;
	g.out = out;
	g.cache = cache;
	if (derive_and_render(cfg, site, h, &g, stats) < 0 || diag_errors())
		goto out;
	if (cfg->strict && diag_warnings()) {
		diag_error(NULL, 0, 0,
		           "%d warning(s) with --strict: nothing "
		           "written",
		           diag_warnings());
		goto out;
	}
	t = now();
	status = output_commit(out) < 0 ? EXIT_IO : EXIT_BUILT;
	out = NULL;
	stage_time("output", t);
out:
	output_abort(out);
	cache_close(cache, status == EXIT_BUILT);
	free_states(lua, cfg->jobs);
	theme_free(&theme);
	history_free(h);
	return status;
}

static int cmd_build(int argc, char **argv)
{
	struct build_args a = {NULL, {0}};
	struct config cfg;
	struct site site;
	struct render_stats stats = {0, 0, 0, 0, 0, 0};
	double start = now();
	int status, r;

	memset(&cfg, 0, sizeof(cfg));
	memset(&site, 0, sizeof(site));
	config_flags_init(&a.flags);
	r = parse_build(argc, argv, &a);
	if (r)
		return r > 0 ? EXIT_BUILT : EXIT_USAGE;
	if (a.dir && chdir(a.dir) < 0) {
		fprintf(stderr, "paraphe: error: cannot enter '%s': %s\n",
		        a.dir, strerror(errno));
		return EXIT_IO;
	}
	if (config_load(&cfg, &a.flags) < 0) {
		config_free(&cfg);
		return EXIT_CONTENT;
	}
	diag_set_quiet(cfg.quiet);
	diag_set_verbose(cfg.verbose);
	status = build_site(&cfg, &site, &stats);
	if (status == EXIT_BUILT && !cfg.quiet)
		fprintf(stderr,
		        "paraphe: %d pages, %d versions, %d changes pages, %d "
		        "files copied, %d warning(s) in %.2f s → %s/\n",
		        stats.pages, stats.versions, stats.changes,
		        stats.resources, diag_warnings(), now() - start,
		        cfg.output);
	else if (status != EXIT_BUILT)
		fprintf(stderr,
		        "paraphe: build failed: %d error(s), %d "
		        "warning(s); the output was left untouched\n",
		        diag_errors(), diag_warnings());
	site_free(&site);
	config_free(&cfg);
	return status;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd) {
		fputs(usage_main, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("paraphe %s\n", PARAPHE_VERSION);
		return EXIT_BUILT;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		fputs(usage_main, stdout);
		return EXIT_BUILT;
	}
	if (!strcmp(cmd, "help")) {
		if (argc > 2 && !strcmp(argv[2], "build"))
			fputs(usage_build, stdout);
		else if (argc > 2) {
			fprintf(stderr, "paraphe: error: no command '%s'\n%s",
			        argv[2], usage_main);
			return EXIT_USAGE;
		} else
			fputs(usage_main, stdout);
		return EXIT_BUILT;
	}
	if (!strcmp(cmd, "build"))
		return cmd_build(argc - 1, argv + 1);
	fprintf(stderr, "paraphe: error: unknown command '%s'\n%s", cmd,
	        usage_main);
	return EXIT_USAGE;
}
