/* hash_int.h - small message digests: SHA-1 for comment hexdigests (storage layer), SHA-256
 * for `cpet dump`'s array digests. Not for security. */
#ifndef CPET_HASH_INT_H
#define CPET_HASH_INT_H

#include <stddef.h>
#include <stdint.h>

/* Lowercase hex SHA-1 of `len` bytes at `p` (40 digits + NUL), as Python's hashlib. */
void cpet__sha1_hex(const void *p, size_t len, char out[41]);
/* Lowercase hex SHA-256 (64 digits + NUL). */
void cpet__sha256_hex(const void *p, size_t len, char out[65]);

/* The part SHA-1 and SHA-256 share (FIPS 180-4 Merkle-Damgard): feeds `len` bytes plus the
 * padding and bit length through `block` into the state `h` of `nwords` words, then writes the
 * state as hex to `out` (8 * nwords digits + NUL). */
void cpet__md_digest_hex(const void *p, size_t len, uint32_t *h, int nwords,
                         void (*block)(uint32_t *h, const unsigned char *b), char *out);

#endif
