/* blosc32001.c - HDF5 filter 32001 (blosc) on c-blosc 1.x, compatible with hdf5-blosc as
 * vendored by PyTables (filter revision 2).
 *
 * cd_values: [0] filter revision (2), [1] blosc format version, [2] type size, [3] chunk size
 * in bytes (slots 0-3 filled by set_local), [4] clevel, [5] shuffle (0 none, 1 byte, 2 bit),
 * [6] optional compressor code (blosclz 0, lz4 1, lz4hc 2, snappy 3, zlib 4, zstd 5).
 *
 * Unlike hdf5-blosc, compression and decompression use the *_ctx functions of c-blosc, which
 * keep no global state, so concurrent HDF5 calls from several threads (thread-safe HDF5) are
 * fine. Buffers handed back to HDF5 come from H5allocate_memory so that HDF5 can free them.
 */
#include <blosc.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "core/core_int.h"
#include "filter/filter_int.h"

/* Pushes a message on HDF5's error stack (shown by h5dump, collected by cpet's h5 layer). */
#define BLOSC_PUSH_ERR(func, msg)                                                                  \
  H5Epush2(H5E_DEFAULT, __FILE__, func, __LINE__, H5E_ERR_CLS, H5E_PLINE, H5E_CALLBACK, "%s", msg)

/* set_local: record revision, blosc format, type size and chunk bytes in slots 0-3, keeping
 * the caller's slots 4.. (clevel, shuffle, codec), exactly as hdf5-blosc's blosc_set_local. */
static herr_t blosc32001_set_local(hid_t dcpl, hid_t type, hid_t space) {
  unsigned int flags = 0;
  size_t nelements = 8;
  unsigned int values[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  hsize_t chunkdims[32];
  (void)space;

  if (H5Pget_filter_by_id2(dcpl, CPET__FILTER_BLOSC, &flags, &nelements, values, 0, NULL, NULL) < 0)
    return -1;
  if (nelements < 4) nelements = 4; /* first 4 slots reserved */
  if (nelements > 8) nelements = 8;

  values[0] = CPET__BLOSC_FILTER_REVISION;
  values[1] = BLOSC_VERSION_FORMAT;

  int ndims = H5Pget_chunk(dcpl, 32, chunkdims);
  if (ndims < 0) return -1;
  if (ndims > 32) {
    BLOSC_PUSH_ERR("blosc32001_set_local", "chunk rank exceeds limit");
    return -1;
  }

  size_t typesize = H5Tget_size(type);
  if (typesize == 0) return -1;
  size_t basetypesize = typesize;
  if (H5Tget_class(type) == H5T_ARRAY) {
    hid_t super = H5Tget_super(type);
    if (super < 0) return -1;
    basetypesize = H5Tget_size(super);
    H5Tclose(super);
    if (basetypesize == 0) return -1;
  }
  /* blosc shuffles at most 255-byte items; PyTables falls back to 1 for larger ones */
  if (basetypesize > BLOSC_MAX_TYPESIZE) basetypesize = 1;
  values[2] = (unsigned int)basetypesize;

  uint64_t bufsize = typesize;
  for (int i = 0; i < ndims; i++) {
    bufsize *= chunkdims[i];
    if (bufsize > UINT_MAX) {
      BLOSC_PUSH_ERR("blosc32001_set_local", "chunk larger than 4 GiB");
      return -1;
    }
  }
  values[3] = (unsigned int)bufsize;

  if (H5Pmodify_filter(dcpl, CPET__FILTER_BLOSC, flags, nelements, values) < 0) return -1;
  return 1;
}

static size_t blosc32001_compress(size_t cd_nelmts, const unsigned int cd_values[], size_t nbytes,
                                  size_t *buf_size, void **buf) {
  size_t typesize = cd_nelmts >= 3 ? cd_values[2] : 1;
  int clevel = cd_nelmts >= 5 ? (int)cd_values[4] : 5;
  int doshuffle = cd_nelmts >= 6 ? (int)cd_values[5] : BLOSC_SHUFFLE;
  const char *compname = BLOSC_BLOSCLZ_COMPNAME;

  if (cd_nelmts >= 7 && blosc_compcode_to_compname((int)cd_values[6], &compname) < 0) {
    BLOSC_PUSH_ERR("blosc32001_filter", "this blosc library does not support the compressor");
    return 0;
  }
  if (typesize == 0) typesize = 1;
  if (nbytes == 0 || nbytes > BLOSC_MAX_BUFFERSIZE) {
    BLOSC_PUSH_ERR("blosc32001_filter", "chunk size not supported by blosc");
    return 0;
  }

  /* An output buffer as long as the input: if blosc cannot fit the result, it returns 0 and
   * HDF5 stores the chunk uncompressed (the filter is optional), as with hdf5-blosc. */
  void *out = H5allocate_memory(nbytes, 0);
  if (!out) {
    BLOSC_PUSH_ERR("blosc32001_filter", "cannot allocate compression buffer");
    return 0;
  }
  int n =
      blosc_compress_ctx(clevel, doshuffle, typesize, nbytes, *buf, out, nbytes, compname, 0, 1);
  if (n <= 0) {
    if (n < 0) BLOSC_PUSH_ERR("blosc32001_filter", "blosc compression error");
    H5free_memory(out);
    return 0;
  }
  H5free_memory(*buf);
  *buf = out;
  *buf_size = nbytes;
  return (size_t)n;
}

static size_t blosc32001_decompress(size_t nbytes, size_t *buf_size, void **buf) {
  size_t outsize = 0, cbytes = 0, blocksize = 0;

  if (nbytes < BLOSC_MIN_HEADER_LENGTH) {
    BLOSC_PUSH_ERR("blosc32001_filter", "blosc chunk shorter than its header");
    return 0;
  }
  /* The exact size comes from the blosc header (cd_values[3] is only a guess: other filters in
   * the pipeline may change the size). Validate it against what HDF5 gave us. */
#if BLOSC_VERSION_MAJOR > 1 || (BLOSC_VERSION_MAJOR == 1 && BLOSC_VERSION_MINOR >= 16)
  if (blosc_cbuffer_validate(*buf, nbytes, &outsize) < 0) {
    BLOSC_PUSH_ERR("blosc32001_filter", "corrupt blosc header");
    return 0;
  }
#endif
  blosc_cbuffer_sizes(*buf, &outsize, &cbytes, &blocksize);
  if (cbytes > nbytes || outsize == 0 || outsize > BLOSC_MAX_BUFFERSIZE) {
    BLOSC_PUSH_ERR("blosc32001_filter", "corrupt or truncated blosc chunk");
    return 0;
  }
  void *out = H5allocate_memory(outsize, 0);
  if (!out) {
    BLOSC_PUSH_ERR("blosc32001_filter", "cannot allocate decompression buffer");
    return 0;
  }
  int n = blosc_decompress_ctx(*buf, out, outsize, 1);
  if (n <= 0 || (size_t)n != outsize) {
    BLOSC_PUSH_ERR("blosc32001_filter", "blosc decompression error");
    H5free_memory(out);
    return 0;
  }
  H5free_memory(*buf);
  *buf = out;
  *buf_size = outsize;
  return outsize;
}

static size_t blosc32001_filter(unsigned int flags, size_t cd_nelmts,
                                const unsigned int cd_values[], size_t nbytes, size_t *buf_size,
                                void **buf) {
  if (flags & H5Z_FLAG_REVERSE) return blosc32001_decompress(nbytes, buf_size, buf);
  return blosc32001_compress(cd_nelmts, cd_values, nbytes, buf_size, buf);
}

static const H5Z_class2_t blosc32001_class = {
    H5Z_CLASS_T_VERS,                 /* version of this struct */
    (H5Z_filter_t)CPET__FILTER_BLOSC, /* filter id */
    1,                                /* encoder present */
    1,                                /* decoder present */
    "blosc",                          /* name, as hdf5-blosc (h5dump prints "blosc-32001") */
    NULL,                             /* can_apply */
    (H5Z_set_local_func_t)blosc32001_set_local, /* set_local */
    (H5Z_func_t)blosc32001_filter,              /* filter */
};

cpet_status cpet__filter_blosc_register(void) {
  if (H5Zregister(&blosc32001_class) < 0)
    return cpet__err(CPET_ERR_HDF5, "H5Zregister(blosc %d): cannot register the filter",
                     CPET__FILTER_BLOSC);
  return CPET_OK;
}
