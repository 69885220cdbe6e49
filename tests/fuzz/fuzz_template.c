/*
 * libFuzzer target: template source through the translator and the Lua
 * sandbox (compile, then render with a small context). Any input must give
 * output or a diagnostic within the instruction and memory limits.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "diag.h"
#include "script.h"
#include "template.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	static struct script *s;
	struct script_limits limits = {16u << 20, 200000};
	struct buf lua = BUF_INIT, out = BUF_INIT;
	struct value *ctx;

	if (!sink) {
		sink = fopen("/dev/null", "w");
		diag_set_stream(sink);
	}
	if (!s)
		s = script_new(&limits);
	if (template_translate("f.html", (const char *)data, size, &lua) == 0 &&
	    script_compile_template(s, "f.html", "f.html", buf_str(&lua),
	                            lua.len) == 0) {
		ctx = value_map();
		value_set_str(ctx, "title", "<t>");
		template_render(s, "f.html", ctx, "fuzz", &out);
		value_free(ctx);
	}
	buf_free(&lua);
	buf_free(&out);
	diag_reset();
	return 0;
}
