/* test_load_errors.c - loading fails with the specific status and message for: a non-HDF5
 * file, a truncated fixture copy, an HDF5 file without trajectories, an unknown trajectory
 * name, an index out of range, a version mismatch (and force accepting it), and items that are
 * not in storage. The files read are never modified (SHA-1 before/after). */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpet/cpet_alloc.h>
#include <cpet/cpet_store.h>

#include "core/hash_int.h"
#include "cpet_test.h"

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
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
  char *b = slurp(path, &n);
  cpet__sha1_hex(b ? b : "", b ? n : 0, out);
  free(b);
}

static void write_file(const char *path, const void *p, size_t n) {
  FILE *f = fopen(path, "wb");
  if (f) {
    fwrite(p, 1, n, f);
    fclose(f);
  }
}

static int contains(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

int main(void) {
  char fix[1024], before[41], after[41];
  snprintf(fix, sizeof fix, "%s/scalars_all_types.hdf5", cpet_test_fixtures());
  cpet_store *s = NULL;
  cpet_traj *t = NULL;

  /* 1. not HDF5 at all */
  const char garbage[] = "this is not an HDF5 file, just some garbage bytes\n";
  write_file("garbage.h5", garbage, sizeof garbage);
  digest("garbage.h5", before);
  CHECK_ERR(cpet_store_open("garbage.h5", CPET_OPEN_READ, NULL, &s), CPET_ERR_NOTHDF5);
  CHECK(contains(cpet_errmsg(), "garbage.h5"));
  CHECK(s == NULL);
  CHECK_ERR(cpet_store_open("garbage.h5", CPET_OPEN_APPEND, NULL, &s), CPET_ERR_NOTHDF5);
  digest("garbage.h5", after);
  CHECK_STR(after, before);

  /* 2. truncated copy of a fixture */
  size_t n = 0;
  char *bytes = slurp(fix, &n);
  CHECK(bytes != NULL && n > 1000);
  write_file("truncated.hdf5", bytes, n / 2);
  free(bytes);
  digest("truncated.hdf5", before);
  int st = cpet_store_open("truncated.hdf5", CPET_OPEN_READ, NULL, &s);
  CHECK(st == CPET_ERR_CORRUPT || st == CPET_ERR_NOTHDF5);
  CHECK(contains(cpet_errmsg(), "truncated"));
  CHECK(s == NULL);
  digest("truncated.hdf5", after);
  CHECK_STR(after, before);

  /* 3. HDF5 without any trajectory */
  hid_t f = H5Fcreate("empty.hdf5", H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t g = H5Gcreate2(f, "not_a_trajectory", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Gclose(g);
  H5Fclose(f);
  digest("empty.hdf5", before);
  CHECK_OK(cpet_store_open("empty.hdf5", CPET_OPEN_READ, NULL, &s));
  char *names = NULL;
  size_t nn = 99;
  CHECK_OK(cpet_store_list_trajectories(s, &names, &nn));
  CHECK_INT(nn, 0);
  cpet_free(names);
  CHECK_ERR(cpet_store_load_traj(s, NULL, &t), CPET_ERR_NOTRAJ);
  CHECK(contains(cpet_errmsg(), "empty.hdf5"));
  CHECK(t == NULL);
  cpet_load_opts named = CPET_LOAD_OPTS_DEFAULT;
  named.name = "not_a_trajectory";
  CHECK_ERR(cpet_store_load_traj(s, &named, &t), CPET_ERR_NOTRAJ);
  CHECK_OK(cpet_store_close(s));
  digest("empty.hdf5", after);
  CHECK_STR(after, before);

  /* 4-7 on the fixture itself, opened read-only */
  digest(fix, before);
  CHECK_OK(cpet_store_open(fix, CPET_OPEN_READ, NULL, &s));
  cpet_load_opts o = CPET_LOAD_OPTS_DEFAULT;
  o.force = 1;
  o.name = "no_such_traj";
  CHECK_ERR(cpet_store_load_traj(s, &o, &t), CPET_ERR_NOTFOUND);
  CHECK(contains(cpet_errmsg(), "no_such_traj"));
  o.name = NULL;
  o.index = 1;
  CHECK_ERR(cpet_store_load_traj(s, &o, &t), CPET_ERR_RANGE);
  CHECK(contains(cpet_errmsg(), "index 1"));
  o.index = -2;
  CHECK_ERR(cpet_store_load_traj(s, &o, &t), CPET_ERR_RANGE);
  o.index = 0;
  o.force = 0;
  o.expect_version = "9.9.9";
  CHECK_ERR(cpet_store_load_traj(s, &o, &t), CPET_ERR_VERSION);
  CHECK(contains(cpet_errmsg(), "0.7.0") && contains(cpet_errmsg(), "9.9.9"));
  CHECK(t == NULL);
  o.force = 1;
  o.index = -1;
  CHECK_OK(cpet_store_load_traj(s, &o, &t));
  CHECK(t != NULL);
  if (t) {
    CHECK_STR(cpet_traj_name(t), "scalars");
    CHECK_STR(cpet_traj_version(t), "0.7.0");
    /* a node that exists only in memory is not in storage */
    cpet_node *leaf = NULL;
    CHECK_OK(
        cpet_traj_add_result(t, "results.only_in_memory", CPET_CLASS_RESULT, NULL, NULL, &leaf));
    if (leaf) CHECK_ERR(cpet_store_load_leaf(s, t, leaf, NULL, 0, NULL, 0), CPET_ERR_NOTSTORED);
    CHECK(contains(cpet_errmsg(), "only_in_memory"));
    CHECK_ERR(cpet_store_load_tree(s, t, "results.nothing.here", 1, CPET_LOAD_DATA, -1),
              CPET_ERR_NOTSTORED);
    /* and a stored one loads: parameters.np.int8 = -128 (skeleton before) */
    cpet_node *p = NULL;
    CHECK_OK(cpet_traj_find(t, "parameters.np.int8", &p));
    if (p) {
      CHECK_OK(cpet_store_load_leaf(s, t, p, NULL, 0, NULL, 0));
      int64_t v = 0;
      CHECK_OK(cpet_value_to_i64(cpet_param_value(p), &v));
      CHECK_INT(v, -128);
      CHECK_INT(cpet_value_type(cpet_param_value(p)), CPET_T_INT8);
    }
    cpet_traj_free(t);
  }
  CHECK_OK(cpet_store_close(s));
  digest(fix, after);
  CHECK_STR(after, before);

  /* a missing file in read mode */
  CHECK_ERR(cpet_store_open("does_not_exist.hdf5", CPET_OPEN_READ, NULL, &s), CPET_ERR_NOTFOUND);
  CPET_TEST_END();
}
