/* journal.c - the append-only, checksummed run journal behind cpet's crash guarantee.
 *
 * HDF5 1.10 rewrites metadata in place, so a killed writer can lose runs it had already
 * flushed (shared/research/reliability.md, section 0). A run therefore counts as acknowledged
 * only once its record is in this journal and the journal is fsync'ed. Layout:
 *   header  "CPETJNL1", u32 version, u32 0, u64 skeleton hash, u64 runs, u32 crc32(previous)
 *   record  u32 "REC1", u32 payload length, u32 crc32(payload), payload (a run record)
 * Records are only appended. A crash can leave a torn last record; the reader stops at the
 * first record that is short or fails its checksum, and a resumed writer truncates there. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "writer/writer_int.h"

#define JNL_MAGIC "CPETJNL1"
#define JNL_VERSION 1u
#define JNL_HDR 36
#define REC_MAGIC 0x31434552u /* "REC1" */
#define REC_HDR 12

struct cpet__journal {
  int fd;
  char *path;
};

static cpet_status io_err(const char *what, const char *path) {
  int e = errno;
  return cpet__err(e == ENOSPC || e == EDQUOT ? CPET_ERR_NOSPACE : CPET_ERR_IO, "%s '%s': %s", what,
                   path, strerror(e));
}

static cpet_status write_all(int fd, const void *p, size_t n, const char *path) {
  const unsigned char *q = p;
  while (n) {
    ssize_t w = write(fd, q, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return io_err("write journal", path);
    q += w;
    n -= (size_t)w;
  }
  return CPET_OK;
}

/* Reads exactly n bytes; returns the count read (short at end of file), -1 on error. */
static ssize_t read_full(int fd, void *p, size_t n) {
  unsigned char *q = p;
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, q + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) break;
    got += (size_t)r;
  }
  return (ssize_t)got;
}

static uint32_t crc(const void *p, size_t n) {
  uLong c = crc32(0L, Z_NULL, 0);
  const unsigned char *q = p;
  while (n) { /* zlib's length is a uInt */
    uInt k = n > (1u << 30) ? (1u << 30) : (uInt)n;
    c = crc32(c, q, k);
    q += k;
    n -= k;
  }
  return (uint32_t)c;
}

static void put_le64(unsigned char *p, uint64_t v) {
  for (int i = 0; i < 8; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}
static uint64_t get_le64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--)
    v = v << 8 | p[i];
  return v;
}

static cpet_status jnew(const char *path, int fd, cpet__journal **out) {
  cpet__journal *j = cpet__calloc(1, sizeof *j);
  char *p = cpet__strdup(path);
  if (!j || !p) {
    cpet_free(j);
    cpet_free(p);
    close(fd);
    return cpet__err(CPET_ERR_NOMEM, "journal handle");
  }
  j->fd = fd;
  j->path = p;
  *out = j;
  return CPET_OK;
}

cpet_status cpet__journal_create(const char *path, uint64_t skel_hash, int64_t nruns,
                                 cpet__journal **out) {
  *out = NULL;
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_err("create journal", path);
  unsigned char h[JNL_HDR];
  memcpy(h, JNL_MAGIC, 8);
  cpet__put_le32(h + 8, JNL_VERSION);
  cpet__put_le32(h + 12, 0);
  put_le64(h + 16, skel_hash);
  put_le64(h + 24, (uint64_t)nruns);
  cpet__put_le32(h + 32, crc(h, 32));
  cpet_status st = write_all(fd, h, sizeof h, path);
  if (st == CPET_OK && fsync(fd) != 0) st = io_err("fsync journal", path);
  if (st != CPET_OK) {
    close(fd);
    return st;
  }
  CPET__CHECK(jnew(path, fd, out));
  return cpet__fsync_dir_of(path);
}

cpet_status cpet__journal_open_append(const char *path, uint64_t valid_end, cpet__journal **out) {
  *out = NULL;
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return io_err("open journal", path);
  /* Drop a torn tail, so new records follow the last intact one. */
  if (ftruncate(fd, (off_t)valid_end) != 0 || lseek(fd, (off_t)valid_end, SEEK_SET) < 0 ||
      fsync(fd) != 0) {
    cpet_status st = io_err("truncate journal", path);
    close(fd);
    return st;
  }
  return jnew(path, fd, out);
}

cpet_status cpet__journal_append(cpet__journal *j, const void *payload, size_t len) {
  if (len > UINT32_MAX) return cpet__err(CPET_ERR_RANGE, "run record of %zu bytes", len);
  unsigned char h[REC_HDR];
  cpet__put_le32(h, REC_MAGIC);
  cpet__put_le32(h + 4, (uint32_t)len);
  cpet__put_le32(h + 8, crc(payload, len));
  CPET__CHECK(write_all(j->fd, h, sizeof h, j->path));
  return write_all(j->fd, payload, len, j->path);
}

cpet_status cpet__journal_appendv(cpet__journal *j, const void *rec, size_t len,
                                  const cpet__blob *blobs, size_t nblobs) {
  uint64_t total = len;
  uLong c = crc32(0L, Z_NULL, 0);
  c = crc32_z(c, rec, len);
  for (size_t i = 0; i < nblobs; i++) {
    total += blobs[i].len;
    c = crc32_z(c, blobs[i].p, blobs[i].len);
  }
  if (total > UINT32_MAX)
    return cpet__err(CPET_ERR_RANGE, "run record of %llu bytes", (unsigned long long)total);
  unsigned char h[REC_HDR];
  cpet__put_le32(h, REC_MAGIC);
  cpet__put_le32(h + 4, (uint32_t)total);
  cpet__put_le32(h + 8, (uint32_t)c);
  CPET__CHECK(write_all(j->fd, h, sizeof h, j->path));
  CPET__CHECK(write_all(j->fd, rec, len, j->path));
  for (size_t i = 0; i < nblobs; i++)
    CPET__CHECK(write_all(j->fd, blobs[i].p, blobs[i].len, j->path));
  return CPET_OK;
}

cpet_status cpet__journal_sync(cpet__journal *j) {
  if (fdatasync(j->fd) != 0) return io_err("fsync journal", j->path);
  return CPET_OK;
}

cpet_status cpet__journal_close(cpet__journal *j) {
  if (!j) return CPET_OK;
  cpet_status st = CPET_OK;
  if (close(j->fd) != 0) st = io_err("close journal", j->path);
  cpet_free(j->path);
  cpet_free(j);
  return st;
}

cpet_status cpet__journal_read(const char *path, uint64_t *skel_hash, int64_t *nruns,
                               cpet__journal_cb cb, void *ud, uint64_t *valid_end, int64_t *nrec) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return cpet__err(CPET_ERR_NOTFOUND, "no journal '%s'", path);
    return io_err("open journal", path);
  }
  struct stat sb;
  if (fstat(fd, &sb) != 0) {
    cpet_status st = io_err("stat journal", path);
    close(fd);
    return st;
  }
  unsigned char h[JNL_HDR];
  if (read_full(fd, h, sizeof h) != (ssize_t)sizeof h || memcmp(h, JNL_MAGIC, 8) != 0 ||
      cpet__get_le32(h + 32) != crc(h, 32)) {
    close(fd);
    return cpet__err(CPET_ERR_CORRUPT, "'%s' is not a cpet journal (bad header)", path);
  }
  if (cpet__get_le32(h + 8) != JNL_VERSION) {
    close(fd);
    return cpet__err(CPET_ERR_VERSION, "journal '%s' has version %u", path, cpet__get_le32(h + 8));
  }
  if (skel_hash) *skel_hash = get_le64(h + 16);
  if (nruns) *nruns = (int64_t)get_le64(h + 24);
  uint64_t off = JNL_HDR, size = (uint64_t)sb.st_size;
  int64_t count = 0;
  cpet_status st = CPET_OK;
  unsigned char *buf = NULL;
  size_t bufcap = 0;
  for (;;) {
    unsigned char rh[REC_HDR];
    if (read_full(fd, rh, sizeof rh) != (ssize_t)sizeof rh) break;
    uint32_t len = cpet__get_le32(rh + 4);
    if (cpet__get_le32(rh) != REC_MAGIC || off + REC_HDR + len > size) break;
    if (len > bufcap) {
      unsigned char *q = cpet__realloc(buf, len);
      if (!q) {
        st = cpet__err(CPET_ERR_NOMEM, "journal record of %u bytes", len);
        break;
      }
      buf = q;
      bufcap = len;
    }
    if (read_full(fd, buf, len) != (ssize_t)len || crc(buf, len) != cpet__get_le32(rh + 8)) break;
    if (cb && (st = cb(buf, len, ud)) != CPET_OK) break;
    off += REC_HDR + len;
    count++;
  }
  if (off < size && st == CPET_OK)
    cpet__log(CPET_LOG_WARN, "journal", "'%s': ignoring %llu bytes of torn/corrupt tail", path,
              (unsigned long long)(size - off));
  cpet_free(buf);
  close(fd);
  if (valid_end) *valid_end = off;
  if (nrec) *nrec = count;
  return st;
}
