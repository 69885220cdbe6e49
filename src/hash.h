/*
 * hash: digests of published files and stable identifiers, through
 * nettle (the only module that includes it). A signed act published
 * online must come with its integrity (CGCT R. 2131-1): the SHA-256 of
 * each resource is shown and written into data.json. Feed entries need
 * ids that never change for the same version: name-based UUIDs.
 */
#ifndef PARAPHE_HASH_H
#define PARAPHE_HASH_H

#include <stddef.h>

/* The SHA-256 of (data, len) as 64 lowercase hex digits and a NUL. */
void hash_sha256_hex(const void *data, size_t len, char hex[65]);
/* The SHA-256 of the file at path, read in blocks (any size). Returns 0,
 * or -1 with errno set when the file cannot be opened or read (hex is
 * then the empty string). */
int hash_file_sha256(const char *path, char hex[65]);
/* A name-based UUID (RFC 9562 version 5: SHA-1 in the URL namespace) of
 * name, as "urn:uuid:" and 36 lowercase characters and a NUL: the same
 * name always gives the same id. */
void hash_uuid_urn(const char *name, char urn[46]);

/* An incremental SHA-256 (cache keys): hash_new, any number of
 * hash_update, then hash_end, which writes the hex digest and frees h. */
struct hash;
struct hash *hash_new(void);
void hash_update(struct hash *h, const void *data, size_t len);
void hash_end(struct hash *h, char hex[65]);

#endif
