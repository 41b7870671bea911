/* writer_int.h - the writer-rank protocol: byte buffers, run records, framing, journal, the
 * writer state. Shared by src/mpi (env, scheduler) and src/writer. */
#ifndef CPET_WRITER_INT_H
#define CPET_WRITER_INT_H

#include <stddef.h>
#include <stdint.h>
#include <cpet/cpet_traj.h>
#include <cpet/cpet_store.h>

#include "core/core_int.h"

/* ---- growable byte buffer and bounds-checked reader (little-endian) ---- */

typedef struct cpet__buf {
  unsigned char *p;
  size_t len, cap;
} cpet__buf;

cpet_status cpet__buf_put(cpet__buf *b, const void *p, size_t n);
cpet_status cpet__buf_u8(cpet__buf *b, uint8_t v);
cpet_status cpet__buf_u32(cpet__buf *b, uint32_t v);
cpet_status cpet__buf_u64(cpet__buf *b, uint64_t v);
cpet_status cpet__buf_f64(cpet__buf *b, double v);
/* u32 length + bytes (NULL = empty). */
cpet_status cpet__buf_str(cpet__buf *b, const char *s);
/* u64 length + cpet_value_encode bytes. */
cpet_status cpet__buf_value(cpet__buf *b, const cpet_value *v);
void cpet__buf_free(cpet__buf *b);

typedef struct cpet__rd {
  const unsigned char *p;
  size_t len, off;
} cpet__rd;

/* All return CPET_ERR_CORRUPT when the input ends early. */
cpet_status cpet__rd_u8(cpet__rd *r, uint8_t *v);
cpet_status cpet__rd_u32(cpet__rd *r, uint32_t *v);
cpet_status cpet__rd_u64(cpet__rd *r, uint64_t *v);
cpet_status cpet__rd_f64(cpet__rd *r, double *v);
/* New caller-owned NUL-terminated copy (embedded NULs rejected). */
cpet_status cpet__rd_str(cpet__rd *r, char **s);
/* Decoded caller-owned value. */
cpet_status cpet__rd_value(cpet__rd *r, cpet_value **v);
cpet_status cpet__rd_bytes(cpet__rd *r, size_t n, const unsigned char **p);

void cpet__put_le32(unsigned char *p, uint32_t v);
uint32_t cpet__get_le32(const unsigned char *p);

/* ---- run records (proto.c) ---- */

/* MPI tags of the writer protocol. */
enum {
  CPET__TAG_REQ = 7101, /* worker -> writer: give me run indices (empty payload) */
  CPET__TAG_WORK,       /* writer -> worker: int64 run indices (none = no more work) */
  CPET__TAG_RUNS,       /* worker -> writer: a framed batch of run records */
  CPET__TAG_ACK,        /* writer -> worker: int64 number of RUNS messages now durable */
  CPET__TAG_DONE,       /* worker -> writer: int32 worker status, no more messages follow */
  CPET__TAG_ABORT,      /* writer -> worker: int32 status + message text: stop */
  CPET__TAG_FIN         /* writer -> worker: empty, after the worker's DONE: nothing follows */
};

/* Header of a run record. */
typedef struct cpet__run_hdr {
  int64_t idx;
  int32_t status; /* CPET_OK or the callback's error (then no nodes) */
  double start, finish;
  uint32_t nnodes;
} cpet__run_hdr;

/* Appends the record of run `idx` to `out`: header + every node of the trajectory whose run
 * index is idx (groups, leaves with comment, annotations, items/values and flags, links). */
cpet_status cpet__proto_encode_run(cpet_traj *traj, int64_t idx, int32_t status, double start,
                                   double finish, cpet__buf *out);
/* Parses the header of a record. */
cpet_status cpet__proto_peek_run(const void *rec, size_t len, cpet__run_hdr *h);
/* Rebuilds the record's nodes in `traj` (no run selected) and sets the run's runs-table row:
 * completed = 1, time, timestamps, runtime, parameter summary. */
cpet_status cpet__proto_apply_run(cpet_traj *traj, const void *rec, size_t len);
/* Removes every node of run idx from `traj` (the topmost ones, recursively). */
cpet_status cpet__proto_drop_run(cpet_traj *traj, int64_t idx);

/* Message framing: u32 magic, u32 count, then count x (u64 length, record). */
cpet_status cpet__frame_begin(cpet__buf *b);
/* Appends an already encoded record (len bytes at rec). */
cpet_status cpet__frame_add(cpet__buf *b, const void *rec, size_t len);
/* Counts the records while checking the frame. */
cpet_status cpet__frame_open(const void *msg, size_t len, cpet__rd *r, uint32_t *count);
cpet_status cpet__frame_next(cpet__rd *r, const void **rec, size_t *len);

/* pypet's str(timedelta): "0:00:00.007797". */
void cpet__proto_timedelta(double seconds, char *buf, size_t cap);
/* pypet's "%Y_%m_%d_%Hh%Mm%Ss" of a timestamp (local time). */
void cpet__proto_timestr(double ts, char *buf, size_t cap);
double cpet__now(void);

/* ---- journal (journal.c) ---- */

typedef struct cpet__journal cpet__journal;

/* Creates (truncating) a journal whose header records the skeleton hash and run count; the
 * header is fsync'ed, and so is the folder. */
cpet_status cpet__journal_create(const char *path, uint64_t skel_hash, int64_t nruns,
                                 cpet__journal **out);
/* Opens an existing journal for appending after `valid_end` (the file is truncated there). */
cpet_status cpet__journal_open_append(const char *path, uint64_t valid_end, cpet__journal **out);
/* Appends one record: u32 magic, u32 length, u32 crc32(payload), payload. Not yet durable. */
cpet_status cpet__journal_append(cpet__journal *j, const void *payload, size_t len);
/* fsync: everything appended so far is durable on return. */
cpet_status cpet__journal_sync(cpet__journal *j);
/* Closes (NULL accepted); no implicit sync. */
cpet_status cpet__journal_close(cpet__journal *j);

typedef cpet_status (*cpet__journal_cb)(const void *payload, size_t len, void *ud);
/* Reads a journal: checks the header, then calls cb for each intact record, stopping at the
 * first torn or corrupt one (not an error). *valid_end = offset after the last intact record,
 * *nrec = intact records. A callback error stops and is returned. Any out pointer may be
 * NULL. CPET_ERR_NOTFOUND if the file is missing, CPET_ERR_CORRUPT on a bad header. */
cpet_status cpet__journal_read(const char *path, uint64_t *skel_hash, int64_t *nruns,
                               cpet__journal_cb cb, void *ud, uint64_t *valid_end, int64_t *nrec);

/* ---- files (writer.c) ---- */

/* fsync a file by path / the folder holding `path`. */
cpet_status cpet__fsync_path(const char *path);
cpet_status cpet__fsync_dir_of(const char *path);
/* Copies src to dst (created/truncated) and fsyncs dst. */
cpet_status cpet__copy_file(const char *src, const char *dst);
/* Replays journal records into an open store: apply, store_run, drop. Counts stored runs and
 * marks them in `done` (nruns bytes, may be NULL). */
cpet_status cpet__writer_replay(cpet_store *store, cpet_traj *traj, const char *journal,
                                unsigned char *done, int64_t nruns, int64_t *nstored);
/* Stores one record (apply + run row + store_run + drop). */
cpet_status cpet__writer_store_record(cpet_store *store, cpet_traj *traj, const void *rec,
                                      size_t len);
/* Closes the store, fsyncs `partial`, renames it to `final`, fsyncs the folder. */
cpet_status cpet__writer_publish(cpet_store *store, const char *partial, const char *final);

#endif
