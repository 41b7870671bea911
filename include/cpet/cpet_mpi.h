/* cpet_mpi.h - MPI sweep environment with a dedicated writer rank (pypet's Environment on MPI).
 *
 * The only public cpet header that includes mpi.h (the netcdf-c netcdf_par.h split): serial
 * code and tools never need mpicc.
 *
 * Roles. Every rank of the communicator defines the same trajectory (parameters, exploration).
 * One rank is the *writer* (default: the last); the others are *workers* that compute runs. A
 * worker encodes each finished run (its new nodes + run information) with cpet_value_encode's
 * little-endian framing and ships it with non-blocking MPI, never holding more than
 * `max_inflight_bytes` unacknowledged bytes. The writer journals the run, acknowledges it, then
 * rebuilds the nodes in its own copy of the trajectory and stores them (pypet's SINGLE_RUN). On
 * one rank the same code path computes and stores inline, straight from the trajectory (no
 * encode/rebuild round trip; the record is still written to the journal).
 *
 * Large arrays (opts.large_array_bytes) do not travel inside the records: an uncompressed one
 * is sent from its own buffer; a compressed one is cut into the chunks the file will hold,
 * which the worker compresses with HDF5's own filter pipeline (so the bytes are exactly those
 * H5Dwrite would produce) and the writer stores with H5Dwrite_chunk - compression scales with
 * the workers. Local buffering (opts.local_interval) keeps results on the workers and ships
 * them every N runs or at the end, as pypet's LOCAL wrap mode.
 *
 * Crash safety (journal on, the default). A run is acknowledged only after its encoded record
 * has been appended to an append-only, CRC-32-checksummed journal and the journal fsync'ed
 * (once per received batch). Files, for an output `<dir>/<name>`:
 *   <jdir>/<name>.journal   the journal (jdir = journal_dir, default <dir>)
 *   <jdir>/<name>.skel      the skeleton (config, parameters, explored ranges, runs table with
 *                           completed = 0), a closed, fsync'ed HDF5 file written before the
 *                           first run
 *   <dir>/<name>.partial    the file being written
 *   <dir>/<name>            the published file: the writer closes, fsyncs and atomically
 *                           renames <name>.partial to <name> (and fsyncs the folder) after the
 *                           final store, so <name> is either absent, the previous file, or a
 *                           complete file - never a half-written one.
 * HDF5 1.10 files do not survive a killed writer (shared/research/reliability.md); that is why
 * the guarantee comes from the journal. After a crash (kill -9 of any rank, a full disk, an
 * HDF5 error), cpet_recover() rebuilds a complete file from the skeleton and the journal, and a
 * sweep started again with `resume = 1` re-runs exactly the runs not in the journal. After a
 * fully successful sweep (every run completed, file published) journal and skeleton are
 * removed unless `keep_journal` is set. With `journal = 0` nothing of this exists: faster, not
 * crash-safe (a killed writer leaves at most <name>.partial, usually unreadable).
 *
 * Errors. Every collective call returns the same status on all ranks. An error on the writer
 * (unwritable path, disk error) is sent to every worker, which stops after its current run;
 * no rank hangs. A run callback that returns an error marks that run not completed (runs table
 * `completed = 0`, nothing of it stored) and the sweep goes on; cpet_env_run then returns
 * CPET_OK (failed runs are counted in the report and visible in the runs table).
 *
 * Signals. cpet_env_run / cpet_env_next_run install handlers for SIGTERM and SIGUSR1 (SLURM's
 * --signal=B:USR1@T) that only set a flag; the previous handlers come back at
 * cpet_env_finalize. Workers stop after their current run, the writer makes everything it
 * received durable and stored, publishes the file, and the sweep returns
 * CPET_ERR_INTERRUPTED on all ranks (resume later with `resume = 1`).
 *
 * Ownership. cpet_env_init duplicates the communicator (freed at finalize). The trajectory
 * stays the caller's: it must outlive the env; the env selects runs in it (cpet_traj_set_crun)
 * and removes each run's nodes once they have been shipped (workers) or stored (writer), so
 * memory stays bounded. Strings in cpet_env_opts are copied at init.
 */
#ifndef CPET_MPI_H
#define CPET_MPI_H

#include <mpi.h>
#include <stdint.h>
#include <cpet/cpet_error.h>
#include <cpet/cpet_traj.h>
#include <cpet/cpet_store.h>
#include <cpet/cpet_recover.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cpet_env cpet_env;

typedef enum cpet_sched { CPET_SCHED_DYNAMIC = 0, CPET_SCHED_STATIC = 1 } cpet_sched;

typedef enum cpet_role {
  CPET_ROLE_WORKER = 0,
  CPET_ROLE_WRITER = 1,
  CPET_ROLE_SINGLE = 2
} cpet_role;

/** Options of cpet_env_init; start from CPET_ENV_OPTS_DEFAULT. */
typedef struct cpet_env_opts {
  int writer_rank;           /* rank of the writer in the communicator; -1 = the last rank */
  cpet_sched sched;          /* DYNAMIC (workers ask the writer for batches) or STATIC */
  int batch_size;            /* dynamic: largest batch of run indices handed out (the batch
                                shrinks towards 1 near the end); static: block size of the
                                block-cyclic distribution */
  size_t max_inflight_bytes; /* per worker: unacknowledged bytes before a worker waits */
  int journal;               /* 1 (default): crash-safe journal; 0: off (not crash-safe) */
  const char *journal_dir;   /* NULL: the output file's folder */
  int keep_journal;          /* 1: keep journal + skeleton after a successful sweep */
  int lazy;                  /* 1: store nothing (cpet_store_open_lazy), for timing compute */
  const cpet_store_opts *store_opts; /* NULL: CPET_STORE_OPTS_DEFAULT (copied at init) */
  int resume;                        /* 1: runs already in the journal are stored and not re-run */
  int bind; /* 1: hwloc-bind the writer to its own core when the node is not
               oversubscribed (failure only logs); CPET_BIND=0 disables */
  size_t large_array_bytes; /* result ndarrays of at least this many bytes (numeric, stored as
                               CARRAY, plain Result leaves) travel outside their run record:
                               uncompressed as their own buffer (no copy), compressed as chunks
                               the worker compresses and the writer writes with
                               H5Dwrite_chunk. 0: never. Off when store_opts asks for large
                               overview tables (their value column needs the data). */
  int local_interval; /* pypet's LOCAL/reference wrap: 0 ship runs as they finish; N > 0 keep
                         results on the worker and ship them every N runs; -1 ship them all
                         at the end of the worker's share. Memory grows with what is kept. */
} cpet_env_opts;

#define CPET_ENV_OPTS_DEFAULT                                                                      \
  { -1, CPET_SCHED_DYNAMIC, 16, (size_t)64 << 20, 1, NULL, 0, 0, NULL, 0, 1, (size_t)256 << 10, 0 }

/** A run callback: compute run `run_idx` (already selected with cpet_traj_set_crun, so
 *  cpet_param_current gives the explored values) and add results / derived parameters by name
 *  (`$`/`crun` as in pypet). Return CPET_OK, or an error to mark the run not completed. */
typedef cpet_status (*cpet_run_fn)(cpet_traj *traj, int64_t run_idx, void *userdata);

/** Per-rank figures (seconds are wall clock). */
typedef struct cpet_env_stats {
  int rank;
  int role;            /* cpet_role */
  int64_t runs;        /* runs computed (workers) or stored (writer) */
  int64_t runs_failed; /* callbacks that failed (workers) / runs not completed (writer) */
  uint64_t bytes;      /* encoded bytes sent (workers) or received (writer) */
  double t_compute, t_send, t_store, t_wait, t_journal, t_total;
} cpet_env_stats;

/** Collective over `comm`. Duplicates `comm`, checks that every rank defined the same
 *  trajectory skeleton (hash of node names, classes, parameter types and values, explored
 *  ranges; CPET_ERR_INCONSISTENT on all ranks if not), and on the writer creates the skeleton,
 *  journal and <filename>.partial (stores the skeleton: config, parameters, explored ranges,
 *  runs table with completed = 0), replaying the journal when `opts->resume`. `opts` NULL:
 *  defaults. `filename` matters on the writer only (other ranks may pass NULL) and is ignored
 *  with `lazy`. On failure *out is NULL and the status is the same on all ranks. */
CPET_API cpet_status cpet_env_init(MPI_Comm comm, const cpet_env_opts *opts, const char *filename,
                                   cpet_traj *traj, cpet_env **out);

/** Collective over env. Runs the whole sweep: workers call `fn` for each scheduled run, the
 *  writer stores. Returns the same status on all ranks: CPET_OK (even when some callbacks
 *  failed), the writer's error, or CPET_ERR_INTERRUPTED. Equivalent to the pull loop below.
 *  May be called once per env. */
CPET_API cpet_status cpet_env_run(cpet_env *env, cpet_run_fn fn, void *userdata);

/** Collective over env (as a loop). Pull API: sets *run_idx to the next run of this rank and
 *  selects it in the trajectory; returns CPET_OK with *run_idx = -1 when the sweep is over, at
 *  which point the final collective step has been done and the return value is the sweep's
 *  status (the same on all ranks). On the writer rank (more than one rank) it serves the
 *  workers and returns only at the end, with *run_idx = -1. Loop:
 *    while (cpet_env_next_run(env, &i) == CPET_OK && i >= 0) { ...; cpet_env_submit_run(env, i,
 * st); } The sweep status is then cpet_env_status(env). */
CPET_API cpet_status cpet_env_next_run(cpet_env *env, int64_t *run_idx);

/** Local (worker or single rank). Hands run `run_idx` (the one next_run returned) to the
 *  writer: `run_status` CPET_OK ships its new nodes, an error marks it not completed (its
 *  nodes are dropped). Non-blocking up to max_inflight_bytes. */
CPET_API cpet_status cpet_env_submit_run(cpet_env *env, int64_t run_idx, cpet_status run_status);

/** Local. Status of the finished sweep (CPET_OK before the end). */
CPET_API cpet_status cpet_env_status(const cpet_env *env);

/** Local. This rank's role. */
CPET_API cpet_role cpet_env_role(const cpet_env *env);

/** Local. The duplicated communicator (borrowed; freed at finalize). */
CPET_API MPI_Comm cpet_env_comm(const cpet_env *env);

/** Local. This rank's figures so far. */
CPET_API cpet_status cpet_env_report(const cpet_env *env, cpet_env_stats *out);

/** Collective over env. Gathers every rank's figures on `root`: `all` (root only) must hold
 *  one cpet_env_stats per rank, in rank order. Other ranks may pass NULL. */
CPET_API cpet_status cpet_env_report_gather(cpet_env *env, int root, cpet_env_stats *all);

/** Collective over env. Frees the env (NULL or *env NULL accepted) and the duplicated
 *  communicator, restores signal handlers. If the sweep was never run the writer still
 *  publishes the skeleton file. Returns the all-reduced status (the same on all ranks);
 *  *env is NULL afterwards in every case. */
CPET_API cpet_status cpet_env_finalize(cpet_env **env);

/* cpet_recover (rebuild a file from skeleton + journal, no MPI) is declared in
 * cpet_recover.h, included above. */

#ifdef __cplusplus
}
#endif
#endif
