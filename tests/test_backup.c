/* test_backup.c - BACKUP (spec 13) and `cpet backup`: a cpet-written trajectory and a
 * trajectory of a pypet fixture are copied to backup_<name>.hdf5 / a given file and reload
 * with the same values; an existing backup and a backup onto the source refuse with specific
 * errors and leave the files' bytes unchanged. */
#include <stdlib.h>

#include "maint_test.h"
#include "tree/tree_int.h"
#include <cpet/cpet_store.h>

static double leaf_f64(cpet_traj *t, const char *name, const char *key) {
  cpet_node *n = t ? cpet__traj_find_exact(t, name) : NULL;
  const cpet_value *v = n ? (key ? cpet_leaf_get(n, key) : cpet_param_value(n)) : NULL;
  double x = -1;
  CPET_CHECK_(v && cpet_value_to_f64(v, &x) == CPET_OK, "%s/%s unreadable", name, key ? key : "");
  return x;
}

static void cpet_written(void) {
  cpet_traj *t = NULL;
  CHECK_OK(cpet_traj_create("bk", &t));
  cpet_value *v = NULL;
  CHECK_OK(cpet_value_new_float(2.5, &v));
  CHECK_OK(cpet_traj_add_param(t, "parameters.p", CPET_CLASS_PARAMETER, v, "p", NULL));
  CHECK_OK(cpet_traj_add_result(t, "results.r", CPET_CLASS_RESULT, v, "r", NULL));
  cpet_value_free(v);
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open("data/bk.hdf5", CPET_OPEN_CREATE, NULL, &s));
  CHECK_OK(cpet_store_traj(s, t, CPET_STORE_DATA, 0));
  CHECK_OK(cpet_store_backup(s, "bk", NULL)); /* while the store is open for writing */
  uint64_t src = mt_checksum("data/bk.hdf5");
  uint64_t bk = mt_checksum("data/backup_bk.hdf5");
  CHECK(bk != 0);
  CHECK_ERR(cpet_store_backup(s, "bk", NULL), CPET_ERR_EXISTS);
  CHECK_ERR(cpet_store_backup(s, "bk", "data/bk.hdf5"), CPET_ERR_INVAL);
  CHECK_ERR(cpet_store_backup(s, "bk", "data/../data/bk.hdf5"), CPET_ERR_INVAL);
  CHECK_ERR(cpet_store_backup(s, "nope", "data/other.hdf5"), CPET_ERR_NOTFOUND);
  CHECK(!mt_exists("data/other.hdf5"));
  CHECK_OK(cpet_store_close(s));
  CHECK(mt_checksum("data/backup_bk.hdf5") == bk);
  (void)src;
  cpet_traj_free(t);
  t = mt_load("data/backup_bk.hdf5", "bk");
  CHECK_DBL(leaf_f64(t, "parameters.p", NULL), 2.5);
  CHECK_DBL(leaf_f64(t, "results.r", "r"), 2.5);
  CHECK_STR(cpet_node_comment(cpet__traj_find_exact(t, "results.r")), "r");
  cpet_traj_free(t);
  /* A text file in the way is not HDF5. */
  FILE *f = fopen("data/not.hdf5", "w");
  fputs("hello", f);
  fclose(f);
  uint64_t before = mt_checksum("data/bk.hdf5"), nb = mt_checksum("data/not.hdf5");
  CHECK_OK(cpet_store_open("data/bk.hdf5", CPET_OPEN_READ, NULL, &s));
  CHECK_ERR(cpet_store_backup(s, "bk", "data/not.hdf5"), CPET_ERR_NOTHDF5);
  CHECK_ERR(cpet_store_backup(s, "bk", "data/bk.hdf5"), CPET_ERR_INVAL);
  CHECK_OK(cpet_store_close(s));
  CHECK(mt_checksum("data/bk.hdf5") == before);
  CHECK(mt_checksum("data/not.hdf5") == nb);
}

static void pypet_written(void) {
  if (mt_copy_fixture("two_trajectories.hdf5", "two.hdf5")) {
    CHECK(0);
    return;
  }
  uint64_t before = mt_checksum("two.hdf5");
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open("two.hdf5", CPET_OPEN_READ, NULL, &s));
  CHECK_OK(cpet_store_backup(s, "second_traj", "both.hdf5"));
  CHECK_OK(cpet_store_backup(s, "first_traj", "both.hdf5")); /* a second trajectory there */
  CHECK_ERR(cpet_store_backup(s, "first_traj", "both.hdf5"), CPET_ERR_EXISTS);
  CHECK_OK(cpet_store_close(s));
  CHECK(mt_checksum("two.hdf5") == before);
  cpet_traj *a = mt_load("two.hdf5", "second_traj"), *b = mt_load("both.hdf5", "second_traj");
  CHECK_INT(cpet_traj_length(b), 4);
  CHECK_INT(cpet_traj_length(b), cpet_traj_length(a));
  for (size_t i = 0; i < 4; i++) {
    char name[64];
    snprintf(name, sizeof name, "results.runs.run_%08zu.z", i);
    CHECK_DBL(leaf_f64(b, name, "z"), leaf_f64(a, name, "z"));
    cpet_run_info ra, rb;
    CHECK_OK(cpet_traj_run_info(a, i, &ra));
    CHECK_OK(cpet_traj_run_info(b, i, &rb));
    CHECK_STR(rb.parameter_summary, ra.parameter_summary);
    CHECK_DBL(rb.timestamp, ra.timestamp);
  }
  cpet_traj_free(a);
  cpet_traj_free(b);
  cpet_traj *c = mt_load("both.hdf5", "first_traj");
  CHECK(c && cpet__traj_find_exact(c, "results.r") != NULL);
  cpet_traj_free(c);

  /* the command line: default name beside the file, then refusal */
  const char *bin = getenv("CPET_BIN");
  if (bin) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "\"%s/cpet\" backup two.hdf5 --traj first_traj > /dev/null", bin);
    CHECK_INT(system(cmd), 0);
    CHECK(mt_exists("backup_first_traj.hdf5"));
    c = mt_load("backup_first_traj.hdf5", "first_traj");
    CHECK(c && cpet__traj_find_exact(c, "parameters.a") != NULL);
    cpet_traj_free(c);
    snprintf(cmd, sizeof cmd, "\"%s/cpet\" backup two.hdf5 --traj first_traj 2>/dev/null", bin);
    CHECK(system(cmd) != 0);
    snprintf(cmd, sizeof cmd, "\"%s/cpet\" backup two.hdf5 --to two.hdf5 2>/dev/null", bin);
    CHECK(system(cmd) != 0);
    CHECK(mt_checksum("two.hdf5") == before);
  }
}

int main(void) {
  static const char *const old[] = {
      "data/bk.hdf5", "data/backup_bk.hdf5", "data/other.hdf5",        "data/not.hdf5",
      "two.hdf5",     "both.hdf5",           "backup_first_traj.hdf5", NULL};
  mt_rm(old);
  cpet_written();
  pypet_written();
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open_lazy(&s));
  CHECK_OK(cpet_store_backup(s, "whatever", NULL));
  CHECK_OK(cpet_store_close(s));
  CPET_TEST_END();
}
