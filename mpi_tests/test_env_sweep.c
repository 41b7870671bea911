/* test_env_sweep.c - a real sweep through the writer rank with both schedulers: every run
 * stored exactly once with its values, the shared comment kept on run 0 only (run 0 finishes
 * last), the file published under its final name with no .partial and no journal left. */
#include "env_common.h"

static void sweep(const char *file, cpet_sched sched, int rank, int size) {
  cpet_traj *traj = NULL;
  CHECK_OK(make_traj("sweep", 0, &traj));
  cpet_env_opts eo = CPET_ENV_OPTS_DEFAULT;
  eo.sched = sched;
  eo.batch_size = 2;
  cpet_env *env = NULL;
  cpet_status st = cpet_env_init(MPI_COMM_WORLD, &eo, file, traj, &env);
  CHECK_OK(st);
  CHECK(cpet_mt_same((int)st));
  if (st != CPET_OK) {
    cpet_traj_free(traj);
    return;
  }
  CHECK_INT(cpet_env_role(env), size == 1
                                    ? CPET_ROLE_SINGLE
                                    : (rank == size - 1 ? CPET_ROLE_WRITER : CPET_ROLE_WORKER));
  run_ud ud = {1, 0, 0};
  st = cpet_env_run(env, sweep_run, &ud);
  CHECK_OK(st);
  CHECK(cpet_mt_same((int)st));
  if (size > 1 && rank == size - 1) CHECK_INT(ud.calls, 0); /* the writer computes nothing */
  int calls = 0;
  MPI_Allreduce(&ud.calls, &calls, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  CHECK_INT(calls, NRUNS);
  cpet_env_stats all[8];
  CHECK_OK(cpet_env_report_gather(env, 0, rank == 0 ? all : NULL));
  if (rank == 0 && size <= 8) {
    int64_t computed = 0;
    for (int r = 0; r < size; r++)
      if (all[r].role != CPET_ROLE_WRITER) computed += all[r].runs;
    CHECK_INT(computed, NRUNS);
    if (size > 1) CHECK_INT(all[size - 1].runs, NRUNS); /* stored exactly once each */
  }
  CHECK_OK(cpet_env_finalize(&env));
  CHECK(env == NULL);
  cpet_traj_free(traj);

  if (rank == 0) {
    char p[256];
    snprintf(p, sizeof p, "%s.partial", file);
    CHECK(access(p, F_OK) != 0);
    snprintf(p, sizeof p, "%s.journal", file);
    CHECK(access(p, F_OK) != 0);
    cpet_traj *t = NULL;
    CHECK_OK(load_all(file, &t));
    if (t) {
      CHECK_INT(cpet_traj_length(t), NRUNS);
      for (int64_t i = 0; i < NRUNS; i++)
        check_run(t, i, 1);
    }
    cpet_traj_free(t);
  }
  MPI_Barrier(MPI_COMM_WORLD);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  sweep("sweep_dynamic.hdf5", CPET_SCHED_DYNAMIC, rank, size);
  sweep("sweep_static.hdf5", CPET_SCHED_STATIC, rank, size);
  CPET_TEST_END();
}
