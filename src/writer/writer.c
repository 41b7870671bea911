/* writer.c - the writer rank: skeleton, journal, receive loop, store, publish.
 *
 * Order of work for a batch of received messages: append every successful run record to the
 * journal, fsync once, acknowledge each sender, and only then store the runs into the HDF5
 * file. A run is therefore acknowledged exactly when it is durable, whatever happens to the
 * HDF5 file afterwards (shared/research/reliability.md, section 0). The file is written as
 * <name>.partial and renamed to <name> after the final close. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "mpi/mpi_int.h"
#include "writer/ack_int.h"

#define MIN_FREE_BYTES ((unsigned long long)1 << 20)

/* ---- files ---- */

static cpet_status sys_err(const char *what, const char *path) {
  int e = errno;
  return cpet__err(e == ENOSPC || e == EDQUOT ? CPET_ERR_NOSPACE : CPET_ERR_IO, "%s '%s': %s", what,
                   path, strerror(e));
}

cpet_status cpet__fsync_path(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return sys_err("open for fsync", path);
  cpet_status st = fsync(fd) == 0 ? CPET_OK : sys_err("fsync", path);
  close(fd);
  return st;
}

static char *dir_of(const char *path) {
  char *c = cpet__strdup(path);
  if (!c) return NULL;
  char *d = cpet__strdup(dirname(c));
  cpet_free(c);
  return d;
}

cpet_status cpet__fsync_dir_of(const char *path) {
  char *d = dir_of(path);
  if (!d) return cpet__err(CPET_ERR_NOMEM, "path");
  int fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  cpet_status st = CPET_OK;
  if (fd < 0)
    st = sys_err("open folder", d);
  else {
    if (fsync(fd) != 0 && errno != EINVAL) st = sys_err("fsync folder", d);
    close(fd);
  }
  cpet_free(d);
  return st;
}

cpet_status cpet__copy_file(const char *src, const char *dst) {
  int in = open(src, O_RDONLY | O_CLOEXEC);
  if (in < 0) return sys_err("open", src);
  int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) {
    cpet_status st = sys_err("create", dst);
    close(in);
    return st;
  }
  cpet_status st = CPET_OK;
  size_t cap = (size_t)1 << 20;
  char *buf = cpet__malloc(cap);
  if (!buf) st = cpet__err(CPET_ERR_NOMEM, "copy buffer");
  while (st == CPET_OK) {
    ssize_t r = read(in, buf, cap);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) st = sys_err("read", src);
    if (r <= 0) break;
    for (ssize_t off = 0; st == CPET_OK && off < r;) {
      ssize_t w = write(out, buf + off, (size_t)(r - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0)
        st = sys_err("write", dst);
      else
        off += w;
    }
  }
  if (st == CPET_OK && fsync(out) != 0) st = sys_err("fsync", dst);
  if (close(out) != 0 && st == CPET_OK) st = sys_err("close", dst);
  close(in);
  cpet_free(buf);
  return st;
}

cpet_status cpet__writer_publish(cpet_store *store, const char *partial, const char *final) {
  CPET__CHECK(cpet_store_close(store));
  CPET__CHECK(cpet__fsync_path(partial));
  if (rename(partial, final) != 0) return sys_err("rename to final name", partial);
  return cpet__fsync_dir_of(final);
}

/* ---- storing records ---- */

cpet_status cpet__writer_store_record_blobs(cpet_store *store, cpet_traj *traj, const void *rec,
                                            size_t len, const cpet__blob *blobs, size_t nblobs) {
  cpet__run_hdr h;
  CPET__CHECK(cpet__proto_peek_run(rec, len, &h));
  cpet_status st = cpet__proto_apply_run(traj, rec, len);
  if (st == CPET_OK) st = cpet_store_run(store, traj, h.idx);
  /* The leaf groups exist now: the large arrays go in with their chunks as they came. */
  if (st == CPET_OK) st = cpet__proto_store_large(store, traj, rec, len, blobs, nblobs);
  if (st != CPET_OK) cpet__err_context("storing run %lld", (long long)h.idx);
  /* Stored (or failed): the writer keeps no run data, so its memory does not grow. */
  cpet_status ds = cpet__proto_drop_run(traj, h.idx);
  return st != CPET_OK ? st : ds;
}

cpet_status cpet__writer_store_record(cpet_store *store, cpet_traj *traj, const void *rec,
                                      size_t len) {
  return cpet__writer_store_record_blobs(store, traj, rec, len, NULL, 0);
}

typedef struct replay_ctx {
  cpet_store *store;
  cpet_traj *traj;
  unsigned char *done;
  int64_t nruns, n;
} replay_ctx;

static cpet_status replay_cb(const void *rec, size_t len, void *ud) {
  replay_ctx *c = ud;
  cpet__run_hdr h;
  CPET__CHECK(cpet__proto_peek_run(rec, len, &h));
  if (h.idx >= c->nruns)
    return cpet__err(CPET_ERR_CORRUPT, "journal run %lld beyond %lld runs", (long long)h.idx,
                     (long long)c->nruns);
  if (h.status != CPET_OK || (c->done && c->done[h.idx])) return CPET_OK; /* stored once only */
  CPET__CHECK(cpet__writer_store_record(c->store, c->traj, rec, len));
  if (c->done) c->done[h.idx] = 1;
  c->n++;
  return CPET_OK;
}

cpet_status cpet__writer_replay(cpet_store *store, cpet_traj *traj, const char *journal,
                                unsigned char *done, int64_t nruns, int64_t *nstored) {
  replay_ctx c = {store, traj, done, nruns, 0};
  cpet_status st = cpet__journal_read(journal, NULL, NULL, replay_cb, &c, NULL, NULL);
  if (nstored) *nstored = c.n;
  return st;
}

void cpet__writer_fail(cpet_env *e, cpet_status st) {
  if (e->wst != CPET_OK || st == CPET_OK) return;
  e->wst = st;
  snprintf(e->wmsg, sizeof e->wmsg, "%s",
           st == CPET_ERR_INTERRUPTED ? "sweep interrupted by a signal" : cpet_errmsg());
  cpet__log(CPET_LOG_ERROR, "writer", "%s: %s", cpet_errname(st), e->wmsg);
}

/* ---- opening ---- */

static cpet_status store_skeleton(cpet_env *e, const char *path) {
  cpet_store *s = NULL;
  CPET__CHECK(cpet_store_open(path, CPET_OPEN_CREATE, &e->sopts, &s));
  cpet_status st = cpet_store_traj(s, e->traj, CPET_STORE_DATA, 0);
  cpet_status cs = cpet_store_close(s);
  return st != CPET_OK ? st : cs;
}

cpet_status cpet__writer_open(cpet_env *e, const char *filename) {
  if (e->opts.lazy) {
    CPET__CHECK(cpet_store_open_lazy(&e->store));
    return cpet_store_traj(e->store, e->traj, CPET_STORE_DATA, 0);
  }
  if (!filename || !*filename)
    return cpet__err(CPET_ERR_INVAL, "cpet_env_init: the writer needs a file name");
  if (e->opts.resume && !e->opts.journal)
    return cpet__err(CPET_ERR_INVAL, "resume needs the journal (journal = 1)");
  e->final_path = cpet__strdup(filename);
  e->partial_path = cpet__asprintf("%s.partial", filename);
  char *dir = dir_of(filename), *bcopy = cpet__strdup(filename);
  if (!e->final_path || !e->partial_path || !dir || !bcopy) {
    cpet_free(dir);
    cpet_free(bcopy);
    return cpet__err(CPET_ERR_NOMEM, "paths");
  }
  const char *jdir = e->journal_dir ? e->journal_dir : dir;
  e->journal_path = cpet__asprintf("%s/%s.journal", jdir, basename(bcopy));
  e->skel_path = cpet__asprintf("%s/%s.skel", jdir, basename(bcopy));
  struct statvfs vfs;
  cpet_status st = CPET_OK;
  if (!e->journal_path || !e->skel_path)
    st = cpet__err(CPET_ERR_NOMEM, "paths");
  else if (statvfs(dir, &vfs) != 0)
    st = sys_err("cannot use the output folder", dir);
  else if ((unsigned long long)vfs.f_bavail * vfs.f_frsize < MIN_FREE_BYTES)
    st = cpet__err(CPET_ERR_NOSPACE, "only %llu bytes free in '%s'",
                   (unsigned long long)vfs.f_bavail * vfs.f_frsize, dir);
  cpet_free(dir);
  cpet_free(bcopy);
  CPET__CHECK(st);

  if (!e->opts.journal) {
    CPET__CHECK(cpet_store_open(e->partial_path, CPET_OPEN_CREATE, &e->sopts, &e->store));
    return cpet_store_traj(e->store, e->traj, CPET_STORE_DATA, 0);
  }
  int have = 0;
  uint64_t valid_end = 0;
  if (e->opts.resume) {
    uint64_t h = 0;
    int64_t nr = 0, nrec = 0;
    st = cpet__journal_read(e->journal_path, &h, &nr, NULL, NULL, &valid_end, &nrec);
    if (st == CPET_ERR_NOTFOUND) {
      cpet__log(CPET_LOG_INFO, "writer", "resume: no journal '%s', starting afresh",
                e->journal_path);
      cpet_errclear();
    } else if (st != CPET_OK) {
      return st;
    } else if (h != e->skel_hash || nr != e->nruns) {
      return cpet__err(CPET_ERR_INCONSISTENT,
                       "resume: journal '%s' belongs to another trajectory or options (%lld runs)",
                       e->journal_path, (long long)nr);
    } else {
      have = 1;
    }
  }
  /* The skeleton is a closed, fsync'ed file: the base that cpet_recover rebuilds from. */
  unlink(e->skel_path);
  CPET__CHECK(store_skeleton(e, e->skel_path));
  CPET__CHECK(cpet__fsync_path(e->skel_path));
  CPET__CHECK(cpet__copy_file(e->skel_path, e->partial_path));
  CPET__CHECK(cpet_store_open(e->partial_path, CPET_OPEN_APPEND, &e->sopts, &e->store));
  if (!have) return cpet__journal_create(e->journal_path, e->skel_hash, e->nruns, &e->jn);
  int64_t n = 0;
  CPET__CHECK(cpet__writer_replay(e->store, e->traj, e->journal_path, e->done, e->nruns, &n));
  e->nstored = n;
  cpet__log(CPET_LOG_INFO, "writer", "resume: %lld runs from the journal", (long long)n);
  return cpet__journal_open_append(e->journal_path, valid_end, &e->jn);
}

/* ---- batches of received runs ---- */

typedef struct recref {
  const void *p;
  size_t len;
  const cpet__blob *blobs;
  size_t nblobs;
} recref;

cpet_status cpet__writer_frames_in(cpet_env *e, cpet__inmsg *in, size_t n) {
  size_t cap = 0, nrec = 0;
  recref *recs = NULL;
  double t0 = cpet__now();
  int journaled = 0;
  for (size_t m = 0; m < n; m++) {
    cpet__rd r;
    uint32_t count = 0;
    size_t used = 0; /* blobs of this message consumed so far */
    cpet_status st = cpet__frame_open(in[m].msg, in[m].len, &r, &count);
    for (uint32_t i = 0; st == CPET_OK && i < count; i++) {
      const void *rec;
      size_t len;
      cpet__run_hdr h;
      st = cpet__frame_next(&r, &rec, &len);
      if (st == CPET_OK) st = cpet__proto_peek_run(rec, len, &h);
      if (st == CPET_OK && h.idx >= e->nruns)
        st = cpet__err(CPET_ERR_CORRUPT, "run %lld beyond the sweep", (long long)h.idx);
      if (st == CPET_OK && h.nlarge > in[m].nblobs - used)
        st = cpet__err(CPET_ERR_CORRUPT, "run %lld lacks the data of its large arrays",
                       (long long)h.idx);
      if (st != CPET_OK) break;
      const cpet__blob *bl = in[m].blobs ? in[m].blobs + used : NULL;
      used += h.nlarge;
      if (h.status != CPET_OK) {
        if (e->role == CPET_ROLE_WRITER) e->stats.runs_failed++;
        continue;
      }
      if (e->jn && e->wst == CPET_OK) {
        cpet_status js = cpet__journal_appendv(e->jn, rec, len, bl, h.nlarge);
        if (js != CPET_OK) cpet__writer_fail(e, js);
        journaled = 1;
      }
      if (nrec == cap) {
        cap = cap ? cap * 2 : 64;
        recref *q = cpet__realloc(recs, cap * sizeof *q);
        if (!q) {
          st = cpet__err(CPET_ERR_NOMEM, "record list");
          break;
        }
        recs = q;
      }
      recs[nrec].p = rec;
      recs[nrec].len = len;
      recs[nrec].blobs = bl;
      recs[nrec++].nblobs = h.nlarge;
    }
    if (st != CPET_OK) cpet__writer_fail(e, st);
  }
  if (journaled && e->wst == CPET_OK) {
    cpet_status js = cpet__journal_sync(e->jn);
    if (js != CPET_OK) cpet__writer_fail(e, js);
  }
  e->stats.t_journal += cpet__now() - t0;
  /* Opt-in test log (CPET_ACK_FD, ack.c): these runs are acknowledged from here on. */
  int afd = journaled && e->wst == CPET_OK ? cpet__ack_fd() : -1;
  for (size_t i = 0; afd >= 0 && i < nrec; i++) {
    cpet__run_hdr h;
    if (cpet__proto_peek_run(recs[i].p, recs[i].len, &h) == CPET_OK) cpet__ack_write(afd, h.idx);
  }
  /* Durable now: acknowledge (always, so workers can drain even after an error). */
  for (size_t m = 0; m < n; m++) {
    if (in[m].src < 0) continue;
    size_t first = 0;
    while (in[first].src != in[m].src)
      first++;
    if (first != m) continue; /* this sender is counted at its first message */
    int64_t *b = cpet__malloc(sizeof *b);
    if (!b) {
      cpet__writer_fail(e, cpet__err(CPET_ERR_NOMEM, "ack"));
      continue;
    }
    *b = 0;
    for (size_t j = m; j < n; j++)
      *b += in[j].src == in[m].src;
    cpet_status as = cpet__sendq_isend(e, &e->wq, b, sizeof *b, in[m].src, CPET__TAG_ACK);
    if (as != CPET_OK) cpet__writer_fail(e, as);
  }
  t0 = cpet__now();
  for (size_t i = 0; i < nrec && e->wst == CPET_OK; i++) {
    cpet__run_hdr h;
    cpet__proto_peek_run(recs[i].p, recs[i].len, &h);
    if (e->done[h.idx]) continue; /* never store a run twice */
    cpet_status st =
        cpet__writer_store_record_blobs(e->store, e->traj, recs[i].p, recs[i].len,
                                        recs[i].blobs ? recs[i].blobs : NULL, recs[i].nblobs);
    if (st != CPET_OK) {
      cpet__writer_fail(e, st);
      break;
    }
    e->done[h.idx] = 1;
    e->nstored++;
    if (e->role == CPET_ROLE_WRITER) e->stats.runs++;
  }
  e->stats.t_store += cpet__now() - t0;
  cpet_free(recs);
  return e->wst;
}

cpet_status cpet__writer_frames_from(cpet_env *e, void *const *msgs, const size_t *lens,
                                     const int *srcs, size_t n) {
  cpet__inmsg *in = cpet__calloc(n ? n : 1, sizeof *in);
  if (!in) {
    cpet__writer_fail(e, cpet__err(CPET_ERR_NOMEM, "message list"));
    return e->wst;
  }
  for (size_t m = 0; m < n; m++) {
    in[m].msg = msgs[m];
    in[m].len = lens[m];
    in[m].src = srcs ? srcs[m] : -1;
  }
  cpet_status st = cpet__writer_frames_in(e, in, n);
  cpet_free(in);
  return st;
}

cpet_status cpet__writer_frames(cpet_env *e, void *const *msgs, const size_t *lens, size_t n) {
  return cpet__writer_frames_from(e, msgs, lens, NULL, n);
}

/* ---- the single rank: no record round trip ---- */

cpet_status cpet__writer_single_sync(cpet_env *e) {
  if (!e->jn || !e->junsynced || e->wst != CPET_OK) return e->wst;
  double t0 = cpet__now();
  cpet_status st = cpet__journal_sync(e->jn);
  if (st != CPET_OK) cpet__writer_fail(e, st);
  /* Opt-in test log (CPET_ACK_FD, ack.c): these runs are acknowledged from here on. */
  int afd = st == CPET_OK ? cpet__ack_fd() : -1;
  for (uint32_t i = 0; afd >= 0 && i < e->junsynced; i++)
    cpet__ack_write(afd, e->jidx[i]);
  e->junsynced = 0;
  e->stats.t_journal += cpet__now() - t0;
  return e->wst;
}

cpet_status cpet__writer_single_run(cpet_env *e, int64_t idx, int32_t status, double start,
                                    double finish) {
  cpet_status st = e->wst;
  if (status == CPET_OK && st == CPET_OK && e->jn) {
    /* The journal needs the record; large arrays are appended from their own buffers. */
    double t0 = cpet__now();
    cpet__large_opts lo = e->large;
    lo.keep = 1;
    lo.compress = 0;
    cpet__blobs bl = {0};
    e->jrec.len = 0;
    st = cpet__proto_encode_run(e->traj, idx, status, start, finish, &lo, &e->jrec, &bl);
    if (st == CPET_OK) st = cpet__journal_appendv(e->jn, e->jrec.p, e->jrec.len, bl.v, bl.n);
    cpet__blobs_free(&bl);
    if (st == CPET_OK && e->junsynced == e->capjidx) {
      size_t cap = e->capjidx ? 2 * e->capjidx : 64;
      int64_t *v = cpet__realloc(e->jidx, cap * sizeof *v);
      if (!v) st = cpet__err(CPET_ERR_NOMEM, "journaled run list");
      if (v) e->jidx = v, e->capjidx = cap;
    }
    if (st == CPET_OK) e->jidx[e->junsynced++] = idx;
    e->stats.t_journal += cpet__now() - t0;
  }
  if (status == CPET_OK && st == CPET_OK) {
    /* Stored straight from the trajectory, exactly as the writer stores a rebuilt run. */
    double t0 = cpet__now();
    cpet_traj_set_crun(e->traj, -1);
    st = cpet__proto_run_row(e->traj, idx, start, finish);
    if (st == CPET_OK && !e->done[idx]) st = cpet_store_run(e->store, e->traj, idx);
    if (st != CPET_OK) cpet__err_context("storing run %lld", (long long)idx);
    if (st == CPET_OK && !e->done[idx]) {
      e->done[idx] = 1;
      e->nstored++;
    }
    e->stats.t_store += cpet__now() - t0;
  }
  cpet_status ds = cpet__proto_drop_run(e->traj, idx);
  cpet_traj_set_crun(e->traj, -1);
  if (st == CPET_OK) st = ds;
  if (st != CPET_OK) cpet__writer_fail(e, st);
  return e->wst;
}

/* ---- closing ---- */

cpet_status cpet__writer_close(cpet_env *e) {
  if (!e->store) return e->wst;
  if (e->wst == CPET_OK) {
    cpet_status st = cpet_store_traj(e->store, e->traj, CPET_STORE_DATA, 0);
    if (st != CPET_OK) cpet__writer_fail(e, st);
  }
  cpet_store *s = e->store;
  e->store = NULL;
  if (e->opts.lazy) {
    cpet_store_close(s);
    return e->wst;
  }
  if (e->wst == CPET_OK) {
    cpet_status st = cpet__writer_publish(s, e->partial_path, e->final_path);
    if (st != CPET_OK) cpet__writer_fail(e, st);
  } else {
    cpet_store_close(s); /* the journal holds every acknowledged run */
  }
  cpet_status js = cpet__journal_close(e->jn);
  e->jn = NULL;
  if (js != CPET_OK) cpet__writer_fail(e, js);
  if (e->wst == CPET_OK && e->opts.journal && !e->opts.keep_journal && e->nstored == e->nruns &&
      !cpet__env_signal) {
    unlink(e->journal_path);
    unlink(e->skel_path);
    cpet__fsync_dir_of(e->journal_path);
  }
  return e->wst;
}
