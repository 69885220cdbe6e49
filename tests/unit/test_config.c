/*
 * Unit tests of config.c. Each test runs in a fresh directory under
 * build/tmp (config_load reads ./site.yaml) and comes back to the
 * repository root, removing what it made.
 */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "test.h"
#include "value.h"

static char home[PATH_MAX]; /* the directory the tests came from */
static char sandbox[64];    /* build/tmp/config-XXXXXX, relative to home */
static char diag_text[4096];
static int diag_count;

/* Removes path and everything under it (no symbolic links are made). */
static void rm_rf(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d) {
		unlink(path);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char sub[PATH_MAX];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		rm_rf(sub);
	}
	closedir(d);
	rmdir(path);
}

/* Makes a fresh sandbox and enters it. */
static void enter(void)
{
	CHECK(getcwd(home, sizeof home) != NULL);
	mkdir("build", 0777);
	mkdir("build/tmp", 0777);
	strcpy(sandbox, "build/tmp/config-XXXXXX");
	CHECK(mkdtemp(sandbox) != NULL);
	CHECK(chdir(sandbox) == 0);
}

static void leave(void)
{
	CHECK(chdir(home) == 0);
	rm_rf(sandbox);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

/* config_load with the diagnostics captured; cfg must be freed. */
static int load(struct config *cfg, const struct config_flags *flags)
{
	FILE *f = tmpfile();
	size_t got;
	int r;

	diag_set_stream(f);
	diag_reset();
	r = config_load(cfg, flags);
	diag_count = diag_errors();
	fflush(f);
	rewind(f);
	got = fread(diag_text, 1, sizeof diag_text - 1, f);
	diag_text[got] = '\0';
	fclose(f);
	diag_set_stream(NULL);
	return r;
}

/* Loads site.yaml = text (NULL: as it is) without flags, expecting
 * exactly want. */
static void refused(const char *text, const char *want)
{
	struct config_flags flags;
	struct config cfg;

	config_flags_init(&flags);
	if (text)
		write_file("site.yaml", text);
	CHECK(load(&cfg, &flags) == -1);
	CHECK_STR(diag_text, want);
	config_free(&cfg);
}

static void test_defaults(void)
{
	struct config_flags flags;
	struct config cfg;

	enter();
	config_flags_init(&flags);
	CHECK(load(&cfg, &flags) == 0 && diag_count == 0);
	CHECK_STR(cfg.title, strrchr(sandbox, '/') + 1);
	CHECK_STR(cfg.base_url, "");
	CHECK_STR(cfg.language, "fr");
	CHECK_STR(cfg.content, "."); /* no content/: a folder of Markdown */
	CHECK_STR(cfg.output, "public");
	CHECK_STR(cfg.theme, "default");
	CHECK(cfg.drafts == 0 && cfg.strict == 0 && cfg.unsafe_html == 0);
	CHECK(cfg.history == HISTORY_GIT);
	CHECK(cfg.jobs >= 1 && cfg.quiet == 0 && cfg.verbose == 0);
	CHECK(cfg.limit_memory == 256u * 1024 * 1024);
	CHECK(cfg.limit_instructions == 100000000);
	CHECK(cfg.data && cfg.data->type == VALUE_MAP);
	CHECK(value_len(cfg.data) == 0);
	config_free(&cfg);
	config_free(&cfg); /* freed twice is harmless: it was zeroed */

	CHECK(mkdir("content", 0777) == 0);
	write_file("site.yaml", "# nothing yet\n");
	CHECK(load(&cfg, &flags) == 0);
	CHECK_STR(cfg.content, "content");
	CHECK(value_len(cfg.data) == 0);
	config_free(&cfg);
	write_file("site.yaml", "~\n");
	CHECK(load(&cfg, &flags) == 0 && diag_count == 0);
	CHECK(cfg.data && cfg.data->type == VALUE_MAP);
	config_free(&cfg);
	leave();
}

static void test_file_values(void)
{
	struct config_flags flags;
	struct config cfg;

	enter();
	config_flags_init(&flags);
	write_file("site.yaml", "title: Caf du Val-de-Marne\n"
	                        "base_url: https://ctg.example.fr/ctg//\n"
	                        "language: en\n"
	                        "content: pages/\n"
	                        "output: site\n"
	                        "theme: sobre\n"
	                        "drafts: true\n"
	                        "strict: true\n"
	                        "unsafe_html: false\n"
	                        "history: none\n"
	                        "jobs: 3\n"
	                        "limits:\n"
	                        "  memory: 64M\n"
	                        "  instructions: 5e6\n"
	                        "logo: logo.svg\n");
	CHECK(load(&cfg, &flags) == 0 && diag_count == 0);
	CHECK_STR(cfg.title, "Caf du Val-de-Marne");
	CHECK_STR(cfg.base_url, "https://ctg.example.fr/ctg");
	CHECK_STR(cfg.language, "en");
	CHECK_STR(cfg.content, "pages");
	CHECK_STR(cfg.output, "site");
	CHECK_STR(cfg.theme, "sobre");
	CHECK(cfg.drafts == 1 && cfg.strict == 1 && cfg.unsafe_html == 0);
	CHECK(cfg.history == HISTORY_NONE && cfg.jobs == 3);
	CHECK(cfg.limit_memory == 64u * 1024 * 1024);
	CHECK(cfg.limit_instructions == 5000000);
	/* the whole map is kept, unknown keys included, in order */
	CHECK(value_len(cfg.data) == 13);
	CHECK_STR(value_get_str(cfg.data, "logo"), "logo.svg");
	CHECK_STR(cfg.data->u.map.keys[0], "title");
	config_free(&cfg);

	/* a number as a title; an empty value keeps the default */
	write_file("site.yaml", "title: 2026\noutput:\njobs: ~\n");
	CHECK(load(&cfg, &flags) == 0 && diag_count == 0);
	CHECK_STR(cfg.title, "2026");
	CHECK_STR(cfg.output, "public");
	CHECK(cfg.jobs >= 1);
	config_free(&cfg);
	leave();
}

static void test_flags_win(void)
{
	struct config_flags flags;
	struct config cfg;

	enter();
	write_file("site.yaml", "title: Fichier\nbase_url: /a\ncontent: c\n"
	                        "output: o\ntheme: t\nhistory: none\n"
	                        "drafts: true\nstrict: false\njobs: 2\n");
	config_flags_init(&flags);
	flags.title = "Drapeau";
	flags.base_url = "https://x.fr/";
	flags.content = "docs";
	flags.output = "www";
	flags.theme = "mine";
	flags.history = "git";
	flags.drafts = 0;
	flags.strict = 1;
	flags.unsafe_html = 1;
	flags.jobs = 7;
	flags.quiet = 1;
	flags.verbose = 1;
	CHECK(load(&cfg, &flags) == 0 && diag_count == 0);
	CHECK_STR(cfg.title, "Drapeau");
	CHECK_STR(cfg.base_url, "https://x.fr");
	CHECK_STR(cfg.content, "docs");
	CHECK_STR(cfg.output, "www");
	CHECK_STR(cfg.theme, "mine");
	CHECK(cfg.history == HISTORY_GIT);
	CHECK(cfg.drafts == 0 && cfg.strict == 1 && cfg.unsafe_html == 1);
	CHECK(cfg.jobs == 7 && cfg.quiet == 1 && cfg.verbose == 1);
	/* data is the file as written, not the result */
	CHECK_STR(value_get_str(cfg.data, "title"), "Fichier");
	config_free(&cfg);

	config_flags_init(&flags);
	flags.history = "svn";
	CHECK(load(&cfg, &flags) == -1 && diag_count == 1);
	CHECK_STR(diag_text, "paraphe: error: '--history' must be 'git' or "
	                     "'none', not 'svn'\n");
	config_free(&cfg);

	config_flags_init(&flags);
	flags.theme = ".hidden";
	CHECK(load(&cfg, &flags) == -1 && diag_count == 1);
	CHECK_STR(diag_text, "paraphe: error: 'theme' must be the name of a "
	                     "directory of themes/\n");
	config_free(&cfg);

	config_flags_init(&flags);
	flags.jobs = 0;
	CHECK(load(&cfg, &flags) == -1 && diag_count == 1);
	CHECK_STR(diag_text, "paraphe: error: '-j' must be a positive integer "
	                     "(at most 4096)\n");
	config_free(&cfg);
	leave();
}

/* Every wrong value is reported, each at its own position. */
static void test_wrong_types(void)
{
	enter();
	refused("title: [a, b]\n"
	        "base_url: 3\n"
	        "language: ''\n"
	        "drafts: yes\n"
	        "strict: 1\n"
	        "unsafe_html: 'true'\n"
	        "history: svn\n"
	        "jobs: 0\n"
	        "content: {a: 1}\n"
	        "theme: true\n",
	        "site.yaml:1:8: error: 'title' must be a string\n"
	        "site.yaml:2:11: error: 'base_url' must be a string\n"
	        "site.yaml:3:11: error: 'language' must not be empty\n"
	        "site.yaml:4:9: error: 'drafts' must be true or false\n"
	        "site.yaml:5:9: error: 'strict' must be true or false\n"
	        "site.yaml:6:14: error: 'unsafe_html' must be true or false\n"
	        "site.yaml:7:10: error: 'history' must be 'git' or 'none'\n"
	        "site.yaml:8:7: error: 'jobs' must be a positive integer (at "
	        "most 4096)\n"
	        "site.yaml:9:10: error: 'content' must be a string\n"
	        "site.yaml:10:8: error: 'theme' must be a string\n");
	CHECK(diag_count == 10);
	refused("theme: ../../etc\n", "site.yaml:1:8: error: 'theme' must be "
	                              "the name of a directory of themes/\n");
	refused("jobs: 2.5\n",
	        "site.yaml:1:7: error: 'jobs' must be a positive "
	        "integer (at most 4096)\n");
	refused("jobs: 5000\n", "site.yaml:1:7: error: 'jobs' must be a "
	                        "positive integer (at most 4096)\n");
	leave();
}

static void test_limits(void)
{
	static const struct {
		const char *text;
		size_t bytes;
	} sizes[] = {
	    {"memory: 300000000", 300000000}, {"memory: '1048576'", 1048576},
	    {"memory: 256 MiB", 256u << 20},  {"memory: 64M", 64u << 20},
	    {"memory: 64 mb", 64u << 20},     {"memory: 512k", 512u << 10},
	    {"memory: 1.5 GiB", 3u << 29},    {"memory: 2G", (size_t)2 << 30},
	    {"memory: 100 B", 100},
	};
	static const char *const bad[] = {
	    "lots", "0x10",    "'1e3'", "-5", "0",   "64 MiBs",
	    "MiB",  "1.5.2 M", "2 TiB", "''", "[1]", "1.5",
	};
	struct config_flags flags;
	struct config cfg;
	char text[128];

	enter();
	config_flags_init(&flags);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		snprintf(text, sizeof text, "limits:\n  %s\n", sizes[i].text);
		write_file("site.yaml", text);
		CHECK(load(&cfg, &flags) == 0 && diag_count == 0);
		if (cfg.limit_memory != sizes[i].bytes) {
			fprintf(stderr, "wrong size for <%s>\n", sizes[i].text);
			CHECK(0);
		}
		config_free(&cfg);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "limits: {memory: %s}\n", bad[i]);
		refused(text,
		        "site.yaml:1:18: error: 'limits.memory' must be a "
		        "size in bytes or with a unit, such as '256 "
		        "MiB'\n");
	}
	refused("limits:\n  instructions: 1.5\n",
	        "site.yaml:2:17: error: 'limits.instructions' must be a "
	        "positive integer\n");
	refused("limits:\n  instructions: '100'\n",
	        "site.yaml:2:17: error: 'limits.instructions' must be a "
	        "positive integer\n");
	refused("limits: 3\n", "site.yaml:1:9: error: 'limits' must be a map "
	                       "(memory, instructions)\n");
	leave();
}

static void test_not_a_map(void)
{
	enter();
	refused("- a\n- b\n", "site.yaml:1:1: error: the configuration must be "
	                      "a map of keys, such as 'title: My site'\n");
	refused("title: a\ntitle: b\n",
	        "site.yaml:2:1: error: duplicate key 'title'\n");
	refused("title: [\n", "site.yaml:2:1: error: malformed yaml: did not "
	                      "find expected node content\n");
	refused("title: \xc3\n",
	        "site.yaml:1:8: error: invalid utf-8 (byte 0xc3)\n");
	leave();
}

static void test_big_file(void)
{
	FILE *f;

	enter();
	f = fopen("site.yaml", "w");
	CHECK(f != NULL);
	for (int i = 0; f && i < 70000; i++)
		fprintf(f, "key%08d: 1\n", i);
	if (f)
		fclose(f);
	refused(NULL, "site.yaml: error: file larger than 1 MiB\n");
	leave();
}

/* The output directory is replaced by a build: never the sources. */
static void test_dirs(void)
{
	struct config_flags flags;
	struct config cfg;

	enter();
	CHECK(mkdir("content", 0777) == 0);
	refused("output: .\n", "site.yaml:1:9: error: 'output' must not be the "
	                       "site root or a parent of it\n");
	refused("output: ..\n",
	        "site.yaml:1:9: error: 'output' must not be the "
	        "site root or a parent of it\n");
	refused("output: ./content/\n",
	        "site.yaml:1:9: error: 'output' and 'content' must be "
	        "different directories\n");
	refused("output: x/../content\n",
	        "site.yaml:1:9: error: 'output' and 'content' must be "
	        "different directories\n");
	refused("output: content/public\n",
	        "site.yaml:1:9: error: 'output' must not be inside the content "
	        "directory\n");
	refused("content: site/pages\noutput: site\n",
	        "site.yaml:2:9: error: 'output' must not contain the content "
	        "directory\n");
	/* only content was written in the file: its position is given */
	refused("content: public\n",
	        "site.yaml:1:10: error: 'output' and 'content' must be "
	        "different directories\n");

	/* the same problem from flags has no location */
	config_flags_init(&flags);
	write_file("site.yaml", "output: www\n");
	flags.output = "content/www";
	CHECK(load(&cfg, &flags) == -1);
	CHECK_STR(diag_text, "paraphe: error: 'output' must not be inside the "
	                     "content directory\n");
	config_free(&cfg);

	/* a folder of Markdown: the output may sit in the content root */
	config_flags_init(&flags);
	flags.content = "./";
	CHECK(load(&cfg, &flags) == 0 && diag_count == 0);
	CHECK_STR(cfg.content, ".");
	CHECK_STR(cfg.output, "www");
	config_free(&cfg);

	/* elsewhere is fine */
	write_file("site.yaml", "output: ../elsewhere\n");
	config_flags_init(&flags);
	CHECK(load(&cfg, &flags) == 0 && diag_count == 0);
	config_free(&cfg);
	leave();
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_file_values);
	RUN(test_flags_win);
	RUN(test_wrong_types);
	RUN(test_limits);
	RUN(test_not_a_map);
	RUN(test_big_file);
	RUN(test_dirs);
	TEST_END();
}
