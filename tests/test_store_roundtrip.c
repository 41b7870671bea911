/* test_store_roundtrip.c - stores trajectories covering every value type and storage flag,
 * explored parameters (zipped, cartesian product, ArrayParameter with duplicates), results
 * stored run by run in shuffled order, links, comments and annotations, with every codec;
 * loads them back and compares every leaf element by element and the runs table. */
#include <stdio.h>
#include <string.h>

#include "cpet_test.h"
#include "tree/tree_int.h"
#include <cpet/cpet_filter.h>
#include <cpet/cpet_store.h>
#include <cpet/cpet_traj.h>
#include <cpet/cpet_value.h>

#define NRUNS 6

static int g_pandas = 1; /* frames/series, when the pandas layout is built */
static int g_sparse = 1; /* sparse matrices, when the npz serialisation is built */

static cpet_value *scalar(cpet_type t, const void *elem, size_t itemsize) {
  cpet_value *v = NULL;
  CHECK_OK(cpet_value_new_scalar(t, elem, itemsize, &v));
  return v;
}

static cpet_value *arr(cpet_kind k, cpet_type t, int ndim, const size_t *shape, const void *d) {
  cpet_value *v = NULL;
  CHECK_OK(cpet_value_new_array(k, t, 0, ndim, shape, d, &v));
  return v;
}

static void set_take(cpet_node *leaf, const char *key, cpet_value *v, cpet_flag f) {
  CHECK_OK(cpet_leaf_set_take(leaf, key, v, f));
}

/* One result per family of values, each item with the flags that can hold it. */
static void add_value_results(cpet_traj *t) {
  cpet_node *r;
  CHECK_OK(cpet_traj_add_result(t, "results.values.scalars", CPET_CLASS_RESULT, NULL,
                                "every scalar type", &r));
  int8_t i8 = -7;
  int16_t i16 = -300;
  int32_t i32 = -70000;
  int64_t i64 = -5000000000LL;
  uint8_t u8 = 250;
  uint16_t u16 = 65000;
  uint32_t u32 = 4000000000U;
  uint64_t u64 = 18000000000000000000ULL;
  float f32 = 1.25f;
  double f64 = -2.5e300, pyf = 3.141592653589793, c128[2] = {1.5, -2.5};
  float c64[2] = {0.5f, 4.0f};
  unsigned char b1 = 1, b0 = 0;
  set_take(r, "py_bool", scalar(CPET_T_PY_BOOL, &b1, 0), CPET_FLAG_AUTO);
  set_take(r, "py_int", scalar(CPET_T_PY_INT, &i64, 0), CPET_FLAG_AUTO);
  set_take(r, "py_float", scalar(CPET_T_PY_FLOAT, &pyf, 0), CPET_FLAG_AUTO);
  set_take(r, "py_complex", scalar(CPET_T_PY_COMPLEX, c128, 0), CPET_FLAG_AUTO);
  set_take(r, "py_str", scalar(CPET_T_PY_STR, "h\xc3\xa9llo \xe2\x98\x83", 10), CPET_FLAG_AUTO);
  set_take(r, "py_bytes", scalar(CPET_T_PY_BYTES, "a\0b", 3), CPET_FLAG_AUTO);
  set_take(r, "np_bool", scalar(CPET_T_BOOL, &b0, 0), CPET_FLAG_AUTO);
  set_take(r, "int8", scalar(CPET_T_INT8, &i8, 0), CPET_FLAG_AUTO);
  set_take(r, "int16", scalar(CPET_T_INT16, &i16, 0), CPET_FLAG_AUTO);
  set_take(r, "int32", scalar(CPET_T_INT32, &i32, 0), CPET_FLAG_AUTO);
  set_take(r, "int64", scalar(CPET_T_INT64, &i64, 0), CPET_FLAG_AUTO);
  set_take(r, "uint8", scalar(CPET_T_UINT8, &u8, 0), CPET_FLAG_AUTO);
  set_take(r, "uint16", scalar(CPET_T_UINT16, &u16, 0), CPET_FLAG_AUTO);
  set_take(r, "uint32", scalar(CPET_T_UINT32, &u32, 0), CPET_FLAG_AUTO);
  set_take(r, "uint64", scalar(CPET_T_UINT64, &u64, 0), CPET_FLAG_AUTO);
  set_take(r, "float32", scalar(CPET_T_FLOAT32, &f32, 0), CPET_FLAG_AUTO);
  set_take(r, "float64", scalar(CPET_T_FLOAT64, &f64, 0), CPET_FLAG_AUTO);
  set_take(r, "complex64", scalar(CPET_T_COMPLEX64, c64, 0), CPET_FLAG_AUTO);
  set_take(r, "complex128", scalar(CPET_T_COMPLEX128, c128, 0), CPET_FLAG_AUTO);
  set_take(r, "np_str", scalar(CPET_T_STR, "numpy text", 10), CPET_FLAG_AUTO);
  set_take(r, "np_bytes", scalar(CPET_T_BYTES, "raw", 3), CPET_FLAG_AUTO);

  CHECK_OK(cpet_traj_add_result(t, "results.values.arrays", CPET_CLASS_RESULT, NULL, NULL, &r));
  double d0 = 42.0;
  int32_t a1[5] = {1, -2, 3, -4, 5};
  float a2[6] = {0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f};
  int16_t a3[24];
  for (int i = 0; i < 24; i++)
    a3[i] = (int16_t)(i * 3 - 20);
  size_t s1[1] = {5}, s2[2] = {2, 3}, s3[3] = {2, 3, 4};
  /* pypet cannot pick a default flag for a 0-d array (len() fails): name it. */
  set_take(r, "zero_d", arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, NULL, &d0), CPET_FLAG_ARRAY);
  const cpet_flag aflags[4] = {CPET_FLAG_ARRAY, CPET_FLAG_CARRAY, CPET_FLAG_EARRAY,
                               CPET_FLAG_VLARRAY};
  const char *fname[4] = {"array", "carray", "earray", "vlarray"};
  for (int f = 0; f < 4; f++) {
    char key[64];
    snprintf(key, sizeof key, "one_d_%s", fname[f]);
    set_take(r, key, arr(CPET_KIND_NDARRAY, CPET_T_INT32, 1, s1, a1), aflags[f]);
    if (aflags[f] == CPET_FLAG_VLARRAY) continue; /* one VLEN row: 1-d values only */
    snprintf(key, sizeof key, "two_d_%s", fname[f]);
    set_take(r, key, arr(CPET_KIND_NDARRAY, CPET_T_FLOAT32, 2, s2, a2), aflags[f]);
    snprintf(key, sizeof key, "three_d_%s", fname[f]);
    set_take(r, key, arr(CPET_KIND_NDARRAY, CPET_T_INT16, 3, s3, a3), aflags[f]);
  }
  set_take(r, "matrix", arr(CPET_KIND_MATRIX, CPET_T_FLOAT32, 2, s2, a2), CPET_FLAG_AUTO);
  unsigned char bools[5] = {1, 0, 0, 1, 1};
  set_take(r, "bools", arr(CPET_KIND_NDARRAY, CPET_T_BOOL, 1, s1, bools), CPET_FLAG_AUTO);
  double cplx[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  set_take(r, "complex", arr(CPET_KIND_NDARRAY, CPET_T_COMPLEX128, 1, s1, cplx), CPET_FLAG_AUTO);
  const char *strs[3] = {"alpha", "be", "gamma!"};
  size_t s31[1] = {3};
  cpet_value *sv = NULL;
  CHECK_OK(cpet_value_new_str_array(CPET_KIND_NDARRAY, CPET_T_STR, 1, s31, strs, &sv));
  set_take(r, "strings", sv, CPET_FLAG_AUTO);

  CHECK_OK(cpet_traj_add_result(t, "results.values.containers", CPET_CLASS_RESULT, NULL,
                                "lists, tuples, dicts, tables", &r));
  int64_t li[4] = {10, 20, -30, 40};
  size_t s4[1] = {4};
  set_take(r, "int_list", arr(CPET_KIND_LIST, CPET_T_PY_INT, 1, s4, li), CPET_FLAG_AUTO);
  set_take(r, "float_tuple", arr(CPET_KIND_TUPLE, CPET_T_PY_FLOAT, 1, s31, cplx), CPET_FLAG_AUTO);
  cpet_value *sl = NULL;
  CHECK_OK(cpet_value_new_str_array(CPET_KIND_LIST, CPET_T_PY_STR, 1, s31, strs, &sl));
  set_take(r, "str_list", sl, CPET_FLAG_AUTO);
  cpet_value *d = NULL, *x = NULL;
  CHECK_OK(cpet_value_new_dict(&d));
  CHECK_OK(cpet_value_new_int(7, &x));
  CHECK_OK(cpet_value_set(d, "a", x));
  CHECK_OK(cpet_value_new_float(0.25, &x));
  CHECK_OK(cpet_value_set(d, "b", x));
  CHECK_OK(cpet_value_new_str("text", &x));
  CHECK_OK(cpet_value_set(d, "c", x));
  set_take(r, "dict", d, CPET_FLAG_DICT);
  cpet_value *tab = NULL;
  CHECK_OK(cpet_value_new_table(&tab));
  CHECK_OK(cpet_value_set(tab, "n", arr(CPET_KIND_SCALAR, CPET_T_PY_INT, 1, s4, li)));
  CHECK_OK(cpet_value_set(tab, "f", arr(CPET_KIND_SCALAR, CPET_T_FLOAT64, 1, s4, cplx)));
  set_take(r, "table", tab, CPET_FLAG_TABLE);

  if (g_pandas) {
    CHECK_OK(cpet_traj_add_result(t, "results.values.pandas", CPET_CLASS_RESULT, NULL, NULL, &r));
    cpet_value *fr = NULL;
    /* Explicit integer indexes: a RangeIndex comes back as an integer index (fixed format). */
    int64_t ix[4] = {5, 6, 7, 8};
    CHECK_OK(cpet_value_new_frame(arr(CPET_KIND_NDARRAY, CPET_T_INT64, 1, s4, ix), NULL, &fr));
    CHECK_OK(cpet_value_set(fr, "x", arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 1, s4, cplx)));
    CHECK_OK(cpet_value_set(fr, "y", arr(CPET_KIND_NDARRAY, CPET_T_INT64, 1, s4, li)));
    set_take(r, "frame", fr, CPET_FLAG_FRAME);
    cpet_value *se = NULL;
    CHECK_OK(cpet_value_new_series(arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 1, s4, cplx),
                                   arr(CPET_KIND_NDARRAY, CPET_T_INT64, 1, s4, ix), "ser", &se));
    set_take(r, "series", se, CPET_FLAG_SERIES);
  }

  if (!g_sparse) return;
  CHECK_OK(
      cpet_traj_add_result(t, "results.values.sparse", CPET_CLASS_SPARSE_RESULT, NULL, NULL, &r));
  double sd[3] = {1.0, 2.0, 3.0};
  int32_t ind[3] = {0, 2, 1}, ptr[3] = {0, 2, 3};
  size_t n3[1] = {3};
  cpet_value *sp = NULL;
  CHECK_OK(cpet_value_new_sparse(CPET_SPARSE_CSR, 2, 3,
                                 arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 1, n3, sd),
                                 arr(CPET_KIND_NDARRAY, CPET_T_INT32, 1, n3, ind),
                                 arr(CPET_KIND_NDARRAY, CPET_T_INT32, 1, n3, ptr), &sp));
  set_take(r, "m", sp, CPET_FLAG_AUTO);
}

/* Parameters: zipped exploration of x/y plus an ArrayParameter whose range repeats arrays. */
static cpet_traj *build(const char *name, int product) {
  cpet_traj *t = NULL;
  CHECK_OK(cpet_traj_create(name, &t));
  CHECK_OK(cpet_traj_set_comment(t, "roundtrip trajectory \xc3\xa9"));
  cpet_value *v = NULL;
  CHECK_OK(cpet_value_new_str("root annotation", &v));
  CHECK_OK(cpet_node_annotate(cpet_traj_root(t), "note", v));
  cpet_value_free(v);
  CHECK_OK(cpet_value_new_int(1, &v));
  CHECK_OK(cpet_traj_add_param(t, "parameters.sim.x", CPET_CLASS_PARAMETER, v, "x axis", NULL));
  cpet_value_free(v);
  CHECK_OK(cpet_value_new_float(0.5, &v));
  CHECK_OK(cpet_traj_add_param(t, "parameters.sim.y", CPET_CLASS_PARAMETER, v, "y axis", NULL));
  cpet_value_free(v);
  CHECK_OK(cpet_value_new_str("label", &v));
  CHECK_OK(cpet_traj_add_param(t, "parameters.sim.label", CPET_CLASS_PARAMETER, v, NULL, NULL));
  cpet_value_free(v);
  double a[3] = {1, 2, 3}, b[3] = {4, 5, 6};
  size_t s3[1] = {3};
  cpet_value *va = arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 1, s3, a);
  cpet_value *vb = arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 1, s3, b);
  CHECK_OK(cpet_traj_add_param(t, "parameters.vec", CPET_CLASS_ARRAY_PARAMETER, va, NULL, NULL));
  cpet_node *g = NULL;
  CHECK_OK(cpet_traj_add_group(t, "parameters.sim", "simulation group", &g));
  CHECK_OK(cpet_value_new_float(2.5, &v));
  CHECK_OK(cpet_node_annotate(g, "scale", v));
  cpet_value_free(v);

  if (product) {
    int64_t xs[3] = {1, 2, 3};
    double ys[2] = {0.25, 0.75};
    size_t sx[1] = {3}, sy[1] = {2};
    cpet_value *rx = arr(CPET_KIND_LIST, CPET_T_PY_INT, 1, sx, xs);
    cpet_value *ry = arr(CPET_KIND_LIST, CPET_T_PY_FLOAT, 1, sy, ys);
    const char *names[2] = {"x", "y"};
    const cpet_value *ranges[2] = {rx, ry};
    CHECK_OK(cpet_traj_explore_product(t, 2, names, ranges));
    cpet_value_free(rx);
    cpet_value_free(ry);
  } else {
    int64_t xs[NRUNS] = {1, 2, 3, 4, 5, 6};
    double ys[NRUNS] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    size_t sn[1] = {NRUNS};
    cpet_value *rx = arr(CPET_KIND_LIST, CPET_T_PY_INT, 1, sn, xs);
    cpet_value *ry = arr(CPET_KIND_LIST, CPET_T_PY_FLOAT, 1, sn, ys);
    cpet_value *rv = NULL;
    CHECK_OK(cpet_value_new_seq(CPET_KIND_LIST, &rv));
    for (int i = 0; i < NRUNS; i++) {
      cpet_value *c = NULL;
      CHECK_OK(cpet_value_copy(i % 2 ? vb : va, &c));
      CHECK_OK(cpet_value_append(rv, c));
    }
    const char *names[3] = {"x", "y", "vec"};
    const cpet_value *ranges[3] = {rx, ry, rv};
    CHECK_OK(cpet_traj_explore(t, 3, names, ranges));
    cpet_value_free(rx);
    cpet_value_free(ry);
    cpet_value_free(rv);
  }
  cpet_value_free(va);
  cpet_value_free(vb);
  add_value_results(t);
  cpet_node *target = NULL, *ln = NULL;
  CHECK_OK(cpet_traj_find(t, "parameters.sim.x", &target));
  CHECK_OK(cpet_traj_add_link(t, "results.links.to_x", target, &ln));
  CHECK_OK(cpet_traj_add_link(t, "results.links.to_sim", g, &ln));
  return t;
}

static void run_results(cpet_traj *t, cpet_store *s) {
  size_t n = cpet_traj_length(t);
  const int order[NRUNS] = {3, 0, 5, 1, 4, 2};
  for (size_t k = 0; k < n; k++) {
    size_t i = n == NRUNS ? (size_t)order[k] : n - 1 - k;
    CHECK_OK(cpet_traj_set_crun(t, (int64_t)i));
    cpet_value *v = NULL;
    char comment[64];
    snprintf(comment, sizeof comment, "result of run %zu", i);
    CHECK_OK(cpet_value_new_float((double)i * 1.5, &v));
    CHECK_OK(cpet_traj_add_result(t, "z", CPET_CLASS_RESULT, v, comment, NULL));
    cpet_value_free(v);
    double w[4] = {(double)i, 1, 2, 3};
    size_t s4[1] = {4};
    cpet_value *wv = arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 1, s4, w);
    CHECK_OK(cpet_traj_add_result(t, "w", CPET_CLASS_RESULT, wv, NULL, NULL));
    cpet_value_free(wv);
    CHECK_OK(cpet_value_new_int((int64_t)i * 2, &v));
    CHECK_OK(
        cpet_traj_add_param(t, "derived_parameters.twice", CPET_CLASS_PARAMETER, v, NULL, NULL));
    cpet_value_free(v);
    cpet_run_info ri;
    CHECK_OK(cpet_traj_run_info(t, i, &ri));
    ri.completed = 1;
    ri.timestamp = 1700000000.0 + (double)i;
    ri.finish_timestamp = ri.timestamp + 0.5;
    snprintf(ri.runtime, sizeof ri.runtime, "0:00:00.500000");
    snprintf(ri.time, sizeof ri.time, "2023_11_14_22h13m%02zus", i);
    snprintf(ri.short_environment_hexsha, sizeof ri.short_environment_hexsha, "abc%04zu", i);
    CHECK_OK(cpet_traj_set_run_info(t, i, &ri));
    CHECK_OK(cpet_store_run(s, t, (int64_t)i));
  }
  CHECK_OK(cpet_traj_set_crun(t, -1));
}

typedef struct cmp_ctx {
  cpet_traj *loaded;
  int leaves;
} cmp_ctx;

static int compare_node(cpet_node *n, void *ud) {
  cmp_ctx *c = ud;
  const char *full = cpet_node_full_name(n);
  cpet_node *m = cpet__traj_find_exact(c->loaded, full);
  CPET_CHECK_(m != NULL, "node '%s' missing after load", full);
  if (!m) return 0;
  CHECK_INT(cpet_node_kind_of(m), cpet_node_kind_of(n));
  if (cpet_node_kind_of(n) == CPET_NODE_LINK) {
    CHECK_STR(cpet__link_target_name(m), cpet__link_target_name(n));
    return 0;
  }
  CPET_CHECK_(strcmp(cpet_node_comment(m), cpet_node_comment(n)) == 0,
              "comment of '%s': '%s' != '%s'", full, cpet_node_comment(m), cpet_node_comment(n));
  CHECK_INT(cpet_node_nannotations(m), cpet_node_nannotations(n));
  if (cpet_node_kind_of(n) != CPET_NODE_LEAF) return 0;
  c->leaves++;
  CHECK_STR(cpet_node_class_name(m), cpet_node_class_name(n));
  if (cpet_node_is_parameter(n)) {
    const cpet_value *a = cpet_param_value(n), *b = cpet_param_value(m);
    CPET_CHECK_(a && b && cpet_value_equal(a, b), "default of '%s' differs", full);
    CHECK_INT(cpet_param_range_len(m), cpet_param_range_len(n));
    for (size_t i = 0; i < cpet_param_range_len(n) && i < cpet_param_range_len(m); i++)
      CPET_CHECK_(cpet_value_equal(cpet_param_range(n, i), cpet_param_range(m, i)),
                  "range[%zu] of '%s' differs", i, full);
    return 0;
  }
  CHECK_INT(cpet_leaf_nitems(m), cpet_leaf_nitems(n));
  for (size_t i = 0; i < cpet_leaf_nitems(n); i++) {
    const char *key;
    const cpet_value *a;
    CHECK_OK(cpet_leaf_item(n, i, &key, &a, NULL));
    const cpet_value *b = cpet_leaf_get(m, key);
    CPET_CHECK_(b != NULL, "item '%s' of '%s' missing", key, full);
    if (!b) continue;
    if (strstr(key, "vlarray")) { /* pypet reads a VLARRAY as the list of its rows (6.4) */
      CHECK_INT(cpet_value_kind(b), CPET_KIND_LIST);
      CHECK_INT(cpet_value_nchildren(b), 1);
      b = cpet_value_child(b, 0);
    } else if (cpet_value_kind(a) == CPET_KIND_NDARRAY && cpet_value_ndim(a) == 0) {
      /* a 0-d array comes back as the numpy scalar (7.5) */
      CHECK_INT(cpet_value_kind(b), CPET_KIND_SCALAR);
      CHECK_INT(cpet_value_type(b), cpet_value_type(a));
      CHECK(memcmp(cpet_value_data(a), cpet_value_data(b), cpet_value_itemsize(a)) == 0);
      continue;
    }
    if (cpet_value_kind(a) == CPET_KIND_TABLE && b && cpet_value_kind(b) == CPET_KIND_TABLE) {
      /* ObjectTable columns come back in PyTables' (alphabetical) order: compare by name */
      CHECK_INT(cpet_value_nchildren(b), cpet_value_nchildren(a));
      for (size_t j = 0; j < cpet_value_nchildren(a); j++) {
        const char *col = cpet_value_key(a, j);
        const cpet_value *cb = cpet_value_get(b, col);
        CPET_CHECK_(cb && cpet_value_equal(cpet_value_child(a, j), cb),
                    "column '%s' of '%s.%s' differs", col, full, key);
      }
      continue;
    }
    CPET_CHECK_(b && cpet_value_equal(a, b), "item '%s' of '%s' differs", key, full);
  }
  return 0;
}

static void compare(cpet_traj *orig, cpet_traj *loaded) {
  CHECK_STR(cpet_traj_name(loaded), cpet_traj_name(orig));
  CHECK_STR(cpet_traj_comment(loaded), cpet_traj_comment(orig));
  CHECK_INT(cpet_traj_length(loaded), cpet_traj_length(orig));
  CHECK_INT(cpet_traj_nexplored(loaded), cpet_traj_nexplored(orig));
  const cpet_value *note = cpet_node_annotation_get(cpet_traj_root(loaded), "note");
  const char *txt = NULL;
  size_t len = 0;
  CPET_CHECK_(note && cpet_value_to_str(note, &txt, &len) == CPET_OK && len == 15 &&
                  memcmp(txt, "root annotation", 15) == 0,
              "root annotation lost");
  cmp_ctx c = {loaded, 0};
  CHECK_OK(cpet__traj_walk(orig, NULL, compare_node, &c));
  CPET_CHECK_(c.leaves > 20, "only %d leaves compared", c.leaves);
  for (size_t i = 0; i < cpet_traj_length(orig); i++) {
    cpet_run_info a, b;
    CHECK_OK(cpet_traj_run_info(orig, i, &a));
    CHECK_OK(cpet_traj_run_info(loaded, i, &b));
    CHECK_STR(b.name, a.name);
    CHECK_INT(b.completed, a.completed);
    CHECK_DBL(b.timestamp, a.timestamp);
    CHECK_DBL(b.finish_timestamp, a.finish_timestamp);
    CHECK_STR(b.time, a.time);
    CHECK_STR(b.runtime, a.runtime);
    CHECK_STR(b.parameter_summary, a.parameter_summary);
    CHECK_STR(b.short_environment_hexsha, a.short_environment_hexsha);
  }
}

static void roundtrip(const char *file, const cpet_filter_opts *f, int product) {
  char name[64];
  snprintf(name, sizeof name, "traj_%s", product ? "product" : "zipped");
  cpet_store_opts o = CPET_STORE_OPTS_DEFAULT;
  o.filters = *f;
  o.large_overview_tables = 1;
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open(file, CPET_OPEN_APPEND, &o, &s));
  if (!s) return;
  cpet_traj *t = build(name, product);
  CHECK_OK(cpet_store_traj(s, t, CPET_STORE_DATA, 1));
  run_results(t, s);
  int st = cpet_store_traj(s, t, CPET_STORE_DATA, 0);
  CHECK_OK(st);
  CHECK_OK(cpet_store_close(s));
  if (st != CPET_OK) { /* nothing meaningful to compare */
    cpet_traj_free(t);
    return;
  }

  CHECK_OK(cpet_store_open(file, CPET_OPEN_READ, NULL, &s));
  cpet_load_opts lo = CPET_LOAD_OPTS_ALL;
  lo.name = name;
  cpet_traj *l = NULL;
  CHECK_OK(cpet_store_load_traj(s, &lo, &l));
  if (l) compare(t, l);
  cpet_traj_free(l);
  CHECK_OK(cpet_store_close(s));
  cpet_traj_free(t);
}

static cpet_value *probe_value(int which) {
  double x[2] = {1, 2};
  int32_t ind[2] = {0, 1}, ptr[3] = {0, 1, 2};
  size_t s2[1] = {2}, s3[1] = {3};
  cpet_value *v = NULL;
  if (which == 0) {
    CHECK_OK(cpet_value_new_frame(NULL, NULL, &v));
    CHECK_OK(cpet_value_set(v, "x", arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 1, s2, x)));
  } else {
    CHECK_OK(cpet_value_new_sparse(CPET_SPARSE_CSR, 2, 2,
                                   arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 1, s2, x),
                                   arr(CPET_KIND_NDARRAY, CPET_T_INT32, 1, s2, ind),
                                   arr(CPET_KIND_NDARRAY, CPET_T_INT32, 1, s3, ptr), &v));
  }
  return v;
}

/* The pandas layout and the sparse serialisation may not be built: probe them once. */
static int probe(int which) {
  cpet_traj *t = NULL;
  cpet_store *s = NULL;
  cpet_node *r = NULL;
  CHECK_OK(cpet_traj_create("probe", &t));
  CHECK_OK(cpet_traj_add_result(
      t, "results.p", which ? CPET_CLASS_SPARSE_RESULT : CPET_CLASS_RESULT, NULL, NULL, &r));
  set_take(r, "item", probe_value(which), which ? CPET_FLAG_AUTO : CPET_FLAG_FRAME);
  CHECK_OK(cpet_store_open("probe.hdf5", CPET_OPEN_CREATE, NULL, &s));
  int ok = cpet_store_traj(s, t, CPET_STORE_DATA, 0) == CPET_OK;
  CHECK_OK(cpet_store_close(s));
  cpet_traj *l = NULL;
  cpet_load_opts lo = CPET_LOAD_OPTS_ALL;
  if (ok) {
    CHECK_OK(cpet_store_open("probe.hdf5", CPET_OPEN_READ, NULL, &s));
    ok = cpet_store_load_traj(s, &lo, &l) == CPET_OK;
    cpet_store_close(s);
  }
  /* A failure here is a real failure, but the rest of the test still runs without it. */
  CPET_CHECK_(ok, "%s round trip: %s", which ? "sparse" : "pandas", cpet_errmsg());
  if (ok) {
    cpet_node *m = cpet__traj_find_exact(l, "results.p");
    const cpet_value *a = cpet_leaf_get(cpet__traj_find_exact(t, "results.p"), "item");
    const cpet_value *b = m ? cpet_leaf_get(m, "item") : NULL;
    if (which == 0 && b && cpet_value_kind(b) == CPET_KIND_FRAME) {
      /* pandas' fixed format stores a RangeIndex as an integer index: [0, 1] comes back */
      const cpet_value *ix = cpet_value_index(b);
      int64_t i0 = -1, i1 = -1;
      ok = cpet_value_equal(cpet_value_get(a, "x"), cpet_value_get(b, "x")) &&
           (!ix || (cpet_value_nelem(ix) == 2 && cpet_value_type(ix) == CPET_T_INT64 &&
                    memcpy(&i0, cpet_value_data(ix), 8) &&
                    memcpy(&i1, (const char *)cpet_value_data(ix) + 8, 8) && i0 == 0 && i1 == 1));
    } else {
      ok = b && cpet_value_equal(a, b);
    }
    CPET_CHECK_(ok, "%s value differs after the round trip", which ? "sparse" : "pandas");
  }
  cpet_traj_free(l);
  cpet_traj_free(t);
  return ok;
}

int main(void) {
  g_pandas = probe(0);
  g_sparse = probe(1);
  struct {
    const char *file;
    cpet_complib lib;
    int codec, level, shuffle, fletcher;
  } cases[] = {
      {"rt_zlib.hdf5", CPET_COMPLIB_ZLIB, CPET_BLOSC_DEFAULT, 9, 1, 0},
      {"rt_blosc.hdf5", CPET_COMPLIB_BLOSC, CPET_BLOSC_DEFAULT, 5, 1, 0},
      {"rt_blosc_lz4.hdf5", CPET_COMPLIB_BLOSC, CPET_BLOSC_LZ4, 9, 1, 0},
      {"rt_lzo.hdf5", CPET_COMPLIB_LZO, CPET_BLOSC_DEFAULT, 9, 1, 0},
      {"rt_level0.hdf5", CPET_COMPLIB_ZLIB, CPET_BLOSC_DEFAULT, 0, 0, 0},
      {"rt_fletcher.hdf5", CPET_COMPLIB_ZLIB, CPET_BLOSC_DEFAULT, 4, 0, 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    if (!cpet_filter_available(cases[i].lib)) {
      printf("note: %s skipped (compression library not built in)\n", cases[i].file);
      continue;
    }
    if (cases[i].lib == CPET_COMPLIB_BLOSC && !cpet_filter_blosc_codec_available(cases[i].codec))
      continue;
    cpet_filter_opts f = {cases[i].lib, cases[i].codec, cases[i].level, cases[i].shuffle,
                          cases[i].fletcher};
    remove(cases[i].file);
    roundtrip(cases[i].file, &f, 0);
    roundtrip(cases[i].file, &f, 1); /* a second trajectory in the same file */
  }
  CPET_TEST_END();
}
