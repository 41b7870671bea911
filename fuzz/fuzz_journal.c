/* fuzz_journal.c - libFuzzer target for the run journal reader and the run-record decoder,
 * the input cpet_recover and a resumed writer trust after a crash. Built by fuzz/run.sh, which
 * compiles the whole library with the fuzzer's instrumentation for it (fuzz_journal.sources
 * holds "@LIB@": the decoder reaches the tree, value and large-array code).
 *
 * The first input byte picks the mode:
 *   even: the rest is the journal file as is (header and framing checks);
 *   odd:  the rest is a list of records (u16 length + bytes) written behind a valid header
 *         with correct magic, lengths and CRC-32s, so the fuzzer gets past the checksums to
 *         the record decoder.
 * Every record the reader hands out is parsed (cpet__proto_peek_run) and, for a run index of
 * the 4-run trajectory, rebuilt into a fresh trajectory (cpet__proto_apply_run) and dropped
 * again - as cpet_recover does. Any status is fine; crashes, sanitizer reports and leaks are
 * not. The journal is written to a memfd and read through /proc/self/fd (no disk). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include <cpet/cpet.h>

#include "writer/writer_int.h"

#define NRUNS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cpet_traj *make_traj(void) {
  cpet_traj *t = NULL;
  cpet_value *x = NULL, *r = NULL;
  int64_t xs[NRUNS] = {1, 2, 3, 4};
  size_t n = NRUNS;
  if (cpet_traj_create("fz", &t) != CPET_OK)
    abort();
  if (cpet_value_new_int(0, &x) != CPET_OK ||
      cpet_traj_add_param(t, "parameters.x", CPET_CLASS_PARAMETER, x, NULL, NULL) != CPET_OK ||
      cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 8, 1, &n, xs, &r) != CPET_OK)
    abort();
  const char *names[1] = {"parameters.x"};
  const cpet_value *ranges[1] = {r};
  if (cpet_traj_explore(t, 1, names, ranges) != CPET_OK)
    abort();
  cpet_value_free(x);
  cpet_value_free(r);
  return t;
}

static cpet_status on_record(const void *rec, size_t len, void *ud) {
  (void)ud;
  cpet__run_hdr h;
  if (cpet__proto_peek_run(rec, len, &h) != CPET_OK)
    return CPET_OK;
  if (h.idx < 0 || h.idx >= NRUNS)
    return CPET_OK;
  cpet_traj *t = make_traj();
  cpet__proto_apply_run(t, rec, len);
  cpet__proto_drop_run(t, h.idx);
  cpet_traj_free(t);
  return CPET_OK;
}

static void put32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

static void wr(int fd, const void *p, size_t n) {
  if (n && write(fd, p, n) != (ssize_t)n)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  int fd = memfd_create("fuzz-journal", 0);
  if (fd < 0)
    abort();
  if (data[0] & 1) {
    unsigned char h[36] = "CPETJNL1";
    memset(h + 8, 0, 28);
    put32(h + 8, 1); /* version */
    h[24] = NRUNS;   /* runs (u64 little-endian) */
    put32(h + 32, (uint32_t)crc32(0L, h, 32));
    wr(fd, h, sizeof h);
    size_t off = 1;
    while (off + 2 <= size) {
      size_t len = (size_t)data[off] | (size_t)data[off + 1] << 8;
      off += 2;
      if (len > size - off)
        len = size - off;
      unsigned char rh[12];
      put32(rh, 0x31434552u); /* "REC1" */
      put32(rh + 4, (uint32_t)len);
      put32(rh + 8, (uint32_t)crc32(0L, data + off, (uInt)len));
      wr(fd, rh, sizeof rh);
      wr(fd, data + off, len);
      off += len;
    }
  } else {
    wr(fd, data + 1, size - 1);
  }
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  uint64_t hash = 0, end = 0;
  int64_t nruns = 0, nrec = 0;
  cpet_status st = cpet__journal_read(path, &hash, &nruns, on_record, NULL, &end, &nrec);
  if (st == CPET_OK && (end < 36 || end > (uint64_t)size + 36 + 12 * size))
    abort();
  close(fd);
  return 0;
}
