/* fault_sweep.c - the sweep the fault and load tests run under mpirun
 * (tests/fault/fault_driver.py).
 *
 * Workload A: one explored int parameter x = run index; per run three float results s0..s2
 * and a 100-float array `trace`, all pure functions of the run index (so any two sweeps of the
 * same length hold equal values and a fault-free file is the reference).
 *
 *   fault_sweep FILE NRUNS [--resume] [--no-journal] [--keep-journal] [--sleep-us N]
 *               [--batch N] [--ack ACKFILE] [--pids DIR] [--stats]
 *
 * --ack ACKFILE  the writer rank opens ACKFILE (append) and sets CPET_ACK_FD, so the library
 *                writes "ACK <run>" the moment a run is acknowledged (journal fsync'ed).
 * --pids DIR     every rank writes DIR/rank<r>.pid ("<pid> writer|worker|single") once MPI is
 *                up, and DIR/rank<r>.status ("<CPET_ERR_NAME> <exit code>") when the sweep
 *                has returned, so a driver can kill a chosen rank and check every rank's end.
 * --stats        rank 0 prints "SWEEP ..." with runs/s and the writer's peak RSS (VmHWM).
 *
 * Exit status (documented for the fault tests; the same on every rank since every collective
 * cpet call returns the same status on all ranks):
 *   0 sweep complete               3 CPET_ERR_INTERRUPTED (SIGTERM/SIGUSR1: file published,
 *   1 usage                          journal kept, resume later)
 *   2 any other error              4 CPET_ERR_NOSPACE      5 CPET_ERR_IO      6 CPET_ERR_HDF5
 */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cpet/cpet.h>
#include <cpet/cpet_mpi.h>

#define TRACE_LEN 100

typedef struct sweep_ud {
  long sleep_us;
  long calls;
} sweep_ud;

static int exit_code(cpet_status st) {
  switch (st) {
  case CPET_OK:
    return 0;
  case CPET_ERR_INTERRUPTED:
    return 3;
  case CPET_ERR_NOSPACE:
    return 4;
  case CPET_ERR_IO:
    return 5;
  case CPET_ERR_HDF5:
    return 6;
  default:
    return 2;
  }
}

/* Values of run i: shared with the Python checker only through the reference file. */
static double sval(int64_t i, int k) { return sin(0.001 * (double)i + k) * 1e3 + (double)k; }

static cpet_status add_float(cpet_traj *t, const char *name, double x) {
  cpet_value *v = NULL;
  cpet_status st = cpet_value_new_float(x, &v);
  if (st == CPET_OK)
    st = cpet_traj_add_result(t, name, CPET_CLASS_RESULT, v, NULL, NULL);
  cpet_value_free(v);
  return st;
}

static cpet_status run_a(cpet_traj *traj, int64_t idx, void *userdata) {
  sweep_ud *ud = userdata;
  ud->calls++;
  if (ud->sleep_us > 0) {
    struct timespec ts = {ud->sleep_us / 1000000, (ud->sleep_us % 1000000) * 1000};
    nanosleep(&ts, NULL);
  }
  cpet_status st = CPET_OK;
  static const char *names[3] = {"results.runs.$.s0", "results.runs.$.s1", "results.runs.$.s2"};
  for (int k = 0; k < 3 && st == CPET_OK; k++)
    st = add_float(traj, names[k], sval(idx, k));
  double tr[TRACE_LEN];
  for (int j = 0; j < TRACE_LEN; j++)
    tr[j] = (double)idx + 1e-3 * j;
  size_t n = TRACE_LEN;
  cpet_value *v = NULL;
  if (st == CPET_OK)
    st = cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 8, 1, &n, tr, &v);
  if (st == CPET_OK)
    st = cpet_traj_add_result(traj, "results.runs.$.trace", CPET_CLASS_RESULT, v, NULL, NULL);
  cpet_value_free(v);
  return st;
}

static cpet_status make_traj(int64_t nruns, cpet_traj **out) {
  cpet_traj *t = NULL;
  cpet_value *x = NULL, *range = NULL;
  int64_t *xs = malloc((size_t)nruns * sizeof *xs + 1);
  cpet_status st = xs ? cpet_traj_create("fault", &t) : CPET_ERR_NOMEM;
  for (int64_t i = 0; xs && i < nruns; i++)
    xs[i] = i;
  size_t n = (size_t)nruns;
  if (st == CPET_OK)
    st = cpet_value_new_int(0, &x);
  if (st == CPET_OK)
    st = cpet_traj_add_param(t, "parameters.x", CPET_CLASS_PARAMETER, x, "run number", NULL);
  if (st == CPET_OK)
    st = cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 8, 1, &n, xs, &range);
  if (st == CPET_OK) {
    const char *names[1] = {"parameters.x"};
    const cpet_value *ranges[1] = {range};
    st = cpet_traj_explore(t, 1, names, ranges);
  }
  cpet_value_free(x);
  cpet_value_free(range);
  free(xs);
  if (st != CPET_OK) {
    cpet_traj_free(t);
    t = NULL;
  }
  *out = t;
  return st;
}

static long vmhwm_kb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, "VmHWM:", 6) == 0)
      kb = strtol(line + 6, NULL, 10);
  if (f)
    fclose(f);
  return kb;
}

static void write_file(const char *dir, int rank, const char *ext, const char *text) {
  char path[4096], tmp[4200];
  snprintf(path, sizeof path, "%s/rank%d.%s", dir, rank, ext);
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (!f)
    return;
  fputs(text, f);
  fclose(f);
  rename(tmp, path); /* a reader never sees half a line */
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int usage(void) {
  fprintf(stderr, "usage: fault_sweep FILE NRUNS [--resume] [--no-journal] [--keep-journal] "
                  "[--sleep-us N] [--batch N] [--ack FILE] [--pids DIR] [--stats]\n");
  return 1;
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (argc < 3) {
    if (rank == 0)
      usage();
    MPI_Finalize();
    return 1;
  }
  const char *file = argv[1], *ack = NULL, *pids = NULL;
  int64_t nruns = strtoll(argv[2], NULL, 10);
  int stats = 0;
  sweep_ud ud = {0, 0};
  cpet_env_opts eo = CPET_ENV_OPTS_DEFAULT;
  for (int i = 3; i < argc; i++) {
    const char *a = argv[i];
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--resume") == 0)
      eo.resume = 1;
    else if (strcmp(a, "--no-journal") == 0)
      eo.journal = 0;
    else if (strcmp(a, "--keep-journal") == 0)
      eo.keep_journal = 1;
    else if (strcmp(a, "--stats") == 0)
      stats = 1;
    else if (strcmp(a, "--sleep-us") == 0 && val)
      ud.sleep_us = strtol(argv[++i], NULL, 10);
    else if (strcmp(a, "--batch") == 0 && val)
      eo.batch_size = atoi(argv[++i]);
    else if (strcmp(a, "--ack") == 0 && val)
      ack = argv[++i];
    else if (strcmp(a, "--pids") == 0 && val)
      pids = argv[++i];
    else {
      if (rank == 0)
        usage();
      MPI_Finalize();
      return 1;
    }
  }
  if (nruns < 1) {
    if (rank == 0)
      usage();
    MPI_Finalize();
    return 1;
  }
  int writer = size - 1;
  char text[256];
  if (pids) {
    snprintf(text, sizeof text, "%ld %s\n", (long)getpid(),
             size == 1 ? "single" : (rank == writer ? "writer" : "worker"));
    write_file(pids, rank, "pid", text);
  }
  if (ack && rank == writer) {
    int fd = open(ack, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
      snprintf(text, sizeof text, "%d", fd);
      setenv("CPET_ACK_FD", text, 1);
    }
  }
  double t0 = now();
  cpet_traj *traj = NULL;
  cpet_env *env = NULL;
  cpet_status st = make_traj(nruns, &traj);
  /* make_traj cannot fail differently on different ranks except for memory: agree first. */
  int sti = (int)st, stmin = 0;
  MPI_Allreduce(&sti, &stmin, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  st = (cpet_status)stmin;
  if (st == CPET_OK)
    st = cpet_env_init(MPI_COMM_WORLD, &eo, file, traj, &env);
  if (st == CPET_OK)
    st = cpet_env_run(env, run_a, &ud);
  cpet_status fs = cpet_env_finalize(&env);
  if (st == CPET_OK)
    st = fs;
  double secs = now() - t0;
  if (st != CPET_OK)
    fprintf(stderr, "fault_sweep[rank %d]: %s: %s\n", rank, cpet_errname(st), cpet_errmsg());
  int code = exit_code(st);
  if (pids) {
    snprintf(text, sizeof text, "%s %d\n", cpet_errname(st), code);
    write_file(pids, rank, "status", text);
  }
  long calls = ud.calls, total = 0;
  MPI_Reduce(&calls, &total, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
  long hwm = vmhwm_kb(), whwm = hwm, maxhwm = 0;
  MPI_Reduce(&hwm, &maxhwm, 1, MPI_LONG, MPI_MAX, 0, MPI_COMM_WORLD);
  if (size > 1) {
    if (rank == writer)
      MPI_Send(&hwm, 1, MPI_LONG, 0, 1, MPI_COMM_WORLD);
    if (rank == 0)
      MPI_Recv(&whwm, 1, MPI_LONG, writer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  }
  if (rank == 0) {
    printf("CALLS %ld\n", total);
    if (stats)
      printf("SWEEP status=%s ranks=%d runs=%lld journal=%d computed=%ld seconds=%.3f "
             "runs_per_s=%.1f writer_vmhwm_kb=%ld max_vmhwm_kb=%ld\n",
             cpet_errname(st), size, (long long)nruns, eo.journal, total, secs,
             secs > 0 ? (double)nruns / secs : 0.0, whwm, maxhwm);
    fflush(stdout);
  }
  cpet_traj_free(traj);
  MPI_Finalize();
  return code;
}
