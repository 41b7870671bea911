/* test_bad_input.c - bad input across the library (issue 4), the parts other tests leave out:
 *  - rejected tree edits (invalid names, duplicates, explored-type changes, unequal or empty
 *    ranges) leave the trajectory as it was and, with a stored file open, write nothing;
 *  - NaN, +-Inf, -0.0, zero-length arrays and NUL bytes in strings/bytes survive store + load
 *    bit-exactly (pypet accepts and round-trips them);
 *  - a file whose array dataset claims absurd dimensions (2^40 x 2^40 elements, chunked, so
 *    HDF5 accepts it) is refused with CPET_ERR_RANGE before any allocation;
 *  - truncated copies (many cut points) fail with a file-level status, never crash, and are
 *    not modified;
 *  - cpet_recover on a non-journal, a journal of a newer version, and a journal without its
 *    skeleton: the specific status, no output file.
 * Name rules (test_names.c), value sizes (test_value_errors.c), non-HDF5 / no-trajectory /
 * version files (test_load_errors.c) and the store's state errors (test_store_errors.c) are
 * covered there. */
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cpet/cpet.h>
#include <cpet/cpet_recover.h>

#include "core/hash_int.h"
#include "cpet_test.h"

static unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *b = malloc(n > 0 ? (size_t)n : 1);
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return b;
}

static void digest(const char *path, char out[41]) {
  size_t n = 0;
  unsigned char *b = slurp(path, &n);
  cpet__sha1_hex(b ? (const void *)b : "", b ? n : 0, out);
  free(b);
}

static void write_file(const char *path, const void *p, size_t n) {
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f)
    return;
  CHECK_INT(fwrite(p, 1, n, f), n);
  fclose(f);
}

static size_t count_nodes(cpet_traj *t) {
  size_t n = 0;
  cpet_node *stack[256];
  size_t sp = 0;
  stack[sp++] = cpet_traj_root(t);
  while (sp) {
    cpet_node *x = stack[--sp];
    n++;
    if (cpet_node_kind_of(x) != CPET_NODE_GROUP)
      continue;
    for (size_t i = 0; i < cpet_node_nchildren(x) && sp < 256; i++)
      stack[sp++] = cpet_node_child(x, i);
  }
  return n;
}

static cpet_traj *base_traj(const char *name) {
  cpet_traj *t = NULL;
  cpet_value *x = NULL, *r = NULL;
  int64_t xs[3] = {1, 2, 3};
  size_t n = 3;
  CHECK_OK(cpet_traj_create(name, &t));
  CHECK_OK(cpet_value_new_int(5, &x));
  CHECK_OK(cpet_traj_add_param(t, "parameters.x", CPET_CLASS_PARAMETER, x, "x", NULL));
  CHECK_OK(cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 8, 1, &n, xs, &r));
  const char *names[1] = {"parameters.x"};
  const cpet_value *ranges[1] = {r};
  CHECK_OK(cpet_traj_explore(t, 1, names, ranges));
  cpet_value_free(x);
  cpet_value_free(r);
  return t;
}

/* 1. Rejected edits change neither the tree nor an open, stored file. */
static void rejected_edits(void) {
  cpet_traj *t = base_traj("edits");
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open("edits.hdf5", CPET_OPEN_CREATE, NULL, &s));
  CHECK_OK(cpet_store_traj(s, t, CPET_STORE_DATA, 0));
  CHECK_OK(cpet_store_flush(s));
  char before[41], after[41];
  digest("edits.hdf5", before);
  size_t nodes = count_nodes(t);

  cpet_value *v = NULL;
  CHECK_OK(cpet_value_new_float(1.5, &v));
  char longname[160];
  memset(longname, 'a', 140);
  longname[140] = '\0';
  char deep[200];
  snprintf(deep, sizeof deep, "parameters.%s", longname);
  const char *bad[] = {"parameters.",    "parameters._x",       "parameters.a b",   "parameters.x$",
                       "parameters.a/b", "parameters.\xc3\xa4", "parameters.a\x01", deep,
                       "parameters..y"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    cpet_status st = cpet_traj_add_param(t, bad[i], CPET_CLASS_PARAMETER, v, NULL, NULL);
    CHECK_ERR(st, CPET_ERR_NAME);
  }
  CHECK_ERR(cpet_traj_add_group(t, "overview", NULL, NULL), CPET_ERR_NAME);
  /* Duplicate: refused, the first parameter keeps its value. */
  CHECK_ERR(cpet_traj_add_param(t, "parameters.x", CPET_CLASS_PARAMETER, v, NULL, NULL),
            CPET_ERR_EXISTS);
  cpet_node *x = NULL;
  CHECK_OK(cpet_traj_find(t, "parameters.x", &x));
  int64_t xv = 0;
  CHECK_OK(cpet_value_to_i64(cpet_param_value(x), &xv));
  CHECK_INT(xv, 5);
  /* Explored type change, unequal lengths, empty range: refused, range intact. */
  double fs[3] = {1.0, 2.0, 3.0};
  int64_t is2[2] = {7, 8};
  size_t n3 = 3, n2 = 2, n0 = 0;
  cpet_value *rf = NULL, *ri = NULL, *re = NULL;
  CHECK_OK(cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_FLOAT, 8, 1, &n3, fs, &rf));
  CHECK_OK(cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 8, 1, &n2, is2, &ri));
  CHECK_OK(cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 8, 1, &n0, NULL, &re));
  const char *nx[1] = {"parameters.x"};
  const cpet_value *r1[1] = {rf}, *r2[1] = {ri}, *r3[1] = {re};
  CHECK(cpet_traj_explore(t, 1, nx, r1) != CPET_OK);
  CHECK(cpet_traj_explore(t, 1, nx, r2) != CPET_OK);
  CHECK(cpet_traj_explore(t, 1, nx, r3) != CPET_OK);
  CHECK_INT(cpet_traj_length(t), 3);
  CHECK_INT(cpet_param_range_len(x), 3);
  for (size_t i = 0; i < 3 && cpet_param_range_len(x) == 3; i++) {
    CHECK_OK(cpet_value_to_i64(cpet_param_range(x, i), &xv));
    CHECK_INT(xv, (int64_t)i + 1);
  }
  CHECK_INT(count_nodes(t), nodes);
  digest("edits.hdf5", after);
  CHECK_STR(after, before); /* nothing reached the file */
  CHECK_OK(cpet_store_close(s));
  cpet_value_free(v);
  cpet_value_free(rf);
  cpet_value_free(ri);
  cpet_value_free(re);
  cpet_traj_free(t);
}

/* 2. Special values survive store + load bit-exactly. */
static void special_values(void) {
  cpet_traj *t = base_traj("special");
  cpet_node *r = NULL;
  CHECK_OK(cpet_traj_add_result(t, "results.special", CPET_CLASS_RESULT, NULL, NULL, &r));
  double sp[5] = {NAN, INFINITY, -INFINITY, -0.0, 1e-310};
  size_t n5 = 5, z1[1] = {0}, z2[2] = {0, 3};
  cpet_value *v = NULL;
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 1, &n5, sp, &v));
  CHECK_OK(cpet_leaf_set_take(r, "floats", v, CPET_FLAG_AUTO));
  CHECK_OK(cpet_value_new_float(NAN, &v));
  CHECK_OK(cpet_leaf_set_take(r, "nan", v, CPET_FLAG_AUTO));
  CHECK_OK(cpet_value_new_float(-INFINITY, &v));
  CHECK_OK(cpet_leaf_set_take(r, "minf", v, CPET_FLAG_AUTO));
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 1, z1, NULL, &v));
  CHECK_OK(cpet_leaf_set_take(r, "empty", v, CPET_FLAG_AUTO));
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT32, 0, 2, z2, NULL, &v));
  CHECK_OK(cpet_leaf_set_take(r, "empty_0x3", v, CPET_FLAG_AUTO));
  CHECK_OK(cpet_value_new_bytes("a\0b\0\0", 5, &v));
  CHECK_OK(cpet_leaf_set_take(r, "nul_bytes", v, CPET_FLAG_AUTO));
  cpet_value *nulstr = NULL;
  cpet_status sst = cpet_value_new_strn("x\0y", 3, &nulstr);
  if (sst == CPET_OK)
    CHECK_OK(cpet_leaf_set_take(r, "nul_str", nulstr, CPET_FLAG_AUTO));
  else
    CHECK_ERR(sst, CPET_ERR_INVAL); /* refused at the API, never truncated silently */
  cpet_value *pnan = NULL;
  CHECK_OK(cpet_value_new_float(NAN, &pnan));
  CHECK_OK(cpet_traj_add_param(t, "parameters.pnan", CPET_CLASS_PARAMETER, pnan, NULL, NULL));
  cpet_value_free(pnan);

  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open("special.hdf5", CPET_OPEN_CREATE, NULL, &s));
  CHECK_OK(cpet_store_traj(s, t, CPET_STORE_DATA, 0));
  CHECK_OK(cpet_store_close(s));
  cpet_traj *u = NULL;
  CHECK_OK(cpet_store_open("special.hdf5", CPET_OPEN_READ, NULL, &s));
  cpet_load_opts lo = CPET_LOAD_OPTS_ALL;
  CHECK_OK(cpet_store_load_traj(s, &lo, &u));
  CHECK_OK(cpet_store_close(s));
  cpet_node *m = NULL;
  CHECK_OK(cpet_traj_find(u, "results.special", &m));
  if (m) {
    const cpet_value *f = cpet_leaf_get(m, "floats");
    CHECK(f && cpet_value_nelem(f) == 5);
    if (f && cpet_value_nelem(f) == 5)
      CHECK(memcmp(cpet_value_data(f), sp, sizeof sp) == 0);
    double d = 0;
    CHECK_OK(cpet_value_to_f64(cpet_leaf_get(m, "nan"), &d));
    CHECK(isnan(d));
    CHECK_OK(cpet_value_to_f64(cpet_leaf_get(m, "minf"), &d));
    CHECK(isinf(d) && d < 0);
    const cpet_value *e = cpet_leaf_get(m, "empty");
    CHECK(e && cpet_value_ndim(e) == 1 && cpet_value_shape(e)[0] == 0);
    e = cpet_leaf_get(m, "empty_0x3");
    CHECK(e && cpet_value_ndim(e) == 2 && cpet_value_shape(e)[0] == 0 &&
          cpet_value_shape(e)[1] == 3 && cpet_value_type(e) == CPET_T_INT32);
    /* Inner NULs are kept; trailing NULs are dropped, as pypet/PyTables do (fixture
     * scalars_all_types: results.quirks.bytes_trailing_nul). */
    const cpet_value *b = cpet_leaf_get(m, "nul_bytes");
    CHECK(b && cpet_value_itemsize(b) == 3 && memcmp(cpet_value_data(b), "a\0b", 3) == 0);
    if (sst == CPET_OK) {
      const cpet_value *ns = cpet_leaf_get(m, "nul_str");
      CHECK(ns && cpet_value_itemsize(ns) == 3 && memcmp(cpet_value_data(ns), "x\0y", 3) == 0);
    }
  }
  cpet_node *pn = NULL;
  CHECK_OK(cpet_traj_find(u, "parameters.pnan", &pn));
  double pv = 0;
  if (pn)
    CHECK_OK(cpet_value_to_f64(cpet_param_value(pn), &pv));
  CHECK(isnan(pv));
  cpet_traj_free(u);
  cpet_traj_free(t);
}

/* Copies the attributes of `src` onto `dst` (both open objects). */
static herr_t copy_attr(hid_t loc, const char *name, const H5A_info_t *info, void *ud) {
  (void)info;
  hid_t dst = *(hid_t *)ud;
  hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
  hid_t ty = H5Aget_type(a), sp = H5Aget_space(a);
  hssize_t n = H5Sget_simple_extent_npoints(sp);
  size_t sz = H5Tget_size(ty) * (size_t)(n > 0 ? n : 1);
  void *buf = calloc(1, sz + 16);
  H5Aread(a, ty, buf);
  hid_t b = H5Acreate2(dst, name, ty, sp, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(b, ty, buf);
  H5Aclose(b);
  free(buf);
  H5Sclose(sp);
  H5Tclose(ty);
  H5Aclose(a);
  return 0;
}

/* 3. A dataset claiming 2^80 elements: refused before allocating. */
static void absurd_dims(void) {
  cpet_traj *t = base_traj("dims");
  cpet_node *r = NULL;
  CHECK_OK(cpet_traj_add_result(t, "results.big", CPET_CLASS_RESULT, NULL, NULL, &r));
  double a[4] = {1, 2, 3, 4};
  size_t n4 = 4;
  cpet_value *v = NULL;
  CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 1, &n4, a, &v));
  CHECK_OK(cpet_leaf_set_take(r, "big", v, CPET_FLAG_AUTO));
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open("dims.hdf5", CPET_OPEN_CREATE, NULL, &s));
  CHECK_OK(cpet_store_traj(s, t, CPET_STORE_DATA, 0));
  CHECK_OK(cpet_store_close(s));
  cpet_traj_free(t);
  /* Replace the dataset by a chunked one of 2^40 x 2^40 elements with the same attributes. */
  hid_t f = H5Fopen("dims.hdf5", H5F_ACC_RDWR, H5P_DEFAULT);
  CHECK(f >= 0);
  const char *path = "/dims/results/big/big";
  hid_t old = H5Dopen2(f, path, H5P_DEFAULT);
  CHECK(old >= 0);
  hsize_t dims[2] = {(hsize_t)1 << 40, (hsize_t)1 << 40}, chunk[2] = {16, 16};
  hid_t sp = H5Screate_simple(2, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(dcpl, 2, chunk);
  hid_t nd = H5Dcreate2(f, "/dims/results/big/big_new", H5T_IEEE_F64LE, sp, H5P_DEFAULT, dcpl,
                        H5P_DEFAULT);
  CHECK(nd >= 0);
  H5Aiterate2(old, H5_INDEX_NAME, H5_ITER_NATIVE, NULL, copy_attr, &nd);
  H5Dclose(nd);
  H5Dclose(old);
  H5Pclose(dcpl);
  H5Sclose(sp);
  CHECK(H5Ldelete(f, path, H5P_DEFAULT) >= 0);
  CHECK(H5Lmove(f, "/dims/results/big/big_new", f, path, H5P_DEFAULT, H5P_DEFAULT) >= 0);
  H5Fclose(f);
  char before[41], after[41];
  digest("dims.hdf5", before);
  CHECK_OK(cpet_store_open("dims.hdf5", CPET_OPEN_READ, NULL, &s));
  cpet_traj *u = NULL;
  cpet_load_opts lo = CPET_LOAD_OPTS_ALL;
  cpet_status st = cpet_store_load_traj(s, &lo, &u);
  CHECK_ERR(st, CPET_ERR_RANGE);
  CHECK(strstr(cpet_errmsg(), "big") != NULL);
  CHECK(u == NULL);
  CHECK_OK(cpet_store_close(s));
  cpet_traj_free(u);
  digest("dims.hdf5", after);
  CHECK_STR(after, before);
}

/* 4. Truncated copies at many cut points: a file-level error, no crash, input unchanged. */
static void truncations(void) {
  size_t n = 0;
  unsigned char *bytes = slurp("special.hdf5", &n);
  CHECK(bytes != NULL && n > 1000);
  if (!bytes)
    return;
  int ok_statuses = 0, cuts = 0;
  for (int pct = 1; pct < 100; pct += 7) {
    size_t cut = n * (size_t)pct / 100;
    write_file("cut.hdf5", bytes, cut);
    char before[41], after[41];
    digest("cut.hdf5", before);
    cpet_store *s = NULL;
    cpet_traj *u = NULL;
    cpet_status st = cpet_store_open("cut.hdf5", CPET_OPEN_READ, NULL, &s);
    if (st == CPET_OK) {
      cpet_load_opts lo = CPET_LOAD_OPTS_ALL;
      st = cpet_store_load_traj(s, &lo, &u);
      cpet_traj_free(u);
      cpet_store_close(s);
    }
    cuts++;
    /* Specific statuses only: never OK, never a generic invalid-argument. */
    int good = st == CPET_ERR_CORRUPT || st == CPET_ERR_NOTHDF5 || st == CPET_ERR_NOTRAJ ||
               st == CPET_ERR_LAYOUT || st == CPET_ERR_HDF5 || st == CPET_ERR_NOTSTORED;
    if (!good)
      fprintf(stderr, "cut at %d%%: %s %s\n", pct, cpet_errname(st), cpet_errmsg());
    ok_statuses += good;
    digest("cut.hdf5", after);
    CHECK_STR(after, before);
  }
  CHECK_INT(ok_statuses, cuts);
  free(bytes);
  unlink("cut.hdf5");
}

/* 5. cpet_recover on bad journals: specific status, no output. */
static void bad_journals(void) {
  write_file("junk.hdf5.journal", "this is not a journal at all, just text......", 46);
  write_file("junk.hdf5.skel", "x", 1);
  CHECK_ERR(cpet_recover("junk.hdf5.journal", "junk_out.hdf5"), CPET_ERR_CORRUPT);
  CHECK(access("junk_out.hdf5", F_OK) != 0 && access("junk_out.hdf5.partial", F_OK) != 0);
  /* A valid header of version 2 (crc32 of the first 32 bytes computed by zlib's rules). */
  unsigned char h[36] = "CPETJNL1";
  memset(h + 8, 0, 28);
  h[8] = 2;
  h[24] = 3;
  unsigned long c = crc32(0, h, 32);
  for (int i = 0; i < 4; i++)
    h[32 + i] = (unsigned char)(c >> (8 * i));
  write_file("newer.hdf5.journal", h, sizeof h);
  write_file("newer.hdf5.skel", "x", 1);
  CHECK_ERR(cpet_recover("newer.hdf5", "newer_out.hdf5"), CPET_ERR_VERSION);
  CHECK(access("newer_out.hdf5", F_OK) != 0);
  /* Version 1 header but no skeleton. */
  h[8] = 1;
  c = crc32(0, h, 32);
  for (int i = 0; i < 4; i++)
    h[32 + i] = (unsigned char)(c >> (8 * i));
  write_file("noskel.hdf5.journal", h, sizeof h);
  CHECK_ERR(cpet_recover("noskel.hdf5.journal", NULL), CPET_ERR_NOTFOUND);
  CHECK(access("noskel.hdf5", F_OK) != 0);
  CHECK_ERR(cpet_recover("missing.hdf5", NULL), CPET_ERR_NOTFOUND);
  CHECK_ERR(cpet_recover(NULL, NULL), CPET_ERR_INVAL);
}

int main(void) {
  rejected_edits();
  special_values();
  absurd_dims();
  truncations();
  bad_journals();
  CPET_TEST_END();
}
