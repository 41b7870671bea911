/* test_value_roundtrip.c - every type and kind survives encode/decode and copy; repr matches
 * Python's for a set of exact cases. */
#include <cpet/cpet_alloc.h>
#include <cpet/cpet_value.h>

#include "cpet_test.h"
#include "value/value_int.h"

/* Encodes, decodes and copies v; checks both equal v, the whole buffer was consumed and the
 * re-encoding is byte-identical. Returns the decoded value (caller frees) or NULL. */
static cpet_value *roundtrip(const cpet_value *v) {
  void *buf = NULL, *buf2 = NULL;
  size_t len = 0, len2 = 0, used = 0;
  cpet_value *d = NULL, *c = NULL;
  CHECK_OK(cpet_value_encode(v, &buf, &len));
  if (!buf) return NULL;
  CHECK_OK(cpet_value_decode(buf, len, &d, &used));
  CHECK_UINT(used, len);
  CHECK(d && cpet_value_equal(v, d));
  CHECK(d && cpet_value_equal(d, v));
  CHECK_OK(cpet_value_copy(v, &c));
  CHECK(c && cpet_value_equal(v, c));
  if (d) {
    CHECK_OK(cpet_value_encode(d, &buf2, &len2));
    CHECK(len2 == len && buf2 && memcmp(buf, buf2, len) == 0);
  }
  cpet_free(buf);
  cpet_free(buf2);
  cpet_value_free(c);
  return d;
}

/* Round-trips and frees `v` (taken). */
static void roundtrip_free(cpet_value *v) {
  CHECK(v != NULL);
  if (!v) return;
  cpet_value_free(roundtrip(v));
  cpet_value_free(v);
}

static void test_scalars(void) {
  unsigned char elem[16];
  for (int t = 0; t < CPET_T_COUNT; t++) {
    cpet_value *v = NULL;
    size_t isz = 0;
    for (int i = 0; i < 16; i++)
      elem[i] = (unsigned char)(0x11 * (i + 1) + t);
    if (cpet__type_is_bool((cpet_type)t)) elem[0] = 1;
    if (cpet__type_is_string((cpet_type)t)) {
      memcpy(elem, "h\xc3\xa9llo\0x", 8); /* UTF-8 and an embedded NUL */
      isz = 8;
    }
    CHECK_OK(cpet_value_new_scalar((cpet_type)t, elem, isz, &v));
    if (!v) continue;
    CHECK_INT(cpet_value_kind(v), CPET_KIND_SCALAR);
    CHECK_INT(cpet_value_type(v), t);
    CHECK_INT(cpet_value_ndim(v), 0);
    CHECK_UINT(cpet_value_nelem(v), 1);
    cpet_value *d = roundtrip(v);
    if (d && t != CPET_T_NONE) {
      size_t sz = cpet__type_is_string((cpet_type)t) ? 8 : cpet_type_size((cpet_type)t);
      CHECK_UINT(cpet_value_itemsize(d), sz);
      CHECK(memcmp(cpet_value_data(d), elem, sz) == 0);
    }
    if (d && t == CPET_T_NONE) CHECK(cpet_value_data(d) == NULL);
    cpet_value_free(d);
    cpet_value_free(v);
  }
  /* the convenience constructors and typed access */
  cpet_value *v = NULL, *d;
  const char *s;
  size_t n;
  int64_t i;
  double x;
  CHECK_OK(cpet_value_new_int(-42, &v));
  d = roundtrip(v);
  CHECK_OK(cpet_value_to_i64(d, &i));
  CHECK_INT(i, -42);
  CHECK_OK(cpet_value_to_f64(d, &x));
  CHECK_DBL(x, -42.0);
  cpet_value_free(d);
  cpet_value_free(v);
  CHECK_OK(cpet_value_new_float(0.1, &v));
  d = roundtrip(v);
  CHECK_OK(cpet_value_to_f64(d, &x));
  CHECK_DBL(x, 0.1);
  cpet_value_free(d);
  cpet_value_free(v);
  CHECK_OK(cpet_value_new_str("", &v));
  d = roundtrip(v);
  CHECK_OK(cpet_value_to_str(d, &s, &n));
  CHECK_UINT(n, 0);
  CHECK_STR(s, "");
  cpet_value_free(d);
  cpet_value_free(v);
  CHECK_OK(cpet_value_new_bytes("a\0b", 3, &v));
  d = roundtrip(v);
  CHECK_OK(cpet_value_to_str(d, &s, &n));
  CHECK(n == 3 && memcmp(s, "a\0b", 3) == 0);
  CHECK_INT(cpet_value_type(d), CPET_T_PY_BYTES);
  cpet_value_free(d);
  cpet_value_free(v);
  CHECK_OK(cpet_value_new_complex(1.5, -2, &v));
  roundtrip_free(v);
  CHECK_OK(cpet_value_new_bool(7, &v));
  d = roundtrip(v);
  CHECK_OK(cpet_value_to_i64(d, &i));
  CHECK_INT(i, 1);
  cpet_value_free(d);
  cpet_value_free(v);
  CHECK_OK(cpet_value_new_none(&v));
  roundtrip_free(v);
}

static void test_arrays(void) {
  cpet_value *v = NULL, *d;
  double f0 = 2.5;
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 0, NULL, &f0, &v));
  d = roundtrip(v);
  CHECK(d && cpet_value_ndim(d) == 0 && cpet_value_shape(d) == NULL && cpet_value_nelem(d) == 1);
  cpet_value_free(d);
  cpet_value_free(v);

  int32_t i1[5] = {1, -2, 3, -4, 5};
  size_t s1[1] = {5};
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT32, 0, 1, s1, i1, &v));
  d = roundtrip(v);
  if (d) {
    CHECK_UINT(cpet_value_shape(d)[0], 5);
    CHECK_INT(((const int32_t *)cpet_value_data(d))[3], -4);
    CHECK_UINT(cpet_value_itemsize(d), 4);
  }
  cpet_value_free(d);
  cpet_value_free(v);

  float f3[24];
  for (int k = 0; k < 24; k++)
    f3[k] = (float)k * 0.5f;
  size_t s3[3] = {2, 3, 4};
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT32, 0, 3, s3, f3, &v));
  d = roundtrip(v);
  if (d) {
    CHECK_INT(cpet_value_ndim(d), 3);
    CHECK_UINT(cpet_value_shape(d)[2], 4);
    CHECK_UINT(cpet_value_nelem(d), 24);
    CHECK_DBL(((const float *)cpet_value_data(d))[23], 11.5);
  }
  cpet_value_free(d);
  cpet_value_free(v);

  size_t s0[1] = {0}, s203[3] = {2, 0, 3};
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 1, s0, NULL, &v));
  CHECK_UINT(cpet_value_nelem(v), 0);
  roundtrip_free(v);
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_UINT8, 0, 3, s203, NULL, &v));
  roundtrip_free(v);

  uint64_t u[3] = {0, 1, UINT64_MAX};
  size_t s3b[1] = {3};
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_UINT64, 0, 1, s3b, u, &v));
  roundtrip_free(v);
  float c64[6] = {1, 2, 3, 4, 5, 6};
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_COMPLEX64, 0, 1, s3b, c64, &v));
  roundtrip_free(v);
  unsigned char bl[3] = {1, 0, 1};
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_BOOL, 0, 1, s3b, bl, &v));
  roundtrip_free(v);
  const char *strs[4] = {"a", "bc", "", "def"};
  size_t s22[2] = {2, 2};
  CHECK_OK(cpet_value_new_str_array(CPET_KIND_NDARRAY, CPET_T_STR, 2, s22, strs, &v));
  CHECK_UINT(cpet_value_itemsize(v), 3);
  roundtrip_free(v);

  int64_t m[4] = {1, 2, 3, 4};
  CHECK_OK(cpet_value_new_array(CPET_KIND_MATRIX, CPET_T_INT64, 0, 2, s22, m, &v));
  d = roundtrip(v);
  CHECK(d && cpet_value_kind(d) == CPET_KIND_MATRIX);
  cpet_value_free(d);
  cpet_value_free(v);

  /* typed lists and tuples */
  int64_t li[3] = {1, 2, 3};
  CHECK_OK(cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 0, 1, s3b, li, &v));
  roundtrip_free(v);
  double tf[3] = {0.5, -1, 1e300};
  CHECK_OK(cpet_value_new_array(CPET_KIND_TUPLE, CPET_T_PY_FLOAT, 0, 1, s3b, tf, &v));
  roundtrip_free(v);
  const char *ls[3] = {"x", "yy", "zzz"};
  CHECK_OK(cpet_value_new_str_array(CPET_KIND_LIST, CPET_T_PY_STR, 1, s3b, ls, &v));
  d = roundtrip(v);
  if (d) {
    CHECK_UINT(cpet_value_itemsize(d), 3);
    CHECK(memcmp((const char *)cpet_value_data(d) + 3, "yy\0", 3) == 0);
  }
  cpet_value_free(d);
  cpet_value_free(v);
  CHECK_OK(cpet_value_new_str_array(CPET_KIND_TUPLE, CPET_T_PY_BYTES, 1, s3b, ls, &v));
  roundtrip_free(v);
}

static cpet_value *mk_int(int64_t i) {
  cpet_value *v = NULL;
  cpet_value_new_int(i, &v);
  return v;
}
static cpet_value *mk_str(const char *s) {
  cpet_value *v = NULL;
  cpet_value_new_str(s, &v);
  return v;
}
static cpet_value *mk_i64_array(cpet_kind kind, size_t n, const int64_t *data) {
  cpet_value *v = NULL;
  cpet_value_new_array(kind, CPET_T_INT64, 0, 1, &n, data, &v);
  return v;
}
static cpet_value *mk_i32_array(size_t n, const int32_t *data) {
  cpet_value *v = NULL;
  cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT32, 0, 1, &n, data, &v);
  return v;
}

static void test_containers(void) {
  cpet_value *l = NULL, *inner = NULL, *dict = NULL, *nn = NULL, *d;
  double x = 2.5;
  CHECK_OK(cpet_value_new_seq(CPET_KIND_LIST, &l));
  CHECK_OK(cpet_value_append(l, mk_int(1)));
  CHECK_OK(cpet_value_append(l, mk_str("a")));
  CHECK_OK(cpet_value_new_none(&nn));
  CHECK_OK(cpet_value_append(l, nn));
  CHECK_OK(cpet_value_new_seq(CPET_KIND_TUPLE, &inner));
  cpet_value *fx = NULL;
  CHECK_OK(cpet_value_new_float(x, &fx));
  CHECK_OK(cpet_value_append(inner, fx));
  CHECK_OK(cpet_value_append(l, inner));
  CHECK_OK(cpet_value_new_dict(&dict));
  CHECK_OK(cpet_value_set(dict, "k", mk_int(7)));
  CHECK_OK(cpet_value_append(l, dict));
  CHECK_UINT(cpet_value_nchildren(l), 5);
  CHECK_UINT(cpet_value_shape(l)[0], 5);
  d = roundtrip(l);
  if (d) {
    CHECK_INT(cpet_value_type(d), CPET_T_NONE);
    CHECK_INT(cpet_value_kind(cpet_value_child(d, 3)), CPET_KIND_TUPLE);
    CHECK(cpet_value_key(d, 0) == NULL);
    CHECK(cpet_value_child(d, 5) == NULL);
    const cpet_value *dd = cpet_value_child(d, 4);
    int64_t i = 0;
    CHECK_OK(cpet_value_to_i64(cpet_value_get(dd, "k"), &i));
    CHECK_INT(i, 7);
  }
  cpet_value_free(d);
  cpet_value_free(l);

  cpet_value *e = NULL;
  CHECK_OK(cpet_value_new_seq(CPET_KIND_TUPLE, &e));
  roundtrip_free(e);

  /* dict with mixed children, replacement keeps the position */
  cpet_value *m = NULL, *sub = NULL;
  int64_t arr[3] = {4, 5, 6};
  CHECK_OK(cpet_value_new_dict(&m));
  CHECK_OK(cpet_value_set(m, "int", mk_int(1)));
  CHECK_OK(cpet_value_set(m, "str", mk_str("hello")));
  CHECK_OK(cpet_value_set(m, "arr", mk_i64_array(CPET_KIND_NDARRAY, 3, arr)));
  CHECK_OK(cpet_value_new_dict(&sub));
  CHECK_OK(cpet_value_set(sub, "x", mk_str("y")));
  CHECK_OK(cpet_value_set(m, "sub", sub));
  CHECK_OK(cpet_value_new_none(&nn));
  CHECK_OK(cpet_value_set(m, "none", nn));
  CHECK_OK(cpet_value_set(m, "int", mk_int(2)));
  CHECK_UINT(cpet_value_nchildren(m), 5);
  CHECK_STR(cpet_value_key(m, 0), "int");
  d = roundtrip(m);
  if (d) {
    CHECK_STR(cpet_value_key(d, 2), "arr");
    CHECK_STR(cpet_value_key(d, 4), "none");
    int64_t i = 0;
    CHECK_OK(cpet_value_to_i64(cpet_value_child(d, 0), &i));
    CHECK_INT(i, 2);
    CHECK(cpet_value_get(d, "missing") == NULL);
    CHECK_INT(cpet_value_kind(cpet_value_get(d, "sub")), CPET_KIND_DICT);
  }
  cpet_value_free(d);
  cpet_value_free(m);
}

static void test_table(void) {
  cpet_value *t = NULL, *c = NULL, *d;
  CHECK_OK(cpet_value_new_table(&t));
  int64_t ints[3] = {10, 20, 30};
  size_t s3[1] = {3};
  CHECK_OK(cpet_value_new_array(CPET_KIND_SCALAR, CPET_T_PY_INT, 0, 1, s3, ints, &c));
  CHECK_OK(cpet_value_set(t, "i", c));
  const char *strs[3] = {"ab", "", "cdefg"};
  CHECK_OK(cpet_value_new_str_array(CPET_KIND_SCALAR, CPET_T_PY_STR, 1, s3, strs, &c));
  CHECK_OK(cpet_value_set(t, "s", c));
  double arr[12];
  for (int k = 0; k < 12; k++)
    arr[k] = k;
  size_t s322[3] = {3, 2, 2};
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 3, s322, arr, &c));
  CHECK_OK(cpet_value_set(t, "a", c));
  int64_t li[6] = {1, 2, 3, 4, 5, 6};
  size_t s32[2] = {3, 2};
  CHECK_OK(cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 0, 2, s32, li, &c));
  CHECK_OK(cpet_value_set(t, "l", c));
  CHECK_INT(cpet_value_ndim(t), 1);
  CHECK_UINT(cpet_value_shape(t)[0], 3);
  d = roundtrip(t);
  if (d) {
    CHECK_UINT(cpet_value_nchildren(d), 4);
    const cpet_value *col = cpet_value_get(d, "s");
    CHECK(col && cpet_value_kind(col) == CPET_KIND_SCALAR && cpet_value_itemsize(col) == 5);
    cpet_value *cell = NULL;
    const char *s;
    size_t n;
    CHECK_OK(cpet__value_cell(col, 0, &cell));
    CHECK_OK(cpet_value_to_str(cell, &s, &n));
    CHECK(n == 2 && memcmp(s, "ab", 2) == 0);
    cpet_value_free(cell);
    CHECK_OK(cpet__value_cell(cpet_value_get(d, "a"), 2, &cell));
    CHECK(cell && cpet_value_ndim(cell) == 2 && cpet_value_kind(cell) == CPET_KIND_NDARRAY);
    CHECK(cell && ((const double *)cpet_value_data(cell))[0] == 8.0);
    cpet_value_free(cell);
    CHECK_OK(cpet__value_cell(cpet_value_get(d, "l"), 1, &cell));
    CHECK(cell && cpet_value_kind(cell) == CPET_KIND_LIST && cpet_value_shape(cell)[0] == 2);
    CHECK(cell && ((const int64_t *)cpet_value_data(cell))[1] == 4);
    cpet_value_free(cell);

    /* cell/stack are inverses */
    cpet_value *cells[3] = {NULL, NULL, NULL}, *back = NULL;
    for (size_t r = 0; r < 3; r++)
      CHECK_OK(cpet__value_cell(col, r, &cells[r]));
    CHECK_OK(cpet__value_stack((const cpet_value *const *)cells, 3, &back));
    CHECK(back && cpet_value_equal(back, col));
    for (int r = 0; r < 3; r++)
      cpet_value_free(cells[r]);
    cpet_value_free(back);
  }
  cpet_value_free(d);
  cpet_value_free(t);
}

static void test_pandas(void) {
  int64_t idx[3] = {10, 20, 30}, col[3] = {1, 2, 3};
  cpet_value *f = NULL, *d;
  CHECK_OK(cpet_value_new_frame(mk_i64_array(CPET_KIND_NDARRAY, 3, idx), "run", &f));
  CHECK_OK(cpet_value_set(f, "a", mk_i64_array(CPET_KIND_NDARRAY, 3, col)));
  const char *strs[3] = {"x", "y", "zz"};
  size_t s3 = 3;
  cpet_value *sc = NULL;
  CHECK_OK(cpet_value_new_str_array(CPET_KIND_NDARRAY, CPET_T_BYTES, 1, &s3, strs, &sc));
  CHECK_OK(cpet_value_set(f, "b", sc));
  d = roundtrip(f);
  if (d) {
    CHECK_STR(cpet_value_name(d), "run");
    CHECK(cpet_value_index(d) && ((const int64_t *)cpet_value_data(cpet_value_index(d)))[2] == 30);
    CHECK_UINT(cpet_value_shape(d)[0], 3);
    CHECK_UINT(cpet_value_shape(d)[1], 2);
    CHECK_STR(cpet_value_key(d, 1), "b");
  }
  cpet_value_free(d);
  cpet_value_free(f);

  CHECK_OK(cpet_value_new_frame(NULL, NULL, &f));
  roundtrip_free(f);

  cpet_value *s = NULL;
  CHECK_OK(cpet_value_new_series(mk_i64_array(CPET_KIND_NDARRAY, 3, col),
                                 mk_i64_array(CPET_KIND_NDARRAY, 3, idx), "ser", &s));
  d = roundtrip(s);
  if (d) {
    CHECK_STR(cpet_value_name(d), "ser");
    CHECK_INT(cpet_value_type(d), CPET_T_INT64);
    CHECK(cpet_value_get(d, "values") != NULL);
  }
  cpet_value_free(d);
  cpet_value_free(s);
  CHECK_OK(cpet_value_new_series(mk_i64_array(CPET_KIND_NDARRAY, 3, col), NULL, NULL, &s));
  CHECK(cpet_value_index(s) == NULL && cpet_value_name(s) == NULL);
  roundtrip_free(s);
}

static void test_sparse(void) {
  /* [[1, 0, 2], [0, 0, 3]] */
  double data[3] = {1, 2, 3};
  int32_t indices[3] = {0, 2, 2}, indptr[3] = {0, 2, 3};
  size_t n3 = 3;
  cpet_value *dv = NULL, *sp = NULL, *d;
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 1, &n3, data, &dv));
  CHECK_OK(cpet_value_new_sparse(CPET_SPARSE_CSR, 2, 3, dv, mk_i32_array(3, indices),
                                 mk_i32_array(3, indptr), &sp));
  d = roundtrip(sp);
  if (d) {
    CHECK_INT(cpet_value_sparse_format(d), CPET_SPARSE_CSR);
    CHECK_UINT(cpet_value_shape(d)[1], 3);
    CHECK(cpet_value_get(d, "indptr") != NULL);
  }
  cpet_value_free(d);
  cpet_value_free(sp);

  /* csc of the same matrix: columns 0,2 hold data */
  int32_t cidx[3] = {0, 0, 1}, cptr[4] = {0, 1, 1, 3};
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 1, &n3, data, &dv));
  CHECK_OK(cpet_value_new_sparse(CPET_SPARSE_CSC, 2, 3, dv, mk_i32_array(3, cidx),
                                 mk_i32_array(4, cptr), &sp));
  CHECK_INT(cpet_value_sparse_format(sp), CPET_SPARSE_CSC);
  roundtrip_free(sp);

  /* bsr 4x4 with 2x2 blocks, two blocks */
  double bd[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  size_t bs[3] = {2, 2, 2};
  int32_t bi[2] = {0, 1}, bp[3] = {0, 1, 2};
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 3, bs, bd, &dv));
  CHECK_OK(cpet_value_new_sparse(CPET_SPARSE_BSR, 4, 4, dv, mk_i32_array(2, bi),
                                 mk_i32_array(3, bp), &sp));
  roundtrip_free(sp);

  /* dia 3x3, offsets {0, 1} */
  float dd[6] = {1, 2, 3, 0, 4, 5};
  size_t ds[2] = {2, 3};
  int32_t off[2] = {0, 1};
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT32, 0, 2, ds, dd, &dv));
  CHECK_OK(cpet_value_new_sparse(CPET_SPARSE_DIA, 3, 3, dv, mk_i32_array(2, off), NULL, &sp));
  d = roundtrip(sp);
  CHECK(d && cpet_value_get(d, "offsets") != NULL && cpet_value_nchildren(d) == 2);
  CHECK(d && cpet_value_type(d) == CPET_T_FLOAT32);
  cpet_value_free(d);
  cpet_value_free(sp);
}

static void test_pickle(void) {
  cpet_value *p = NULL, *d;
  CHECK_OK(cpet_value_new_pickle("\x80\x02K\x05.", 5, 2, &p));
  d = roundtrip(p);
  if (d) {
    CHECK_INT(cpet_value_pickle_protocol(d), 2);
    CHECK_UINT(cpet_value_itemsize(d), 5);
    CHECK(memcmp(cpet_value_data(d), "\x80\x02K\x05.", 5) == 0);
  }
  cpet_value_free(d);
  cpet_value_free(p);
  CHECK_OK(cpet_value_new_pickle(NULL, 0, 0, &p));
  roundtrip_free(p);
}

static void test_equal(void) {
  /* NaN equals NaN; string cells ignore trailing NULs; dict order does not matter */
  cpet_value *a = NULL, *b = NULL;
  CHECK_OK(cpet_value_new_float(NAN, &a));
  CHECK_OK(cpet_value_new_float(NAN, &b));
  CHECK(cpet_value_equal(a, b));
  cpet_value_free(a);
  cpet_value_free(b);
  size_t n = 2;
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_BYTES, 2, 1, &n, "a\0b\0", &a));
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_BYTES, 1, 1, &n, "ab", &b));
  CHECK(cpet_value_equal(a, b));
  cpet_value_free(a);
  cpet_value_free(b);
  CHECK_OK(cpet_value_new_dict(&a));
  CHECK_OK(cpet_value_new_dict(&b));
  CHECK_OK(cpet_value_set(a, "x", mk_int(1)));
  CHECK_OK(cpet_value_set(a, "y", mk_int(2)));
  CHECK_OK(cpet_value_set(b, "y", mk_int(2)));
  CHECK_OK(cpet_value_set(b, "x", mk_int(1)));
  CHECK(cpet_value_equal(a, b));
  CHECK_OK(cpet_value_set(b, "x", mk_int(3)));
  CHECK(!cpet_value_equal(a, b));
  cpet_value_free(a);
  cpet_value_free(b);
  a = mk_int(1);
  b = mk_str("1");
  CHECK(!cpet_value_equal(a, b));
  cpet_value_free(a);
  cpet_value_free(b);
}

static void check_repr(cpet_value *v, const char *want) {
  char buf[256];
  CHECK(v != NULL);
  if (!v) return;
  CHECK_OK(cpet_value_repr(v, buf, sizeof buf));
  CHECK_STR(buf, want);
  cpet_value_free(v);
}

static cpet_value *mk_f(double x) {
  cpet_value *v = NULL;
  cpet_value_new_float(x, &v);
  return v;
}
static cpet_value *mk_scalar(cpet_type t, const void *p, size_t isz) {
  cpet_value *v = NULL;
  cpet_value_new_scalar(t, p, isz, &v);
  return v;
}

static void test_repr(void) {
  cpet_value *v = NULL;
  check_repr(mk_int(5), "5");
  check_repr(mk_int(-3), "-3");
  check_repr(mk_f(1.0), "1.0");
  check_repr(mk_f(0.1), "0.1");
  check_repr(mk_f(-0.0), "-0.0");
  check_repr(mk_f(1e16), "1e+16");
  check_repr(mk_f(1e15), "1000000000000000.0");
  check_repr(mk_f(1.5e-7), "1.5e-07");
  check_repr(mk_f(0.0001), "0.0001");
  check_repr(mk_f(123456789.125), "123456789.125");
  check_repr(mk_f(1.0 / 3), "0.3333333333333333");
  check_repr(mk_f(NAN), "nan");
  check_repr(mk_f(-INFINITY), "-inf");
  check_repr(mk_f(1e100), "1e+100");
  float f = 1.5f, g = 0.1f;
  check_repr(mk_scalar(CPET_T_FLOAT32, &f, 0), "1.5");
  check_repr(mk_scalar(CPET_T_FLOAT32, &g, 0), "0.1");
  uint64_t um = UINT64_MAX;
  check_repr(mk_scalar(CPET_T_UINT64, &um, 0), "18446744073709551615");
  int8_t i8 = -5;
  check_repr(mk_scalar(CPET_T_INT8, &i8, 0), "-5");
  CHECK_OK(cpet_value_new_complex(1, 2, &v));
  check_repr(v, "(1+2j)");
  CHECK_OK(cpet_value_new_complex(0, 1, &v));
  check_repr(v, "1j");
  CHECK_OK(cpet_value_new_complex(1.5, -2, &v));
  check_repr(v, "(1.5-2j)");
  check_repr(mk_str("abc"), "'abc'");
  check_repr(mk_str("it's"), "\"it's\"");
  check_repr(mk_str("a\nb\\"), "'a\\nb\\\\'");
  check_repr(mk_str("h\xc3\xa9"), "'h\xc3\xa9'");
  CHECK_OK(cpet_value_new_bytes("ab\xff", 3, &v));
  check_repr(v, "b'ab\\xff'");
  CHECK_OK(cpet_value_new_bool(1, &v));
  check_repr(v, "True");
  unsigned char nb = 0;
  check_repr(mk_scalar(CPET_T_BOOL, &nb, 0), "False");
  CHECK_OK(cpet_value_new_none(&v));
  check_repr(v, "None");

  int64_t a3[3] = {1, 2, 3};
  check_repr(mk_i64_array(CPET_KIND_LIST, 2, a3), "[1, 2]");
  check_repr(mk_i64_array(CPET_KIND_TUPLE, 2, a3), "(1, 2)");
  check_repr(mk_i64_array(CPET_KIND_TUPLE, 1, a3), "(1,)");
  CHECK_OK(cpet_value_new_seq(CPET_KIND_TUPLE, &v));
  CHECK_OK(cpet_value_append(v, mk_str("x")));
  check_repr(v, "('x',)");
  CHECK_OK(cpet_value_new_seq(CPET_KIND_LIST, &v));
  check_repr(v, "[]");
  CHECK_OK(cpet_value_new_dict(&v));
  CHECK_OK(cpet_value_set(v, "a", mk_int(1)));
  CHECK_OK(cpet_value_set(v, "b", mk_f(2.5)));
  check_repr(v, "{'a': 1, 'b': 2.5}");
  check_repr(mk_i64_array(CPET_KIND_NDARRAY, 3, a3), "array([1, 2, 3])");
  double fa[2] = {1, 2.5};
  size_t n2 = 2, s22[2] = {2, 2}, n0 = 0;
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 1, &n2, fa, &v));
  check_repr(v, "array([1., 2.5])");
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 1, &n0, NULL, &v));
  check_repr(v, "array([], dtype=float64)");
  int32_t i32[4] = {1, 2, 3, 4};
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT32, 0, 1, &n2, i32, &v));
  check_repr(v, "array([1, 2], dtype=int32)");
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT32, 0, 2, s22, i32, &v));
  check_repr(v, "array([[1, 2], [3, 4]], dtype=int32)");
  int64_t m4[4] = {1, 2, 3, 4};
  CHECK_OK(cpet_value_new_array(CPET_KIND_MATRIX, CPET_T_INT64, 0, 2, s22, m4, &v));
  check_repr(v, "matrix([[1, 2], [3, 4]])");
  int64_t five = 5;
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT64, 0, 0, NULL, &five, &v));
  check_repr(v, "array(5)");
  const char *strs[2] = {"a", "bc"};
  CHECK_OK(cpet_value_new_str_array(CPET_KIND_NDARRAY, CPET_T_PY_STR, 1, &n2, strs, &v));
  check_repr(v, "array(['a', 'bc'], dtype='<U2')");
  CHECK_OK(cpet_value_new_pickle("abc", 3, 2, &v));
  check_repr(v, "<pickle protocol 2, 3 bytes>");

  /* truncation */
  int64_t many[100];
  for (int k = 0; k < 100; k++)
    many[k] = k;
  char small[20];
  v = mk_i64_array(CPET_KIND_LIST, 100, many);
  CHECK_OK(cpet_value_repr(v, small, sizeof small));
  CHECK_STR(small, "[0, 1, 2, 3, 4, ...");
  CHECK_UINT(strlen(small), 19);
  char tiny[1] = {'x'};
  CHECK_OK(cpet_value_repr(v, tiny, 1));
  CHECK(tiny[0] == '\0');
  cpet_value_free(v);
}

int main(void) {
  test_scalars();
  test_arrays();
  test_containers();
  test_table();
  test_pandas();
  test_sparse();
  test_pickle();
  test_equal();
  test_repr();
  CPET_TEST_END();
}
