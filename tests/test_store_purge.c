/* test_store_purge.c - purge_duplicate_comments with cpet's rule (spec 9.1): runs stored in the
 * order 5,3,1,0,2,4 (in two store sessions, so the state is rebuilt from the summary table)
 * leave the shared comment only on run_00000000; differing comments stay on every run. Checked
 * with raw HDF5. */
#include <hdf5.h>
#include <stdio.h>
#include <string.h>

#include "cpet_test.h"
#include <cpet/cpet_store.h>
#include <cpet/cpet_traj.h>
#include <cpet/cpet_value.h>

#define FILE_NAME "purge.hdf5"
#define NRUNS 6

static int has_comment(hid_t f, const char *path) {
  hid_t g = H5Gopen2(f, path, H5P_DEFAULT);
  if (g < 0) return -1;
  int r = H5Aexists(g, "SRVC_INIT_COMMENT") > 0;
  H5Gclose(g);
  return r;
}

typedef struct srow {
  char location[512];
  char name[128];
  char hexdigest[64];
  char comment[512];
} srow;

/* Reads results_summary through a memory type of the four string columns. */
static int read_summary(hid_t f, srow *rows, int max) {
  hid_t d = H5Dopen2(f, "/purged/overview/results_summary", H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t sp = H5Dget_space(d);
  hssize_t n = H5Sget_simple_extent_npoints(sp);
  hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(srow));
  const char *names[4] = {"location", "name", "hexdigest", "comment"};
  size_t offs[4] = {offsetof(srow, location), offsetof(srow, name), offsetof(srow, hexdigest),
                    offsetof(srow, comment)};
  size_t sizes[4] = {512, 128, 64, 512};
  for (int i = 0; i < 4; i++) {
    hid_t s = H5Tcopy(H5T_C_S1);
    H5Tset_size(s, sizes[i]);
    H5Tinsert(mt, names[i], offs[i], s);
    H5Tclose(s);
  }
  int got = -1;
  if (n <= max && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) >= 0) got = (int)n;
  H5Tclose(mt);
  H5Sclose(sp);
  H5Dclose(d);
  return got;
}

static void store_runs(cpet_traj *t, const int *order, int n, int reopen) {
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open(FILE_NAME, reopen ? CPET_OPEN_APPEND : CPET_OPEN_CREATE, NULL, &s));
  if (!reopen) CHECK_OK(cpet_store_traj(s, t, CPET_STORE_DATA, 1));
  for (int k = 0; k < n; k++) {
    int i = order[k];
    CHECK_OK(cpet_traj_set_crun(t, i));
    cpet_value *v = NULL;
    CHECK_OK(cpet_value_new_int(i, &v));
    CHECK_OK(cpet_traj_add_result(t, "z", CPET_CLASS_RESULT, v, "identical comment", NULL));
    char own[64];
    snprintf(own, sizeof own, "comment of run %d", i);
    CHECK_OK(cpet_traj_add_result(t, "own", CPET_CLASS_RESULT, v, own, NULL));
    /* Two texts alternating: each text is kept once, on its lowest run. */
    CHECK_OK(cpet_traj_add_result(t, "parity", CPET_CLASS_RESULT, v, i % 2 ? "odd" : "even", NULL));
    cpet_value_free(v);
    CHECK_OK(cpet_store_run(s, t, i));
  }
  CHECK_OK(cpet_traj_set_crun(t, -1));
  CHECK_OK(cpet_store_close(s));
}

int main(void) {
  cpet_traj *t = NULL;
  CHECK_OK(cpet_traj_create("purged", &t));
  cpet_value *v = NULL;
  int64_t xs[NRUNS] = {0, 1, 2, 3, 4, 5};
  size_t sh[1] = {NRUNS};
  CHECK_OK(cpet_value_new_int(0, &v));
  CHECK_OK(cpet_traj_add_param(t, "x", CPET_CLASS_PARAMETER, v, NULL, NULL));
  cpet_value_free(v);
  CHECK_OK(cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 0, 1, sh, xs, &v));
  const char *names[1] = {"x"};
  const cpet_value *ranges[1] = {v};
  CHECK_OK(cpet_traj_explore(t, 1, names, ranges));
  cpet_value_free(v);

  const int first[3] = {5, 3, 1}, second[3] = {0, 2, 4};
  store_runs(t, first, 3, 0);
  store_runs(t, second, 3, 1); /* a new store: the purge state comes from the summary table */

  hid_t f = H5Fopen(FILE_NAME, H5F_ACC_RDONLY, H5P_DEFAULT);
  CHECK(f >= 0);
  for (int i = 0; i < NRUNS; i++) {
    char p[128];
    snprintf(p, sizeof p, "/purged/results/runs/run_%08d/z", i);
    CHECK_INT(has_comment(f, p), i == 0);
    snprintf(p, sizeof p, "/purged/results/runs/run_%08d/own", i);
    CHECK_INT(has_comment(f, p), 1);
    snprintf(p, sizeof p, "/purged/results/runs/run_%08d/parity", i);
    CHECK_INT(has_comment(f, p), i < 2);
  }
  srow rows[16];
  int n = read_summary(f, rows, 16);
  CHECK_INT(n, 3 + NRUNS); /* z, parity (2 texts), own (6 texts) */
  int zrows = 0, parity = 0;
  for (int i = 0; i < n; i++) {
    if (strcmp(rows[i].name, "z") == 0) {
      zrows++;
      CHECK_STR(rows[i].location, "results.runs.run_00000000");
      CHECK_STR(rows[i].comment, "identical comment");
      /* sha1("identical comment") */
      CHECK_STR(rows[i].hexdigest, "0c908b70765817f95796565f528e959a70766c45");
    }
    if (strcmp(rows[i].name, "parity") == 0) {
      parity++;
      CHECK_STR(rows[i].location, strcmp(rows[i].comment, "even") == 0
                                      ? "results.runs.run_00000000"
                                      : "results.runs.run_00000001");
    }
  }
  CHECK_INT(zrows, 1);
  CHECK_INT(parity, 2);
  H5Fclose(f);

  /* pypet (and cpet) load purged comments as empty: only run 0 shows it. */
  cpet_store *s = NULL;
  cpet_traj *l = NULL;
  cpet_load_opts lo = CPET_LOAD_OPTS_ALL;
  CHECK_OK(cpet_store_open(FILE_NAME, CPET_OPEN_READ, NULL, &s));
  CHECK_OK(cpet_store_load_traj(s, &lo, &l));
  cpet_node *z0 = NULL, *z4 = NULL;
  if (l) {
    CHECK_OK(cpet_traj_find(l, "results.runs.run_00000000.z", &z0));
    CHECK_OK(cpet_traj_find(l, "results.runs.run_00000004.z", &z4));
    if (z0) CHECK_STR(cpet_node_comment(z0), "identical comment");
    if (z4) CHECK_STR(cpet_node_comment(z4), "");
  }
  cpet_traj_free(l);
  CHECK_OK(cpet_store_close(s));
  cpet_traj_free(t);
  CPET_TEST_END();
}
