/* lzo305.c - HDF5 filter 305 (lzo), compatible with PyTables' src/H5Zlzo.c.
 *
 * Format: each chunk is one lzo1x_1 stream, nothing else (PyTables >= 0.8 builds H5Zlzo.c with
 * CHECKSUM undefined). cd_values = [complevel, 10 x object version, class code]; the level is
 * ignored by lzo1x_1, the other two only mattered for the checksum variant.
 *
 * Reading also accepts chunks of the old checksum variant (PyTables 0.5-0.7 wrote, for
 * non-Table objects and Tables of version >= 2.0, an lzo1x stream followed by the adler32 of
 * the uncompressed data and its length, 4 bytes each in native = little-endian order): when the
 * stream does not use the whole input, the 8-byte trailer is checked and then accepted.
 *
 * Compression fails (returns 0, so HDF5 stores the chunk uncompressed; the filter is optional)
 * when the result would not be smaller than the input, as in PyTables. Everything is per call:
 * unlike H5Zlzo.c there is no static buffer-size guess, so the filter is thread-safe.
 */
#include <lzo/lzo1x.h>
#include <stdint.h>
#include <string.h>

#include "core/core_int.h"
#include "filter/filter_int.h"

#define LZO_PUSH_ERR(msg)                                                                          \
  H5Epush2(H5E_DEFAULT, __FILE__, "lzo305_filter", __LINE__, H5E_ERR_CLS, H5E_PLINE, H5E_CALLBACK, \
           "%s", msg)

/* Decompressed chunks never exceed 4 GiB in HDF5 (chunk size limit). */
#define LZO305_MAX_OUT ((size_t)UINT32_MAX)

/* Size of the last chunk this thread decompressed: the best first guess for the next one. */
static _Thread_local size_t lzo305_last_len = 0;

static size_t lzo305_compress(size_t nbytes, size_t *buf_size, void **buf) {
  /* worst-case expansion as in H5Zlzo.c (generous for lzo1x: n + n/16 + 64 + 3) */
  lzo_uint dst_cap = (lzo_uint)(nbytes + nbytes / 8 + 128 + 3);
  void *out = H5allocate_memory(dst_cap, 0);
  void *wrk = cpet__malloc(LZO1X_1_MEM_COMPRESS);
  if (!out || !wrk) {
    LZO_PUSH_ERR("cannot allocate lzo compression buffers");
    if (out) H5free_memory(out);
    cpet_free(wrk);
    return 0;
  }
  lzo_uint dst_len = dst_cap;
  int st = lzo1x_1_compress((const lzo_bytep)*buf, (lzo_uint)nbytes, (lzo_bytep)out, &dst_len, wrk);
  cpet_free(wrk);
  if (st != LZO_E_OK || dst_len >= nbytes) {
    if (st != LZO_E_OK) LZO_PUSH_ERR("lzo compression error");
    H5free_memory(out);
    return 0; /* optional filter: HDF5 keeps the chunk uncompressed */
  }
  H5free_memory(*buf);
  *buf = out;
  *buf_size = dst_cap;
  return (size_t)dst_len;
}

/* Decompresses in[0..n) into a growing buffer; returns the lzo status and sets out, cap and len. */
static int lzo305_inflate(const void *in, size_t n, size_t guess, void **out, size_t *cap,
                          size_t *len) {
  size_t c = guess;
  void *o = NULL;
  for (;;) {
    o = H5allocate_memory(c, 0);
    if (!o) return LZO_E_OUT_OF_MEMORY;
    lzo_uint olen = (lzo_uint)c;
    int st = lzo1x_decompress_safe((const lzo_bytep)in, (lzo_uint)n, (lzo_bytep)o, &olen, NULL);
    if (st == LZO_E_OUTPUT_OVERRUN && c < LZO305_MAX_OUT) {
      H5free_memory(o);
      c = c > LZO305_MAX_OUT / 2 ? LZO305_MAX_OUT : c * 2;
      continue;
    }
    if (st != LZO_E_OK && st != LZO_E_INPUT_NOT_CONSUMED) {
      H5free_memory(o);
      return st;
    }
    *out = o;
    *cap = c;
    *len = (size_t)olen;
    return st;
  }
}

static size_t lzo305_decompress(size_t nbytes, size_t *buf_size, void **buf) {
  void *out = NULL;
  size_t cap = 0, len = 0;
  /* lzo1x expands at most ~256:1; start from a reasonable guess and double on overrun */
  size_t guess = *buf_size > nbytes ? *buf_size : nbytes;
  if (guess < 4096) guess = 4096;
  if (guess < LZO305_MAX_OUT / 4) guess *= 4;
  if (guess < lzo305_last_len) guess = lzo305_last_len;

  int st = lzo305_inflate(*buf, nbytes, guess, &out, &cap, &len);
  if (st == LZO_E_INPUT_NOT_CONSUMED) {
    /* old checksum variant: stream + adler32(uncompressed) + uncompressed length */
    H5free_memory(out);
    out = NULL;
    if (nbytes <= 8) {
      LZO_PUSH_ERR("corrupt lzo chunk (trailing data)");
      return 0;
    }
    const unsigned char *tail = (const unsigned char *)*buf + nbytes - 8;
    uint32_t sum = (uint32_t)tail[0] | (uint32_t)tail[1] << 8 | (uint32_t)tail[2] << 16 |
                   (uint32_t)tail[3] << 24;
    uint32_t ulen = (uint32_t)tail[4] | (uint32_t)tail[5] << 8 | (uint32_t)tail[6] << 16 |
                    (uint32_t)tail[7] << 24;
    st = lzo305_inflate(*buf, nbytes - 8, ulen ? ulen : guess, &out, &cap, &len);
    if (st == LZO_E_OK && (len != ulen || lzo_adler32(lzo_adler32(0, NULL, 0), (const lzo_bytep)out,
                                                      (lzo_uint)len) != sum)) {
      H5free_memory(out);
      LZO_PUSH_ERR("lzo checksum mismatch");
      return 0;
    }
    if (st != LZO_E_OK) {
      if (out) H5free_memory(out);
      LZO_PUSH_ERR("corrupt lzo chunk (trailing data)");
      return 0;
    }
  }
  if (st != LZO_E_OK) {
    LZO_PUSH_ERR(st == LZO_E_OUT_OF_MEMORY ? "cannot allocate lzo decompression buffer"
                                           : "lzo decompression error (corrupt chunk)");
    return 0;
  }
  if (len == 0) {
    H5free_memory(out);
    LZO_PUSH_ERR("empty lzo chunk");
    return 0;
  }
  H5free_memory(*buf);
  *buf = out;
  *buf_size = cap;
  lzo305_last_len = len;
  return len;
}

static size_t lzo305_filter(unsigned int flags, size_t cd_nelmts, const unsigned int cd_values[],
                            size_t nbytes, size_t *buf_size, void **buf) {
  (void)cd_nelmts;
  (void)cd_values;
  if (flags & H5Z_FLAG_REVERSE) return lzo305_decompress(nbytes, buf_size, buf);
  return lzo305_compress(nbytes, buf_size, buf);
}

static const H5Z_class2_t lzo305_class = {
    H5Z_CLASS_T_VERS,               /* version of this struct */
    (H5Z_filter_t)CPET__FILTER_LZO, /* filter id */
    1,                              /* encoder present */
    1,                              /* decoder present */
    "lzo",                          /* name, as PyTables */
    NULL,                           /* can_apply */
    NULL,                           /* set_local */
    (H5Z_func_t)lzo305_filter,      /* filter */
};

cpet_status cpet__filter_lzo_register(void) {
  static int lzo_ready = 0; /* guarded by the caller's mutex */
  if (!lzo_ready) {
    if (lzo_init() != LZO_E_OK) return cpet__err(CPET_ERR_UNSUPPORTED, "lzo_init failed");
    lzo_ready = 1;
  }
  if (H5Zregister(&lzo305_class) < 0)
    return cpet__err(CPET_ERR_HDF5, "H5Zregister(lzo %d): cannot register the filter",
                     CPET__FILTER_LZO);
  return CPET_OK;
}
