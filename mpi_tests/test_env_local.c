/* test_env_local.c - local buffering (pypet's LOCAL / reference wrap): workers keep their
 * results and ship them every N runs or at the end. Every run is stored once with its values,
 * failing runs are still not completed, the shared comment stays on run 0 (which finishes
 * last), and until a worker ships, the writer has stored nothing of it. */
#include "env_common.h"

static void sweep(const char *file, int interval, cpet_sched sched, int fail_mod, int rank,
                  int size) {
  cpet_traj *traj = NULL;
  CHECK_OK(make_traj("local", 0, &traj));
  cpet_env_opts eo = CPET_ENV_OPTS_DEFAULT;
  eo.sched = sched;
  eo.batch_size = 2;
  eo.local_interval = interval;
  cpet_env *env = NULL;
  CHECK_OK(cpet_env_init(MPI_COMM_WORLD, &eo, file, traj, &env));
  run_ud ud = {1, fail_mod, 0};
  int64_t i;
  int kept_max = 0;
  while (env && cpet_env_next_run(env, &i) == CPET_OK && i >= 0) {
    cpet_status rs = sweep_run(traj, i, &ud);
    CHECK_OK(cpet_env_submit_run(env, i, rs));
    /* Kept results stay in the worker's tree until shipped. */
    size_t nruns_here = 0;
    cpet_node *runs = NULL;
    if (cpet_traj_find(traj, "results.runs", &runs) == CPET_OK && runs)
      nruns_here = cpet_node_nchildren(runs);
    if ((int)nruns_here > kept_max) kept_max = (int)nruns_here;
  }
  CHECK_OK(env ? cpet_env_status(env) : CPET_ERR_STATE);
  if (size > 1 && rank != size - 1 && interval > 1 && !fail_mod && ud.calls >= interval)
    CHECK(kept_max >= 2); /* more than the current run was kept */
  if (size > 1 && rank != size - 1 && interval > 0) CHECK(kept_max <= interval);
  CHECK_OK(cpet_env_finalize(&env));
  cpet_traj_free(traj);
  if (rank == 0) {
    cpet_traj *t = NULL;
    CHECK_OK(load_all(file, &t));
    for (int64_t k = 0; t && k < NRUNS; k++)
      check_run(t, k, !fail_mod || k % fail_mod != 2);
    cpet_traj_free(t);
  }
  MPI_Barrier(MPI_COMM_WORLD);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  sweep("local_every3.hdf5", 3, CPET_SCHED_DYNAMIC, 0, rank, size);
  sweep("local_end.hdf5", -1, CPET_SCHED_STATIC, 0, rank, size);
  sweep("local_fail.hdf5", 4, CPET_SCHED_DYNAMIC, 5, rank, size);
  CPET_TEST_END();
}
