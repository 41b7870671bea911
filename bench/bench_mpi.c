/* bench_mpi.c - cpet-bench --mode writer|lazy: the workload as an MPI sweep (cpet_env, a
 * dedicated writer rank) beside the serial service and the bare-HDF5 writer, all measured in
 * the same mpirun. Rank 0 runs the two serial baselines while the other ranks sleep in a
 * non-spinning barrier; then every rank joins the sweep. Printed on rank 0: runs/s, MB/s,
 * ratio to the serial service and to bare HDF5, the writer's busy fraction (journal + store
 * time over its wall time) and peak memory (VmHWM, reset before the sweep), the workers' peak
 * memory and the bound the in-flight limit implies. */
#include <malloc.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cpet/cpet_mpi.h>

#include "bench.h"

/* A barrier that sleeps instead of spinning: on a 2-core node the idle ranks must not steal
 * the cores the baselines are measured on. */
static void quiet_barrier(MPI_Comm comm) {
  MPI_Request r;
  MPI_Ibarrier(comm, &r);
  for (;;) {
    int flag = 0;
    MPI_Test(&r, &flag, MPI_STATUS_IGNORE);
    if (flag) return;
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
  }
}

/* Peak resident memory in MiB (VmHWM); reset_peak() restarts it at the current size. */
static double vm_hwm(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  double kb = 0;
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, "VmHWM:", 6)) kb = atof(line + 6);
  if (f) fclose(f);
  return kb / 1024.0;
}
static void reset_peak(void) {
  malloc_trim(0); /* rank 0's baselines freed their memory: give it back before measuring */
  FILE *f = fopen("/proc/self/clear_refs", "w");
  if (f) {
    fputs("5", f);
    fclose(f);
  }
}

typedef struct sweep_ud {
  const bench_workload *w;
  double *arr;
} sweep_ud;

static cpet_status run_fn(cpet_traj *traj, int64_t idx, void *p) {
  sweep_ud *u = p;
  cpet_value *v = NULL;
  cpet_status st = CPET_OK;
  for (size_t k = 0; st == CPET_OK && k < u->w->nscalars; k++) {
    char sn[24];
    snprintf(sn, sizeof sn, "s%zu", k);
    st = cpet_value_new_float((double)idx + (double)k, &v);
    if (st == CPET_OK) st = cpet_traj_add_result(traj, sn, CPET_CLASS_RESULT, v, NULL, NULL);
    cpet_value_free(v);
    v = NULL;
  }
  if (st == CPET_OK && u->w->array_len) {
    bench_fill(u->arr, u->w->array_len, (size_t)idx);
    size_t len = u->w->array_len;
    cpet_node *leaf = NULL;
    st = cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 8, 1, &len, u->arr, &v);
    if (st == CPET_OK)
      st = cpet_traj_add_result(traj, "trace", CPET_CLASS_RESULT, NULL, NULL, &leaf);
    if (st == CPET_OK) {
      st = cpet_leaf_set_take(leaf, "trace", v, CPET_FLAG_AUTO);
      v = NULL;
    }
    cpet_value_free(v);
  }
  return st;
}

typedef struct sweep_res {
  double seconds, busy, writer_mib, worker_mib;
  int ok;
} sweep_res;

static sweep_res sweep(const bench_workload *w, const char *path, int lazy, int journal) {
  sweep_res r = {0, 0, 0, 0, 0};
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  sweep_ud u = {w, malloc(w->array_len * sizeof(double) + 8)};
  int64_t *xs = malloc(w->runs * sizeof(int64_t) + 8);
  for (size_t i = 0; i < w->runs; i++)
    xs[i] = (int64_t)i;
  reset_peak();
  quiet_barrier(MPI_COMM_WORLD);
  double t0 = MPI_Wtime();
  cpet_traj *traj = NULL;
  cpet_value *v = NULL, *range = NULL;
  cpet_env *env = NULL;
  cpet_store_opts so = CPET_STORE_OPTS_DEFAULT;
  so.filters = w->filters;
  so.results_per_run = (int)(w->nscalars + 1);
  cpet_env_opts eo = CPET_ENV_OPTS_DEFAULT;
  eo.store_opts = &so;
  eo.lazy = lazy;
  eo.journal = journal;
  size_t n = w->runs;
  const char *names[] = {"parameters.x"};
  cpet_status st = cpet_traj_create("bench", &traj);
  if (st == CPET_OK) st = cpet_value_new_int(0, &v);
  if (st == CPET_OK)
    st = cpet_traj_add_param(traj, "parameters.x", CPET_CLASS_PARAMETER, v, "run number", NULL);
  if (st == CPET_OK) st = cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 8, 1, &n, xs, &range);
  const cpet_value *ranges[] = {range};
  if (st == CPET_OK) st = cpet_traj_explore(traj, 1, names, ranges);
  if (st == CPET_OK) st = cpet_env_init(MPI_COMM_WORLD, &eo, path, traj, &env);
  if (st == CPET_OK) st = cpet_env_run(env, run_fn, &u);
  cpet_env_stats *all = calloc((size_t)size, sizeof *all);
  if (env) cpet_env_report_gather(env, 0, rank == 0 ? all : NULL);
  cpet_status fs = cpet_env_finalize(&env);
  if (st == CPET_OK) st = fs;
  double secs = MPI_Wtime() - t0, maxsecs = 0;
  MPI_Reduce(&secs, &maxsecs, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
  double mem = vm_hwm(), *mems = calloc((size_t)size, sizeof *mems);
  MPI_Gather(&mem, 1, MPI_DOUBLE, mems, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  if (st != CPET_OK)
    fprintf(stderr, "cpet-bench[%d]: sweep failed: %s: %s\n", rank, cpet_errname(st),
            cpet_errmsg());
  if (rank == 0 && getenv("CPET_BENCH_VERBOSE"))
    for (int i = 0; i < size; i++)
      printf("   rank %d %-6s runs %5lld  %7.1f MB  compute %.3f  send %.3f  store %.3f  "
             "journal %.3f  wait %.3f  total %.3f s\n",
             i, all[i].role == CPET_ROLE_WRITER ? "writer" : "worker", (long long)all[i].runs,
             (double)all[i].bytes / 1e6, all[i].t_compute, all[i].t_send, all[i].t_store,
             all[i].t_journal, all[i].t_wait, all[i].t_total);
  if (rank == 0) {
    int wr = size - 1;
    r.seconds = maxsecs;
    r.busy = all[wr].t_total > 0 ? (all[wr].t_store + all[wr].t_journal) / all[wr].t_total : 0;
    r.writer_mib = mems[wr];
    /* Rank 0 ran the baselines (its heap keeps their high-water mark): other workers only,
     * where there are any. */
    for (int i = size > 2 ? 1 : 0; i < size; i++)
      if (i != wr && mems[i] > r.worker_mib) r.worker_mib = mems[i];
    r.ok = st == CPET_OK;
  }
  free(all);
  free(mems);
  cpet_value_free(v);
  cpet_value_free(range);
  cpet_traj_free(traj);
  free(u.arr);
  free(xs);
  if (rank == 0 && !lazy) remove(path);
  return r;
}

int bench_mpi_one(const bench_workload *w, const char *dir, int repeat, int lazy, int journal) {
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  double base[2] = {1e30, 1e30}; /* bare, serial service */
  char pb[512], ps[512], pw[512];
  snprintf(pb, sizeof pb, "%s/bench_%s_%s_bare.h5", dir, w->name, w->codec);
  snprintf(ps, sizeof ps, "%s/bench_%s_%s_cpet.h5", dir, w->name, w->codec);
  snprintf(pw, sizeof pw, "%s/bench_%s_%s_np%d.h5", dir, w->name, w->codec, size);
  int rc = 0;
  if (rank == 0) {
    for (int k = 0; k < repeat && !rc; k++) {
      bench_result b, s;
      rc |= bench_bare(w, pb, &b);
      rc |= bench_service(w, ps, &s);
      if (!rc && b.seconds < base[0]) base[0] = b.seconds;
      if (!rc && s.seconds < base[1]) base[1] = s.seconds;
    }
    remove(pb);
    remove(ps);
  }
  quiet_barrier(MPI_COMM_WORLD);
  sweep_res best = {1e30, 0, 0, 0, 0};
  for (int k = 0; k < repeat; k++) {
    sweep_res r = sweep(w, pw, lazy, journal);
    if (rank == 0 && (r.seconds < best.seconds || !r.ok)) best = r;
    if (rank == 0 && !r.ok) rc = 1;
  }
  MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (rank != 0) return rc;
  double mb = 8.0 * (double)(w->nscalars + w->array_len) * (double)w->runs / 1e6;
  const char *what = lazy ? "lazy" : journal ? "writer" : "writer-nj";
  printf("%-2s %-6s %-9s np=%d  %9.1f runs/s %8.1f MB/s  vs serial %.2fx  vs bare %.2fx  "
         "writer busy %3.0f%%  writer VmHWM %.0f MiB  worker VmHWM %.0f MiB\n",
         w->name, w->codec, what, size, (double)w->runs / best.seconds, mb / best.seconds,
         base[1] / best.seconds, base[0] / best.seconds, 100.0 * best.busy, best.writer_mib,
         best.worker_mib);
  printf("%-2s %-6s %-9s np=1  %9.1f runs/s %8.1f MB/s  (serial service)   bare-HDF5 %.1f runs/s "
         "%.1f MB/s\n",
         w->name, w->codec, "serial", (double)w->runs / base[1], mb / base[1],
         (double)w->runs / base[0], mb / base[0]);
  fflush(stdout);
  return rc;
}
