/* Unit tests of hash.c: SHA-256 of memory and files, name-based UUIDs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "test.h"

static void test_sha256(void)
{
	char hex[65];

	hash_sha256_hex("", 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495"
	               "991b7852b855");
	hash_sha256_hex("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410"
	               "ff61f20015ad");
}

static void test_file(void)
{
	char dir[] = "build/tmp/hash.XXXXXX", path[64], hex[65], mem[65];
	static char big[200000]; /* more than one read block */
	FILE *f;

	mkdir("build", 0777);
	mkdir("build/tmp", 0777);
	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + 3);
	snprintf(path, sizeof(path), "%s/scan.pdf", dir);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (f) {
		fwrite(big, 1, sizeof(big), f);
		fclose(f);
	}
	CHECK(hash_file_sha256(path, hex) == 0);
	hash_sha256_hex(big, sizeof(big), mem);
	CHECK_STR(hex, mem);
	/* a missing file: -1, errno, an empty string */
	snprintf(path, sizeof(path), "%s/absent.pdf", dir);
	errno = 0;
	CHECK(hash_file_sha256(path, hex) == -1);
	CHECK(errno == ENOENT);
	CHECK_STR(hex, "");
	/* a directory cannot be read as a file */
	CHECK(hash_file_sha256(dir, hex) == -1);
	snprintf(path, sizeof(path), "%s/scan.pdf", dir);
	unlink(path);
	rmdir(dir);
}

static void test_uuid(void)
{
	char urn[46], again[46];

	/* RFC 9562 version 5 in the URL namespace (Python's uuid.uuid5) */
	hash_uuid_urn("https://example.org/", urn);
	CHECK_STR(urn, "urn:uuid:527dda32-a0de-5105-a042-cb475b5f7d11");
	hash_uuid_urn("paraphe:ctg/versions/1/@0123", urn);
	hash_uuid_urn("paraphe:ctg/versions/1/@0123", again);
	CHECK_STR(urn, again);
	hash_uuid_urn("paraphe:ctg/versions/2/@0123", again);
	CHECK(strcmp(urn, again) != 0);
	CHECK(strlen(urn) == 45 && urn[23] == '5');
}

int main(void)
{
	RUN(test_sha256);
	RUN(test_file);
	RUN(test_uuid);
	TEST_END();
}
