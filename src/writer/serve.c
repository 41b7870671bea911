/* serve.c - the writer rank's receive loop.
 *
 * Workers send RUNS frames (run records) followed by the data of the frames' large arrays as
 * DATA messages. The writer posts non-blocking receives for that data as soon as it has the
 * frame, so one worker's big transfer never stalls the others; a frame is journaled, acked and
 * stored once its data is in, and frames of one worker are handled in the order they were
 * sent (acknowledgements count frames). FIN goes to a worker that said DONE once nothing of it
 * is pending any more, so it comes after every ACK and ABORT for that worker. */
#include <string.h>
#include <time.h>

#include "mpi/mpi_int.h"

#define MAX_MSGS 64

typedef struct pendq {
  cpet__inmsg *v;
  size_t n, cap;
} pendq;

static void inmsg_free(cpet__inmsg *m) {
  for (size_t i = 0; i < m->nblobs; i++)
    cpet_free(m->blobs[i].own);
  cpet_free(m->blobs);
  cpet_free(m->reqs);
  cpet_free(m->msg);
  memset(m, 0, sizeof *m);
}

static void nomem_abort(cpet_env *e, const char *what) {
  /* Without memory we cannot go on receiving; MPI_Abort is the only way not to hang. */
  cpet__writer_fail(e, cpet__err(CPET_ERR_NOMEM, "%s", what));
  MPI_Abort(e->comm, 1);
}

static size_t npieces(size_t len) { return len ? (len + CPET__PIECE - 1) / CPET__PIECE : 1; }

/* Posts the receives of a frame's large-array data. */
static void post_blobs(cpet_env *e, cpet__inmsg *m) {
  cpet__rd r;
  uint32_t count = 0;
  size_t total = 0;
  cpet_status st = cpet__frame_open(m->msg, m->len, &r, &count);
  for (uint32_t i = 0; st == CPET_OK && i < count; i++) {
    const void *rec;
    size_t len, k = 0;
    st = cpet__frame_next(&r, &rec, &len);
    if (st == CPET_OK) st = cpet__proto_blobs(rec, len, &k, NULL, 0);
    total += k;
  }
  if (st != CPET_OK || !total) return; /* a bad frame is reported when it is processed */
  uint64_t *lens = cpet__malloc(total * sizeof *lens);
  m->blobs = cpet__calloc(total, sizeof *m->blobs);
  if (!lens || !m->blobs) nomem_abort(e, "blob list");
  cpet__frame_open(m->msg, m->len, &r, &count);
  size_t at = 0, nreq = 0;
  for (uint32_t i = 0; i < count; i++) {
    const void *rec;
    size_t len, k = 0;
    cpet__frame_next(&r, &rec, &len);
    cpet__proto_blobs(rec, len, &k, lens + at, total - at);
    at += k;
  }
  for (size_t i = 0; i < total; i++)
    nreq += npieces((size_t)lens[i]);
  m->reqs = cpet__malloc(nreq * sizeof *m->reqs);
  if (!m->reqs) nomem_abort(e, "receive requests");
  for (size_t i = 0; i < total; i++) {
    size_t len = (size_t)lens[i];
    unsigned char *b = cpet__malloc(len ? len : 1);
    if (!b) nomem_abort(e, "large-array receive buffer");
    m->blobs[i].p = m->blobs[i].own = b;
    m->blobs[i].len = len;
    size_t off = 0;
    do {
      size_t piece = len - off < CPET__PIECE ? len - off : CPET__PIECE;
      MPI_Irecv(b + off, (int)piece, MPI_BYTE, m->src, CPET__TAG_DATA, e->comm,
                &m->reqs[m->nreqs++]);
      off += piece;
    } while (off < len);
    e->stats.bytes += len;
  }
  m->nblobs = total;
  cpet_free(lens);
}

static void send_abort(cpet_env *e, const unsigned char *wdone, cpet_status st, const char *msg) {
  size_t ml = strlen(msg);
  for (int r = 0; r < e->size; r++) {
    if (r == e->writer || wdone[r]) continue;
    unsigned char *b = cpet__malloc(4 + ml);
    if (!b) continue; /* the worker still stops: its REQ gets an empty answer */
    int32_t v = (int32_t)st;
    memcpy(b, &v, 4);
    memcpy(b + 4, msg, ml);
    cpet__sendq_isend(e, &e->wq, b, 4 + ml, r, CPET__TAG_ABORT);
  }
}

/* Handles every frame whose data is complete and that no earlier frame of its sender blocks.
 * Returns how many were handled. */
static size_t process_ready(cpet_env *e, pendq *pq, unsigned char *blocked) {
  cpet__inmsg batch[MAX_MSGS];
  size_t nb = 0, keep = 0;
  memset(blocked, 0, (size_t)e->size);
  for (size_t i = 0; i < pq->n; i++) {
    cpet__inmsg *m = &pq->v[i];
    int flag = 1;
    if (nb < MAX_MSGS && !blocked[m->src] && m->nreqs)
      MPI_Testall((int)m->nreqs, m->reqs, &flag, MPI_STATUSES_IGNORE);
    if (nb < MAX_MSGS && !blocked[m->src] && flag) {
      batch[nb++] = *m;
    } else {
      blocked[m->src] = 1;
      pq->v[keep++] = *m;
    }
  }
  pq->n = keep;
  if (nb) cpet__writer_frames_in(e, batch, nb);
  for (size_t i = 0; i < nb; i++)
    inmsg_free(&batch[i]);
  return nb;
}

static int pending_from(const pendq *pq, int src) {
  for (size_t i = 0; i < pq->n; i++)
    if (pq->v[i].src == src) return 1;
  return 0;
}

cpet_status cpet__writer_serve(cpet_env *e) {
  unsigned char *wdone = cpet__calloc((size_t)e->size, 1);
  unsigned char *finwant = cpet__calloc((size_t)e->size, 1);
  unsigned char *blocked = cpet__calloc((size_t)e->size, 1);
  int64_t *work = cpet__malloc((size_t)e->opts.batch_size * sizeof *work);
  if (!wdone || !finwant || !blocked || !work) nomem_abort(e, "writer loop");
  pendq pq = {NULL, 0, 0};
  int ndone = 0, nfin = 0, stopping = 0, aborted = 0;
  long backoff = 0;
  while (ndone < e->nworkers || pq.n || nfin) {
    MPI_Status s;
    double tw = cpet__now();
    int mode = pq.n || nfin ? 0 : (stopping ? 2 : 1);
    int got = cpet__env_probe(e, MPI_ANY_SOURCE, MPI_ANY_TAG, &s, mode);
    e->stats.t_wait += cpet__now() - tw;
    size_t nm = 0;
    while (got) {
      int n = 0, src = s.MPI_SOURCE;
      MPI_Get_count(&s, MPI_BYTE, &n);
      if (s.MPI_TAG == CPET__TAG_RUNS) {
        if (pq.n == pq.cap) {
          size_t cap = pq.cap ? 2 * pq.cap : 16;
          cpet__inmsg *v = cpet__realloc(pq.v, cap * sizeof *v);
          if (!v) nomem_abort(e, "pending messages");
          pq.v = v;
          pq.cap = cap;
        }
        cpet__inmsg *m = &pq.v[pq.n];
        memset(m, 0, sizeof *m);
        m->msg = cpet__malloc(n ? (size_t)n : 1);
        if (!m->msg) nomem_abort(e, "receive buffer");
        MPI_Recv(m->msg, n, MPI_BYTE, src, CPET__TAG_RUNS, e->comm, MPI_STATUS_IGNORE);
        m->len = (size_t)n;
        m->src = src;
        pq.n++;
        e->stats.bytes += (uint64_t)n;
        post_blobs(e, m);
        nm++;
      } else if (s.MPI_TAG == CPET__TAG_REQ) {
        MPI_Recv(NULL, 0, MPI_BYTE, src, CPET__TAG_REQ, e->comm, MPI_STATUS_IGNORE);
        size_t k = 0;
        if (!stopping && e->wst == CPET_OK)
          cpet__sched_take(e, work, (size_t)e->opts.batch_size, &k);
        void *b = cpet__malloc(k ? k * sizeof *work : 1);
        if (b) {
          if (k) memcpy(b, work, k * sizeof *work);
          cpet__sendq_isend(e, &e->wq, b, k * sizeof *work, src, CPET__TAG_WORK);
        } else {
          MPI_Send(NULL, 0, MPI_BYTE, src, CPET__TAG_WORK, e->comm); /* small: eager */
        }
      } else if (s.MPI_TAG == CPET__TAG_DONE) {
        int32_t v = 0;
        MPI_Recv(&v, 4, MPI_BYTE, src, CPET__TAG_DONE, e->comm, MPI_STATUS_IGNORE);
        wdone[src] = 1;
        finwant[src] = 1;
        nfin++;
        ndone++;
        if (v == CPET_ERR_INTERRUPTED)
          stopping = 1;
        else if (v != CPET_OK && e->wst == CPET_OK) {
          cpet__err((cpet_status)v, "worker rank %d failed with %s", src,
                    cpet_errname((cpet_status)v));
          cpet__writer_fail(e, (cpet_status)v);
        }
      } else if (s.MPI_TAG == CPET__TAG_DATA) {
        /* Data is matched by the receives posted with its frame; one that no frame announced
         * is a protocol error: drop it rather than loop on it. */
        void *b = cpet__malloc(n ? (size_t)n : 1);
        if (!b) nomem_abort(e, "stray data");
        MPI_Recv(b, n, MPI_BYTE, src, CPET__TAG_DATA, e->comm, MPI_STATUS_IGNORE);
        cpet_free(b);
        cpet__log(CPET_LOG_WARN, "writer", "dropped %d bytes of unannounced data from rank %d", n,
                  src);
      } else {
        /* Not ours: drop it rather than loop on it. */
        MPI_Recv(NULL, 0, MPI_BYTE, src, s.MPI_TAG, e->comm, MPI_STATUS_IGNORE);
      }
      if (nm >= MAX_MSGS) break;
      got = cpet__env_probe(e, MPI_ANY_SOURCE, MPI_ANY_TAG, &s, 0);
    }
    size_t done = pq.n ? process_ready(e, &pq, blocked) : 0;
    for (int r = 0; nfin && r < e->size; r++)
      if (finwant[r] && !pending_from(&pq, r)) {
        cpet__sendq_isend(e, &e->wq, cpet__malloc(1), 0, r, CPET__TAG_FIN);
        finwant[r] = 0;
        nfin--;
      }
    if (!nm && !done && (pq.n || nfin)) {
      /* Data still on its way: do not spin on a core the workers need. */
      tw = cpet__now();
      backoff = backoff ? (backoff < 1000000 ? backoff * 2 : 1000000) : 1000;
      struct timespec ts = {0, backoff};
      nanosleep(&ts, NULL);
      e->stats.t_wait += cpet__now() - tw;
    } else {
      backoff = 0;
    }
    if (cpet__env_signal && !stopping) stopping = 1;
    if (!aborted && (e->wst != CPET_OK || stopping)) {
      aborted = 1;
      stopping = 1;
      cpet_status st = e->wst != CPET_OK ? e->wst : CPET_ERR_INTERRUPTED;
      send_abort(e, wdone, st, e->wst != CPET_OK ? e->wmsg : "interrupted");
    }
    cpet__sendq_progress(&e->wq, 0);
  }
  cpet__sendq_progress(&e->wq, 1);
  cpet_free(pq.v);
  cpet_free(wdone);
  cpet_free(finwant);
  cpet_free(blocked);
  cpet_free(work);
  return e->wst;
}
