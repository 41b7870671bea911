/* env_common.h - the trajectory and run function the env tests share: 2 explored parameters
 * (x: 3 ints, y: 4 floats, cartesian product = 12 runs); each run adds a scalar result z =
 * x * y with the same comment in every run, an array result arr = [x, y, x + y, idx] and a
 * derived parameter sum = x + y. Run 0 sleeps so that it finishes last. */
#ifndef CPET_ENV_COMMON_H
#define CPET_ENV_COMMON_H

#include <time.h>
#include <unistd.h>

#include <cpet/cpet.h>
#include <cpet/cpet_mpi.h>

#include "cpet_mpi_test.h"

#define TRY(expr)                                                                                  \
  do {                                                                                             \
    cpet_status try_st_ = (expr);                                                                  \
    if (try_st_ != CPET_OK) return try_st_;                                                        \
  } while (0)

#define NX 3
#define NY 4
#define NRUNS (NX * NY)
#define Z_COMMENT "the product of x and y"

static const int64_t xs[NX] = {1, 2, 3};
static const double ys[NY] = {0.5, 1.0, 1.5, 2.0};

/* Value of x and y in run i (x varies slowest, as pypet's cartesian_product). */
static inline int64_t run_x(int64_t i) { return xs[i / NY]; }
static inline double run_y(int64_t i) { return ys[i % NY]; }

static inline cpet_status make_traj(const char *name, int perturb, cpet_traj **out) {
  cpet_traj *t = NULL;
  cpet_value *x = NULL, *y = NULL, *rx = NULL, *ry = NULL;
  size_t nx = NX, ny = NY;
  int64_t xv[NX];
  memcpy(xv, xs, sizeof xv);
  if (perturb) xv[NX - 1] += 100;
  cpet_status st = cpet_traj_create(name, &t);
  if (st == CPET_OK) st = cpet_value_new_int(1, &x);
  if (st == CPET_OK) st = cpet_value_new_float(0.5, &y);
  if (st == CPET_OK)
    st = cpet_traj_add_param(t, "parameters.x", CPET_CLASS_PARAMETER, x, "x", NULL);
  if (st == CPET_OK)
    st = cpet_traj_add_param(t, "parameters.y", CPET_CLASS_PARAMETER, y, "y", NULL);
  if (st == CPET_OK) st = cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 0, 1, &nx, xv, &rx);
  if (st == CPET_OK) st = cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_FLOAT, 0, 1, &ny, ys, &ry);
  if (st == CPET_OK) {
    const char *names[2] = {"parameters.x", "parameters.y"};
    const cpet_value *ranges[2] = {rx, ry};
    st = cpet_traj_explore_product(t, 2, names, ranges);
  }
  cpet_value_free(x);
  cpet_value_free(y);
  cpet_value_free(rx);
  cpet_value_free(ry);
  if (st != CPET_OK) {
    cpet_traj_free(t);
    t = NULL;
  }
  *out = t;
  return st;
}

typedef struct run_ud {
  int sleep_run0;
  int fail_mod; /* runs with idx % fail_mod == 2 fail (0: none) */
  int calls;
} run_ud;

static inline cpet_status sweep_run(cpet_traj *traj, int64_t idx, void *userdata) {
  run_ud *ud = userdata;
  ud->calls++;
  if (ud->fail_mod && idx % ud->fail_mod == 2) return CPET_ERR_CALLBACK;
  cpet_node *px = NULL, *py = NULL;
  TRY(cpet_traj_find(traj, "parameters.x", &px));
  TRY(cpet_traj_find(traj, "parameters.y", &py));
  int64_t x = 0;
  double y = 0;
  TRY(cpet_value_to_i64(cpet_param_current(px), &x));
  TRY(cpet_value_to_f64(cpet_param_current(py), &y));
  if (idx == 0 && ud->sleep_run0) {
    struct timespec ts = {0, 300 * 1000000L};
    nanosleep(&ts, NULL);
  }
  cpet_value *z = NULL, *arr = NULL, *sum = NULL;
  double a[4] = {(double)x, y, (double)x + y, (double)idx};
  size_t n = 4;
  cpet_status st = cpet_value_new_float((double)x * y, &z);
  if (st == CPET_OK)
    st = cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 1, &n, a, &arr);
  if (st == CPET_OK) st = cpet_value_new_float((double)x + y, &sum);
  if (st == CPET_OK)
    st = cpet_traj_add_result(traj, "results.runs.$.z", CPET_CLASS_RESULT, z, Z_COMMENT, NULL);
  if (st == CPET_OK)
    st = cpet_traj_add_result(traj, "results.runs.$.arr", CPET_CLASS_RESULT, arr, NULL, NULL);
  if (st == CPET_OK)
    st = cpet_traj_add_param(traj, "derived_parameters.runs.$.sum", CPET_CLASS_PARAMETER, sum, NULL,
                             NULL);
  cpet_value_free(z);
  cpet_value_free(arr);
  cpet_value_free(sum);
  return st;
}

/* Loads the last trajectory of `file` with everything. */
static inline cpet_status load_all(const char *file, cpet_traj **out) {
  cpet_store *s = NULL;
  *out = NULL;
  cpet_status st = cpet_store_open(file, CPET_OPEN_READ, NULL, &s);
  if (st != CPET_OK) return st;
  cpet_load_opts lo = CPET_LOAD_OPTS_ALL;
  st = cpet_store_load_traj(s, &lo, out);
  cpet_status cs = cpet_store_close(s);
  return st != CPET_OK ? st : cs;
}

/* Checks run i's results in a loaded trajectory: completed, z, arr, sum, z's comment. */
static inline void check_run(cpet_traj *t, int64_t i, int want_completed) {
  cpet_run_info ri;
  CHECK_OK(cpet_traj_run_info(t, (size_t)i, &ri));
  CHECK_INT(ri.completed, want_completed);
  char name[128];
  cpet_node *n = NULL;
  snprintf(name, sizeof name, "results.runs.run_%08lld.z", (long long)i);
  cpet_status st = cpet_traj_find(t, name, &n);
  if (!want_completed) {
    CHECK(st != CPET_OK);
    return;
  }
  CHECK_OK(st);
  if (st != CPET_OK) return;
  double z = 0;
  CHECK_OK(cpet_value_to_f64(cpet_leaf_get(n, "z"), &z));
  CHECK_DBL(z, (double)run_x(i) * run_y(i));
  CHECK_STR(cpet_node_comment(n), i == 0 ? Z_COMMENT : "");
  snprintf(name, sizeof name, "results.runs.run_%08lld.arr", (long long)i);
  CHECK_OK(cpet_traj_find(t, name, &n));
  const cpet_value *arr = n ? cpet_leaf_get(n, "arr") : NULL;
  CHECK(arr != NULL);
  if (arr) {
    CHECK_INT(cpet_value_nelem(arr), 4);
    const double *a = cpet_value_data(arr);
    if (a && cpet_value_nelem(arr) == 4) {
      CHECK_DBL(a[0], (double)run_x(i));
      CHECK_DBL(a[1], run_y(i));
      CHECK_DBL(a[2], (double)run_x(i) + run_y(i));
      CHECK_DBL(a[3], (double)i);
    }
  }
  snprintf(name, sizeof name, "derived_parameters.runs.run_%08lld.sum", (long long)i);
  n = NULL;
  CHECK_OK(cpet_traj_find(t, name, &n));
  double sum = 0;
  if (n) CHECK_OK(cpet_value_to_f64(cpet_param_value(n), &sum));
  CHECK_DBL(sum, (double)run_x(i) + run_y(i));
}

#endif
