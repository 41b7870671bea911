/* cpet_filter.h - compression settings for chunked datasets, as pypet/PyTables 3.7 write them.
 *
 * A cpet_filter_opts value describes what pypet calls the storage service's compression
 * settings (`complib`, `complevel`, `shuffle`, `fletcher32`). cpet turns it into exactly the
 * HDF5 filter pipeline PyTables 3.7 would write (spec section 2.5):
 *
 *   fletcher32 (3, if requested) -> shuffle (2, zlib/lzo/bzip2 only) -> compressor
 *
 * with deflate (1) for zlib, blosc (32001) for blosc and blosc:<codec>, lzo (305) for lzo and
 * bzip2 (307) for bzip2. complevel 0 attaches no filter at all besides fletcher32. Contiguous
 * datasets are never compressed.
 *
 * Filters 32001 (blosc) and 305 (lzo, when cpet was built with liblzo2) are implemented inside
 * cpet and registered with HDF5 in-process by cpet_filter_register_all(), so no HDF5 plugin is
 * needed to read or write such files. bzip2 (307) is not built in; it works when HDF5 finds a
 * plugin for it (Debian: hdf5-filter-plugin).
 *
 * No HDF5 types appear in this header.
 */
#ifndef CPET_FILTER_H
#define CPET_FILTER_H

#include <cpet/cpet_error.h>
#include <cpet/cpet_export.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The compression library (pypet's `complib` setting without the blosc codec suffix). */
typedef enum cpet_complib {
  CPET_COMPLIB_ZLIB = 0,  /* "zlib": HDF5 deflate (1), built into HDF5 */
  CPET_COMPLIB_BLOSC = 1, /* "blosc" / "blosc:<codec>": filter 32001, built into cpet */
  CPET_COMPLIB_LZO = 2,   /* "lzo": filter 305, built into cpet when liblzo2 was found */
  CPET_COMPLIB_BZIP2 = 3  /* "bzip2": filter 307, needs an HDF5 plugin */
} cpet_complib;

/** Blosc sub-compressors. The values are c-blosc's compressor codes, which PyTables stores as
 *  the 7th cd_value of filter 32001. CPET_BLOSC_DEFAULT is plain "blosc" (blosclz, written
 *  with 6 cd_values like PyTables does); CPET_BLOSC_BLOSCLZ is the explicit "blosc:blosclz". */
typedef enum cpet_blosc_codec {
  CPET_BLOSC_DEFAULT = -1,
  CPET_BLOSC_BLOSCLZ = 0,
  CPET_BLOSC_LZ4 = 1,
  CPET_BLOSC_LZ4HC = 2,
  CPET_BLOSC_SNAPPY = 3,
  CPET_BLOSC_ZLIB = 4,
  CPET_BLOSC_ZSTD = 5
} cpet_blosc_codec;

/** Compression settings (plain data; every field public). */
typedef struct cpet_filter_opts {
  cpet_complib complib; /* compression library */
  int blosc_codec;      /* a cpet_blosc_codec; only used when complib is CPET_COMPLIB_BLOSC */
  int complevel;        /* 0 (no compression) .. 9 */
  int shuffle;          /* nonzero: byte shuffle (HDF5 filter 2, or blosc's own for blosc) */
  int fletcher32;       /* nonzero: HDF5 fletcher32 checksum (filter 3), first in the pipeline */
} cpet_filter_opts;

/** pypet's defaults: zlib, level 9, shuffle on, fletcher32 off. */
#define CPET_FILTER_OPTS_DEFAULT                                                                   \
  { CPET_COMPLIB_ZLIB, CPET_BLOSC_DEFAULT, 9, 1, 0 }

/** Longest name cpet_filter_complib_name() writes, including the terminating NUL. */
#define CPET_FILTER_NAME_MAX 16

/** Parses one of pypet's/PyTables' complib names ("zlib", "lzo", "bzip2", "blosc",
 *  "blosc:blosclz", "blosc:lz4", "blosc:lz4hc", "blosc:snappy", "blosc:zlib", "blosc:zstd";
 *  exact, lowercase) into o->complib and o->blosc_codec. The other fields of *o are left
 *  untouched. Local, no HDF5 call.
 *  Errors: CPET_ERR_INVAL (NULL argument), CPET_ERR_NAME (unknown name; *o unchanged). Note that
 *  pypet stores the setting in a 7-byte column, so "blosc:lz4" reads back as "blosc:l", which is
 *  rejected here as pypet itself does. */
CPET_API cpet_status cpet_filter_parse_complib(const char *name, cpet_filter_opts *o);

/** Writes the pypet complib name of *o ("zlib", "blosc", "blosc:lz4", ...) into buf, which holds
 *  cap bytes (CPET_FILTER_NAME_MAX is always enough). The result is NUL-terminated.
 *  Errors: CPET_ERR_INVAL (NULL argument, unknown complib or codec), CPET_ERR_RANGE (cap too
 *  small: buf then holds the truncated, NUL-terminated name when cap > 0). */
CPET_API cpet_status cpet_filter_complib_name(const cpet_filter_opts *o, char *buf, size_t cap);

/** Registers cpet's built-in HDF5 filters (blosc 32001 and, if built with liblzo2, lzo 305)
 *  with the HDF5 library of this process, replacing any plugin registered under those ids.
 *  Idempotent: every call re-registers (cheap), so it also works after H5close(). Serialised
 *  by an internal mutex; safe to call from several threads for one-time initialisation, but
 *  not concurrently with other HDF5 calls unless HDF5 itself is thread-safe. cpet's own file
 *  functions call it before any I/O; call it yourself only to use the filters through the
 *  HDF5 API directly.
 *  Errors: CPET_ERR_HDF5 (H5Zregister failed), CPET_ERR_UNSUPPORTED (lzo_init failed). */
CPET_API cpet_status cpet_filter_register_all(void);

/** 1 if data compressed with complib can be written and read in this process, else 0:
 *  zlib if HDF5 has deflate, blosc always (built in), lzo if cpet was built with liblzo2,
 *  bzip2 if HDF5 can load filter 307 (may search the plugin path). Registers the built-in
 *  filters first. */
CPET_API int cpet_filter_available(cpet_complib complib);

/** 1 if the blosc library linked into cpet supports the given sub-compressor (a
 *  cpet_blosc_codec; CPET_BLOSC_DEFAULT counts as blosclz), else 0. */
CPET_API int cpet_filter_blosc_codec_available(int codec);

#ifdef __cplusplus
}
#endif
#endif
