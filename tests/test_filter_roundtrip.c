/* test_filter_roundtrip.c - cpet__filter_apply writes the pipelines PyTables 3.7 writes, and data
 * written through every filter (zlib, blosc with each available codec, lzo) reads back intact.
 *
 * `--write FILE` writes one array and one table per complib for the PyTables interop check
 * (tests/check_blosc_pytables.py); `--read-pytables FILE` verifies the file PyTables wrote. */
#include <hdf5.h>
#include <stdint.h>

#include "cpet_test.h"
#include "filter/filter_int.h"
#include <cpet/cpet_filter.h>

typedef struct row {
  int32_t idx;
  double value;
  char name[12];
} row;

#define N2_ROWS 300
#define N2_COLS 70
#define N_INT 20000
#define N_ROWS 5000

static hid_t row_type(void) {
  hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(row));
  hid_t s = H5Tcopy(H5T_C_S1);
  H5Tset_size(s, sizeof(((row *)0)->name));
  H5Tinsert(t, "idx", HOFFSET(row, idx), H5T_NATIVE_INT32);
  H5Tinsert(t, "value", HOFFSET(row, value), H5T_NATIVE_DOUBLE);
  H5Tinsert(t, "name", HOFFSET(row, name), s);
  H5Tclose(s);
  return t;
}

/* Deterministic, moderately compressible data. */
/* Compressible enough that every codec, even snappy at level 1 without shuffle, shrinks a
 * chunk (otherwise the optional filter is skipped for that chunk, which check_compressed flags). */
static double f64_at(size_t i) { return (double)((i / 4) % 13) * 0.5 + (double)(i / 1000); }
static int32_t i32_at(size_t i) { return (int32_t)((i / 16) % 50) - 25; }
static void row_at(size_t i, row *r) {
  memset(r, 0, sizeof *r);
  r->idx = (int32_t)(i / 4);
  r->value = (double)(i % 8) * 0.125;
  snprintf(r->name, sizeof r->name, "run_%05zu", i / 8);
}

/* Creates a chunked dataset of rank `rank` with the given filters and writes buf. */
static hid_t make_dataset(hid_t file, const char *name, hid_t type, int rank, const hsize_t *dims,
                          const hsize_t *chunk, int unlimited, const cpet_filter_opts *o, int kind,
                          const void *buf) {
  hsize_t maxdims[2] = {dims[0], rank > 1 ? dims[1] : 0};
  if (unlimited) maxdims[0] = H5S_UNLIMITED;
  hid_t space = H5Screate_simple(rank, dims, maxdims);
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  CHECK(H5Pset_chunk(dcpl, rank, chunk) >= 0);
  CHECK_OK(cpet__filter_apply(dcpl, o, H5Tget_size(type), kind));
  hid_t d = H5Dcreate2(file, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  CHECK(d >= 0);
  if (d >= 0) CHECK(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
  H5Pclose(dcpl);
  H5Sclose(space);
  return d;
}

typedef struct want_filter {
  H5Z_filter_t id;
  unsigned int flags;
  size_t ncd;
  unsigned int cd[7];
} want_filter;

/* Builds the pipeline PyTables writes for o (spec 2.5). */
static int expected_pipeline(const cpet_filter_opts *o, size_t typesize, size_t chunkbytes,
                             int kind, want_filter *w) {
  int n = 0;
  if (o->fletcher32) w[n++] = (want_filter){H5Z_FILTER_FLETCHER32, H5Z_FLAG_MANDATORY, 0, {0}};
  if (o->complevel == 0) return n;
  if (o->shuffle && o->complib != CPET_COMPLIB_BLOSC)
    w[n++] = (want_filter){H5Z_FILTER_SHUFFLE, H5Z_FLAG_OPTIONAL, 1, {(unsigned)typesize}};
  unsigned L = (unsigned)o->complevel;
  switch (o->complib) {
  case CPET_COMPLIB_ZLIB:
    w[n++] = (want_filter){H5Z_FILTER_DEFLATE, H5Z_FLAG_OPTIONAL, 1, {L}};
    break;
  case CPET_COMPLIB_BLOSC: {
    unsigned ts = typesize > 255 ? 1 : (unsigned)typesize;
    w[n] = (want_filter){CPET__FILTER_BLOSC,
                         H5Z_FLAG_OPTIONAL,
                         6,
                         {2, 2, ts, (unsigned)chunkbytes, L, o->shuffle ? 1u : 0u, 0}};
    if (o->blosc_codec != CPET_BLOSC_DEFAULT) {
      w[n].ncd = 7;
      w[n].cd[6] = (unsigned)o->blosc_codec;
    }
    n++;
    break;
  }
  case CPET_COMPLIB_LZO:
  case CPET_COMPLIB_BZIP2: {
    unsigned ver = kind == CPET__FILTER_TABLE ? 27 : kind == CPET__FILTER_VLARRAY ? 14 : 11;
    unsigned cls = kind == CPET__FILTER_TABLE     ? 0
                   : kind == CPET__FILTER_EARRAY  ? 2
                   : kind == CPET__FILTER_VLARRAY ? 3
                                                  : 4;
    w[n++] = (want_filter){o->complib == CPET_COMPLIB_LZO ? CPET__FILTER_LZO : CPET__FILTER_BZIP2,
                           H5Z_FLAG_OPTIONAL,
                           3,
                           {L, ver, cls}};
    break;
  }
  }
  return n;
}

static void check_pipeline(hid_t d, const char *what, const cpet_filter_opts *o, size_t typesize,
                           size_t chunkbytes, int kind) {
  want_filter w[4];
  int nw = expected_pipeline(o, typesize, chunkbytes, kind, w);
  hid_t dcpl = H5Dget_create_plist(d);
  int nf = H5Pget_nfilters(dcpl);
  CPET_CHECK_(nf == nw, "%s: %d filters, wanted %d", what, nf, nw);
  for (int i = 0; i < nf && i < nw; i++) {
    unsigned flags = 0, cd[8] = {0};
    size_t ncd = 8;
    H5Z_filter_t id = H5Pget_filter2(dcpl, (unsigned)i, &flags, &ncd, cd, 0, NULL, NULL);
    CPET_CHECK_(id == w[i].id, "%s: filter %d is %d, wanted %d", what, i, (int)id, (int)w[i].id);
    CPET_CHECK_((flags & H5Z_FLAG_OPTIONAL) == (w[i].flags & H5Z_FLAG_OPTIONAL),
                "%s: filter %d flags %u, wanted %u", what, i, flags, w[i].flags);
    /* HDF5's shuffle has no cd_values before set_local for some versions: compare what is set */
    if (id == H5Z_FILTER_SHUFFLE && ncd == 0) continue;
    CPET_CHECK_(ncd == w[i].ncd, "%s: filter %d has %zu cd_values, wanted %zu", what, i, ncd,
                w[i].ncd);
    for (size_t k = 0; k < ncd && k < w[i].ncd; k++)
      CPET_CHECK_(cd[k] == w[i].cd[k], "%s: filter %d cd[%zu] = %u, wanted %u", what, i, k, cd[k],
                  w[i].cd[k]);
  }
  /* and describe() reads the settings back */
  cpet_filter_opts back;
  CHECK_OK(cpet__filter_describe(dcpl, &back));
  CPET_CHECK_(back.complevel == o->complevel, "%s: describe level %d", what, back.complevel);
  CPET_CHECK_(back.fletcher32 == (o->fletcher32 != 0), "%s: describe fletcher32", what);
  if (o->complevel > 0) {
    CPET_CHECK_(back.complib == o->complib, "%s: describe complib %d", what, (int)back.complib);
    CPET_CHECK_(back.shuffle == (o->shuffle != 0), "%s: describe shuffle", what);
    if (o->complib == CPET_COMPLIB_BLOSC)
      CPET_CHECK_(back.blosc_codec == o->blosc_codec, "%s: describe codec %d", what,
                  back.blosc_codec);
  }
  H5Pclose(dcpl);
}

/* The chunk was really compressed (not stored raw because a filter failed). */
static void check_compressed(hid_t d, const char *what, const cpet_filter_opts *o) {
  if (o->complevel == 0) return;
  /* c-blosc's snappy gives up on any block whose worst-case bound exceeds the block (typesize 1
   * or >= 32 with this data): the chunk is then stored raw, as with hdf5-blosc/PyTables */
  if (o->complib == CPET_COMPLIB_BLOSC && o->blosc_codec == CPET_BLOSC_SNAPPY) return;
#if H5_VERSION_GE(1, 10, 5)
  hsize_t nchunks = 0, off[2] = {0, 0};
  unsigned mask = 0;
  haddr_t addr;
  hsize_t size = 0;
  hid_t space = H5Dget_space(d);
  CHECK(H5Dget_num_chunks(d, space, &nchunks) >= 0);
  CHECK(nchunks > 0);
  CHECK(H5Dget_chunk_info(d, space, 0, off, &mask, &addr, &size) >= 0);
  CPET_CHECK_(mask == 0, "%s: first chunk skipped filters (mask 0x%x)", what, mask);
  H5Sclose(space);
#else
  (void)d;
  (void)what;
#endif
}

static void roundtrip(hid_t file, const cpet_filter_opts *o, int *count) {
  char tag[64], path[96];
  CHECK_OK(cpet_filter_complib_name(o, tag, sizeof tag));
  size_t tl = strlen(tag);
  for (size_t i = 0; i < tl; i++)
    if (tag[i] == ':') tag[i] = '_';
  snprintf(tag + tl, sizeof tag - tl, "_L%d_s%d_f%d_%d", o->complevel, o->shuffle, o->fletcher32,
           (*count)++);

  /* float64 2-D CArray, chunked 64 x 32 (edge chunks partial) */
  {
    hsize_t dims[2] = {N2_ROWS, N2_COLS}, chunk[2] = {64, 32};
    double *a = malloc(sizeof(double) * N2_ROWS * N2_COLS);
    double *b = calloc(N2_ROWS * N2_COLS, sizeof(double));
    for (size_t i = 0; i < N2_ROWS * N2_COLS; i++)
      a[i] = f64_at(i);
    snprintf(path, sizeof path, "f64_%s", tag);
    hid_t d =
        make_dataset(file, path, H5T_NATIVE_DOUBLE, 2, dims, chunk, 0, o, CPET__FILTER_CARRAY, a);
    if (d >= 0) {
      check_pipeline(d, path, o, 8, 64 * 32 * 8, CPET__FILTER_CARRAY);
      check_compressed(d, path, o);
      H5Dclose(d);
      d = H5Dopen2(file, path, H5P_DEFAULT);
      CHECK(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, b) >= 0);
      size_t bad = 0;
      for (size_t i = 0; i < N2_ROWS * N2_COLS; i++)
        bad += a[i] != b[i];
      CPET_CHECK_(bad == 0, "%s: %zu elements differ", path, bad);
      H5Dclose(d);
    }
    free(a);
    free(b);
  }
  /* int32 1-D EArray, chunk 4096 */
  {
    hsize_t dims[1] = {N_INT}, chunk[1] = {4096};
    int32_t *a = malloc(sizeof(int32_t) * N_INT);
    int32_t *b = calloc(N_INT, sizeof(int32_t));
    for (size_t i = 0; i < N_INT; i++)
      a[i] = i32_at(i);
    snprintf(path, sizeof path, "i32_%s", tag);
    hid_t d =
        make_dataset(file, path, H5T_NATIVE_INT32, 1, dims, chunk, 1, o, CPET__FILTER_EARRAY, a);
    if (d >= 0) {
      check_pipeline(d, path, o, 4, 4096 * 4, CPET__FILTER_EARRAY);
      check_compressed(d, path, o);
      H5Dclose(d);
      d = H5Dopen2(file, path, H5P_DEFAULT);
      CHECK(H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, b) >= 0);
      size_t bad = 0;
      for (size_t i = 0; i < N_INT; i++)
        bad += a[i] != b[i];
      CPET_CHECK_(bad == 0, "%s: %zu elements differ", path, bad);
      H5Dclose(d);
    }
    free(a);
    free(b);
  }
  /* compound table, chunk 1000 rows, unlimited */
  {
    hsize_t dims[1] = {N_ROWS}, chunk[1] = {1000};
    hid_t t = row_type();
    row *a = malloc(sizeof(row) * N_ROWS);
    row *b = calloc(N_ROWS, sizeof(row));
    for (size_t i = 0; i < N_ROWS; i++)
      row_at(i, &a[i]);
    snprintf(path, sizeof path, "tab_%s", tag);
    hid_t d = make_dataset(file, path, t, 1, dims, chunk, 1, o, CPET__FILTER_TABLE, a);
    if (d >= 0) {
      check_pipeline(d, path, o, sizeof(row), 1000 * sizeof(row), CPET__FILTER_TABLE);
      check_compressed(d, path, o);
      H5Dclose(d);
      d = H5Dopen2(file, path, H5P_DEFAULT);
      CHECK(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, b) >= 0);
      size_t bad = 0;
      for (size_t i = 0; i < N_ROWS; i++)
        bad += a[i].idx != b[i].idx || a[i].value != b[i].value ||
               memcmp(a[i].name, b[i].name, sizeof a[i].name) != 0;
      CPET_CHECK_(bad == 0, "%s: %zu rows differ", path, bad);
      H5Dclose(d);
    }
    H5Tclose(t);
    free(a);
    free(b);
  }
}

static void test_names(void) {
  const char *names[] = {"zlib",      "lzo",         "bzip2",        "blosc",      "blosc:blosclz",
                         "blosc:lz4", "blosc:lz4hc", "blosc:snappy", "blosc:zlib", "blosc:zstd"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    cpet_filter_opts o = CPET_FILTER_OPTS_DEFAULT;
    char buf[CPET_FILTER_NAME_MAX];
    CHECK_OK(cpet_filter_parse_complib(names[i], &o));
    CHECK_OK(cpet_filter_complib_name(&o, buf, sizeof buf));
    CHECK_STR(buf, names[i]);
  }
  cpet_filter_opts o = CPET_FILTER_OPTS_DEFAULT;
  CHECK_INT(o.complib, CPET_COMPLIB_ZLIB);
  CHECK_INT(o.complevel, 9);
  CHECK_INT(o.shuffle, 1);
  CHECK_INT(o.fletcher32, 0);
  CHECK_ERR(cpet_filter_parse_complib("blosc:l", &o), CPET_ERR_NAME); /* pypet's S7 truncation */
  CHECK_ERR(cpet_filter_parse_complib("gzip", &o), CPET_ERR_NAME);
  CHECK_ERR(cpet_filter_parse_complib(NULL, &o), CPET_ERR_INVAL);
  CHECK_INT(o.complib, CPET_COMPLIB_ZLIB);
  CHECK_OK(cpet_filter_parse_complib("blosc:lz4hc", &o));
  CHECK_INT(o.complib, CPET_COMPLIB_BLOSC);
  CHECK_INT(o.blosc_codec, CPET_BLOSC_LZ4HC);
  char small[6];
  CHECK_ERR(cpet_filter_complib_name(&o, small, sizeof small), CPET_ERR_RANGE);
  CHECK_STR(small, "blosc");
  o.blosc_codec = 42;
  CHECK_ERR(cpet_filter_complib_name(&o, small, sizeof small), CPET_ERR_INVAL);
}

static void test_bad_opts(void) {
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  cpet_filter_opts o = CPET_FILTER_OPTS_DEFAULT;
  o.complevel = 10;
  CHECK_ERR(cpet__filter_apply(dcpl, &o, 8, 0), CPET_ERR_RANGE);
  o.complevel = 5;
  o.complib = (cpet_complib)17;
  CHECK_ERR(cpet__filter_apply(dcpl, &o, 8, 0), CPET_ERR_INVAL);
  o.complib = CPET_COMPLIB_BLOSC;
  o.blosc_codec = 9;
  CHECK_ERR(cpet__filter_apply(dcpl, &o, 8, 0), CPET_ERR_INVAL);
  CHECK_ERR(cpet__filter_apply(dcpl, NULL, 8, 0), CPET_ERR_INVAL);
  CHECK_ERR(cpet__filter_apply(dcpl, &o, 8, 7), CPET_ERR_INVAL);
  CHECK_INT(H5Pget_nfilters(dcpl), 0); /* nothing was added on failure */
  /* complevel 0: nothing but fletcher32 */
  o = (cpet_filter_opts)CPET_FILTER_OPTS_DEFAULT;
  o.complevel = 0;
  CHECK_OK(cpet__filter_apply(dcpl, &o, 8, 0));
  CHECK_INT(H5Pget_nfilters(dcpl), 0);
  o.fletcher32 = 1;
  CHECK_OK(cpet__filter_apply(dcpl, &o, 8, 0));
  CHECK_INT(H5Pget_nfilters(dcpl), 1);
  H5Pclose(dcpl);
}

/* A fixed file for the PyTables interop script: one dataset per complib/codec. */
static int write_interop(const char *fname) {
  hid_t file = H5Fcreate(fname, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0) return 1;
  const char *libs[] = {"zlib",         "blosc",      "blosc:blosclz", "blosc:lz4", "blosc:lz4hc",
                        "blosc:snappy", "blosc:zlib", "blosc:zstd",    "lzo"};
  hsize_t dims[2] = {N2_ROWS, N2_COLS}, chunk[2] = {64, 32};
  double *a = malloc(sizeof(double) * N2_ROWS * N2_COLS);
  for (size_t i = 0; i < N2_ROWS * N2_COLS; i++)
    a[i] = f64_at(i);
  row *r = malloc(sizeof(row) * N_ROWS);
  for (size_t i = 0; i < N_ROWS; i++)
    row_at(i, &r[i]);
  hid_t t = row_type();
  for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
    cpet_filter_opts o = CPET_FILTER_OPTS_DEFAULT;
    cpet_filter_parse_complib(libs[i], &o);
    if (!cpet_filter_available(o.complib) || !cpet_filter_blosc_codec_available(o.blosc_codec))
      continue;
    o.fletcher32 = (int)(i % 2);
    char name[64];
    snprintf(name, sizeof name, "%s", libs[i]);
    for (char *p = name; *p; p++)
      if (*p == ':') *p = '_';
    char p1[80], p2[80];
    snprintf(p1, sizeof p1, "arr_%s", name);
    snprintf(p2, sizeof p2, "tab_%s", name);
    hid_t d =
        make_dataset(file, p1, H5T_NATIVE_DOUBLE, 2, dims, chunk, 0, &o, CPET__FILTER_CARRAY, a);
    if (d >= 0) H5Dclose(d);
    hsize_t rd[1] = {N_ROWS}, rc[1] = {1000};
    d = make_dataset(file, p2, t, 1, rd, rc, 1, &o, CPET__FILTER_TABLE, r);
    if (d >= 0) H5Dclose(d);
  }
  H5Tclose(t);
  free(a);
  free(r);
  H5Fclose(file);
  printf("wrote %s\n", fname);
  return 0;
}

/* Reads a file PyTables wrote with the same data (check_blosc_pytables.py): every
 * arr_<complib> / tab_<complib> present must hold the data and describe() must report complib. */
static int read_pytables(const char *fname) {
  hid_t file = H5Fopen(fname, H5F_ACC_RDONLY, H5P_DEFAULT);
  CPET_CHECK_(file >= 0, "cannot open %s", fname);
  if (file < 0) return 1;
  const char *libs[] = {"zlib",         "blosc",      "blosc:blosclz", "blosc:lz4", "blosc:lz4hc",
                        "blosc:snappy", "blosc:zlib", "blosc:zstd",    "lzo"};
  double *a = malloc(sizeof(double) * N2_ROWS * N2_COLS);
  row *r = malloc(sizeof(row) * N_ROWS);
  hid_t t = row_type();
  int seen = 0;
  for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
    char name[64], p1[80], p2[80];
    snprintf(name, sizeof name, "%s", libs[i]);
    for (char *p = name; *p; p++)
      if (*p == ':') *p = '_';
    snprintf(p1, sizeof p1, "arr_%s", name);
    snprintf(p2, sizeof p2, "tab_%s", name);
    if (H5Lexists(file, p1, H5P_DEFAULT) <= 0) continue;
    seen++;
    hid_t d = H5Dopen2(file, p1, H5P_DEFAULT);
    memset(a, 0, sizeof(double) * N2_ROWS * N2_COLS);
    CPET_CHECK_(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, a) >= 0,
                "%s: H5Dread failed", p1);
    size_t bad = 0;
    for (size_t k = 0; k < N2_ROWS * N2_COLS; k++)
      bad += a[k] != f64_at(k);
    CPET_CHECK_(bad == 0, "%s: %zu elements differ", p1, bad);
    cpet_filter_opts o;
    char back[CPET_FILTER_NAME_MAX] = "";
    hid_t dcpl = H5Dget_create_plist(d);
    CHECK_OK(cpet__filter_describe(dcpl, &o));
    CHECK_OK(cpet_filter_complib_name(&o, back, sizeof back));
    CHECK_STR(back, libs[i]);
    H5Pclose(dcpl);
    H5Dclose(d);

    d = H5Dopen2(file, p2, H5P_DEFAULT);
    memset(r, 0, sizeof(row) * N_ROWS);
    CPET_CHECK_(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, r) >= 0, "%s: H5Dread failed", p2);
    bad = 0;
    for (size_t k = 0; k < N_ROWS; k++) {
      row w;
      row_at(k, &w);
      bad += r[k].idx != w.idx || r[k].value != w.value || memcmp(r[k].name, w.name, 12) != 0;
    }
    CPET_CHECK_(bad == 0, "%s: %zu rows differ", p2, bad);
    H5Dclose(d);
  }
  CPET_CHECK_(seen > 0, "%s holds no arr_* dataset", fname);
  printf("read %d PyTables-written complibs from %s\n", seen, fname);
  H5Tclose(t);
  free(a);
  free(r);
  H5Fclose(file);
  return 0;
}

int main(int argc, char **argv) {
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  CHECK_OK(cpet_filter_register_all());
  CHECK_OK(cpet_filter_register_all()); /* idempotent */
  CHECK(cpet_filter_available(CPET_COMPLIB_ZLIB));
  CHECK(cpet_filter_available(CPET_COMPLIB_BLOSC));
  CHECK(cpet_filter_blosc_codec_available(CPET_BLOSC_DEFAULT));
  CHECK(cpet_filter_blosc_codec_available(CPET_BLOSC_LZ4));
  CHECK(!cpet_filter_blosc_codec_available(42));
  printf("lzo available: %d, bzip2 available: %d\n", cpet_filter_available(CPET_COMPLIB_LZO),
         cpet_filter_available(CPET_COMPLIB_BZIP2));

  /* modes used by check_blosc_pytables.py */
  if (argc == 3 && strcmp(argv[1], "--write") == 0) {
    CHECK_INT(write_interop(argv[2]), 0);
    CPET_TEST_END();
  }
  if (argc == 3 && strcmp(argv[1], "--read-pytables") == 0) {
    CHECK_INT(read_pytables(argv[2]), 0);
    CPET_TEST_END();
  }

  test_names();
  test_bad_opts();

  hid_t file = H5Fcreate("filter_roundtrip.h5", H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  CHECK(file >= 0);
  int count = 0;
  const int codecs[] = {CPET_BLOSC_DEFAULT, CPET_BLOSC_BLOSCLZ, CPET_BLOSC_LZ4, CPET_BLOSC_LZ4HC,
                        CPET_BLOSC_SNAPPY,  CPET_BLOSC_ZLIB,    CPET_BLOSC_ZSTD};
  for (int shuffle = 0; shuffle <= 1; shuffle++) {
    for (int fl = 0; fl <= 1; fl++) {
      cpet_filter_opts o = {CPET_COMPLIB_ZLIB, CPET_BLOSC_DEFAULT, 9, shuffle, fl};
      roundtrip(file, &o, &count);
      o.complevel = 4;
      roundtrip(file, &o, &count);
      o.complevel = 0;
      roundtrip(file, &o, &count);
      for (size_t c = 0; c < sizeof codecs / sizeof codecs[0]; c++) {
        if (!cpet_filter_blosc_codec_available(codecs[c])) {
          printf("blosc codec %d not available, skipped\n", codecs[c]);
          continue;
        }
        o = (cpet_filter_opts){CPET_COMPLIB_BLOSC, codecs[c], 9, shuffle, fl};
        roundtrip(file, &o, &count);
        o.complevel = 1;
        roundtrip(file, &o, &count);
      }
      if (cpet_filter_available(CPET_COMPLIB_LZO)) {
        o = (cpet_filter_opts){CPET_COMPLIB_LZO, CPET_BLOSC_DEFAULT, 9, shuffle, fl};
        roundtrip(file, &o, &count);
        o.complevel = 1;
        roundtrip(file, &o, &count);
      }
      if (cpet_filter_available(CPET_COMPLIB_BZIP2)) {
        o = (cpet_filter_opts){CPET_COMPLIB_BZIP2, CPET_BLOSC_DEFAULT, 9, shuffle, fl};
        roundtrip(file, &o, &count);
      }
    }
  }
  H5Fclose(file);
  printf("%d configurations written\n", count);

  /* an unavailable complib is refused, not silently written uncompressed */
  if (!cpet_filter_available(CPET_COMPLIB_BZIP2)) {
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    cpet_filter_opts o = {CPET_COMPLIB_BZIP2, CPET_BLOSC_DEFAULT, 9, 1, 1};
    CHECK_ERR(cpet__filter_apply(dcpl, &o, 8, 0), CPET_ERR_UNSUPPORTED);
    CHECK_INT(H5Pget_nfilters(dcpl), 0); /* not even fletcher32 was added */
    H5Pclose(dcpl);
  }
  CPET_TEST_END();
}
