/* bench_service.c - the workload through cpet's storage service: an explored parameter gives
 * the runs; each run adds its results to the trajectory and is stored with cpet_store_run. */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

#define TRY(expr)                                                                                  \
  do {                                                                                             \
    cpet_status st_ = (expr);                                                                      \
    if (st_ != CPET_OK) {                                                                          \
      fprintf(stderr, "cpet-bench: %s: %s: %s\n", #expr, cpet_errname(st_), cpet_errmsg());        \
      goto fail;                                                                                   \
    }                                                                                              \
  } while (0)

int bench_service(const bench_workload *w, const char *path, bench_result *r) {
  cpet_traj *traj = NULL;
  cpet_store *store = NULL;
  cpet_value *range = NULL, *v = NULL;
  double *arr = malloc(w->array_len * sizeof(double) + 1);
  int64_t *xs = malloc(w->runs * sizeof(int64_t) + 1);
  if (!arr || !xs) goto fail;
  for (size_t i = 0; i < w->runs; i++)
    xs[i] = (int64_t)i;
  double t0 = bench_now();
  TRY(cpet_traj_create("bench", &traj));
  TRY(cpet_value_new_int(0, &v));
  TRY(cpet_traj_add_param(traj, "parameters.x", CPET_CLASS_PARAMETER, v, "run number", NULL));
  cpet_value_free(v);
  v = NULL;
  size_t n = w->runs;
  TRY(cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 8, 1, &n, xs, &range));
  const char *names[] = {"parameters.x"};
  const cpet_value *ranges[] = {range};
  TRY(cpet_traj_explore(traj, 1, names, ranges));
  cpet_store_opts o = CPET_STORE_OPTS_DEFAULT;
  o.filters = w->filters;
  o.results_per_run = (int)(w->nscalars + 1);
  TRY(cpet_store_open(path, CPET_OPEN_CREATE, &o, &store));
  TRY(cpet_store_traj(store, traj, CPET_STORE_DATA, 1));
  double bytes = 0;
  for (size_t i = 0; i < w->runs; i++) {
    TRY(cpet_traj_set_crun(traj, (int64_t)i));
    for (size_t k = 0; k < w->nscalars; k++) {
      char sn[32];
      snprintf(sn, sizeof sn, "s%zu", k);
      TRY(cpet_value_new_float((double)i + (double)k, &v));
      TRY(cpet_traj_add_result(traj, sn, CPET_CLASS_RESULT, v, NULL, NULL));
      cpet_value_free(v);
      v = NULL;
      bytes += 8;
    }
    if (w->array_len) {
      size_t len = w->array_len;
      /* Large data: hand the value over instead of letting the tree copy it. */
      cpet_node *leaf = NULL;
      void *buf = NULL;
      TRY(cpet_value_new_array_zeroed(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 8, 1, &len, &v, &buf));
      bench_fill(buf, len, i); /* filled in place: no copy of the 4 MiB */
      TRY(cpet_traj_add_result(traj, "trace", CPET_CLASS_RESULT, NULL, NULL, &leaf));
      cpet_value *take = v;
      v = NULL;
      TRY(cpet_leaf_set_take(leaf, "trace", take, CPET_FLAG_AUTO));
      bytes += 8.0 * (double)len;
    }
    TRY(cpet_store_run(store, traj, (int64_t)i));
    /* What the MPI writer does too: a stored run's data need not stay in memory. */
    if (w->array_len) {
      cpet_node *leaf = NULL;
      TRY(cpet_traj_find(traj, "results.runs.$.trace", &leaf));
      TRY(cpet_leaf_clear(leaf));
    }
  }
  TRY(cpet_traj_set_crun(traj, -1));
  TRY(cpet_store_traj(store, traj, CPET_STORE_DATA, 0));
  cpet_status st = cpet_store_close(store);
  store = NULL;
  TRY(st);
  r->seconds = bench_now() - t0;
  r->bytes = bytes;
  cpet_value_free(range);
  cpet_traj_free(traj);
  free(arr);
  free(xs);
  return 0;
fail:
  cpet_value_free(v);
  cpet_value_free(range);
  cpet_store_close(store);
  cpet_traj_free(traj);
  free(arr);
  free(xs);
  return 1;
}
