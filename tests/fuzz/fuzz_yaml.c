/*
 * libFuzzer target: YAML text into values, then back out as JSON.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "diag.h"
#include "value.h"
#include "yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct value *v;

	if (!sink) {
		sink = fopen("/dev/null", "w");
		diag_set_stream(sink);
	}
	v = yaml_parse((const char *)data, size, "fuzz.yaml", 0);
	if (v) {
		struct buf json = BUF_INIT;

		value_to_json(v, &json, 0);
		buf_free(&json);
		value_free(v);
	}
	diag_reset();
	return 0;
}
