/* test_filter_fixtures.c - pypet/PyTables-written blosc and zlib+fletcher32 files read through
 * cpet's in-process filters; cpet__filter_describe reports their settings. Expected values come
 * from the fixtures' companion JSON (env_queue_blosc_nopurge_minimal_overview.json,
 * zlib4_fletcher32_noshuffle.json). */
#include <hdf5.h>
#include <stdint.h>

#include "cpet_test.h"
#include "filter/filter_int.h"
#include <cpet/cpet_filter.h>

typedef struct run_row {
  int32_t idx;
  int32_t completed;
  double timestamp;
  char name[128];
  char runtime[18];
  char summary[512];
} run_row;

static hid_t run_row_type(void) {
  hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(run_row));
  hid_t s128 = H5Tcopy(H5T_C_S1), s18 = H5Tcopy(H5T_C_S1), s512 = H5Tcopy(H5T_C_S1);
  H5Tset_size(s128, 128);
  H5Tset_size(s18, 18);
  H5Tset_size(s512, 512);
  H5Tinsert(t, "idx", HOFFSET(run_row, idx), H5T_NATIVE_INT32);
  H5Tinsert(t, "completed", HOFFSET(run_row, completed), H5T_NATIVE_INT32);
  H5Tinsert(t, "timestamp", HOFFSET(run_row, timestamp), H5T_NATIVE_DOUBLE);
  H5Tinsert(t, "name", HOFFSET(run_row, name), s128);
  H5Tinsert(t, "runtime", HOFFSET(run_row, runtime), s18);
  H5Tinsert(t, "parameter_summary", HOFFSET(run_row, summary), s512);
  H5Tclose(s128);
  H5Tclose(s18);
  H5Tclose(s512);
  return t;
}

/* Reads rows of the runs table; returns the row count or -1. rows gets cpet-free'd by caller. */
static long read_runs(hid_t file, const char *path, run_row **rows) {
  *rows = NULL;
  hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t space = H5Dget_space(d);
  hssize_t n = H5Sget_simple_extent_npoints(space);
  H5Sclose(space);
  hid_t t = run_row_type();
  *rows = calloc(n > 0 ? (size_t)n : 1, sizeof(run_row));
  herr_t r = H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, *rows);
  H5Tclose(t);
  H5Dclose(d);
  return r < 0 ? -1 : (long)n;
}

/* One-column table "data" of a Parameter's explored range. */
static int read_column(hid_t file, const char *path, hid_t memtype, size_t size, void *buf,
                       size_t n) {
  hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t space = H5Dget_space(d);
  hssize_t np = H5Sget_simple_extent_npoints(space);
  H5Sclose(space);
  hid_t t = H5Tcreate(H5T_COMPOUND, size);
  H5Tinsert(t, "data", 0, memtype);
  herr_t r = np == (hssize_t)n ? H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) : -1;
  H5Tclose(t);
  H5Dclose(d);
  return r < 0 ? -1 : 0;
}

static void describe(hid_t file, const char *path, cpet_filter_opts *o) {
  hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
  CHECK(d >= 0);
  hid_t dcpl = H5Dget_create_plist(d);
  CHECK_OK(cpet__filter_describe(dcpl, o));
  H5Pclose(dcpl);
  H5Dclose(d);
}

static void test_blosc(const char *dir) {
  char fn[4096];
  snprintf(fn, sizeof fn, "%s/env_queue_blosc_nopurge_minimal_overview.hdf5", dir);
  hid_t file = H5Fopen(fn, H5F_ACC_RDONLY, H5P_DEFAULT);
  CPET_CHECK_(file >= 0, "cannot open %s", fn);
  if (file < 0) return;

  run_row *rows = NULL;
  long n = read_runs(file, "/blosc_min/overview/runs", &rows);
  CHECK_INT(n, 6);
  const char *summaries[] = {"x: 1,   y: 0.25", "x: 1,   y: 0.75", "x: 2,   y: 0.25",
                             "x: 2,   y: 0.75", "x: 3,   y: 0.25", "x: 3,   y: 0.75"};
  for (long i = 0; i < n && i < 6; i++) {
    char want[32];
    snprintf(want, sizeof want, "run_%08ld", i);
    CHECK_STR(rows[i].name, want);
    CHECK_INT(rows[i].idx, i);
    CHECK_INT(rows[i].completed, 1);
    CHECK_STR(rows[i].summary, summaries[i]);
  }
  if (n >= 1) CHECK_DBL(rows[0].timestamp, 1795635569.730822);
  if (n >= 2) CHECK_STR(rows[1].runtime, "0:00:00.069520");
  free(rows);

  int32_t x[6] = {0};
  double y[6] = {0};
  CHECK_INT(read_column(file, "/blosc_min/parameters/x/explored_data", H5T_NATIVE_INT32, 4, x, 6),
            0);
  CHECK_INT(read_column(file, "/blosc_min/parameters/y/explored_data", H5T_NATIVE_DOUBLE, 8, y, 6),
            0);
  const int32_t wx[6] = {1, 1, 2, 2, 3, 3};
  const double wy[6] = {0.25, 0.75, 0.25, 0.75, 0.25, 0.75};
  for (int i = 0; i < 6; i++) {
    CHECK_INT(x[i], wx[i]);
    CHECK_DBL(y[i], wy[i]);
  }

  cpet_filter_opts o = CPET_FILTER_OPTS_DEFAULT;
  describe(file, "/blosc_min/overview/runs", &o);
  CHECK_INT(o.complib, CPET_COMPLIB_BLOSC);
  CHECK_INT(o.blosc_codec, CPET_BLOSC_DEFAULT);
  CHECK_INT(o.complevel, 9);
  CHECK_INT(o.shuffle, 1);
  CHECK_INT(o.fletcher32, 0);
  char name[CPET_FILTER_NAME_MAX];
  CHECK_OK(cpet_filter_complib_name(&o, name, sizeof name));
  CHECK_STR(name, "blosc");

  /* ndarray results are blosc-compressed CArrays: results.runs.run_0000000k.delta = [0, k/2+1..] */
  for (int run = 0; run < 6; run++) {
    char path[128];
    snprintf(path, sizeof path, "/blosc_min/results/runs/run_%08d/delta/delta", run);
    int64_t v[3] = {-1, -1, -1};
    hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
    CHECK(d >= 0);
    CHECK(H5Dread(d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    H5Dclose(d);
    for (int k = 0; k < 3; k++)
      CHECK_INT(v[k], k * (run / 2 + 1));
    describe(file, path, &o);
    CHECK_INT(o.complib, CPET_COMPLIB_BLOSC);
    CHECK_INT(o.complevel, 9);
  }
  H5Fclose(file);
}

static void test_uncompressed(const char *dir) {
  char fn[4096];
  snprintf(fn, sizeof fn, "%s/uncompressed_complevel0.hdf5", dir);
  hid_t file = H5Fopen(fn, H5F_ACC_RDONLY, H5P_DEFAULT);
  CPET_CHECK_(file >= 0, "cannot open %s", fn);
  if (file < 0) return;
  /* complevel 0: PyTables attaches no filter at all */
  cpet_filter_opts o = CPET_FILTER_OPTS_DEFAULT;
  describe(file, "/compressed/config/hdf5/complevel/data", &o);
  CHECK_INT(o.complevel, 0);
  CHECK_INT(o.shuffle, 0);
  CHECK_INT(o.fletcher32, 0);
  H5Fclose(file);
}

static void test_zlib4(const char *dir) {
  char fn[4096];
  snprintf(fn, sizeof fn, "%s/zlib4_fletcher32_noshuffle.hdf5", dir);
  hid_t file = H5Fopen(fn, H5F_ACC_RDONLY, H5P_DEFAULT);
  CPET_CHECK_(file >= 0, "cannot open %s", fn);
  if (file < 0) return;

  run_row *rows = NULL;
  long n = read_runs(file, "/compressed/overview/runs", &rows);
  CHECK_INT(n, 1);
  if (n == 1) {
    CHECK_STR(rows[0].name, "run_00000000");
    CHECK_INT(rows[0].idx, 0);
    CHECK_INT(rows[0].completed, 0);
    CHECK_DBL(rows[0].timestamp, 42.0);
    CHECK_STR(rows[0].runtime, "forever and ever");
    CHECK_STR(rows[0].summary, "Not yet my friend!");
  }
  free(rows);

  cpet_filter_opts o = CPET_FILTER_OPTS_DEFAULT;
  describe(file, "/compressed/overview/runs", &o);
  CHECK_INT(o.complib, CPET_COMPLIB_ZLIB);
  CHECK_INT(o.complevel, 4);
  CHECK_INT(o.shuffle, 0);
  CHECK_INT(o.fletcher32, 1);

  /* and cpet__filter_apply reproduces that exact pipeline: fletcher32 first, then deflate 4 */
  hid_t d = H5Dopen2(file, "/compressed/overview/runs", H5P_DEFAULT);
  hid_t theirs = H5Dget_create_plist(d);
  hid_t ours = H5Pcreate(H5P_DATASET_CREATE);
  CHECK_OK(cpet__filter_apply(ours, &o, 0, CPET__FILTER_TABLE));
  int nf = H5Pget_nfilters(theirs);
  CHECK_INT(H5Pget_nfilters(ours), nf);
  for (int i = 0; i < nf && i < H5Pget_nfilters(ours); i++) {
    unsigned f1 = 0, f2 = 0, c1[8] = {0}, c2[8] = {0};
    size_t n1 = 8, n2 = 8;
    CHECK_INT(H5Pget_filter2(ours, (unsigned)i, &f1, &n1, c1, 0, NULL, NULL),
              H5Pget_filter2(theirs, (unsigned)i, &f2, &n2, c2, 0, NULL, NULL));
    CHECK_UINT(f1, f2);
    CHECK_UINT(n1, n2);
    for (size_t k = 0; k < n1 && k < n2; k++)
      CHECK_UINT(c1[k], c2[k]);
  }
  H5Pclose(ours);
  H5Pclose(theirs);
  H5Dclose(d);
  H5Fclose(file);
}

int main(void) {
  const char *dir = cpet_test_fixtures();
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

  /* Without cpet's filter, HDF5 cannot read blosc data (Debian ships no 32001 plugin). Only
   * informational: a plugin on HDF5_PLUGIN_PATH would make this succeed. */
  if (H5Zfilter_avail(CPET__FILTER_BLOSC) <= 0) printf("blosc not available before register\n");

  CHECK_OK(cpet_filter_register_all());
  CHECK(H5Zfilter_avail(CPET__FILTER_BLOSC) > 0);
  test_blosc(dir);
  test_zlib4(dir);
  test_uncompressed(dir);
  CPET_TEST_END();
}
