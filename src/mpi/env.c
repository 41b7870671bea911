/* env.c - the MPI sweep environment: init (skeleton agreement), the worker side of the
 * protocol (pull loop, batching, bounded bytes in flight), the final agreement and finalize.
 * The writer side lives in src/writer/writer.c. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mpi/mpi_int.h"

volatile sig_atomic_t cpet__env_signal = 0;

static void on_signal(int sig) { cpet__env_signal = sig; }

static void install_signals(cpet_env *e) {
  if (e->sig_installed) return;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, &e->old_term);
  sigaction(SIGUSR1, &sa, &e->old_usr1);
  e->sig_installed = 1;
}

static void restore_signals(cpet_env *e) {
  if (!e->sig_installed) return;
  sigaction(SIGTERM, &e->old_term, NULL);
  sigaction(SIGUSR1, &e->old_usr1, NULL);
  e->sig_installed = 0;
}

static cpet_status mpi_err(int rc, const char *what) {
  char s[MPI_MAX_ERROR_STRING];
  int n = 0;
  MPI_Error_string(rc, s, &n);
  return cpet__err(CPET_ERR_MPI, "%s: %s", what, s);
}

/* ---- probing and send queues ---- */

int cpet__env_probe(cpet_env *e, int src, int tag, MPI_Status *status, int blocking) {
  /* Busy polling starves the other ranks when the node is oversubscribed: back off to 1 ms. */
  long ns = 0;
  for (;;) {
    int flag = 0;
    MPI_Iprobe(src, tag, e->comm, &flag, status);
    if (flag) return 1;
    if (!blocking) return 0;
    if (blocking == 1 && e->role == CPET_ROLE_WRITER && cpet__env_signal) return 0;
    if (ns) {
      struct timespec ts = {0, ns};
      nanosleep(&ts, NULL);
    }
    ns = ns ? (ns < 1000000 ? ns * 2 : 1000000) : 1000;
  }
}

void cpet__send_release(cpet__send *s) {
  MPI_Wait(&s->req, MPI_STATUS_IGNORE);
  cpet_free(s->buf);
  cpet_value_free(s->val);
  s->buf = NULL;
  s->val = NULL;
}

void cpet__sendq_progress(cpet__sendq *q, int all) {
  while (q->len) {
    cpet__send *s = &q->v[q->head];
    int flag = 0;
    if (!all) {
      MPI_Test(&s->req, &flag, MPI_STATUS_IGNORE);
      if (!flag) return;
    }
    cpet__send_release(s);
    q->head = (q->head + 1) % q->cap;
    q->len--;
  }
}

cpet_status cpet__sendq_isend_ex(cpet_env *e, cpet__sendq *q, const void *p, size_t bytes,
                                 void *own, cpet_value *val, int dst, int tag, size_t nsub) {
  if (bytes > INT32_MAX) {
    cpet_free(own);
    cpet_value_free(val);
    return cpet__err(CPET_ERR_RANGE, "message of %zu bytes exceeds MPI's int count", bytes);
  }
  if (q->len == q->cap) {
    size_t cap = q->cap ? q->cap * 2 : 16;
    cpet__send *v = cpet__malloc(cap * sizeof *v);
    if (!v) {
      cpet_free(own);
      cpet_value_free(val);
      return cpet__err(CPET_ERR_NOMEM, "send queue");
    }
    for (size_t i = 0; i < q->len; i++)
      v[i] = q->v[(q->head + i) % q->cap];
    cpet_free(q->v);
    q->v = v;
    q->head = 0;
    q->cap = cap;
  }
  cpet__send *s = &q->v[(q->head + q->len) % q->cap];
  int rc = MPI_Isend(p, (int)bytes, MPI_BYTE, dst, tag, e->comm, &s->req);
  if (rc != MPI_SUCCESS) {
    cpet_free(own);
    cpet_value_free(val);
    return mpi_err(rc, "MPI_Isend");
  }
  s->buf = own;
  s->val = val;
  s->bytes = bytes;
  s->nsub = nsub;
  q->len++;
  return CPET_OK;
}

cpet_status cpet__sendq_isend(cpet_env *e, cpet__sendq *q, void *buf, size_t bytes, int dst,
                              int tag) {
  return cpet__sendq_isend_ex(e, q, buf, bytes, buf, NULL, dst, tag, 0);
}

/* ---- skeleton hash ---- */

typedef struct hctx {
  uint64_t h;
  cpet_status st;
} hctx;

static void hbytes(hctx *c, const void *p, size_t n) {
  const unsigned char *q = p;
  for (size_t i = 0; i < n; i++)
    c->h = (c->h ^ q[i]) * 1099511628211ull;
}
static void hstr(hctx *c, const char *s) { hbytes(c, s ? s : "", (s ? strlen(s) : 0) + 1); }
static void hval(hctx *c, const cpet_value *v) {
  void *enc = NULL;
  size_t n = 0;
  if (!v) return hstr(c, "<none>");
  cpet_status st = cpet_value_encode(v, &enc, &n);
  if (st != CPET_OK && c->st == CPET_OK) c->st = st;
  if (st == CPET_OK) hbytes(c, enc, n);
  cpet_free(enc);
}

static void hwalk(hctx *c, const cpet_node *n) {
  int kind = (int)cpet_node_kind_of(n);
  hbytes(c, &kind, sizeof kind);
  hstr(c, cpet_node_full_name(n));
  if (kind == CPET_NODE_LEAF) {
    hstr(c, cpet_node_class_name(n));
    if (cpet_node_is_parameter(n)) {
      hval(c, cpet_param_value(n));
      size_t len = cpet_param_range_len(n);
      hbytes(c, &len, sizeof len);
      for (size_t i = 0; i < len; i++)
        hval(c, cpet_param_range(n, i));
    }
  }
  if (kind != CPET_NODE_GROUP) return;
  size_t nc = cpet_node_nchildren(n);
  for (size_t i = 0; i < nc; i++)
    hwalk(c, cpet_node_child(n, i));
}

static cpet_status skel_hash(cpet_traj *traj, uint64_t *out) {
  hctx c = {1469598103934665603ull, CPET_OK};
  hstr(&c, cpet_traj_name(traj));
  size_t len = cpet_traj_length(traj), nex = cpet_traj_nexplored(traj);
  hbytes(&c, &len, sizeof len);
  for (size_t i = 0; i < nex; i++)
    hstr(&c, cpet_node_full_name(cpet_traj_explored(traj, i)));
  hwalk(&c, cpet_traj_root(traj));
  *out = c.h;
  return c.st;
}

/* ---- agreement ---- */

typedef struct wmsg {
  int32_t status;
  char msg[400];
} wmsg;

/* Collective: the writer's status (with message) wins, then interruption, then the lowest
 * status of any rank. Sets the same status and detail on every rank. */
static cpet_status agree(cpet_env *e, cpet_status mine, int writer_side) {
  wmsg w;
  memset(&w, 0, sizeof w);
  if (e->rank == e->writer) {
    w.status = writer_side ? (int32_t)mine : 0;
    if (w.status != CPET_OK) snprintf(w.msg, sizeof w.msg, "%s", cpet_errmsg());
  }
  MPI_Bcast(&w, (int)sizeof w, MPI_BYTE, e->writer, e->comm);
  int loc[2] = {(int)mine, cpet__env_signal || mine == CPET_ERR_INTERRUPTED}, red[2];
  int mins[1] = {loc[0]}, maxs[1] = {loc[1]};
  MPI_Allreduce(mins, &red[0], 1, MPI_INT, MPI_MIN, e->comm);
  MPI_Allreduce(maxs, &red[1], 1, MPI_INT, MPI_MAX, e->comm);
  cpet_status st = (cpet_status)red[0];
  if (w.status != CPET_OK)
    st = (cpet_status)w.status;
  else if (red[1] && st == CPET_OK)
    st = CPET_ERR_INTERRUPTED;
  if (st == CPET_OK) return st;
  if (w.status != CPET_OK && e->rank != e->writer)
    return cpet__err(st, "writer rank %d: %s", e->writer, w.msg);
  if (st != mine) {
    if (st == CPET_ERR_INTERRUPTED) return cpet__err(st, "sweep interrupted by a signal");
    return cpet__err(st, "another rank failed with %s", cpet_errname(st));
  }
  return st;
}

/* ---- init ---- */

static void env_free(cpet_env *e) {
  if (!e) return;
  restore_signals(e);
  cpet__sendq_progress(&e->q, 1);
  cpet__sendq_progress(&e->wq, 1);
  cpet_free(e->q.v);
  cpet_free(e->wq.v);
  if (e->store) cpet_store_close(e->store);
  cpet__journal_close(e->jn);
  cpet__buf_free(&e->frame);
  cpet__buf_free(&e->jrec);
  cpet__blobs_free(&e->fblobs);
  cpet_free(e->local);
  cpet_free(e->jidx);
  cpet_free(e->batch);
  cpet_free(e->done);
  cpet_free(e->journal_dir);
  cpet_free(e->final_path);
  cpet_free(e->partial_path);
  cpet_free(e->journal_path);
  cpet_free(e->skel_path);
  if (e->comm != MPI_COMM_NULL) MPI_Comm_free(&e->comm);
  cpet_free(e);
}

static void mpi_abort_hook(int status) {
  int up = 0;
  MPI_Initialized(&up);
  if (up) MPI_Abort(MPI_COMM_WORLD, status < 0 ? -status : 1);
}

static cpet_status cpet_env_init_impl(MPI_Comm comm, const cpet_env_opts *opts,
                                      const char *filename, cpet_traj *traj, cpet_env **out) {
  cpet__abort_hook = mpi_abort_hook;
  if (!out) return cpet__err(CPET_ERR_INVAL, "cpet_env_init: out is NULL");
  *out = NULL;
  int inited = 0;
  MPI_Initialized(&inited);
  if (!inited) return cpet__err(CPET_ERR_STATE, "cpet_env_init: MPI is not initialised");
  cpet_env *e = cpet__calloc(1, sizeof *e);
  if (!e) return cpet__err(CPET_ERR_NOMEM, "env");
  e->comm = MPI_COMM_NULL;
  int rc = MPI_Comm_dup(comm, &e->comm);
  if (rc != MPI_SUCCESS) {
    cpet_free(e);
    return mpi_err(rc, "MPI_Comm_dup");
  }
  MPI_Comm_rank(e->comm, &e->rank);
  MPI_Comm_size(e->comm, &e->size);
  cpet__log_set_rank(e->rank);
  cpet_env_opts def = CPET_ENV_OPTS_DEFAULT;
  e->opts = opts ? *opts : def;
  cpet_store_opts sdef = CPET_STORE_OPTS_DEFAULT;
  e->sopts = e->opts.store_opts ? *e->opts.store_opts : sdef;
  e->opts.store_opts = &e->sopts;
  e->traj = traj;
  e->cur = -1;
  e->sched_left = -1;

  /* Local checks first; every rank then learns the worst status. */
  cpet_status st = CPET_OK;
  e->writer = e->opts.writer_rank < 0 ? e->size - 1 : e->opts.writer_rank;
  if (!traj)
    st = cpet__err(CPET_ERR_INVAL, "cpet_env_init: traj is NULL");
  else if (e->writer >= e->size)
    st = cpet__err(CPET_ERR_INVAL, "writer rank %d but only %d ranks", e->writer, e->size);
  else if (e->opts.batch_size < 1)
    st = cpet__err(CPET_ERR_INVAL, "batch_size %d < 1", e->opts.batch_size);
  else if (e->opts.max_inflight_bytes < 1)
    st = cpet__err(CPET_ERR_INVAL, "max_inflight_bytes is 0");
  else if (e->opts.journal_dir && !(e->journal_dir = cpet__strdup(e->opts.journal_dir)))
    st = cpet__err(CPET_ERR_NOMEM, "journal_dir");
  e->opts.journal_dir = e->journal_dir;
  if (e->writer >= e->size || e->writer < 0) e->writer = e->size - 1;
  e->role = e->size == 1 ? CPET_ROLE_SINGLE
                         : (e->rank == e->writer ? CPET_ROLE_WRITER : CPET_ROLE_WORKER);
  e->nworkers = e->size == 1 ? 1 : e->size - 1;
  e->widx = e->size == 1 ? 0 : (e->rank < e->writer ? e->rank : e->rank - 1);
  e->stats.rank = e->rank;
  e->stats.role = (int)e->role;
  uint64_t h = 0;
  if (st == CPET_OK) st = skel_hash(traj, &h);
  if (st == CPET_OK) {
    /* The options that change the protocol must agree as well. */
    int o[6] = {e->writer,       (int)e->opts.sched, e->opts.batch_size,
                e->opts.journal, e->opts.resume,     e->opts.lazy};
    e->skel_hash = h; /* the journal's key: the trajectory alone */
    hctx c = {h, CPET_OK};
    hbytes(&c, o, sizeof o);
    h = c.h;
    e->nruns = (int64_t)cpet_traj_length(traj);
  }
  int sti = (int)st, stmin;
  MPI_Allreduce(&sti, &stmin, 1, MPI_INT, MPI_MIN, e->comm);
  uint64_t hmin = 0, hmax = 0;
  MPI_Allreduce(&h, &hmin, 1, MPI_UINT64_T, MPI_MIN, e->comm);
  MPI_Allreduce(&h, &hmax, 1, MPI_UINT64_T, MPI_MAX, e->comm);
  if (stmin != CPET_OK) {
    if (st == CPET_OK) cpet__err((cpet_status)stmin, "another rank failed cpet_env_init");
    env_free(e);
    return (cpet_status)stmin;
  }
  if (hmin != hmax) {
    int rank = e->rank;
    env_free(e);
    return cpet__err(CPET_ERR_INCONSISTENT,
                     "ranks defined different trajectory skeletons or env options (hash "
                     "%016llx on rank %d)",
                     (unsigned long long)h, rank);
  }

  e->done = cpet__calloc((size_t)(e->nruns ? e->nruns : 1), 1);
  st = e->done ? CPET_OK : cpet__err(CPET_ERR_NOMEM, "run flags");
  if (st == CPET_OK && e->rank == e->writer) st = cpet__writer_open(e, filename);
  st = agree(e, st, 1);
  if (st == CPET_OK && e->opts.resume) {
    /* Workers learn which runs the journal already holds. */
    for (int64_t off = 0; off < e->nruns; off += INT32_MAX) {
      int64_t n = e->nruns - off < INT32_MAX ? e->nruns - off : INT32_MAX;
      MPI_Bcast(e->done + off, (int)n, MPI_BYTE, e->writer, e->comm);
    }
  }
  if (st != CPET_OK) {
    env_free(e);
    return st;
  }
  if (e->opts.bind && e->size > 1) cpet__bind(e);
  /* Large arrays leave the records only where the writer does not need their values. */
  e->large.min_bytes = e->sopts.large_overview_tables ? 0 : e->opts.large_array_bytes;
  e->large.filters = e->sopts.filters;
  e->large.compress = e->role == CPET_ROLE_WORKER && !e->opts.lazy;
  e->large.drop = e->role == CPET_ROLE_WORKER && e->opts.lazy; /* lazy: compute alone */
  *out = e;
  return CPET_OK;
}

/* ---- worker side ---- */

/* Handles one message from the writer (ACK, ABORT, FIN, WORK). Returns its tag. */
static int worker_recv(cpet_env *e, int blocking) {
  MPI_Status s;
  if (!cpet__env_probe(e, e->writer, MPI_ANY_TAG, &s, blocking)) return -1;
  int n = 0;
  MPI_Get_count(&s, MPI_BYTE, &n);
  if (s.MPI_TAG == CPET__TAG_WORK) return CPET__TAG_WORK; /* received by the caller */
  unsigned char buf[512];
  void *p = n <= (int)sizeof buf ? buf : cpet__malloc((size_t)n);
  if (!p) p = buf, n = (int)sizeof buf; /* cannot happen for our small control messages */
  MPI_Recv(p, n, MPI_BYTE, e->writer, s.MPI_TAG, e->comm, MPI_STATUS_IGNORE);
  if (s.MPI_TAG == CPET__TAG_ACK && n == 8) {
    int64_t k;
    memcpy(&k, p, 8);
    /* Each acknowledged frame releases itself and the data sends that follow it. */
    for (; k > 0 && e->q.len; k--) {
      size_t nsub = e->q.v[e->q.head].nsub;
      for (size_t j = 0; j <= nsub && e->q.len; j++) {
        cpet__send *sd = &e->q.v[e->q.head];
        e->inflight -= sd->bytes;
        cpet__send_release(sd);
        e->q.head = (e->q.head + 1) % e->q.cap;
        e->q.len--;
      }
    }
  } else if (s.MPI_TAG == CPET__TAG_ABORT && n >= 4) {
    int32_t stv;
    memcpy(&stv, p, 4);
    if (!e->aborted) {
      e->aborted = 1;
      e->abort_status = (cpet_status)stv;
      snprintf(e->abort_msg, sizeof e->abort_msg, "%.*s", n - 4, (const char *)p + 4);
    }
  }
  if (p != buf) cpet_free(p);
  return s.MPI_TAG;
}

static size_t blob_bytes(const cpet__blobs *b) {
  size_t n = 0;
  for (size_t i = 0; i < b->n; i++)
    n += b->v[i].len;
  return n;
}

/* Worker: sends the frame of finished runs, then the data of its large arrays (the blobs'
 * own buffers: no copy), each in pieces MPI's int counts can describe. */
static cpet_status flush_frame(cpet_env *e) {
  if (!e->frame_runs) return CPET_OK;
  double t0 = cpet__now();
  size_t bytes = e->frame.len + blob_bytes(&e->fblobs);
  /* Bound on memory: wait for acknowledgements rather than queue more. */
  double tw = cpet__now();
  while (e->q.len && e->inflight + bytes > e->opts.max_inflight_bytes)
    worker_recv(e, 1);
  e->stats.t_wait += cpet__now() - tw;
  size_t nsub = 0;
  for (size_t i = 0; i < e->fblobs.n; i++) {
    size_t len = e->fblobs.v[i].len;
    nsub += len ? (len + CPET__PIECE - 1) / CPET__PIECE : 1;
  }
  void *buf = e->frame.p;
  size_t flen = e->frame.len;
  e->frame.p = NULL;
  e->frame.len = e->frame.cap = 0;
  cpet_status st =
      cpet__sendq_isend_ex(e, &e->q, buf, flen, buf, NULL, e->writer, CPET__TAG_RUNS, nsub);
  if (st == CPET_OK) e->inflight += flen;
  if (st != CPET_OK) cpet__blobs_truncate(&e->fblobs, 0); /* the writer will not expect them */
  for (size_t i = 0; i < e->fblobs.n; i++) {
    cpet__blob *b = &e->fblobs.v[i];
    size_t off = 0;
    do {
      size_t piece = b->len - off < CPET__PIECE ? b->len - off : CPET__PIECE;
      int last = off + piece >= b->len;
      /* The last piece owns the buffer: the queue releases sends in order. */
      cpet_status ps = cpet__sendq_isend_ex(e, &e->q, (const unsigned char *)b->p + off, piece,
                                            last ? b->own : NULL, last ? b->val : NULL, e->writer,
                                            CPET__TAG_DATA, 0);
      if (last) b->own = NULL, b->val = NULL;
      if (ps == CPET_OK) e->inflight += piece;
      if (st == CPET_OK) st = ps;
      off += piece;
    } while (off < b->len);
  }
  e->fblobs.n = 0;
  if (st == CPET_OK) e->stats.bytes += bytes;
  e->frame_runs = 0;
  t0 += cpet__now() - tw; /* waiting is not sending */
  e->stats.t_send += cpet__now() - t0;
  return st;
}

/* Worker: encodes run idx into the frame (its large arrays into fblobs), drops its nodes and
 * sends the frame when it is full. */
static cpet_status ship_run(cpet_env *e, int64_t idx, int32_t rs, double start, double fin) {
  double t0 = cpet__now();
  if (e->frame.len < 8) CPET__CHECK(cpet__frame_begin(&e->frame));
  cpet__buf rec = {0};
  cpet_status st =
      cpet__proto_encode_run(e->traj, idx, rs, start, fin, &e->large, &rec, &e->fblobs);
  if (st == CPET_OK) st = cpet__frame_add(&e->frame, rec.p, rec.len);
  cpet__buf_free(&rec);
  /* The run's nodes are in the record now: drop them, so memory does not grow with runs. */
  cpet_status ds = cpet__proto_drop_run(e->traj, idx);
  if (st == CPET_OK) st = ds;
  e->stats.t_send += cpet__now() - t0;
  if (st != CPET_OK) return st;
  e->frame_runs++;
  size_t thresh = e->opts.max_inflight_bytes / 4 < ((size_t)4 << 20)
                      ? e->opts.max_inflight_bytes / 4
                      : ((size_t)4 << 20);
  if (e->frame_runs >= (uint32_t)e->opts.batch_size ||
      e->frame.len + blob_bytes(&e->fblobs) >= thresh)
    st = flush_frame(e);
  return st;
}

/* Worker, local buffering: encodes and ships every run kept so far. */
static cpet_status ship_local(cpet_env *e) {
  cpet_status st = CPET_OK;
  for (size_t i = 0; i < e->nlocal; i++) {
    cpet__lrun *l = &e->local[i];
    cpet_status s1 = st == CPET_OK ? ship_run(e, l->idx, l->status, l->start, l->finish)
                                   : cpet__proto_drop_run(e->traj, l->idx);
    if (st == CPET_OK) st = s1;
  }
  e->nlocal = 0;
  return st;
}

/* Worker / single: ends this rank's part and joins the final agreement. */
static cpet_status finish(cpet_env *e) {
  cpet_status st = e->status;
  cpet_status fs = e->role == CPET_ROLE_WORKER ? ship_local(e) : CPET_OK;
  if (fs == CPET_OK && e->role == CPET_ROLE_WORKER) fs = flush_frame(e);
  if (e->role == CPET_ROLE_SINGLE) fs = cpet__writer_single_sync(e);
  if (st == CPET_OK) st = fs;
  if (e->role == CPET_ROLE_WORKER) {
    double tw = cpet__now();
    int32_t v = (int32_t)st;
    MPI_Send(&v, 4, MPI_BYTE, e->writer, CPET__TAG_DONE, e->comm);
    /* FIN comes after every ACK and ABORT the writer will send us. */
    while (worker_recv(e, 1) != CPET__TAG_FIN) {
    }
    cpet__sendq_progress(&e->q, 1);
    e->inflight = 0;
    e->stats.t_wait += cpet__now() - tw;
    if (st == CPET_OK && e->aborted && e->abort_status != CPET_OK) st = e->abort_status;
  } else {
    if (st == CPET_OK && cpet__env_signal) /* a message of its own, not a stale one */
      st = cpet__err(CPET_ERR_INTERRUPTED, "sweep interrupted by signal %d", (int)cpet__env_signal);
    if (st != CPET_OK) cpet__writer_fail(e, st);
    cpet_status cs = cpet__writer_close(e);
    if (st == CPET_OK) st = cs;
  }
  e->finished = 1;
  e->status = agree(e, st, e->role == CPET_ROLE_SINGLE);
  e->stats.t_total += cpet__now() - e->t_mark;
  return e->status;
}

static cpet_status cpet_env_submit_run_impl(cpet_env *e, int64_t idx, cpet_status run_status) {
  if (!e || e->role == CPET_ROLE_WRITER || idx != e->cur || idx < 0)
    return cpet__err(CPET_ERR_STATE, "cpet_env_submit_run: run %lld is not the current run",
                     (long long)idx);
  double fin = cpet__now();
  e->stats.t_compute += fin - e->cur_start;
  e->cur = -1;
  cpet_status st = CPET_OK;
  int32_t rs = run_status == CPET_OK ? CPET_OK : (int32_t)run_status;
  if (rs == CPET_OK)
    e->stats.runs++;
  else
    e->stats.runs_failed++;
  if (e->role == CPET_ROLE_SINGLE) {
    /* One rank: stored straight from the trajectory, no record round trip. */
    st = cpet__writer_single_run(e, idx, rs, e->cur_start, fin);
    if (st == CPET_OK && e->junsynced >= (uint32_t)e->opts.batch_size)
      st = cpet__writer_single_sync(e);
    if (st != CPET_OK) e->status = st;
    return st;
  }
  cpet_traj_set_crun(e->traj, -1);
  if (e->opts.local_interval != 0) {
    /* pypet's LOCAL wrap: keep the results here (failed runs' nodes go at once). */
    if (e->nlocal == e->caplocal) {
      size_t cap = e->caplocal ? 2 * e->caplocal : 64;
      cpet__lrun *v = cpet__realloc(e->local, cap * sizeof *v);
      if (!v) return e->status = cpet__err(CPET_ERR_NOMEM, "local run list");
      e->local = v;
      e->caplocal = cap;
    }
    e->local[e->nlocal++] = (cpet__lrun){idx, rs, e->cur_start, fin};
    if (rs != CPET_OK) st = cpet__proto_drop_run(e->traj, idx);
    if (st == CPET_OK && e->opts.local_interval > 0 && e->nlocal >= (size_t)e->opts.local_interval)
      st = ship_local(e);
  } else {
    st = ship_run(e, idx, rs, e->cur_start, fin);
  }
  if (st != CPET_OK) e->status = st;
  return st;
}

/* Next index for a worker or single rank, -1 when there is none. */
static int64_t next_index(cpet_env *e) {
  if (e->opts.sched == CPET_SCHED_STATIC) {
    if (e->role == CPET_ROLE_SINGLE || e->role == CPET_ROLE_WORKER)
      return cpet__sched_static_next(e);
  }
  if (e->ibatch < e->nbatch) return e->batch[e->ibatch++];
  if (e->no_more_work) return -1;
  size_t cap = (size_t)e->opts.batch_size;
  if (!e->batch && !(e->batch = cpet__malloc(cap * sizeof *e->batch))) {
    e->status = cpet__err(CPET_ERR_NOMEM, "batch");
    return -1;
  }
  e->ibatch = e->nbatch = 0;
  if (e->role == CPET_ROLE_SINGLE) {
    cpet__sched_take(e, e->batch, cap, &e->nbatch);
  } else {
    /* Results first, so the writer is never behind because of us. */
    cpet_status st = flush_frame(e);
    if (st != CPET_OK) {
      e->status = st;
      return -1;
    }
    double tw = cpet__now();
    MPI_Send(NULL, 0, MPI_BYTE, e->writer, CPET__TAG_REQ, e->comm);
    while (worker_recv(e, 1) != CPET__TAG_WORK) {
    }
    MPI_Status s;
    int n = 0;
    MPI_Probe(e->writer, CPET__TAG_WORK, e->comm, &s);
    MPI_Get_count(&s, MPI_BYTE, &n);
    if ((size_t)n > cap * sizeof *e->batch) n = 0; /* never sent by the writer */
    MPI_Recv(e->batch, n, MPI_BYTE, e->writer, CPET__TAG_WORK, e->comm, MPI_STATUS_IGNORE);
    e->nbatch = (size_t)n / sizeof *e->batch;
    e->stats.t_wait += cpet__now() - tw;
  }
  if (!e->nbatch) {
    e->no_more_work = 1;
    return -1;
  }
  return e->batch[e->ibatch++];
}

static cpet_status cpet_env_next_run_impl(cpet_env *e, int64_t *run_idx) {
  if (!e || !run_idx) return cpet__err(CPET_ERR_INVAL, "cpet_env_next_run: NULL argument");
  *run_idx = -1;
  if (e->finished) return e->status;
  if (!e->started) {
    e->started = 1;
    e->t_mark = cpet__now();
    install_signals(e);
  }
  if (e->role == CPET_ROLE_WRITER) {
    cpet_status st = cpet__writer_serve(e);
    cpet_status cs = cpet__writer_close(e);
    if (st == CPET_OK) st = cs;
    if (st == CPET_OK && cpet__env_signal) /* a message of its own, not a stale one */
      st = cpet__err(CPET_ERR_INTERRUPTED, "sweep interrupted by signal %d", (int)cpet__env_signal);
    e->finished = 1;
    e->status = agree(e, st, 1);
    e->stats.t_total += cpet__now() - e->t_mark;
    return e->status;
  }
  if (e->cur >= 0) cpet_env_submit_run(e, e->cur, CPET_ERR_CALLBACK); /* never submitted */
  if (e->role == CPET_ROLE_WORKER)
    while (worker_recv(e, 0) >= 0) {
    } /* pending ACK / ABORT */
  int64_t idx = -1;
  if (e->status == CPET_OK && !e->aborted && !cpet__env_signal) idx = next_index(e);
  if (idx < 0 || e->aborted || cpet__env_signal || e->status != CPET_OK) {
    if (cpet__env_signal && e->status == CPET_OK)
      e->status =
          cpet__err(CPET_ERR_INTERRUPTED, "sweep interrupted by signal %d", (int)cpet__env_signal);
    return finish(e);
  }
  cpet_status st = cpet_traj_set_crun(e->traj, idx);
  if (st != CPET_OK) {
    e->status = st;
    return finish(e);
  }
  e->cur = idx;
  e->cur_start = cpet__now();
  *run_idx = idx;
  return CPET_OK;
}

static cpet_status cpet_env_run_impl(cpet_env *e, cpet_run_fn fn, void *userdata) {
  if (!e) return cpet__err(CPET_ERR_INVAL, "cpet_env_run: env is NULL");
  int64_t i;
  cpet_status st;
  while ((st = cpet_env_next_run(e, &i)) == CPET_OK && i >= 0) {
    cpet_status rs = fn ? fn(e->traj, i, userdata) : CPET_ERR_INVAL;
    if (rs != CPET_OK)
      cpet__log(CPET_LOG_WARN, "env", "run %lld failed: %s (%s)", (long long)i, cpet_errname(rs),
                cpet_errmsg());
    cpet_env_submit_run(e, i, rs);
  }
  return st;
}

cpet_status cpet_env_status(const cpet_env *e) { return e ? e->status : CPET_ERR_INVAL; }
cpet_role cpet_env_role(const cpet_env *e) { return e ? e->role : CPET_ROLE_WORKER; }
MPI_Comm cpet_env_comm(const cpet_env *e) { return e ? e->comm : MPI_COMM_NULL; }

cpet_status cpet_env_report(const cpet_env *e, cpet_env_stats *out) {
  if (!e || !out) return cpet__err(CPET_ERR_INVAL, "cpet_env_report: NULL argument");
  *out = e->stats;
  return CPET_OK;
}

cpet_status cpet_env_report_gather(cpet_env *e, int root, cpet_env_stats *all) {
  if (!e) return cpet__err(CPET_ERR_INVAL, "cpet_env_report_gather: env is NULL");
  int rc = MPI_Gather(&e->stats, (int)sizeof e->stats, MPI_BYTE, all, (int)sizeof e->stats,
                      MPI_BYTE, root, e->comm);
  return rc == MPI_SUCCESS ? CPET_OK : mpi_err(rc, "MPI_Gather");
}

static cpet_status cpet_env_finalize_impl(cpet_env **envp) {
  if (!envp || !*envp) return CPET_OK;
  cpet_env *e = *envp;
  *envp = NULL;
  cpet_status st = e->status;
  if (!e->finished) {
    /* Never swept: the writer still publishes the skeleton. */
    cpet_status ws = CPET_OK;
    if (e->rank == e->writer) ws = cpet__writer_close(e);
    e->finished = 1;
    st = agree(e, ws, 1);
  } else {
    int a = (int)st, b;
    MPI_Allreduce(&a, &b, 1, MPI_INT, MPI_MIN, e->comm);
    st = (cpet_status)b;
  }
  env_free(e);
  return st;
}

/* Public entry points: the error policy applies where a status leaves the library. */
cpet_status cpet_env_init(MPI_Comm comm, const cpet_env_opts *opts, const char *filename,
                          cpet_traj *traj, cpet_env **out) {
  return cpet__raise(cpet_env_init_impl(comm, opts, filename, traj, out));
}

cpet_status cpet_env_submit_run(cpet_env *e, int64_t idx, cpet_status run_status) {
  return cpet__raise(cpet_env_submit_run_impl(e, idx, run_status));
}

cpet_status cpet_env_next_run(cpet_env *e, int64_t *run_idx) {
  return cpet__raise(cpet_env_next_run_impl(e, run_idx));
}

cpet_status cpet_env_run(cpet_env *e, cpet_run_fn fn, void *userdata) {
  return cpet__raise(cpet_env_run_impl(e, fn, userdata));
}

cpet_status cpet_env_finalize(cpet_env **envp) { return cpet__raise(cpet_env_finalize_impl(envp)); }
