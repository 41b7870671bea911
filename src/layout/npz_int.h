/* npz_int.h - minimal .npy and ZIP codecs (enough for scipy.sparse.save_npz archives). */
#ifndef CPET_NPZ_INT_H
#define CPET_NPZ_INT_H

#include <stddef.h>

#include "core/core_int.h"
#include <cpet/cpet_value.h>

/* Largest archive member / archive accepted (guards inflate against zip bombs). */
#define CPET__ZIP_MAX_MEMBER ((size_t)1 << 31)
#define CPET__ZIP_MAX_MEMBERS 1024

typedef struct cpet__zip_member {
  char *name;          /* NUL-terminated */
  unsigned char *data; /* owned */
  size_t len;
} cpet__zip_member;

/* Parses a ZIP archive (stored or deflated members, zip64 sizes tolerated) into members.
 * Bounds-checked; CRC verified. Free with cpet__zip_free. */
cpet_status cpet__zip_read(const unsigned char *zip, size_t len, cpet__zip_member **members,
                           size_t *n);
void cpet__zip_free(cpet__zip_member *members, size_t n);
/* Writes stored members (CRC32 via zlib, DOS time 1980-01-01 00:00). Caller frees *out. */
cpet_status cpet__zip_write(const cpet__zip_member *members, size_t n, unsigned char **out,
                            size_t *len);

/* .npy format 1.0 of a typed value (scalar -> shape (), arrays their shape, C order). Python
 * builtin types map to numpy's defaults (int -> <i8, float -> <f8, bool -> |b1, str -> <U). */
cpet_status cpet__npy_write(const cpet_value *v, unsigned char **out, size_t *len);
/* Parses .npy 1.0/2.0/3.0 (numeric, bool, |S, <U; either byte order; C or Fortran order) into
 * an NDARRAY (shape () gives a 0-d NDARRAY). */
cpet_status cpet__npy_read(const unsigned char *p, size_t len, cpet_value **out);

#endif
