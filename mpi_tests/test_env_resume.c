/* test_env_resume.c - the journal: a sweep whose callback fails for some runs keeps its
 * journal; cpet_recover rebuilds the file from skeleton + journal; a resumed sweep re-runs
 * exactly the runs not acknowledged, and the final file holds every run once. */
#include "env_common.h"

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const char *file = "resume.hdf5";

  /* 1. A sweep in which runs 2 and 7 fail. */
  cpet_traj *traj = NULL;
  CHECK_OK(make_traj("resume", 0, &traj));
  cpet_env_opts eo = CPET_ENV_OPTS_DEFAULT;
  cpet_env *env = NULL;
  CHECK_OK(cpet_env_init(MPI_COMM_WORLD, &eo, file, traj, &env));
  run_ud ud = {0, 5, 0};
  CHECK_OK(cpet_env_run(env, sweep_run, &ud));
  CHECK_OK(cpet_env_finalize(&env));
  cpet_traj_free(traj);

  /* 2. Recover from the journal into another file: the 10 acknowledged runs. */
  if (rank == 0) {
    CHECK(access("resume.hdf5.journal", F_OK) == 0);
    CHECK(access("resume.hdf5.skel", F_OK) == 0);
    CHECK_OK(cpet_recover("resume.hdf5.journal", "recovered.hdf5"));
    cpet_traj *t = NULL;
    CHECK_OK(load_all("recovered.hdf5", &t));
    for (int64_t i = 0; t && i < NRUNS; i++)
      check_run(t, i, i % 5 != 2);
    cpet_traj_free(t);
    /* A torn tail (a crash in the middle of an append) is ignored. */
    FILE *f = fopen("resume.hdf5.journal", "ab");
    CHECK(f != NULL);
    if (f) {
      fwrite("REC1\x40\x00\x00\x00junk", 1, 12, f);
      fclose(f);
    }
    CHECK_OK(cpet_recover("resume.hdf5", "recovered2.hdf5"));
    CHECK_OK(load_all("recovered2.hdf5", &t));
    for (int64_t i = 0; t && i < NRUNS; i++)
      check_run(t, i, i % 5 != 2);
    cpet_traj_free(t);
  }
  MPI_Barrier(MPI_COMM_WORLD);

  /* 3. Resume: only runs 2 and 7 are computed again. */
  CHECK_OK(make_traj("resume", 0, &traj));
  eo.resume = 1;
  CHECK_OK(cpet_env_init(MPI_COMM_WORLD, &eo, file, traj, &env));
  run_ud ud2 = {0, 0, 0};
  CHECK_OK(cpet_env_run(env, sweep_run, &ud2));
  int calls = 0;
  MPI_Allreduce(&ud2.calls, &calls, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  CHECK_INT(calls, 2);
  CHECK_OK(cpet_env_finalize(&env));
  cpet_traj_free(traj);
  if (rank == 0) {
    cpet_traj *t = NULL;
    CHECK_OK(load_all(file, &t));
    for (int64_t i = 0; t && i < NRUNS; i++)
      check_run(t, i, 1);
    cpet_traj_free(t);
    CHECK(access("resume.hdf5.journal", F_OK) != 0); /* complete: cleaned up */
  }

  /* 4. A resume whose trajectory differs from the journal's is refused on all ranks. */
  CHECK_OK(make_traj("resume", 0, &traj));
  eo.keep_journal = 1;
  eo.resume = 0;
  CHECK_OK(cpet_env_init(MPI_COMM_WORLD, &eo, "other.hdf5", traj, &env));
  CHECK_OK(cpet_env_finalize(&env)); /* journal + skeleton kept, no runs */
  cpet_traj_free(traj);
  CHECK_OK(make_traj("resume", 1, &traj));
  eo.resume = 1;
  cpet_status st = cpet_env_init(MPI_COMM_WORLD, &eo, "other.hdf5", traj, &env);
  CHECK_ERR(st, CPET_ERR_INCONSISTENT);
  CHECK(cpet_mt_same((int)st));
  cpet_traj_free(traj);
  CPET_TEST_END();
}
