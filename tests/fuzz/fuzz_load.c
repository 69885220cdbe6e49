/*
 * libFuzzer target: a whole Markdown source through the load stage (source
 * checks, front matter split, YAML, cmark-gfm) and the HTML renderer. Any
 * input must give a page or diagnostics, never a crash, a hang or a leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "load.h"
#include "markdown.h"
#include "site.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct config cfg = {0};
	struct page *p;

	if (!sink) {
		sink = fopen("/dev/null", "w");
		diag_set_stream(sink);
	}
	cfg.title = (char *)"fuzz";
	cfg.unsafe_html = size > 0 && data[0] & 1;
	p = load_text("fuzz.md", (const char *)data, size, "fuzz", &cfg);
	if (p) {
		struct buf html = BUF_INIT;
		struct value *toc = value_list();

		markdown_render(load_markdown(p), &html, toc);
		value_free(toc);
		buf_free(&html);
		page_free(p);
	}
	diag_reset();
	return 0;
}
