/* test_keepopen.c - OPEN_FILE / CLOSE_FILE / FLUSH (keep-open semantics): is_open follows the
 * file, a store after close_file reopens without truncating (even for a store created with
 * CPET_OPEN_CREATE), flushing or closing a closed file and opening an open one are state
 * errors that change nothing; on a pypet fixture a read-only store is closed, reopened and
 * loaded; the lazy service accepts everything. */
#include "maint_test.h"
#include "tree/tree_int.h"
#include <cpet/cpet_store.h>

static void cpet_written(void) {
  const char *fn = "keep.hdf5";
  cpet_traj *t = NULL;
  CHECK_OK(cpet_traj_create("keep", &t));
  cpet_value *v = NULL;
  CHECK_OK(cpet_value_new_int(7, &v));
  CHECK_OK(cpet_traj_add_param(t, "parameters.p", CPET_CLASS_PARAMETER, v, NULL, NULL));
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open(fn, CPET_OPEN_CREATE, NULL, &s));
  CHECK_INT(cpet_store_is_open(s), 1);
  CHECK_ERR(cpet_store_open_file(s), CPET_ERR_STATE); /* open twice */
  CHECK_OK(cpet_store_traj(s, t, CPET_STORE_DATA, 0));
  CHECK_OK(cpet_store_flush_file(s));
  CHECK_OK(cpet_store_close_file(s));
  CHECK_INT(cpet_store_is_open(s), 0);
  uint64_t before = mt_checksum(fn);
  CHECK_ERR(cpet_store_flush_file(s), CPET_ERR_STATE);
  CHECK_ERR(cpet_store_close_file(s), CPET_ERR_STATE);
  CHECK(mt_checksum(fn) == before);
  /* a store call reopens the file, keeping what is there */
  CHECK_OK(cpet_traj_add_result(t, "results.r", CPET_CLASS_RESULT, v, NULL, NULL));
  CHECK_OK(cpet_store_traj(s, t, CPET_STORE_DATA, 0));
  CHECK_INT(cpet_store_is_open(s), 1);
  CHECK_OK(cpet_store_close_file(s));
  CHECK_OK(cpet_store_open_file(s));
  CHECK_INT(cpet_store_is_open(s), 1);
  cpet_traj *l = mt_load_from(s, "keep");
  CHECK(l && cpet__traj_find_exact(l, "parameters.p") && cpet__traj_find_exact(l, "results.r"));
  cpet_traj_free(l);
  CHECK_OK(cpet_store_close(s));
  cpet_value_free(v);
  cpet_traj_free(t);
}

static void pypet_written(void) {
  const char *fn = "keep_fixture.hdf5";
  if (mt_copy_fixture("two_trajectories.hdf5", fn)) {
    CHECK(0);
    return;
  }
  uint64_t before = mt_checksum(fn);
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open(fn, CPET_OPEN_READ, NULL, &s));
  CHECK_OK(cpet_store_flush_file(s));
  CHECK_OK(cpet_store_close_file(s));
  CHECK_ERR(cpet_store_flush_file(s), CPET_ERR_STATE);
  CHECK_OK(cpet_store_open_file(s));
  cpet_traj *t = mt_load_from(s, "second_traj");
  CHECK_INT(cpet_traj_length(t), 4);
  cpet_traj_free(t);
  CHECK_OK(cpet_store_close(s));
  CHECK(mt_checksum(fn) == before);
}

static void lazy(void) {
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open_lazy(&s));
  CHECK_INT(cpet_store_is_open(s), 0);
  CHECK_OK(cpet_store_open_file(s));
  CHECK_OK(cpet_store_open_file(s));
  CHECK_OK(cpet_store_flush_file(s));
  CHECK_OK(cpet_store_close_file(s));
  CHECK_OK(cpet_store_close_file(s));
  cpet_traj *t = NULL;
  CHECK_OK(cpet_traj_create("lazy", &t));
  CHECK_OK(cpet_store_traj(s, t, CPET_STORE_DATA, 0));
  CHECK_OK(cpet_store_prepare_merge(s, t, NULL, 0, 1));
  CHECK_OK(cpet_store_merge_items(s, "lazy", NULL, "other", NULL, NULL, 0, 0, 1));
  cpet_traj_free(t);
  CHECK_OK(cpet_store_close(s));
  CHECK_INT(cpet_store_is_open(NULL), 0);
  CHECK_ERR(cpet_store_open_file(NULL), CPET_ERR_INVAL);
}

int main(void) {
  cpet_written();
  pypet_written();
  lazy();
  CPET_TEST_END();
}
