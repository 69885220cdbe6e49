/*
 * hash: SHA-256 and name-based UUIDs with nettle (see hash.h).
 */
#include "hash.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include "xalloc.h"

static void to_hex(const unsigned char *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

void hash_sha256_hex(const void *data, size_t len, char hex[65])
{
	struct sha256_ctx ctx;
	unsigned char d[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof(d), d);
	to_hex(d, sizeof(d), hex);
}

int hash_file_sha256(const char *path, char hex[65])
{
	struct sha256_ctx ctx;
	unsigned char d[SHA256_DIGEST_SIZE], block[65536];
	FILE *f = fopen(path, "rb");
	size_t n;
	int ret = -1, saved;

	hex[0] = '\0';
	if (!f)
		return -1;
	sha256_init(&ctx);
	while ((n = fread(block, 1, sizeof(block), f)) > 0)
		sha256_update(&ctx, n, block);
	if (ferror(f)) {
		errno = errno ? errno : EIO;
		goto out;
	}
	sha256_digest(&ctx, sizeof(d), d);
	to_hex(d, sizeof(d), hex);
	ret = 0;
out:
	saved = errno;
	fclose(f);
	errno = saved;
	return ret;
}

void hash_uuid_urn(const char *name, char urn[46])
{
	/* the URL namespace of RFC 9562, appendix C */
	static const unsigned char ns[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad,
	                                     0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0,
	                                     0x4f, 0xd4, 0x30, 0xc8};
	struct sha1_ctx ctx;
	unsigned char d[SHA1_DIGEST_SIZE];
	char hex[33];

	sha1_init(&ctx);
	sha1_update(&ctx, sizeof(ns), ns);
	sha1_update(&ctx, strlen(name), (const unsigned char *)name);
	sha1_digest(&ctx, sizeof(d), d);
	d[6] = (unsigned char)((d[6] & 0x0f) | 0x50); /* version 5 */
	d[8] = (unsigned char)((d[8] & 0x3f) | 0x80); /* RFC variant */
	to_hex(d, 16, hex);
	snprintf(urn, 46, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
	         hex + 12, hex + 16, hex + 20);
}

struct hash {
	struct sha256_ctx ctx;
};

struct hash *hash_new(void)
{
	struct hash *h = xmalloc(sizeof(*h));

	sha256_init(&h->ctx);
	return h;
}

void hash_update(struct hash *h, const void *data, size_t len)
{
	sha256_update(&h->ctx, len, data);
}

void hash_end(struct hash *h, char hex[65])
{
	unsigned char d[SHA256_DIGEST_SIZE];

	sha256_digest(&h->ctx, sizeof(d), d);
	to_hex(d, sizeof(d), hex);
	free(h);
}
