/* mpi_int.h - the cpet_env handle shared by the env, scheduler, binding and writer files. */
#ifndef CPET_MPI_INT_H
#define CPET_MPI_INT_H

#include <signal.h>
#include <cpet/cpet_mpi.h>

#include "core/core_int.h"
#include "writer/writer_int.h"

/* One non-blocking send of a worker (run batches, array data) or of the writer (small
 * replies). `buf` (cpet_free) and `val` (cpet_value_free) are released once it completed. A
 * RUNS frame is followed in the queue by the `nsub` DATA sends of its large arrays. */
typedef struct cpet__send {
  MPI_Request req;
  void *buf;
  size_t bytes;
  cpet_value *val;
  size_t nsub;
} cpet__send;

/* Large-array data travels in messages of at most this many bytes (MPI counts are int). */
#define CPET__PIECE ((size_t)1 << 30)

/* A RUNS message received by the writer, with the data of its large arrays (blobs, in record
 * order) being received into buffers it owns. */
typedef struct cpet__inmsg {
  void *msg;
  size_t len;
  int src;
  cpet__blob *blobs;
  size_t nblobs;
  MPI_Request *reqs;
  size_t nreqs;
} cpet__inmsg;

/* A run a worker keeps locally (local buffering) until it ships it. */
typedef struct cpet__lrun {
  int64_t idx;
  int32_t status;
  double start, finish;
} cpet__lrun;

typedef struct cpet__sendq {
  cpet__send *v;
  size_t head, len, cap;
} cpet__sendq;

struct cpet_env {
  MPI_Comm comm;
  int rank, size, writer, nworkers, widx; /* widx: this worker's index among workers */
  cpet_role role;
  cpet_env_opts opts;
  char *journal_dir;
  cpet_store_opts sopts;
  cpet_traj *traj;
  int64_t nruns;
  unsigned char *done; /* nruns flags: already in the journal (resume); same on all ranks */
  uint64_t skel_hash;

  /* writer (and single rank) */
  cpet_store *store;
  cpet__journal *jn;
  char *final_path, *partial_path, *journal_path, *skel_path;
  int64_t nstored;    /* runs stored, replayed ones included */
  cpet_status wst;    /* first writer error */
  char wmsg[400];     /* its message, sent to the workers */
  int64_t sched_next; /* dynamic scheduler cursor */
  int64_t sched_left; /* runs not yet handed out (-1: not counted yet) */
  cpet__sendq wq;     /* writer's pending small sends */

  /* worker (and single rank) */
  int64_t *batch;
  size_t nbatch, ibatch;
  int64_t static_block, static_off; /* static scheduler position */
  int no_more_work;
  int64_t cur;
  double cur_start, t_mark;
  cpet__buf frame; /* records not yet sent */
  uint32_t frame_runs;
  cpet__blobs fblobs;     /* large-array data of the records in `frame` */
  cpet__large_opts large; /* how this rank extracts large arrays */
  cpet__lrun *local;      /* local buffering: runs computed, not yet encoded */
  size_t nlocal, caplocal;
  cpet__buf jrec;     /* single rank: the record being journaled */
  uint32_t junsynced; /* runs journaled since the last fsync ... */
  int64_t *jidx;      /* ... and their indices */
  size_t capjidx;
  cpet__sendq q; /* unacknowledged run batches */
  size_t inflight;
  int aborted;
  cpet_status abort_status;
  char abort_msg[400];

  int started, finished;
  cpet_status status; /* this rank's status before the final agreement, then the sweep's */
  cpet_env_stats stats;

  int sig_installed;
  struct sigaction old_term, old_usr1;
};

/* Set by the SIGTERM/SIGUSR1 handler. */
extern volatile sig_atomic_t cpet__env_signal;

/* sched.c */
/* Writer / single rank, dynamic: up to `cap` next run indices (not done), batch size adapting
 * to what remains (guided self-scheduling). *n = 0 when none remain. */
void cpet__sched_take(cpet_env *e, int64_t *out, size_t cap, size_t *n);
/* Worker, static: next index of this worker's block-cyclic share, -1 when none remain. */
int64_t cpet__sched_static_next(cpet_env *e);

/* bind_hwloc.c: binds the writer to its own core and workers to the others when the node is
 * not oversubscribed; never fails (logs). Collective over e->comm. */
void cpet__bind(cpet_env *e);

/* writer.c */
/* Creates skeleton, journal and partial file (or replays the journal on resume). */
cpet_status cpet__writer_open(cpet_env *e, const char *filename);
/* Journals, acknowledges (via the callback) and stores a set of framed messages. */
cpet_status cpet__writer_frames(cpet_env *e, void *const *msgs, const size_t *lens, size_t n);
/* As cpet__writer_frames_from with the large-array data of each message (receives complete). */
cpet_status cpet__writer_frames_in(cpet_env *e, cpet__inmsg *in, size_t n);
/* Single rank: journals (when on) and stores run idx straight from the trajectory, then drops
 * its nodes. */
cpet_status cpet__writer_single_run(cpet_env *e, int64_t idx, int32_t status, double start,
                                    double finish);
/* Single rank: makes the runs journaled so far durable. */
cpet_status cpet__writer_single_sync(cpet_env *e);
/* As above; srcs[i] is the rank that sent msgs[i]: each gets an ACK once its runs are durable
 * (before they are stored). NULL on a single rank. */
cpet_status cpet__writer_frames_from(cpet_env *e, void *const *msgs, const size_t *lens,
                                     const int *srcs, size_t n);
/* The writer rank's serve loop (returns when every worker is done). */
cpet_status cpet__writer_serve(cpet_env *e);
/* Final store, close, publish, journal clean-up. Records the first error in e->wst. */
cpet_status cpet__writer_close(cpet_env *e);
/* Records a writer error (first one wins). */
void cpet__writer_fail(cpet_env *e, cpet_status st);

/* env.c */
/* Probes for a message with backoff sleeping (oversubscribed nodes need the cores). */
int cpet__env_probe(cpet_env *e, int src, int tag, MPI_Status *status, int blocking);
/* Completes finished sends of a queue (all of them when `all`). */
void cpet__sendq_progress(cpet__sendq *q, int all);
/* Queues an Isend of `buf` (taken) to `dst`. */
cpet_status cpet__sendq_isend(cpet_env *e, cpet__sendq *q, void *buf, size_t bytes, int dst,
                              int tag);
/* Queues an Isend of `bytes` at `p`; `own` / `val` (taken, may be NULL) are released when the
 * send has completed. On error they are released at once. */
cpet_status cpet__sendq_isend_ex(cpet_env *e, cpet__sendq *q, const void *p, size_t bytes,
                                 void *own, cpet_value *val, int dst, int tag, size_t nsub);
/* Waits for and releases one queued send. */
void cpet__send_release(cpet__send *s);

#endif
