/* maint_test.h - helpers of the storage-maintenance tests (test_delete, test_merge,
 * test_backup, test_shared, test_keepopen): fixture copies and file checksums. */
#ifndef CPET_MAINT_TEST_H
#define CPET_MAINT_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpet_test.h"
#include <cpet/cpet_store.h>

/* Loads trajectory `name` completely (load_all=2, force) from an open store. */
static inline cpet_traj *mt_load_from(cpet_store *s, const char *name) {
  cpet_load_opts lo = CPET_LOAD_OPTS_ALL;
  lo.name = name;
  lo.force = 1;
  cpet_traj *t = NULL;
  CHECK_OK(cpet_store_load_traj(s, &lo, &t));
  return t;
}

/* As mt_load_from, opening and closing file `fn` read-only around the load. */
static inline cpet_traj *mt_load(const char *fn, const char *name) {
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open(fn, CPET_OPEN_READ, NULL, &s));
  cpet_traj *t = s ? mt_load_from(s, name) : NULL;
  CHECK_OK(cpet_store_close(s));
  return t;
}

/* Copies fixture `name` (from $CPET_FIXTURES) to `dst` in the working directory; the
 * original is only read. Returns 0 on success. */
static inline int mt_copy_fixture(const char *name, const char *dst) {
  char src[4096];
  snprintf(src, sizeof src, "%s/%s", cpet_test_fixtures(), name);
  FILE *in = fopen(src, "rb"), *out = in ? fopen(dst, "wb") : NULL;
  int rc = in && out ? 0 : -1;
  char buf[65536];
  size_t n;
  while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
    if (fwrite(buf, 1, n, out) != n) rc = -1;
  if (in) fclose(in);
  if (out && fclose(out) != 0) rc = -1;
  if (rc) fprintf(stderr, "cannot copy fixture %s\n", src);
  return rc;
}

/* FNV-1a over the file's bytes (0 if unreadable): "the file's bytes are unchanged". */
static inline uint64_t mt_checksum(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  uint64_t h = 1469598103934665603ULL;
  int c;
  while ((c = getc(f)) != EOF) {
    h ^= (unsigned char)c;
    h *= 1099511628211ULL;
  }
  fclose(f);
  return h;
}

static inline int mt_exists(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f) fclose(f);
  return f != NULL;
}

/* The working directory is kept between runs: remove what a previous run left. */
static inline void mt_rm(const char *const *paths) {
  for (; *paths; paths++)
    remove(*paths);
}

#endif
