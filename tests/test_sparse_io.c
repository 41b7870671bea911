/* test_sparse_io.c - save_npz hex codec: our archives load in scipy (when /usr/bin/python3 has
 * it), pypet's own archives in sparse_pickle.hdf5 read back as the JSON lists them, and corrupt
 * input never crashes. */
#include "cpet_test.h"
#include "layout/layout_int.h"
#include "layout/npz_int.h"

#include <unistd.h>

typedef struct coo {
  size_t n;
  int64_t row[64], col[64];
  double val[64];
} coo;

static double elem_f64(const cpet_value *d, size_t i) {
  if (cpet_value_type(d) == CPET_T_FLOAT32) return ((const float *)cpet_value_data(d))[i];
  return ((const double *)cpet_value_data(d))[i];
}
static int64_t elem_idx(const cpet_value *a, size_t i) {
  if (cpet_value_type(a) == CPET_T_INT64) return ((const int64_t *)cpet_value_data(a))[i];
  return ((const int32_t *)cpet_value_data(a))[i];
}

static void add(coo *c, int64_t r, int64_t k, double v) {
  if (v == 0 || c->n >= 64) return;
  size_t i = c->n++;
  /* insertion sort by (row, col), as the JSON lists them */
  while (i > 0 && (c->row[i - 1] > r || (c->row[i - 1] == r && c->col[i - 1] > k))) {
    c->row[i] = c->row[i - 1], c->col[i] = c->col[i - 1], c->val[i] = c->val[i - 1];
    i--;
  }
  c->row[i] = r, c->col[i] = k, c->val[i] = v;
}

/* COO coordinates of a sparse value (explicit zeros dropped like scipy's tocoo+eliminate). */
static coo to_coo(const cpet_value *v) {
  coo c = {0};
  const cpet_value *d = cpet_value_get(v, "data");
  const size_t *sh = cpet_value_shape(v);
  switch (cpet_value_sparse_format(v)) {
  case CPET_SPARSE_CSR:
  case CPET_SPARSE_CSC: {
    const cpet_value *ind = cpet_value_get(v, "indices"), *ptr = cpet_value_get(v, "indptr");
    int csc = cpet_value_sparse_format(v) == CPET_SPARSE_CSC;
    for (size_t m = 0; m + 1 < cpet_value_nelem(ptr); m++)
      for (int64_t k = elem_idx(ptr, m); k < elem_idx(ptr, m + 1); k++)
        add(&c, csc ? elem_idx(ind, k) : (int64_t)m, csc ? (int64_t)m : elem_idx(ind, k),
            elem_f64(d, k));
    break;
  }
  case CPET_SPARSE_BSR: {
    const cpet_value *ind = cpet_value_get(v, "indices"), *ptr = cpet_value_get(v, "indptr");
    size_t R = cpet_value_shape(d)[1], C = cpet_value_shape(d)[2];
    for (size_t m = 0; m + 1 < cpet_value_nelem(ptr); m++)
      for (int64_t k = elem_idx(ptr, m); k < elem_idx(ptr, m + 1); k++)
        for (size_t r = 0; r < R; r++)
          for (size_t q = 0; q < C; q++)
            add(&c, (int64_t)(m * R + r), elem_idx(ind, k) * (int64_t)C + (int64_t)q,
                elem_f64(d, (size_t)k * R * C + r * C + q));
    break;
  }
  case CPET_SPARSE_DIA: {
    const cpet_value *off = cpet_value_get(v, "offsets");
    size_t L = cpet_value_shape(d)[1];
    for (size_t i = 0; i < cpet_value_nelem(off); i++)
      for (size_t j = 0; j < L && j < sh[1]; j++) {
        int64_t r = (int64_t)j - elem_idx(off, i);
        if (r >= 0 && r < (int64_t)sh[0]) add(&c, r, (int64_t)j, elem_f64(d, i * L + j));
      }
    break;
  }
  }
  return c;
}

static void check_coo(const cpet_value *v, const char *fmt, size_t nr, size_t nc, size_t n,
                      const int64_t *row, const int64_t *col, const double *val) {
  static const char *names[] = {"csr", "csc", "bsr", "dia"};
  CHECK_STR(names[cpet_value_sparse_format(v)], fmt);
  CHECK_UINT(cpet_value_shape(v)[0], nr);
  CHECK_UINT(cpet_value_shape(v)[1], nc);
  coo c = to_coo(v);
  CHECK_UINT(c.n, n);
  for (size_t i = 0; i < n && i < c.n; i++) {
    CHECK_INT(c.row[i], row[i]);
    CHECK_INT(c.col[i], col[i]);
    CHECK_DBL(c.val[i], val[i]);
  }
}

static char *read_str_dataset(hid_t f, const char *path, size_t *len) {
  hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
  if (d < 0) return NULL;
  hid_t t = H5Dget_type(d);
  size_t n = H5Tget_size(t);
  char *buf = calloc(n + 1, 1);
  hid_t mt = H5Tcopy(H5T_C_S1);
  H5Tset_size(mt, n);
  H5Tset_strpad(mt, H5T_STR_NULLPAD);
  if (H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
    free(buf);
    buf = NULL;
  }
  H5Tclose(mt);
  H5Tclose(t);
  H5Dclose(d);
  *len = n;
  return buf;
}

static void test_fixture(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/sparse_pickle.hdf5", cpet_test_fixtures());
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  CHECK(f >= 0);
  if (f < 0) return;
  static const struct {
    const char *path, *fmt;
    size_t nr, nc, n;
    int64_t row[8], col[8];
    double val[8];
  } cases[] = {
      {"/sparse_pickle/parameters/sparse/csr/data__spsp__",
       "csr",
       3,
       3,
       3,
       {0, 1, 2},
       {1, 2, 0},
       {1.5, 2.0, 3.0}},
      {"/sparse_pickle/parameters/sparse/csr/xspm__spsp__00000001",
       "csr",
       3,
       3,
       3,
       {0, 1, 2},
       {1, 2, 0},
       {3.0, 4.0, 6.0}},
      {"/sparse_pickle/parameters/sparse/csc/data__spsp__",
       "csc",
       4,
       4,
       4,
       {0, 1, 2, 3},
       {0, 1, 2, 3},
       {1, 1, 1, 1}},
      {"/sparse_pickle/parameters/sparse/bsr/data__spsp__",
       "bsr",
       4,
       4,
       8,
       {0, 0, 1, 1, 2, 2, 3, 3},
       {0, 1, 0, 1, 2, 3, 2, 3},
       {1, 1, 1, 1, 1, 1, 1, 1}},
      {"/sparse_pickle/parameters/sparse/dia/data__spsp__",
       "dia",
       3,
       3,
       3,
       {0, 1, 2},
       {0, 1, 2},
       {1, 2, 3}},
      {"/sparse_pickle/results/sparse/matrices/csr__spsp__",
       "csr",
       2,
       3,
       5,
       {0, 0, 1, 1, 1},
       {1, 2, 0, 1, 2},
       {1, 2, 3, 4, 5}},
      {"/sparse_pickle/results/sparse/matrices/bsr__spsp__",
       "bsr",
       2,
       2,
       4,
       {0, 0, 1, 1},
       {0, 1, 0, 1},
       {1, 1, 1, 1}},
      {"/sparse_pickle/results/sparse/matrices/dia__spsp__",
       "dia",
       2,
       2,
       2,
       {0, 1},
       {0, 1},
       {4, 5}},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t n;
    char *hex = read_str_dataset(f, cases[i].path, &n);
    CHECK(hex != NULL);
    if (!hex) continue;
    cpet_value *v = NULL;
    CHECK_OK(cpet__sparse_from_hex(hex, n, &v));
    if (v) {
      check_coo(v, cases[i].fmt, cases[i].nr, cases[i].nc, cases[i].n, cases[i].row, cases[i].col,
                cases[i].val);
      if (i == 2) CHECK_INT(cpet_value_type(cpet_value_get(v, "data")), CPET_T_FLOAT32);
      /* our re-encoding reads back identically */
      char *h2;
      size_t n2;
      CHECK_OK(cpet__sparse_to_hex(v, &h2, &n2));
      cpet_value *w = NULL;
      CHECK_OK(cpet__sparse_from_hex(h2, n2, &w));
      CHECK(w && cpet_value_equal(v, w));
      cpet_value_free(w);
      cpet_free(h2);
    }
    cpet_value_free(v);
    free(hex);
  }
  H5Fclose(f);
}

static cpet_value *arr(cpet_type t, int nd, const size_t *shape, const void *data) {
  cpet_value *v = NULL;
  cpet_value_new_array(CPET_KIND_NDARRAY, t, 0, nd, shape, data, &v);
  return v;
}

static void check_python(const char *hex, const char *expect_dense) {
  if (access("/usr/bin/python3", X_OK) != 0) return;
  FILE *f = fopen("m.hex", "w");
  fputs(hex, f);
  fclose(f);
  char cmd[1024];
  snprintf(cmd, sizeof cmd,
           "/usr/bin/python3 -c \"import io,scipy.sparse as sp,numpy as np; "
           "m=sp.load_npz(io.BytesIO(bytes.fromhex(open('m.hex').read()))); "
           "print(m.format, m.dtype, m.toarray().tolist())\" > py.out 2>&1");
  int rc = system(cmd);
  char out[512] = "";
  f = fopen("py.out", "r");
  if (f) {
    if (!fgets(out, sizeof out, f)) out[0] = 0;
    fclose(f);
  }
  out[strcspn(out, "\n")] = 0;
  if (rc != 0 && strstr(out, "No module named")) {
    printf("scipy not available: %s\n", out);
    return;
  }
  CHECK_STR(out, expect_dense);
}

static void test_write(void) {
  double data[3] = {1.5, 2.0, 3.0};
  int32_t ind[3] = {1, 2, 0}, ptr[4] = {0, 1, 2, 3};
  size_t three = 3, four = 4;
  cpet_value *v = NULL;
  CHECK_OK(cpet_value_new_sparse(CPET_SPARSE_CSR, 3, 3, arr(CPET_T_FLOAT64, 1, &three, data),
                                 arr(CPET_T_INT32, 1, &three, ind),
                                 arr(CPET_T_INT32, 1, &four, ptr), &v));
  char *hex;
  size_t n;
  CHECK_OK(cpet__sparse_to_hex(v, &hex, &n));
  CHECK(n > 0 && strspn(hex, "0123456789abcdef") == n);
  check_python(hex, "csr float64 [[0.0, 1.5, 0.0], [0.0, 0.0, 2.0], [3.0, 0.0, 0.0]]");
  cpet_value *back = NULL;
  CHECK_OK(cpet__sparse_from_hex(hex, n, &back));
  CHECK(back && cpet_value_equal(v, back));
  cpet_value_free(back);

  /* fuzz: random byte flips in the archive (re-hexed), truncations */
  size_t zl = n / 2;
  unsigned char *zip = malloc(zl);
  for (size_t i = 0; i < zl; i++)
    sscanf(hex + 2 * i, "%2hhx", &zip[i]);
  char *mut = malloc(n + 1);
  unsigned rng = 7;
  int ok = 0;
  for (int it = 0; it < 3000; it++) {
    unsigned char *z = malloc(zl);
    memcpy(z, zip, zl);
    size_t len = zl;
    for (int k = 0; k < 3; k++) {
      rng = rng * 1103515245 + 12345;
      size_t pos = (rng >> 8) % len;
      if ((rng >> 4) % 5 == 0)
        len = pos + 1;
      else
        z[pos] ^= (unsigned char)(1 + (rng >> 16) % 255);
    }
    for (size_t i = 0; i < len; i++)
      sprintf(mut + 2 * i, "%02x", z[i]);
    cpet_value *w = NULL;
    if (cpet__sparse_from_hex(mut, 2 * len, &w) == CPET_OK) ok++;
    cpet_value_free(w);
    free(z);
  }
  printf("fuzz: %d of 3000 mutated archives still decoded\n", ok);
  free(mut);
  free(zip);
  cpet_free(hex);
  cpet_value_free(v);

  /* dia (2-D data) and bsr (3-D data) */
  double dd[2][3] = {{1, 2, 3}, {0, 7, 8}};
  int32_t offs[2] = {0, 1};
  size_t dsh[2] = {2, 3}, two = 2;
  CHECK_OK(cpet_value_new_sparse(CPET_SPARSE_DIA, 3, 3, arr(CPET_T_FLOAT64, 2, dsh, dd),
                                 arr(CPET_T_INT32, 1, &two, offs), NULL, &v));
  CHECK_OK(cpet__sparse_to_hex(v, &hex, &n));
  check_python(hex, "dia float64 [[1.0, 7.0, 0.0], [0.0, 2.0, 8.0], [0.0, 0.0, 3.0]]");
  cpet_free(hex);
  cpet_value_free(v);
  double bd[1][2][2] = {{{1, 2}, {3, 4}}};
  int32_t bi[1] = {1}, bp[3] = {0, 1, 1};
  size_t bsh[3] = {1, 2, 2}, one = 1, bpl = 3;
  CHECK_OK(cpet_value_new_sparse(CPET_SPARSE_BSR, 4, 4, arr(CPET_T_FLOAT64, 3, bsh, bd),
                                 arr(CPET_T_INT32, 1, &one, bi), arr(CPET_T_INT32, 1, &bpl, bp),
                                 &v));
  CHECK_OK(cpet__sparse_to_hex(v, &hex, &n));
  check_python(hex,
               "bsr float64 [[0.0, 0.0, 1.0, 2.0], [0.0, 0.0, 3.0, 4.0], [0.0, 0.0, 0.0, 0.0], "
               "[0.0, 0.0, 0.0, 0.0]]");
  cpet_free(hex);
  cpet_value_free(v);

  CHECK_ERR(cpet__sparse_from_hex("abc", 3, &v), CPET_ERR_CORRUPT);
  CHECK_ERR(cpet__sparse_from_hex("zz", 2, &v), CPET_ERR_CORRUPT);
  CHECK_ERR(cpet__sparse_from_hex("504b0506", 8, &v), CPET_ERR_CORRUPT);
}

int main(void) {
  test_fixture();
  test_write();
  CPET_TEST_END();
}
