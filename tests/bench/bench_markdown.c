/*
 * bench_markdown: the CPU time of paraphe's Markdown stage (markdown.c:
 * cmark-gfm with our extensions, then our HTML renderer with heading ids
 * and the table of contents) over files, for make bench, to set against
 * the cmark-gfm command on the same bytes.
 *
 *   bench_markdown FILE...    prints "BYTES SECONDS" (CPU, this process)
 */
#include <stdio.h>
#include <time.h>

#include "buf.h"
#include "fs.h"
#include "markdown.h"
#include "value.h"

int main(int argc, char **argv)
{
	struct markdown_options opt = {0};
	struct buf text = BUF_INIT, html = BUF_INIT;
	size_t bytes = 0;
	clock_t start = clock();

	for (int i = 1; i < argc; i++) {
		struct markdown *md;
		struct value *toc = value_list();

		buf_reset(&text);
		if (fs_read(argv[i], 0, &text) < 0) {
			perror(argv[i]);
			return 1;
		}
		bytes += text.len;
		md = markdown_parse(buf_str(&text), text.len, &opt);
		buf_reset(&html);
		markdown_render(md, &html, toc);
		markdown_free(md);
		value_free(toc);
	}
	printf("%zu %.3f\n", bytes,
	       (double)(clock() - start) / CLOCKS_PER_SEC);
	buf_free(&text);
	buf_free(&html);
	return 0;
}
