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
  CPET__TAG_FIN,        /* writer -> worker: empty, after the worker's DONE: nothing follows */
  CPET__TAG_DATA        /* worker -> writer: the data of a large array, after its RUNS frame */
};

/* Header of a run record. */
typedef struct cpet__run_hdr {
  int64_t idx;
  int32_t status; /* CPET_OK or the callback's error (then no nodes) */
  double start, finish;
  uint32_t nnodes;
  uint64_t core_len; /* bytes of the record proper (version 2; else the whole length) */
  uint32_t nlarge;   /* large arrays described (version 2) */
} cpet__run_hdr;

/* ---- large arrays (large.c) ----
 * A result item that is a numeric ndarray of at least `min_bytes` stored as CARRAY (the
 * default flag) does not travel inside its run record: the record carries its description
 * (leaf, key, type, shape, chunk shape, filters, per-chunk sizes) and the bytes travel as a
 * separate blob - the array's own buffer (uncompressed: no copy) or its chunks compressed by
 * the worker through HDF5's own filter pipeline (an in-memory file), which the writer stores
 * with H5Dwrite_chunk. In the journal the blobs follow the record. */

/* One blob: `len` bytes at `p`, kept alive by `own` (cpet_free) or `val` (cpet_value_free);
 * both NULL when borrowed. */
typedef struct cpet__blob {
  const void *p;
  size_t len;
  void *own;
  cpet_value *val;
} cpet__blob;

typedef struct cpet__blobs {
  cpet__blob *v;
  size_t n, cap;
} cpet__blobs;

/* How cpet__proto_encode_run treats large arrays. */
typedef struct cpet__large_opts {
  size_t min_bytes;         /* 0: never extract */
  cpet_filter_opts filters; /* the store's filters (decide raw vs compressed chunks) */
  int compress;             /* 1: compress chunks here; 0: ship raw bytes */
  int keep;                 /* 1: leave the item in its leaf (blobs borrow its buffer) */
  int drop;                 /* 1: lazy sweep: describe and remove the item, ship no data */
} cpet__large_opts;

/* Walks run idx's leaves: describes each qualifying item into `out` (count in *count) and
 * appends its blob. */
cpet_status cpet__large_extract(cpet_traj *traj, int64_t idx, const cpet__large_opts *lo,
                                cpet__buf *out, uint32_t *count, cpet__blobs *blobs);
/* 1 if item i of `leaf` travels outside the record under `lo`. */
int cpet__large_qualifies(const cpet_node *leaf, size_t i, const cpet__large_opts *lo);
/* Reads n descriptions at r (blob sizes into lens[0..cap)). */
cpet_status cpet__large_skip(cpet__rd *r, uint32_t n, size_t *nblobs, uint64_t *lens, size_t cap);
/* 1 if item i of `leaf` travels outside the record under `lo`. */
int cpet__large_qualifies(const cpet_node *leaf, size_t i, const cpet__large_opts *lo);
/* Reads n descriptions at r and writes each array into its leaf group, from blobs[] or from
 * the inline data `inl` (inl_len bytes) when blobs is NULL. */
cpet_status cpet__large_store(cpet_store *s, cpet_traj *traj, cpet__rd *r, uint32_t n,
                              const cpet__blob *blobs, size_t nblobs, const unsigned char *inl,
                              size_t inl_len);

/* Frees the owned buffers of blobs [from, n) and sets n = from. */
void cpet__blobs_truncate(cpet__blobs *b, size_t from);
void cpet__blobs_free(cpet__blobs *b);
/* Moves every blob of `src` to the end of `dst` (src is emptied). */
cpet_status cpet__blobs_move(cpet__blobs *dst, cpet__blobs *src);

/* Appends the records of run `idx` to `out`: header + large-array descriptions + every node of
 * the trajectory whose run index is idx (groups, leaves with comment, annotations,
 * items/values and flags, links). `lo` NULL: everything inline. Blobs of extracted arrays are
 * appended to `blobs` (may be NULL only when lo is NULL). */
cpet_status cpet__proto_encode_run(cpet_traj *traj, int64_t idx, int32_t status, double start,
                                   double finish, const cpet__large_opts *lo, cpet__buf *out,
                                   cpet__blobs *blobs);
/* Number and byte sizes of the blobs a record needs (external form). `lens` may be NULL. */
cpet_status cpet__proto_blobs(const void *rec, size_t len, size_t *n, uint64_t *lens, size_t cap);
/* Length of the record proper (without inline blobs). */
cpet_status cpet__proto_core_len(const void *rec, size_t len, size_t *core);
/* Stores the large arrays of a record into the leaf groups store_run created: blobs (nblobs
 * of them) or, when blobs is NULL, the data following the record (journal form). */
cpet_status cpet__proto_store_large(cpet_store *store, cpet_traj *traj, const void *rec, size_t len,
                                    const cpet__blob *blobs, size_t nblobs);
/* Sets run idx's runs-table row as a stored run: completed = 1, time, timestamps, runtime,
 * parameter summary. */
cpet_status cpet__proto_run_row(cpet_traj *traj, int64_t idx, double start, double finish);
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
/* As above with a payload made of the record followed by its blobs (no copy). */
cpet_status cpet__journal_appendv(cpet__journal *j, const void *rec, size_t len,
                                  const cpet__blob *blobs, size_t nblobs);
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
/* Stores one record (apply + run row + store_run + large arrays + drop). */
cpet_status cpet__writer_store_record(cpet_store *store, cpet_traj *traj, const void *rec,
                                      size_t len);
/* As above with the record's large arrays in `blobs` (NULL: inline, journal form). */
cpet_status cpet__writer_store_record_blobs(cpet_store *store, cpet_traj *traj, const void *rec,
                                            size_t len, const cpet__blob *blobs, size_t nblobs);
/* Closes the store, fsyncs `partial`, renames it to `final`, fsyncs the folder. */
cpet_status cpet__writer_publish(cpet_store *store, const char *partial, const char *final);

#endif
