/* test_value_errors.c - bad arguments and absurd sizes fail with the right status and a
 * message, before anything is allocated, and taken arguments are never leaked. */
#include <cpet/cpet_alloc.h>
#include <cpet/cpet_value.h>

#include "cpet_test.h"
#include "value/value_int.h"

/* Fails with `want` and leaves a non-empty cpet_errmsg(). */
#define CHECK_FAILS(expr, want)                                                                    \
  do {                                                                                             \
    cpet_errclear();                                                                               \
    CHECK_ERR(expr, want);                                                                         \
    CPET_CHECK_(cpet_errmsg()[0] != '\0', "%s: empty cpet_errmsg()", #expr);                       \
  } while (0)

static cpet_value *mk_int(int64_t i) {
  cpet_value *v = NULL;
  cpet_value_new_int(i, &v);
  return v;
}
static cpet_value *mk_arr(cpet_type t, int ndim, const size_t *shape) {
  cpet_value *v = NULL;
  void *data;
  cpet__value_new_array_uninit(CPET_KIND_NDARRAY, t, 0, ndim, shape, &v, &data);
  return v;
}

/* Allocator that fails above a size, to prove oversized requests never reach it. */
static size_t biggest;
static void *count_malloc(size_t n) {
  if (n > biggest) biggest = n;
  return malloc(n);
}
static void *count_realloc(void *p, size_t n) {
  if (n > biggest) biggest = n;
  return realloc(p, n);
}

static void test_shapes(void) {
  cpet_value *v = (cpet_value *)1;
  size_t huge[2] = {(size_t)1 << 40, (size_t)1 << 40};
  cpet_allocator a = {count_malloc, count_realloc, free};
  CHECK_OK(cpet_set_allocator(&a));
  biggest = 0;
  CHECK_FAILS(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 2, huge, NULL, &v),
              CPET_ERR_RANGE);
  CHECK(v == NULL);
  size_t big1[1] = {SIZE_MAX / 4};
  CHECK_FAILS(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 1, big1, NULL, &v),
              CPET_ERR_RANGE);
  size_t over[1] = {SIZE_MAX};
  CHECK_FAILS(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_UINT8, 0, 1, over, NULL, &v),
              CPET_ERR_RANGE);
  /* a zero dimension does not hide an overflowing product */
  size_t zhuge[3] = {0, (size_t)1 << 40, (size_t)1 << 40};
  CHECK_FAILS(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_UINT8, 0, 3, zhuge, NULL, &v),
              CPET_ERR_RANGE);
  size_t bigstr[1] = {(size_t)1 << 40};
  CHECK_FAILS(
      cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_BYTES, (size_t)1 << 40, 1, bigstr, NULL, &v),
      CPET_ERR_RANGE);
  void *data;
  CHECK_FAILS(cpet__value_new_array_uninit(CPET_KIND_NDARRAY, CPET_T_INT64, 0, 2, huge, &v, &data),
              CPET_ERR_RANGE);
  CHECK(biggest < 4096);
  CHECK_OK(cpet_set_allocator(NULL));

  size_t s[CPET_MAX_NDIM + 1];
  for (int i = 0; i <= CPET_MAX_NDIM; i++)
    s[i] = 1;
  CHECK_FAILS(
      cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT8, 0, CPET_MAX_NDIM + 1, s, "x", &v),
      CPET_ERR_RANGE);
  CHECK_FAILS(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT8, 0, -1, s, "x", &v),
              CPET_ERR_RANGE);
  CHECK_FAILS(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT8, 0, 2, NULL, "x", &v),
              CPET_ERR_INVAL);
  CHECK_FAILS(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_NONE, 0, 1, s, "x", &v),
              CPET_ERR_TYPE);
  CHECK_FAILS(cpet_value_new_array(CPET_KIND_NDARRAY, (cpet_type)99, 0, 1, s, "x", &v),
              CPET_ERR_INVAL);
  CHECK_FAILS(cpet_value_new_array(CPET_KIND_DICT, CPET_T_INT8, 0, 1, s, "x", &v), CPET_ERR_TYPE);
  CHECK_FAILS(cpet_value_new_array(CPET_KIND_LIST, CPET_T_INT8, 0, 3, s, "x", &v), CPET_ERR_INVAL);
  CHECK_FAILS(cpet_value_new_array(CPET_KIND_MATRIX, CPET_T_INT8, 0, 1, s, "x", &v),
              CPET_ERR_INVAL);
  size_t three[1] = {3};
  CHECK_FAILS(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT8, 0, 1, three, NULL, &v),
              CPET_ERR_INVAL);
  CHECK_FAILS(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_STR, 0, 1, three, "abc", &v),
              CPET_ERR_INVAL);
  CHECK_FAILS(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT8, 0, 1, three, "abc", NULL),
              CPET_ERR_INVAL);
  const char *strs[3] = {"a", NULL, "c"};
  CHECK_FAILS(cpet_value_new_str_array(CPET_KIND_NDARRAY, CPET_T_STR, 1, three, strs, &v),
              CPET_ERR_INVAL);
  CHECK_FAILS(cpet_value_new_str_array(CPET_KIND_NDARRAY, CPET_T_INT8, 1, three, strs, &v),
              CPET_ERR_TYPE);
}

static void test_scalars(void) {
  cpet_value *v = NULL;
  CHECK_FAILS(cpet_value_new_str(NULL, &v), CPET_ERR_INVAL);
  CHECK_FAILS(cpet_value_new_scalar(CPET_T_INT32, NULL, 0, &v), CPET_ERR_INVAL);
  CHECK_FAILS(cpet_value_new_pickle("x", 1, 300, &v), CPET_ERR_RANGE);
  CHECK_FAILS(cpet_value_new_pickle(NULL, 5, 2, &v), CPET_ERR_INVAL);

  int64_t i;
  double x;
  const char *s;
  size_t n;
  uint64_t um = UINT64_MAX;
  CHECK_OK(cpet_value_new_scalar(CPET_T_UINT64, &um, 0, &v));
  CHECK_FAILS(cpet_value_to_i64(v, &i), CPET_ERR_RANGE);
  CHECK_OK(cpet_value_to_f64(v, &x));
  CHECK_DBL(x, 18446744073709551615.0);
  CHECK_FAILS(cpet_value_to_str(v, &s, &n), CPET_ERR_TYPE);
  CHECK_FAILS(cpet_value_to_i64(v, NULL), CPET_ERR_INVAL);
  cpet_value_free(v);
  uint64_t ok = (uint64_t)INT64_MAX;
  CHECK_OK(cpet_value_new_scalar(CPET_T_UINT64, &ok, 0, &v));
  CHECK_OK(cpet_value_to_i64(v, &i));
  CHECK_INT(i, INT64_MAX);
  cpet_value_free(v);
  CHECK_OK(cpet_value_new_float(1.5, &v));
  CHECK_FAILS(cpet_value_to_i64(v, &i), CPET_ERR_TYPE);
  cpet_value_free(v);
  CHECK_OK(cpet_value_new_complex(1, 0, &v));
  CHECK_FAILS(cpet_value_to_f64(v, &x), CPET_ERR_TYPE);
  cpet_value_free(v);
  CHECK_OK(cpet_value_new_str("12", &v));
  CHECK_FAILS(cpet_value_to_f64(v, &x), CPET_ERR_TYPE);
  CHECK_FAILS(cpet_value_to_i64(v, &i), CPET_ERR_TYPE);
  cpet_value_free(v);
  CHECK_OK(cpet_value_new_none(&v));
  CHECK_FAILS(cpet_value_to_f64(v, &x), CPET_ERR_TYPE);
  cpet_value_free(v);
  size_t two = 2;
  int16_t pair[2] = {1, 2};
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT16, 0, 1, &two, pair, &v));
  CHECK_FAILS(cpet_value_to_i64(v, &i), CPET_ERR_TYPE); /* two elements */
  cpet_value_free(v);
  size_t one = 1;
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT16, 0, 1, &one, pair, &v));
  CHECK_OK(cpet_value_to_i64(v, &i)); /* a 1-element array converts */
  CHECK_INT(i, 1);
  cpet_value_free(v);

  cpet_type t;
  CHECK_FAILS(cpet_type_from_name("int128", &t), CPET_ERR_TYPE);
  CHECK_FAILS(cpet_type_from_name(NULL, &t), CPET_ERR_INVAL);
  CHECK_OK(cpet_type_from_name("<type 'int'>", &t));
  CHECK_INT(t, CPET_T_PY_INT);
  CHECK_OK(cpet_type_from_name("<class 'numpy.float64'>", &t));
  CHECK_INT(t, CPET_T_FLOAT64);
  CHECK_OK(cpet_type_from_name("bool_", &t));
  CHECK_INT(t, CPET_T_BOOL);
  CHECK_OK(cpet_type_from_name("NoneType", &t));
  CHECK_INT(t, CPET_T_NONE);
  for (int k = 0; k < CPET_T_COUNT; k++) {
    CHECK_OK(cpet_type_from_name(cpet_type_name((cpet_type)k), &t));
    CHECK_INT(t, k);
  }
  CHECK_STR(cpet_type_name(CPET_T_UINT16), "uint16");
  CHECK_STR(cpet_type_name((cpet_type)99), "unknown");
  CHECK_STR(cpet_kind_name(CPET_KIND_FRAME), "DataFrame");
  CHECK_UINT(cpet_type_size(CPET_T_COMPLEX64), 8);
  CHECK_UINT(cpet_type_size(CPET_T_STR), 0);
}

static void test_containers(void) {
  cpet_value *l = NULL, *d = NULL, *t = NULL, *f = NULL, *v = NULL;
  size_t three = 3, two = 2;
  int64_t d3[3] = {1, 2, 3};

  /* taken arguments are freed on failure (ASan's leak check proves it) */
  CHECK_OK(cpet_value_new_dict(&d));
  CHECK_FAILS(cpet_value_append(d, mk_int(1)), CPET_ERR_TYPE);
  CHECK_FAILS(cpet_value_append(NULL, mk_int(1)), CPET_ERR_INVAL);
  CHECK_FAILS(cpet_value_append(d, NULL), CPET_ERR_INVAL);
  CHECK_FAILS(cpet_value_set(d, NULL, mk_int(1)), CPET_ERR_INVAL);
  CHECK_FAILS(cpet_value_set(d, "self", d), CPET_ERR_INVAL);
  CHECK_OK(cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 0, 1, &three, d3, &l));
  CHECK_FAILS(cpet_value_append(l, mk_int(4)), CPET_ERR_TYPE);
  CHECK_FAILS(cpet_value_set(l, "k", mk_int(4)), CPET_ERR_TYPE);
  cpet_value_free(l);
  CHECK_OK(cpet_value_new_seq(CPET_KIND_LIST, &l));
  CHECK_FAILS(cpet_value_append(l, l), CPET_ERR_INVAL);
  cpet_value_free(l);
  CHECK_FAILS(cpet_value_new_seq(CPET_KIND_DICT, &l), CPET_ERR_TYPE);
  cpet_value_free(d);

  /* table columns */
  CHECK_OK(cpet_value_new_table(&t));
  CHECK_OK(cpet_value_new_array(CPET_KIND_SCALAR, CPET_T_PY_INT, 0, 1, &three, d3, &v));
  CHECK_OK(cpet_value_set(t, "a", v));
  CHECK_OK(cpet_value_new_array(CPET_KIND_SCALAR, CPET_T_PY_INT, 0, 1, &two, d3, &v));
  CHECK_FAILS(cpet_value_set(t, "b", v), CPET_ERR_RANGE);
  CHECK_OK(cpet_value_new_dict(&d));
  CHECK_FAILS(cpet_value_set(t, "c", d), CPET_ERR_TYPE);
  CHECK_FAILS(cpet_value_set(t, "d", mk_int(1)), CPET_ERR_TYPE); /* rank-0: no column */
  CHECK_OK(cpet_value_new_array(CPET_KIND_SCALAR, CPET_T_PY_INT, 0, 1, &three, d3, &v));
  CHECK_FAILS(cpet_value_set(t, "", v), CPET_ERR_NAME);
  /* replacing the only column may change the row count */
  CHECK_OK(cpet_value_new_array(CPET_KIND_SCALAR, CPET_T_PY_INT, 0, 1, &two, d3, &v));
  CHECK_OK(cpet_value_set(t, "a", v));
  CHECK_UINT(cpet_value_shape(t)[0], 2);
  cpet_value *cell = NULL;
  CHECK_FAILS(cpet__value_cell(cpet_value_child(t, 0), 2, &cell), CPET_ERR_RANGE);
  CHECK_FAILS(cpet__value_cell(t, 0, &cell), CPET_ERR_TYPE);
  cpet_value_free(t);

  /* stack */
  cpet_value *cells[2] = {mk_int(1), NULL};
  CHECK_OK(cpet_value_new_float(1.0, &cells[1]));
  CHECK_FAILS(cpet__value_stack((const cpet_value *const *)cells, 2, &v), CPET_ERR_TYPE);
  CHECK_FAILS(cpet__value_stack((const cpet_value *const *)cells, 0, &v), CPET_ERR_INVAL);
  cpet_value_free(cells[0]);
  cpet_value_free(cells[1]);
  CHECK_OK(cpet_value_new_dict(&cells[0]));
  CHECK_FAILS(cpet__value_stack((const cpet_value *const *)cells, 1, &v), CPET_ERR_TYPE);
  cpet_value_free(cells[0]);

  /* pandas */
  size_t s22[2] = {2, 2};
  CHECK_FAILS(cpet_value_new_series(mk_arr(CPET_T_INT64, 2, s22), NULL, NULL, &v), CPET_ERR_TYPE);
  CHECK_FAILS(cpet_value_new_series(mk_arr(CPET_T_INT64, 1, &three), mk_arr(CPET_T_INT64, 1, &two),
                                    NULL, &v),
              CPET_ERR_RANGE);
  CHECK_FAILS(cpet_value_new_series(NULL, mk_arr(CPET_T_INT64, 1, &two), NULL, &v), CPET_ERR_TYPE);
  CHECK_OK(cpet_value_new_frame(mk_arr(CPET_T_INT64, 1, &three), NULL, &f));
  CHECK_FAILS(cpet_value_set(f, "x", mk_arr(CPET_T_INT64, 1, &two)), CPET_ERR_RANGE);
  CHECK_FAILS(cpet_value_set(f, "y", mk_arr(CPET_T_INT64, 2, s22)), CPET_ERR_TYPE);
  CHECK_OK(cpet_value_set(f, "x", mk_arr(CPET_T_INT64, 1, &three)));
  CHECK_FAILS(cpet__value_set_index(f, mk_arr(CPET_T_INT64, 1, &two)), CPET_ERR_RANGE);
  CHECK_OK(cpet__value_set_index(f, NULL));
  CHECK_OK(cpet__value_set_name(f, "n"));
  CHECK_STR(cpet_value_name(f), "n");
  cpet_value_free(f);
  CHECK_FAILS(cpet_value_new_frame(mk_arr(CPET_T_INT64, 2, s22), NULL, &f), CPET_ERR_TYPE);
  CHECK(f == NULL);
  v = mk_arr(CPET_T_INT64, 1, &two);
  CHECK_FAILS(cpet__value_set_name(v, "x"), CPET_ERR_TYPE);
  CHECK_FAILS(cpet__value_set_index(v, NULL), CPET_ERR_TYPE);
  cpet_value_free(v);

  /* sparse */
  int32_t idx[3] = {0, 1, 2};
  cpet_value *data = mk_arr(CPET_T_FLOAT64, 1, &three), *ind = NULL, *ptr = NULL;
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT32, 0, 1, &three, idx, &ind));
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT32, 0, 1, &two, idx, &ptr));
  CHECK_FAILS(cpet_value_new_sparse(CPET_SPARSE_CSR, 2, 3, data, ind, ptr, &v), CPET_ERR_RANGE);
  CHECK_FAILS(cpet_value_new_sparse(CPET_SPARSE_CSR, 2, 3, NULL, NULL, NULL, &v), CPET_ERR_INVAL);
  CHECK_FAILS(cpet_value_new_sparse((cpet_sparse_format)9, 2, 3, mk_arr(CPET_T_FLOAT64, 1, &three),
                                    NULL, NULL, &v),
              CPET_ERR_INVAL);
  CHECK_FAILS(
      cpet_value_new_sparse(CPET_SPARSE_CSR, SIZE_MAX, SIZE_MAX, mk_arr(CPET_T_FLOAT64, 1, &three),
                            mk_arr(CPET_T_INT32, 1, &three), mk_arr(CPET_T_INT32, 1, &two), &v),
      CPET_ERR_RANGE);
  CHECK_FAILS(cpet_value_new_sparse(CPET_SPARSE_DIA, 3, 3, mk_arr(CPET_T_FLOAT64, 2, s22),
                                    mk_arr(CPET_T_FLOAT64, 1, &two), NULL, &v),
              CPET_ERR_TYPE);
}

static void test_codec(void) {
  cpet_value *v = NULL;
  void *buf = NULL;
  size_t len = 0, used = 99;
  CHECK_FAILS(cpet_value_encode(NULL, &buf, &len), CPET_ERR_INVAL);
  CHECK_FAILS(cpet_value_decode("CPTV", 4, &v, &used), CPET_ERR_CORRUPT);
  CHECK_UINT(used, 0);
  CHECK_FAILS(cpet_value_decode("XXXX\x01\x00\x00", 7, &v, NULL), CPET_ERR_CORRUPT);
  CHECK_FAILS(cpet_value_decode("CPTV\x02\x00\x00", 7, &v, NULL), CPET_ERR_VERSION);
  CHECK_FAILS(cpet_value_decode(NULL, 10, &v, NULL), CPET_ERR_INVAL);
  CHECK_FAILS(cpet_value_decode("CPTV\x01\x00\x00", 7, NULL, NULL), CPET_ERR_INVAL);
  CHECK_FAILS(cpet_value_decode("CPTV\x01\x0b\x00", 7, &v, NULL), CPET_ERR_CORRUPT); /* kind */
  CHECK_FAILS(cpet_value_decode("CPTV\x01\x00\x16", 7, &v, NULL), CPET_ERR_CORRUPT); /* type */
  CHECK(v == NULL);

  /* a 1-d uint8 array claiming 2^62 elements */
  unsigned char huge[] = {'C',
                          'P',
                          'T',
                          'V',
                          1,
                          CPET_KIND_NDARRAY,
                          CPET_T_UINT8,
                          1,
                          0,
                          0,
                          0,
                          0,
                          0,
                          0,
                          0,
                          1,
                          0,
                          0,
                          0,
                          0,
                          0,
                          0,
                          0,
                          0x40,
                          1,
                          2,
                          3};
  CHECK_FAILS(cpet_value_decode(huge, sizeof huge, &v, NULL), CPET_ERR_CORRUPT);
  /* shape product overflow */
  unsigned char ovf[] = {'C',
                         'P',
                         'T',
                         'V',
                         1,
                         CPET_KIND_NDARRAY,
                         CPET_T_UINT8,
                         1,
                         0,
                         0,
                         0,
                         0,
                         0,
                         0,
                         0,
                         2,
                         0xff,
                         0xff,
                         0xff,
                         0xff,
                         0xff,
                         0xff,
                         0xff,
                         0x7f,
                         0xff,
                         0xff,
                         0xff,
                         0xff,
                         0xff,
                         0xff,
                         0xff,
                         0x7f};
  CHECK_FAILS(cpet_value_decode(ovf, sizeof ovf, &v, NULL), CPET_ERR_CORRUPT);
  /* an object list claiming 2^64-1 items */
  unsigned char lst[] = {'C',  'P',  'T',  'V',  1,    CPET_KIND_LIST, 0, 0xff, 0xff,
                         0xff, 0xff, 0xff, 0xff, 0xff, 0xff,           0, 0};
  CHECK_FAILS(cpet_value_decode(lst, sizeof lst, &v, NULL), CPET_ERR_CORRUPT);

  /* nesting: 64 levels encode and decode, 65 do not encode; 65 crafted do not decode */
  cpet_value *outer = NULL;
  CHECK_OK(cpet_value_new_none(&outer));
  for (int depth = 1; depth < CPET__VALUE_MAX_DEPTH; depth++) {
    cpet_value *l = NULL;
    CHECK_OK(cpet_value_new_seq(CPET_KIND_LIST, &l));
    CHECK_OK(cpet_value_append(l, outer));
    outer = l;
  }
  CHECK_OK(cpet_value_encode(outer, &buf, &len));
  CHECK_OK(cpet_value_decode(buf, len, &v, &used));
  CHECK(cpet_value_equal(v, outer));
  cpet_value_free(v);
  cpet_free(buf);
  cpet_value *l = NULL;
  CHECK_OK(cpet_value_new_seq(CPET_KIND_LIST, &l));
  CHECK_OK(cpet_value_append(l, outer));
  CHECK_FAILS(cpet_value_encode(l, &buf, &len), CPET_ERR_RANGE);
  CHECK(buf == NULL);
  cpet_value_free(l);
  size_t n = 5 + 65 * 10 + 2;
  unsigned char *deep = calloc(n, 1);
  memcpy(deep, "CPTV\x01", 5);
  for (int i = 0; i < 65; i++) {
    unsigned char *p = deep + 5 + i * 10;
    p[0] = CPET_KIND_LIST;
    p[2] = 1; /* one item */
  }
  CHECK_FAILS(cpet_value_decode(deep, n, &v, NULL), CPET_ERR_CORRUPT);
  CHECK(strstr(cpet_errmsg(), "deep") != NULL);
  free(deep);

  /* trailing bytes are allowed and reported through consumed */
  cpet_value *i = mk_int(3);
  CHECK_OK(cpet_value_encode(i, &buf, &len));
  unsigned char *more = calloc(len + 4, 1);
  memcpy(more, buf, len);
  CHECK_OK(cpet_value_decode(more, len + 4, &v, &used));
  CHECK_UINT(used, len);
  cpet_value_free(v);
  /* every truncation fails */
  for (size_t k = 0; k < len; k++)
    CHECK_FAILS(cpet_value_decode(more, k, &v, NULL), CPET_ERR_CORRUPT);
  free(more);
  cpet_free(buf);
  cpet_value_free(i);
}

int main(void) {
  test_shapes();
  test_scalars();
  test_containers();
  test_codec();
  CPET_TEST_END();
}
