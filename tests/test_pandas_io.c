/* test_pandas_io.c - pandas fixed and table format: reads pypet's pandas_fixed / pandas_table
 * fixtures as their JSON lists them, writes pandas_out.h5 (checked by check_pandas.py with
 * pandas.read_hdf) and reads it back. */
#include "cpet_test.h"
#include "h5/h5_int.h"
#include "value/value_int.h"
#include "layout/layout_int.h"

static const cpet_value *col(const cpet_value *f, const char *k) {
  const cpet_value *c = cpet_value_get(f, k);
  CPET_CHECK_(c != NULL, "column '%s' missing", k);
  return c;
}

static double f64_at(const cpet_value *v, size_t i) {
  cpet_value *c = NULL;
  double d = -12345;
  if (v && cpet__value_cell(v, i, &c) == CPET_OK) cpet_value_to_f64(c, &d);
  cpet_value_free(c);
  return d;
}

static int str_at(const cpet_value *v, size_t i, const char *want) {
  if (!v || i >= cpet_value_nelem(v)) return 0;
  size_t w = cpet_value_itemsize(v);
  const char *p = (const char *)cpet_value_data(v) + i * w;
  size_t l = strlen(want);
  return l <= w && memcmp(p, want, l) == 0 && (l == w || p[l] == 0);
}

static cpet_value *read_group(hid_t f, const char *path) {
  hid_t g = H5Gopen2(f, path, H5P_DEFAULT);
  CPET_CHECK_(g >= 0, "open %s", path);
  if (g < 0) return NULL;
  cpet_value *v = NULL;
  CHECK_OK(cpet__pandas_read(g, &v));
  H5Gclose(g);
  return v;
}

static void check_fixture(const char *file) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", cpet_test_fixtures(), file);
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  CHECK(f >= 0);
  if (f < 0) return;
  cpet_value *v = read_group(f, "/frames/results/pandas/frames/numeric");
  if (v) {
    CHECK_INT(cpet_value_kind(v), CPET_KIND_FRAME);
    CHECK_INT(cpet_value_nchildren(v), 5);
    CHECK_STR(cpet_value_key(v, 0), "i64");
    CHECK_STR(cpet_value_key(v, 4), "flag");
    CHECK_INT(cpet_value_type(col(v, "i64")), CPET_T_INT64);
    CHECK_INT(cpet_value_type(col(v, "i32")), CPET_T_INT32);
    CHECK_INT(cpet_value_type(col(v, "f32")), CPET_T_FLOAT32);
    CHECK_INT(cpet_value_type(col(v, "flag")), CPET_T_BOOL);
    CHECK_DBL(f64_at(col(v, "f64"), 3), 0.75);
    CHECK_DBL(f64_at(col(v, "i32"), 3), -2);
    CHECK_DBL(f64_at(col(v, "f32"), 1), (float)(1.0 / 3));
    CHECK_DBL(f64_at(col(v, "flag"), 1), 0);
    CHECK_DBL(f64_at(col(v, "flag"), 3), 1);
    CHECK_DBL(f64_at(cpet_value_index(v), 4), 4);
    CHECK(cpet_value_name(v) == NULL);
  }
  cpet_value_free(v);
  v = read_group(f, "/frames/results/pandas/frames/named_index");
  if (v) {
    CHECK_STR(cpet_value_name(v), "key");
    CHECK_DBL(f64_at(cpet_value_index(v), 2), 300);
    CHECK_DBL(f64_at(col(v, "v"), 1), 20);
  }
  cpet_value_free(v);
  v = read_group(f, "/frames/results/pandas/frames/strings");
  if (v) {
    CHECK_STR(cpet_value_key(v, 0), "name");
    CHECK_INT(cpet_value_type(col(v, "name")), CPET_T_PY_STR);
    CHECK(str_at(col(v, "name"), 0, "ann"));
    CHECK(str_at(col(v, "name"), 2, "cy"));
    CHECK_DBL(f64_at(col(v, "score"), 2), 3.5);
    CHECK_INT(cpet_value_type(cpet_value_index(v)), CPET_T_PY_STR);
    CHECK(str_at(cpet_value_index(v), 1, "r2"));
  }
  cpet_value_free(v);
  v = read_group(f, "/frames/results/pandas/series/floats");
  if (v) {
    CHECK_INT(cpet_value_kind(v), CPET_KIND_SERIES);
    CHECK_STR(cpet_value_name(v), "measure");
    CHECK_DBL(f64_at(cpet_value_get(v, "values"), 1), 1.5);
    CHECK(isnan(f64_at(cpet_value_get(v, "values"), 2)));
  }
  cpet_value_free(v);
  v = read_group(f, "/frames/results/pandas/series/ints_str_index");
  if (v) {
    CHECK_STR(cpet_value_name(v), "counts");
    CHECK_INT(cpet_value_type(cpet_value_get(v, "values")), CPET_T_INT64);
    CHECK_DBL(f64_at(cpet_value_get(v, "values"), 0), 3);
    CHECK(str_at(cpet_value_index(v), 2, "c"));
  }
  cpet_value_free(v);
  v = read_group(f, "/frames/results/pandas/series/unnamed");
  if (v) {
    CHECK(cpet_value_name(v) == NULL);
    CHECK_INT(cpet_value_type(cpet_value_get(v, "values")), CPET_T_INT16);
    CHECK_UINT(cpet_value_nelem(v), 4);
    CHECK_DBL(f64_at(cpet_value_get(v, "values"), 3), 3);
  }
  cpet_value_free(v);
  H5Fclose(f);
}

static cpet_value *arr(cpet_type t, size_t n, const void *d) {
  cpet_value *v = NULL;
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, t, 0, 1, &n, d, &v));
  return v;
}

static cpet_value *make_frame(int str_index) {
  int64_t i64[3] = {1, -2, 1LL << 40};
  double f64[3] = {0.5, NAN, -1e300};
  int32_t i32[3] = {7, 8, 9};
  unsigned char b[3] = {1, 0, 1};
  const char *names[3] = {"ann",
                          "b\xc3\xb6"
                          "b",
                          ""};
  const char *idxs[3] = {"r1", "r2", "r3"};
  int64_t idx[3] = {10, 20, 30};
  cpet_value *index = NULL, *s = NULL, *f = NULL;
  size_t three = 3;
  if (str_index)
    CHECK_OK(cpet_value_new_str_array(CPET_KIND_NDARRAY, CPET_T_PY_STR, 1, &three, idxs, &index));
  else
    index = arr(CPET_T_INT64, 3, idx);
  CHECK_OK(cpet_value_new_frame(index, str_index ? NULL : "key", &f));
  CHECK_OK(cpet_value_set(f, "i64", arr(CPET_T_INT64, 3, i64)));
  CHECK_OK(cpet_value_set(f, "f64", arr(CPET_T_FLOAT64, 3, f64)));
  CHECK_OK(cpet_value_set(f, "i32", arr(CPET_T_INT32, 3, i32)));
  CHECK_OK(cpet_value_set(f, "flag", arr(CPET_T_BOOL, 3, b)));
  CHECK_OK(cpet_value_new_str_array(CPET_KIND_NDARRAY, CPET_T_PY_STR, 1, &three, names, &s));
  CHECK_OK(cpet_value_set(f, "name", s));
  return f;
}

static cpet_value *make_series(int named) {
  int16_t v[4] = {1, 2, 3, -4};
  int64_t idx[4] = {0, 1, 2, 3};
  cpet_value *s = NULL;
  /* fixed/table formats always store the index: a RangeIndex comes back as int64 0..n-1 */
  CHECK_OK(cpet_value_new_series(arr(CPET_T_INT16, 4, v), arr(CPET_T_INT64, 4, idx),
                                 named ? "counts" : NULL, &s));
  return s;
}

static void write_and_read(void) {
  hid_t f = H5Fcreate("pandas_out.h5", H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  CHECK(f >= 0);
  struct {
    const char *name;
    cpet_value *v;
    cpet_pandas_format fmt;
  } items[] = {
      {"fixed_frame", make_frame(0), CPET_PANDAS_FIXED},
      {"fixed_frame_stridx", make_frame(1), CPET_PANDAS_FIXED},
      {"fixed_series", make_series(1), CPET_PANDAS_FIXED},
      {"fixed_series_unnamed", make_series(0), CPET_PANDAS_FIXED},
      {"table_frame", make_frame(0), CPET_PANDAS_TABLE},
      {"table_frame_stridx", make_frame(1), CPET_PANDAS_TABLE},
      {"table_series", make_series(1), CPET_PANDAS_TABLE},
      {"table_series_unnamed", make_series(0), CPET_PANDAS_TABLE},
  };
  cpet__wctx ctx = {NULL, 0};
  for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
    CHECK_OK(cpet__pandas_write(f, items[i].name, items[i].v, items[i].fmt, &ctx));
    hid_t g = H5Gopen2(f, items[i].name, H5P_DEFAULT);
    char *store = NULL;
    CHECK_OK(cpet__h5_attr_read_str(g, "SRVC_STORE", &store));
    CHECK_STR(store, cpet_value_kind(items[i].v) == CPET_KIND_FRAME ? "FRAME" : "SERIES");
    cpet_free(store);
    cpet_value *back = NULL;
    CHECK_OK(cpet__pandas_read(g, &back));
    CPET_CHECK_(back && cpet_value_equal(items[i].v, back) &&
                    (cpet_value_name(back) == NULL) == (cpet_value_name(items[i].v) == NULL),
                "%s reads back differently", items[i].name);
    if (back && cpet_value_kind(back) == CPET_KIND_FRAME && !cpet_value_index(items[i].v))
      CHECK(cpet_value_index(back) != NULL);
    cpet_value_free(back);
    H5Gclose(g);
  }
  CHECK_ERR(cpet__pandas_write(f, "fixed_frame", items[0].v, CPET_PANDAS_FIXED, &ctx),
            CPET_ERR_EXISTS);
  for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
    cpet_value_free(items[i].v);
  H5Fclose(f);
}

int main(void) {
  CHECK_OK(cpet__h5_init());
  check_fixture("pandas_fixed.hdf5");
  check_fixture("pandas_table.hdf5");
  write_and_read();
  CPET_TEST_END();
}
