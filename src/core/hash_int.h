/* hash_int.h - small message digests used by the storage layer (comment hexdigests). */
#ifndef CPET_HASH_INT_H
#define CPET_HASH_INT_H

#include <stddef.h>

/* Lowercase hex SHA-1 of `len` bytes at `p` (40 digits + NUL), as Python's hashlib. */
void cpet__sha1_hex(const void *p, size_t len, char out[41]);

#endif
