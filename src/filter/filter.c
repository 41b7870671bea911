/* filter.c - complib names, registration of the built-in filters, and compression settings
 * <-> HDF5 filter pipelines exactly as PyTables 3.7 writes them (spec section 2.5;
 * PyTables src/H5ARRAY.c, H5TB-opt.c, H5VLARRAY.c). */
#include <blosc.h>
#include <pthread.h>
#include <string.h>

#include "core/core_int.h"
#include "filter/filter_int.h"

/* ---- names ---------------------------------------------------------------------------- */

static const struct {
  const char *name;
  cpet_complib complib;
  int codec;
} complib_names[] = {
    {"zlib", CPET_COMPLIB_ZLIB, CPET_BLOSC_DEFAULT},
    {"lzo", CPET_COMPLIB_LZO, CPET_BLOSC_DEFAULT},
    {"bzip2", CPET_COMPLIB_BZIP2, CPET_BLOSC_DEFAULT},
    {"blosc", CPET_COMPLIB_BLOSC, CPET_BLOSC_DEFAULT},
    {"blosc:blosclz", CPET_COMPLIB_BLOSC, CPET_BLOSC_BLOSCLZ},
    {"blosc:lz4", CPET_COMPLIB_BLOSC, CPET_BLOSC_LZ4},
    {"blosc:lz4hc", CPET_COMPLIB_BLOSC, CPET_BLOSC_LZ4HC},
    {"blosc:snappy", CPET_COMPLIB_BLOSC, CPET_BLOSC_SNAPPY},
    {"blosc:zlib", CPET_COMPLIB_BLOSC, CPET_BLOSC_ZLIB},
    {"blosc:zstd", CPET_COMPLIB_BLOSC, CPET_BLOSC_ZSTD},
};
#define N_COMPLIB_NAMES (sizeof complib_names / sizeof complib_names[0])

static int valid_codec(int codec) {
  return codec >= CPET_BLOSC_DEFAULT && codec <= CPET_BLOSC_ZSTD;
}

static int valid_complib(int complib) {
  return complib >= CPET_COMPLIB_ZLIB && complib <= CPET_COMPLIB_BZIP2;
}

cpet_status cpet_filter_parse_complib(const char *name, cpet_filter_opts *o) {
  if (!name || !o) return cpet__err(CPET_ERR_INVAL, "cpet_filter_parse_complib: NULL argument");
  for (size_t i = 0; i < N_COMPLIB_NAMES; i++) {
    if (strcmp(name, complib_names[i].name) == 0) {
      o->complib = complib_names[i].complib;
      o->blosc_codec = complib_names[i].codec;
      return CPET_OK;
    }
  }
  return cpet__err(CPET_ERR_NAME,
                   "unknown complib '%s' (expected zlib, lzo, bzip2, blosc or "
                   "blosc:{blosclz,lz4,lz4hc,snappy,zlib,zstd})",
                   name);
}

cpet_status cpet_filter_complib_name(const cpet_filter_opts *o, char *buf, size_t cap) {
  if (!o || !buf) return cpet__err(CPET_ERR_INVAL, "cpet_filter_complib_name: NULL argument");
  if (!valid_complib((int)o->complib) ||
      (o->complib == CPET_COMPLIB_BLOSC && !valid_codec(o->blosc_codec))) {
    if (cap) buf[0] = '\0';
    return cpet__err(CPET_ERR_INVAL, "cpet_filter_complib_name: invalid complib %d / codec %d",
                     (int)o->complib, o->blosc_codec);
  }
  int codec = o->complib == CPET_COMPLIB_BLOSC ? o->blosc_codec : CPET_BLOSC_DEFAULT;
  const char *name = NULL;
  for (size_t i = 0; i < N_COMPLIB_NAMES && !name; i++)
    if (complib_names[i].complib == o->complib && complib_names[i].codec == codec)
      name = complib_names[i].name;
  size_t len = strlen(name);
  if (len >= cap) {
    if (cap) {
      memcpy(buf, name, cap - 1);
      buf[cap - 1] = '\0';
    }
    return cpet__err(CPET_ERR_RANGE, "cpet_filter_complib_name: '%s' needs %zu bytes, got %zu",
                     name, len + 1, cap);
  }
  memcpy(buf, name, len + 1);
  return CPET_OK;
}

/* ---- registration and availability ----------------------------------------------------- */

static pthread_mutex_t register_lock = PTHREAD_MUTEX_INITIALIZER;

cpet_status cpet__filter_register_all(void) {
  static int logged = 0;
  cpet_status st;
  /* H5Zregister replaces an existing registration, so re-registering on every call is both
   * idempotent and correct after H5close() reset HDF5's filter table. */
  pthread_mutex_lock(&register_lock);
  st = cpet__filter_blosc_register();
#ifdef CPET_HAVE_LZO
  if (st == CPET_OK) st = cpet__filter_lzo_register();
#endif
  if (st == CPET_OK && !logged) {
    logged = 1;
    cpet__log(CPET_LOG_DEBUG, "filter", "registered blosc %d (c-blosc %s)%s", CPET__FILTER_BLOSC,
              BLOSC_VERSION_STRING,
#ifdef CPET_HAVE_LZO
              " and lzo 305"
#else
              ""
#endif
    );
  }
  pthread_mutex_unlock(&register_lock);
  return st;
}

cpet_status cpet_filter_register_all(void) { return cpet__filter_register_all(); }

static int hdf5_has_filter(H5Z_filter_t id) {
  htri_t r = H5Zfilter_avail(id);
  if (r < 0) H5Eclear2(H5E_DEFAULT);
  return r > 0;
}

int cpet_filter_available(cpet_complib complib) {
  if (cpet__filter_register_all() != CPET_OK) return 0;
  switch (complib) {
  case CPET_COMPLIB_ZLIB:
    return hdf5_has_filter(H5Z_FILTER_DEFLATE);
  case CPET_COMPLIB_BLOSC:
    return hdf5_has_filter(CPET__FILTER_BLOSC);
  case CPET_COMPLIB_LZO:
#ifdef CPET_HAVE_LZO
    return hdf5_has_filter(CPET__FILTER_LZO);
#else
    return 0;
#endif
  case CPET_COMPLIB_BZIP2:
    return hdf5_has_filter(CPET__FILTER_BZIP2);
  }
  return 0;
}

int cpet_filter_blosc_codec_available(int codec) {
  const char *name = NULL;
  if (codec == CPET_BLOSC_DEFAULT) codec = CPET_BLOSC_BLOSCLZ;
  if (!valid_codec(codec)) return 0;
  return blosc_compcode_to_compname(codec, &name) >= 0;
}

/* ---- settings -> pipeline -------------------------------------------------------------- */

/* 10 x PyTables 3.7 object version and tables.h class code, per object kind. */
static void pytables_object_tag(int kind, unsigned int *version, unsigned int *klass) {
  switch (kind) {
  case CPET__FILTER_TABLE: /* Table "2.7", class Table = 0 */
    *version = 27;
    *klass = 0;
    break;
  case CPET__FILTER_EARRAY: /* EArray "1.1" (CArray's version), class EArray = 2 */
    *version = 11;
    *klass = 2;
    break;
  case CPET__FILTER_VLARRAY: /* VLArray "1.4", class VLArray = 3 */
    *version = 14;
    *klass = 3;
    break;
  default: /* CArray "1.1", class CArray = 4 */
    *version = 11;
    *klass = 4;
    break;
  }
}

static cpet_status hdf5_fail(const char *what, const cpet_filter_opts *o) {
  char name[CPET_FILTER_NAME_MAX] = "?";
  cpet_filter_complib_name(o, name, sizeof name);
  return cpet__err(CPET_ERR_HDF5, "%s (complib %s, level %d): cannot add the filter", what, name,
                   o->complevel);
}

cpet_status cpet__filter_apply(hid_t dcpl, const cpet_filter_opts *o, size_t type_size,
                               int is_table) {
  (void)type_size; /* set_local callbacks (shuffle, blosc) read the size from the dataset type */
  if (!o) return cpet__err(CPET_ERR_INVAL, "cpet__filter_apply: NULL options");
  if (dcpl < 0) return cpet__err(CPET_ERR_INVAL, "cpet__filter_apply: invalid property list");
  if (is_table < CPET__FILTER_CARRAY || is_table > CPET__FILTER_VLARRAY)
    return cpet__err(CPET_ERR_INVAL, "cpet__filter_apply: unknown object kind %d", is_table);
  if (o->complevel < 0 || o->complevel > 9)
    return cpet__err(CPET_ERR_RANGE, "complevel %d outside 0..9", o->complevel);
  if (!valid_complib((int)o->complib))
    return cpet__err(CPET_ERR_INVAL, "unknown complib %d", (int)o->complib);
  if (o->complib == CPET_COMPLIB_BLOSC && !valid_codec(o->blosc_codec))
    return cpet__err(CPET_ERR_INVAL, "unknown blosc codec %d", o->blosc_codec);

  /* refuse unavailable filters before touching dcpl */
  if (o->complevel > 0 && o->complib != CPET_COMPLIB_ZLIB) {
    CPET__CHECK(cpet__filter_register_all());
    if (!cpet_filter_available(o->complib)) {
      char name[CPET_FILTER_NAME_MAX] = "?";
      cpet_filter_complib_name(o, name, sizeof name);
      return cpet__err(CPET_ERR_UNSUPPORTED, "complib '%s' is not available in this build%s", name,
                       o->complib == CPET_COMPLIB_BZIP2
                           ? " (needs an HDF5 plugin for filter 307, e.g. hdf5-filter-plugin)"
                           : "");
    }
    if (o->complib == CPET_COMPLIB_BLOSC && o->blosc_codec != CPET_BLOSC_DEFAULT &&
        !cpet_filter_blosc_codec_available(o->blosc_codec)) {
      char name[CPET_FILTER_NAME_MAX] = "?";
      cpet_filter_complib_name(o, name, sizeof name);
      return cpet__err(CPET_ERR_UNSUPPORTED, "'%s': c-blosc %s lacks this codec (has %s)", name,
                       BLOSC_VERSION_STRING, blosc_list_compressors());
    }
  }

  /* PyTables 3.7: "Fletcher must be first"; it is added even without compression */
  if (o->fletcher32 && H5Pset_fletcher32(dcpl) < 0) return hdf5_fail("H5Pset_fletcher32", o);
  if (o->complevel == 0) return CPET_OK;

  /* then shuffle; blosc shuffles internally */
  if (o->shuffle && o->complib != CPET_COMPLIB_BLOSC && H5Pset_shuffle(dcpl) < 0)
    return hdf5_fail("H5Pset_shuffle", o);

  unsigned int level = (unsigned int)o->complevel;
  switch (o->complib) {
  case CPET_COMPLIB_ZLIB:
    if (H5Pset_deflate(dcpl, level) < 0) return hdf5_fail("H5Pset_deflate", o);
    break;
  case CPET_COMPLIB_BLOSC: {
    /* slots 0..3 are filled in by blosc32001_set_local at H5Dcreate */
    unsigned int cd[7] = {0, 0, 0, 0, level, o->shuffle ? 1u : 0u, 0};
    size_t n = 6;
    if (o->blosc_codec != CPET_BLOSC_DEFAULT) {
      cd[6] = (unsigned int)o->blosc_codec;
      n = 7;
    }
    if (H5Pset_filter(dcpl, CPET__FILTER_BLOSC, H5Z_FLAG_OPTIONAL, n, cd) < 0)
      return hdf5_fail("H5Pset_filter(32001)", o);
    break;
  }
  case CPET_COMPLIB_LZO:
  case CPET_COMPLIB_BZIP2: {
    unsigned int cd[3] = {level, 0, 0};
    pytables_object_tag(is_table, &cd[1], &cd[2]);
    H5Z_filter_t id = o->complib == CPET_COMPLIB_LZO ? CPET__FILTER_LZO : CPET__FILTER_BZIP2;
    if (H5Pset_filter(dcpl, id, H5Z_FLAG_OPTIONAL, 3, cd) < 0)
      return hdf5_fail(o->complib == CPET_COMPLIB_LZO ? "H5Pset_filter(305)" : "H5Pset_filter(307)",
                       o);
    break;
  }
  }
  return CPET_OK;
}

/* ---- pipeline -> settings -------------------------------------------------------------- */

cpet_status cpet__filter_describe(hid_t dcpl, cpet_filter_opts *out) {
  if (!out) return cpet__err(CPET_ERR_INVAL, "cpet__filter_describe: NULL output");
  cpet_filter_opts r = {CPET_COMPLIB_ZLIB, CPET_BLOSC_DEFAULT, 0, 0, 0};
  int nf = H5Pget_nfilters(dcpl);
  if (nf < 0) return cpet__err(CPET_ERR_HDF5, "H5Pget_nfilters: cannot read the filter pipeline");

  H5Z_filter_t unknown = H5Z_FILTER_NONE;
  for (int i = 0; i < nf; i++) {
    unsigned int flags = 0, cd[8] = {0};
    size_t ncd = 8;
    char name[64] = "";
    /* filter_config must be NULL: it fails for filters not registered in this process */
    H5Z_filter_t id = H5Pget_filter2(dcpl, (unsigned)i, &flags, &ncd, cd, sizeof name, name, NULL);
    if (id < 0) return cpet__err(CPET_ERR_HDF5, "H5Pget_filter2: cannot read filter %d", i);
    if (ncd > 8) ncd = 8;
    switch (id) {
    case H5Z_FILTER_DEFLATE:
      r.complib = CPET_COMPLIB_ZLIB;
      r.complevel = ncd >= 1 ? (int)cd[0] : 6;
      break;
    case H5Z_FILTER_SHUFFLE:
      r.shuffle = 1;
      break;
    case H5Z_FILTER_FLETCHER32:
      r.fletcher32 = 1;
      break;
    case CPET__FILTER_BLOSC:
      r.complib = CPET_COMPLIB_BLOSC;
      r.complevel = ncd >= 5 ? (int)cd[4] : 5; /* hdf5-blosc's defaults */
      r.shuffle = ncd >= 6 ? cd[5] != 0 : 1;
      r.blosc_codec = ncd >= 7 && cd[6] <= CPET_BLOSC_ZSTD ? (int)cd[6] : CPET_BLOSC_DEFAULT;
      if (ncd >= 7 && cd[6] > CPET_BLOSC_ZSTD) unknown = id;
      break;
    case CPET__FILTER_LZO:
    case CPET__FILTER_BZIP2:
      r.complib = id == CPET__FILTER_LZO ? CPET_COMPLIB_LZO : CPET_COMPLIB_BZIP2;
      r.complevel = ncd >= 1 ? (int)cd[0] : 1;
      break;
    default:
      unknown = id;
      break;
    }
  }
  *out = r;
  if (unknown != H5Z_FILTER_NONE)
    return cpet__err(CPET_ERR_UNSUPPORTED, "filter pipeline holds filter %d unknown to cpet",
                     (int)unknown);
  return CPET_OK;
}
