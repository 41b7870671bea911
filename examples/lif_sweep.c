/* lif_sweep.c - a leaky integrate-and-fire neuron over a grid of input currents and refractory
 * periods (pypet's classic first example), as an MPI sweep with a dedicated writer rank.
 *
 *   mpirun -n 4 cpet-lif-sweep out.hdf5 [--shard TASK/COUNT] [--resume]
 *
 * Every rank defines the same trajectory; the last rank stores, the others compute. The file
 * opens in Python with pypet.load_trajectory(filename=..., name="lif_sweep", load_all=2,
 * force=True). Exit status: 0 all runs stored, 2 an error (message on stderr), 3 interrupted
 * by SIGTERM/SIGUSR1 (everything acknowledged is in the file; rerun with --resume), 4 disk
 * full (`cpet recover` rebuilds the file from the journal once there is space). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpet/cpet.h>
#include <cpet/cpet_mpi.h>

#define NI 16     /* input currents */
#define NREF 4    /* refractory periods */
#define TRACE 2000

#define TRY(expr)                                                                                \
  do {                                                                                           \
    cpet_status st_ = (expr);                                                                    \
    if (st_ != CPET_OK) {                                                                        \
      fprintf(stderr, "lif_sweep: %s failed: %s: %s\n", #expr, cpet_errname(st_), cpet_errmsg()); \
      return st_;                                                                                \
    }                                                                                            \
  } while (0)

static cpet_status add_float(cpet_traj *t, const char *name, double x, const char *comment) {
  cpet_value *v = NULL;
  TRY(cpet_value_new_float(x, &v));
  cpet_status st = cpet_traj_add_param(t, name, CPET_CLASS_PARAMETER, v, comment, NULL);
  cpet_value_free(v);
  return st;
}

static double param(cpet_traj *t, const char *name) {
  cpet_node *n = NULL;
  double x = NAN;
  if (cpet_traj_find(t, name, &n) == CPET_OK) cpet_value_to_f64(cpet_param_current(n), &x);
  return x;
}

/* The trajectory every rank builds: parameters and the explored grid (a shard of it with
 * --shard, for array jobs that `cpet merge` joins afterwards). */
static cpet_status define(cpet_traj **out, int task, int ntask) {
  cpet_traj *t = NULL;
  TRY(cpet_traj_create("lif_sweep", &t));
  *out = t;
  TRY(cpet_traj_set_comment(t, "Leaky integrate-and-fire neuron: firing rate over input current "
                               "and refractory period"));
  TRY(add_float(t, "parameters.neuron.V_init", 0.0, "Initial membrane potential"));
  TRY(add_float(t, "parameters.neuron.I", 0.0, "Constant input current"));
  TRY(add_float(t, "parameters.neuron.tau_V", 10.0, "Membrane time constant in ms"));
  TRY(add_float(t, "parameters.neuron.tau_ref", 0.0, "Absolute refractory period in ms"));
  TRY(add_float(t, "parameters.simulation.duration", 1000.0, "Simulation length in ms"));
  TRY(add_float(t, "parameters.simulation.dt", 0.1, "Euler step in ms"));

  double is[NI * NREF], refs[NI * NREF];
  size_t n = 0;
  for (int i = 0; i < NI; i++)
    for (int r = 0; r < NREF; r++) {
      size_t k = (size_t)(i * NREF + r);
      if ((int)(k % (size_t)ntask) != task) continue;
      is[n] = 0.8 + 0.1 * i;
      refs[n] = r == 0 ? 0.0 : 2.5 * (1 << (r - 1));
      n++;
    }
  cpet_value *ri = NULL, *rr = NULL;
  cpet_status st = cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_FLOAT, 8, 1, &n, is, &ri);
  if (st == CPET_OK) st = cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_FLOAT, 8, 1, &n, refs, &rr);
  const char *names[] = {"neuron.I", "neuron.tau_ref"};
  const cpet_value *ranges[] = {ri, rr};
  if (st == CPET_OK) st = cpet_traj_explore(t, 2, names, ranges);
  cpet_value_free(ri);
  cpet_value_free(rr);
  return st;
}

/* One run: Euler integration of dV/dt = (-V + I) / tau_V with threshold 1 and reset to 0. */
static cpet_status run_neuron(cpet_traj *t, int64_t idx, void *ud) {
  (void)ud;
  (void)idx;
  double I = param(t, "neuron.I"), tau_v = param(t, "neuron.tau_V"),
         tau_ref = param(t, "neuron.tau_ref"), dt = param(t, "simulation.dt"),
         duration = param(t, "simulation.duration"), V = param(t, "neuron.V_init");
  size_t steps = (size_t)(duration / dt), every = steps / TRACE ? steps / TRACE : 1;
  double trace[TRACE];
  size_t ntrace = 0, spikes = 0;
  double refractory_until = -1.0;
  for (size_t s = 0; s < steps; s++) {
    double now = (double)s * dt;
    if (now >= refractory_until) V += dt * (-V + I) / tau_v;
    if (V >= 1.0) {
      V = 0.0;
      spikes++;
      refractory_until = now + tau_ref;
    }
    if (s % every == 0 && ntrace < TRACE) trace[ntrace++] = V;
  }
  double rate = (double)spikes / (duration / 1000.0);

  cpet_value *v = NULL;
  TRY(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 8, 1, &ntrace, trace, &v));
  cpet_status st = cpet_traj_add_result(t, "neuron.V", CPET_CLASS_RESULT, v,
                                        "Membrane potential trace (every 5th step)", NULL);
  cpet_value_free(v);
  if (st != CPET_OK) return st;
  TRY(cpet_value_new_float(rate, &v));
  st = cpet_traj_add_result(t, "neuron.rate", CPET_CLASS_RESULT, v, "Firing rate in Hz", NULL);
  cpet_value_free(v);
  if (st != CPET_OK) return st;
  TRY(cpet_value_new_int((int64_t)spikes, &v));
  st = cpet_traj_add_param(t, "derived_parameters.neuron.nspikes", CPET_CLASS_PARAMETER, v,
                           "Number of spikes", NULL);
  cpet_value_free(v);
  return st;
}

int main(int argc, char **argv) {
  const char *file = NULL;
  int task = 0, ntask = 1, resume = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--shard") && i + 1 < argc) {
      if (sscanf(argv[++i], "%d/%d", &task, &ntask) != 2 || ntask < 1 || task < 0 || task >= ntask) {
        fprintf(stderr, "lif_sweep: --shard wants TASK/COUNT\n");
        return 1;
      }
    } else if (!strcmp(argv[i], "--resume")) {
      resume = 1;
    } else if (!file) {
      file = argv[i];
    } else {
      fprintf(stderr, "usage: %s OUT.hdf5 [--shard TASK/COUNT] [--resume]\n", argv[0]);
      return 1;
    }
  }
  if (!file) file = "lif_sweep.hdf5";
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  cpet_traj *traj = NULL;
  cpet_env *env = NULL;
  cpet_env_opts eo = CPET_ENV_OPTS_DEFAULT;
  eo.resume = resume;
  double t0 = MPI_Wtime();
  cpet_status st = define(&traj, task, ntask);
  if (st == CPET_OK) st = cpet_env_init(MPI_COMM_WORLD, &eo, file, traj, &env);
  if (st == CPET_OK) st = cpet_env_run(env, run_neuron, NULL);
  cpet_env_stats me = {0};
  cpet_env_stats *all = calloc((size_t)size, sizeof *all);
  if (env) cpet_env_report(env, &me);
  cpet_role role = env ? cpet_env_role(env) : CPET_ROLE_SINGLE;
  if (env && all) cpet_env_report_gather(env, size - 1, role != CPET_ROLE_WORKER ? all : NULL);
  cpet_status fst = cpet_env_finalize(&env);
  if (st == CPET_OK) st = fst;
  double secs = MPI_Wtime() - t0;
  if (role != CPET_ROLE_WORKER) {
    if (st == CPET_OK)
      printf("lif_sweep: %d ranks stored %lld runs (%lld failed) in %.2f s (%.0f runs/s) -> %s\n",
             size, (long long)me.runs, (long long)me.runs_failed, secs,
             (double)me.runs / (secs > 0 ? secs : 1), file);
    else
      fprintf(stderr, "lif_sweep: %s: %s\n", cpet_errname(st), cpet_errmsg());
    /* Where the time went, per rank: runs, bytes shipped/received, seconds. */
    static const char *roles[] = {"worker", "writer", "single"};
    for (int r = 0; all && r < size; r++)
      printf("  rank %d %s %5lld runs %7.2f MB  compute %.3f  send %.3f  store %.3f  wait %.3f s\n",
             r, roles[all[r].role % 3], (long long)all[r].runs, (double)all[r].bytes / 1e6,
             all[r].t_compute, all[r].t_send, all[r].t_store + all[r].t_journal, all[r].t_wait);
  }
  free(all);
  cpet_traj_free(traj);
  MPI_Finalize();
  return st == CPET_OK ? 0 : st == CPET_ERR_INTERRUPTED ? 3 : st == CPET_ERR_NOSPACE ? 4 : 2;
}
