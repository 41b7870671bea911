/* test_shared.c - shared data (ACCESS_DATA, spec 6.10): a shared table (append rows, read
 * slices, modify rows and columns), EARRAY append, VLARRAY append, CARRAY row writes on a
 * cpet-written SharedResult, and the same operations on the ordinary TABLE/EARRAY/VLARRAY items
 * of a pypet fixture; everything read back through the handle and through a trajectory load.
 * Shared data on a closed file fail with CPET_ERR_STATE and leave the bytes alone. */
#include <stdint.h>

#include "maint_test.h"
#include "tree/tree_int.h"
#include <cpet/cpet_shared.h>
#include <cpet/cpet_store.h>

static cpet_value *col(cpet_type t, size_t n, const void *data) {
  size_t sh[1] = {n};
  cpet_value *v = NULL;
  CHECK_OK(cpet_value_new_array(CPET_KIND_SCALAR, t, 0, 1, sh, data, &v));
  return v;
}

static cpet_value *arr(cpet_type t, int nd, const size_t *sh, const void *data) {
  cpet_value *v = NULL;
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, t, 0, nd, sh, data, &v));
  return v;
}

/* rows a (int32), b (float64), v (3 float64 per row) */
static cpet_value *rows(int first, size_t n) {
  int32_t a[8];
  double b[8], v[24];
  for (size_t i = 0; i < n; i++) {
    a[i] = first + (int)i;
    b[i] = (first + (int)i) * 0.5;
    for (int k = 0; k < 3; k++)
      v[3 * i + k] = first * 10.0 + k;
  }
  cpet_value *t = NULL;
  CHECK_OK(cpet_value_new_table(&t));
  CHECK_OK(cpet_value_set(t, "a", col(CPET_T_INT32, n, a)));
  CHECK_OK(cpet_value_set(t, "b", col(CPET_T_FLOAT64, n, b)));
  size_t sh[2] = {n, 3};
  CHECK_OK(cpet_value_set(t, "v", arr(CPET_T_FLOAT64, 2, sh, v)));
  return t;
}

static int64_t i64_at(const cpet_value *v, size_t i) {
  const void *d = cpet_value_data(v);
  switch (cpet_value_type(v)) {
  case CPET_T_INT32:
    return ((const int32_t *)d)[i];
  case CPET_T_INT64:
    return ((const int64_t *)d)[i];
  default:
    return INT64_MIN;
  }
}

static void table_ops(cpet_store *s) {
  cpet_shared *h = NULL;
  cpet_value *r = rows(1, 2);
  CHECK_OK(cpet_shared_create(s, "sh", "results:shared", "tab", CPET_FLAG_TABLE, r, &h));
  CHECK_ERR(cpet_shared_create(s, "sh", "results:shared", "tab", CPET_FLAG_TABLE, r, NULL),
            CPET_ERR_EXISTS);
  cpet_value_free(r);
  CHECK_INT(cpet_shared_kind(h), CPET_FLAG_TABLE);
  size_t n = 0;
  CHECK_OK(cpet_shared_ncols(h, &n));
  CHECK_INT(n, 3);
  r = rows(10, 3);
  CHECK_OK(cpet_shared_append(h, r));
  cpet_value_free(r);
  CHECK_OK(cpet_shared_nrows(h, &n));
  CHECK_INT(n, 5);
  cpet_value *got = NULL;
  CHECK_OK(cpet_shared_read(h, 1, 4, &got));
  const cpet_value *a = cpet_value_get(got, "a"), *v = cpet_value_get(got, "v");
  CHECK(a && cpet_value_shape(a)[0] == 3);
  CHECK_INT(i64_at(a, 0), 2);
  CHECK_INT(i64_at(a, 1), 10);
  CHECK_INT(i64_at(a, 2), 11);
  CHECK(v && cpet_value_ndim(v) == 2 && cpet_value_shape(v)[1] == 3);
  CHECK_DBL(((const double *)cpet_value_data(v))[3 * 1 + 2], 102.0);
  cpet_value_free(got);
  /* modify a column (one cell, then two) and rows */
  int32_t hundred = 100;
  cpet_value *cell = NULL;
  CHECK_OK(cpet_value_new_scalar(CPET_T_INT32, &hundred, 0, &cell));
  CHECK_OK(cpet_shared_modify_column(h, "a", 0, cell));
  cpet_value_free(cell);
  double bb[2] = {-1.0, -2.0};
  cell = col(CPET_T_FLOAT64, 2, bb);
  CHECK_OK(cpet_shared_modify_column(h, "b", 3, cell));
  CHECK_ERR(cpet_shared_modify_column(h, "b", 4, cell), CPET_ERR_RANGE);
  CHECK_ERR(cpet_shared_modify_column(h, "nope", 0, cell), CPET_ERR_NOTFOUND);
  cpet_value_free(cell);
  r = rows(50, 1);
  CHECK_OK(cpet_shared_write(h, 2, r));
  CHECK_ERR(cpet_shared_write(h, 5, r), CPET_ERR_RANGE);
  cpet_value_free(r);
  CHECK_OK(cpet_shared_read_column(h, "a", 0, SIZE_MAX, &got));
  int64_t want_a[5] = {100, 2, 50, 11, 12};
  for (size_t i = 0; i < 5; i++)
    CHECK_INT(i64_at(got, i), want_a[i]);
  cpet_value_free(got);
  CHECK_OK(cpet_shared_read_column(h, "b", 3, 5, &got));
  CHECK_DBL(((const double *)cpet_value_data(got))[1], -2.0);
  cpet_value_free(got);
  /* a table without one of the columns is refused */
  cpet_value *bad = NULL;
  CHECK_OK(cpet_value_new_table(&bad));
  CHECK_OK(cpet_value_set(bad, "a", col(CPET_T_INT32, 1, &hundred)));
  CHECK_ERR(cpet_shared_append(h, bad), CPET_ERR_TYPE);
  cpet_value_free(bad);
  CHECK_OK(cpet_shared_nrows(h, &n));
  CHECK_INT(n, 5);
  cpet_shared_close(h);
}

static void array_ops(cpet_store *s) {
  int64_t e[6] = {0, 1, 2, 3, 4, 5}, e2[6] = {6, 7, 8, 9, 10, 11};
  size_t sh23[2] = {2, 3}, sh3[1] = {3};
  cpet_value *v = arr(CPET_T_INT64, 2, sh23, e);
  cpet_shared *h = NULL;
  CHECK_OK(cpet_shared_create(s, "sh", "results.shared", "earr", CPET_FLAG_EARRAY, v, &h));
  cpet_value_free(v);
  v = arr(CPET_T_INT64, 1, sh3, e2);
  CHECK_OK(cpet_shared_append(h, v)); /* one row */
  cpet_value_free(v);
  v = arr(CPET_T_INT64, 2, sh23, e2);
  CHECK_OK(cpet_shared_append(h, v)); /* two rows */
  cpet_value_free(v);
  size_t n = 0;
  CHECK_OK(cpet_shared_nrows(h, &n));
  CHECK_INT(n, 5);
  cpet_value *got = NULL;
  CHECK_OK(cpet_shared_read(h, 3, SIZE_MAX, &got));
  CHECK_INT(cpet_value_shape(got)[0], 2);
  CHECK_INT(i64_at(got, 5), 11);
  cpet_value_free(got);
  cpet_shared_close(h);

  int64_t vl[3] = {1, 2, 3};
  v = arr(CPET_T_INT64, 1, sh3, vl);
  CHECK_OK(cpet_shared_create(s, "sh", "results.shared", "vl", CPET_FLAG_VLARRAY, v, &h));
  size_t sh2[1] = {2};
  cpet_value *row = arr(CPET_T_INT64, 1, sh2, e2);
  CHECK_OK(cpet_shared_append(h, row));
  cpet_value_free(row);
  CHECK_OK(cpet_shared_read(h, 0, SIZE_MAX, &got));
  CHECK_INT(cpet_value_nchildren(got), 2);
  CHECK(cpet_value_equal(cpet_value_child(got, 0), v));
  CHECK_INT(cpet_value_nelem(cpet_value_child(got, 1)), 2);
  CHECK_INT(i64_at(cpet_value_child(got, 1), 1), 7);
  cpet_value_free(got);
  cpet_value_free(v);
  cpet_shared_close(h);

  double c[4] = {1, 2, 3, 4}, nine[2] = {9, 9};
  size_t sh4[1] = {4};
  v = arr(CPET_T_FLOAT64, 1, sh4, c);
  CHECK_OK(cpet_shared_create(s, "sh", "results.shared", "carr", CPET_FLAG_CARRAY, v, &h));
  cpet_value_free(v);
  v = arr(CPET_T_FLOAT64, 1, sh2, nine);
  CHECK_OK(cpet_shared_write(h, 1, v));
  CHECK_ERR(cpet_shared_append(h, v), CPET_ERR_TYPE);
  CHECK_ERR(cpet_shared_write(h, 3, v), CPET_ERR_RANGE);
  cpet_value_free(v);
  CHECK_OK(cpet_shared_read(h, 0, 4, &got));
  const double *d = cpet_value_data(got);
  CHECK(d && d[0] == 1 && d[1] == 9 && d[2] == 9 && d[3] == 4);
  cpet_value_free(got);
  cpet_shared_close(h);
}

static void cpet_written(void) {
  const char *fn = "shared.hdf5";
  cpet_traj *t = NULL;
  CHECK_OK(cpet_traj_create("sh", &t));
  CHECK_OK(cpet_traj_add_result(t, "results.shared", CPET_CLASS_SHARED_RESULT, NULL, NULL, NULL));
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open(fn, CPET_OPEN_CREATE, NULL, &s));
  CHECK_OK(cpet_store_traj(s, t, CPET_STORE_DATA, 0));
  cpet_traj_free(t);
  cpet_shared *h = NULL;
  CHECK_ERR(cpet_shared_open(s, "sh", "results:shared", "tab", &h), CPET_ERR_NOTSTORED);
  CHECK_ERR(cpet_shared_open(s, "sh", "results:nothing", "tab", &h), CPET_ERR_NOTSTORED);
  table_ops(s);
  array_ops(s);
  /* the file closed: the handle and new handles refuse, the bytes stay */
  /* a shared pandas frame (pypet's SharedPandasFrame: table format), read back whole */
  double fx[3] = {1.5, 2.5, 3.5};
  cpet_value *frame = NULL, *got = NULL;
  size_t sh3[1] = {3};
  CHECK_OK(cpet_value_new_frame(NULL, NULL, &frame));
  CHECK_OK(cpet_value_set(frame, "f", arr(CPET_T_FLOAT64, 1, sh3, fx)));
  CHECK_OK(cpet_shared_create(s, "sh", "results:shared", "frame", CPET_FLAG_FRAME, frame, &h));
  CHECK_INT(cpet_shared_kind(h), CPET_FLAG_FRAME);
  CHECK_OK(cpet_shared_read(h, 0, SIZE_MAX, &got));
  CHECK(got && cpet_value_kind(got) == CPET_KIND_FRAME);
  const cpet_value *f = got ? cpet_value_get(got, "f") : NULL;
  CHECK(f && cpet_value_nelem(f) == 3 && ((const double *)cpet_value_data(f))[2] == 3.5);
  CHECK_ERR(cpet_shared_append(h, frame), CPET_ERR_TYPE);
  cpet_value_free(got);
  cpet_value_free(frame);
  cpet_shared_close(h);
  CHECK_OK(cpet_shared_open(s, "sh", "results:shared", "tab", &h));
  CHECK_OK(cpet_store_close_file(s));
  uint64_t before = mt_checksum(fn);
  cpet_value *r = rows(70, 1);
  CHECK_ERR(cpet_shared_append(h, r), CPET_ERR_STATE);
  cpet_shared *h2 = NULL;
  CHECK_ERR(cpet_shared_open(s, "sh", "results:shared", "tab", &h2), CPET_ERR_STATE);
  CHECK_ERR(cpet_shared_create(s, "sh", "results:shared", "t2", CPET_FLAG_TABLE, r, NULL),
            CPET_ERR_STATE);
  CHECK(mt_checksum(fn) == before);
  cpet_value_free(r);
  cpet_shared_close(h);
  CHECK_OK(cpet_store_close(s));
  CHECK(mt_checksum(fn) == before);

  /* a trajectory load sees the shared items as their kinds */
  CHECK_OK(cpet_store_open(fn, CPET_OPEN_READ, NULL, &s));
  cpet_load_opts lo = CPET_LOAD_OPTS_ALL;
  lo.name = "sh";
  CHECK_OK(cpet_store_load_traj(s, &lo, &t));
  cpet_node *leaf = t ? cpet__traj_find_exact(t, "results.shared") : NULL;
  CHECK(leaf != NULL);
  if (leaf) {
    const cpet_value *tab = cpet_leaf_get(leaf, "tab");
    CHECK(tab && cpet_value_kind(tab) == CPET_KIND_TABLE);
    const cpet_value *a = tab ? cpet_value_get(tab, "a") : NULL;
    CHECK(a && cpet_value_shape(a)[0] == 5);
    const cpet_value *e = cpet_leaf_get(leaf, "earr");
    CHECK(e && cpet_value_ndim(e) == 2 && cpet_value_shape(e)[0] == 5);
  }
  cpet_traj_free(t);
  CHECK_OK(cpet_store_close(s));
}

/* arrays_containers.hdf5: ordinary TABLE/EARRAY/VLARRAY items of results.flags. */
static void pypet_written(void) {
  const char *fn = "shared_fixture.hdf5";
  if (mt_copy_fixture("arrays_containers.hdf5", fn)) {
    CHECK(0);
    return;
  }
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open(fn, CPET_OPEN_APPEND, NULL, &s));
  cpet_shared *h = NULL;
  CHECK_OK(cpet_shared_open(s, "arrays", "results:flags", "table_ot", &h));
  int32_t a3 = 3;
  const char *zs[1] = {"z"};
  size_t one[1] = {1};
  cpet_value *r = NULL, *bcol = NULL;
  CHECK_OK(cpet_value_new_table(&r));
  CHECK_OK(cpet_value_set(r, "a", col(CPET_T_INT32, 1, &a3)));
  CHECK_OK(cpet_value_new_str_array(CPET_KIND_SCALAR, CPET_T_BYTES, 1, one, zs, &bcol));
  CHECK_OK(cpet_value_set(r, "b", bcol));
  CHECK_OK(cpet_shared_append(h, r));
  cpet_value_free(r);
  cpet_value *got = NULL;
  CHECK_OK(cpet_shared_read(h, 0, SIZE_MAX, &got));
  const cpet_value *a = cpet_value_get(got, "a"), *b = cpet_value_get(got, "b");
  CHECK(a && cpet_value_shape(a)[0] == 3);
  CHECK_INT(i64_at(a, 2), 3);
  CHECK(b && memcmp((const char *)cpet_value_data(b) + 2 * cpet_value_itemsize(b), "z", 1) == 0);
  cpet_value_free(got);
  cpet_shared_close(h);

  CHECK_OK(cpet_shared_open(s, "arrays", "results.flags", "earray", &h));
  int64_t row[3] = {12, 13, 14};
  size_t sh3[1] = {3};
  r = arr(CPET_T_INT64, 1, sh3, row);
  CHECK_OK(cpet_shared_append(h, r));
  cpet_value_free(r);
  CHECK_OK(cpet_shared_read(h, 4, 5, &got));
  CHECK_INT(i64_at(got, 2), 14);
  cpet_value_free(got);
  cpet_shared_close(h);

  CHECK_OK(cpet_shared_open(s, "arrays", "results.flags", "vlarray", &h));
  int64_t vr[2] = {7, 8};
  size_t sh2[1] = {2};
  r = arr(CPET_T_INT64, 1, sh2, vr);
  CHECK_OK(cpet_shared_append(h, r));
  cpet_value_free(r);
  size_t n = 0;
  CHECK_OK(cpet_shared_nrows(h, &n));
  CHECK_INT(n, 2);
  cpet_shared_close(h);
  /* pypet's make_shared / make_ordinary */
  CHECK_OK(cpet_shared_set_shared(s, "arrays", "results.flags", "earray", 1));
  CHECK_OK(cpet_shared_open(s, "arrays", "results.flags", "earray", &h));
  CHECK_INT(cpet_shared_kind(h), CPET_FLAG_EARRAY);
  cpet_shared_close(h);
  CHECK_ERR(cpet_shared_set_shared(s, "arrays", "results.flags", "nope", 1), CPET_ERR_NOTSTORED);
  CHECK_OK(cpet_store_close(s));

  CHECK_OK(cpet_store_open(fn, CPET_OPEN_READ, NULL, &s));
  cpet_load_opts lo = CPET_LOAD_OPTS_ALL;
  lo.name = "arrays";
  cpet_traj *t = NULL;
  CHECK_OK(cpet_store_load_traj(s, &lo, &t));
  cpet_node *leaf = t ? cpet__traj_find_exact(t, "results.flags") : NULL;
  const cpet_value *tab = leaf ? cpet_leaf_get(leaf, "table_ot") : NULL;
  CHECK(tab && cpet_value_shape(cpet_value_get(tab, "a"))[0] == 3);
  const cpet_value *e = leaf ? cpet_leaf_get(leaf, "earray") : NULL;
  CHECK(e && cpet_value_shape(e)[0] == 5);
  const cpet_value *vl = leaf ? cpet_leaf_get(leaf, "vlarray") : NULL;
  CHECK(vl && cpet_value_nchildren(vl) == 2);
  cpet_traj_free(t);
  CHECK_OK(cpet_store_close(s));
}

static void lazy(void) {
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open_lazy(&s));
  cpet_shared *h = NULL;
  int32_t one = 1;
  cpet_value *c = col(CPET_T_INT32, 1, &one);
  CHECK_OK(cpet_shared_create(s, "t", "results.x", "tab", CPET_FLAG_EARRAY, c, &h));
  CHECK_OK(cpet_shared_append(h, c));
  cpet_value *got = NULL;
  CHECK_ERR(cpet_shared_read(h, 0, 1, &got), CPET_ERR_NOTSTORED);
  cpet_shared_close(h);
  cpet_value_free(c);
  CHECK_OK(cpet_store_close(s));
}

int main(void) {
  cpet_written();
  pypet_written();
  lazy();
  CPET_TEST_END();
}
