/* test_env_errors.c - failures that must not stop or hang a sweep: a callback failing for some
 * runs (those runs not completed, the rest stored), an unwritable output path (the writer's
 * error returned on every rank), inconsistent skeletons (CPET_ERR_INCONSISTENT on all ranks). */
#include "env_common.h"

static void failing_callback(int rank) {
  cpet_traj *traj = NULL;
  CHECK_OK(make_traj("failing", 0, &traj));
  cpet_env *env = NULL;
  cpet_status st = cpet_env_init(MPI_COMM_WORLD, NULL, "failing.hdf5", traj, &env);
  CHECK_OK(st);
  if (st == CPET_OK) {
    run_ud ud = {0, 5, 0};
    st = cpet_env_run(env, sweep_run, &ud);
    CHECK_OK(st); /* failed runs are not a sweep error */
    CHECK(cpet_mt_same((int)st));
    cpet_env_stats s;
    CHECK_OK(cpet_env_report(env, &s));
    int failed = (int)(s.role == CPET_ROLE_WRITER ? 0 : s.runs_failed), total = 0;
    MPI_Allreduce(&failed, &total, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    CHECK_INT(total, 2); /* runs 2 and 7 */
    CHECK_OK(cpet_env_finalize(&env));
  }
  cpet_traj_free(traj);
  if (rank == 0) {
    /* Not every run completed: the journal stays for a resume. */
    CHECK(access("failing.hdf5.journal", F_OK) == 0);
    cpet_traj *t = NULL;
    CHECK_OK(load_all("failing.hdf5", &t));
    for (int64_t i = 0; t && i < NRUNS; i++)
      check_run(t, i, i % 5 != 2);
    cpet_traj_free(t);
  }
  MPI_Barrier(MPI_COMM_WORLD);
}

static void unwritable(void) {
  cpet_traj *traj = NULL;
  CHECK_OK(make_traj("unwritable", 0, &traj));
  cpet_env *env = NULL;
  cpet_status st =
      cpet_env_init(MPI_COMM_WORLD, NULL, "/nonexistent-cpet-dir/x/out.hdf5", traj, &env);
  CHECK(st != CPET_OK);
  CHECK(cpet_mt_same((int)st));
  CHECK(env == NULL);
  CHECK(strlen(cpet_errmsg()) > 0);
  cpet_traj_free(traj);
  /* The same with journal off (the HDF5 create fails instead). */
  CHECK_OK(make_traj("unwritable", 0, &traj));
  cpet_env_opts eo = CPET_ENV_OPTS_DEFAULT;
  eo.journal = 0;
  st = cpet_env_init(MPI_COMM_WORLD, &eo, "/nonexistent-cpet-dir/out.hdf5", traj, &env);
  CHECK(st != CPET_OK);
  CHECK(cpet_mt_same((int)st));
  cpet_traj_free(traj);
}

static void inconsistent(int rank, int size) {
  cpet_traj *traj = NULL;
  CHECK_OK(make_traj("incons", size > 1 && rank == 0, &traj));
  cpet_env *env = NULL;
  cpet_status st = cpet_env_init(MPI_COMM_WORLD, NULL, "incons.hdf5", traj, &env);
  if (size > 1) {
    CHECK_ERR(st, CPET_ERR_INCONSISTENT);
    CHECK(env == NULL);
  } else {
    CHECK_OK(st);
    CHECK_OK(cpet_env_finalize(&env)); /* never swept: publishes the skeleton */
    CHECK(access("incons.hdf5", F_OK) == 0);
  }
  CHECK(cpet_mt_same((int)st));
  cpet_traj_free(traj);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  failing_callback(rank);
  unwritable();
  inconsistent(rank, size);
  CPET_TEST_END();
}
