/* enospc_shim.c - LD_PRELOAD write-failure shim for the disk-full fault test.
 *
 * A full disk cannot be made on demand without root (tmpfs), so this shim makes one: the
 * descriptors of files whose path contains CPET_SHIM_MATCH are tracked from open/openat/creat,
 * and once CPET_SHIM_LIMIT bytes have been written to such files (per process, all files
 * together) write, pwrite, writev and pwritev on them fail with ENOSPC (a write that crosses
 * the limit is cut short first, as a real full disk does). fsync/fdatasync of a tracked file
 * fail with ENOSPC too once the limit was hit (the kernel reports a lost write-back there).
 * Without both variables the shim does nothing. Not usable with AddressSanitizer builds (ASan
 * must be the first preloaded library), so the test is skipped there. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAXFD 4096

static unsigned char tracked[MAXFD];
static long long used, limit = -1;
static const char *match;
static int inited, hit;

static void init(void) {
  if (inited)
    return;
  inited = 1;
  match = getenv("CPET_SHIM_MATCH");
  const char *l = getenv("CPET_SHIM_LIMIT");
  if (match && *match && l && *l)
    limit = atoll(l);
}

static void track(int fd, const char *path) {
  init();
  if (fd < 0 || fd >= MAXFD)
    return;
  tracked[fd] = limit >= 0 && path && strstr(path, match) != NULL;
}

static int is_tracked(int fd) { return fd >= 0 && fd < MAXFD && tracked[fd]; }

/* How many of n bytes a write may still do; sets errno and returns -1 when none. */
static ssize_t allow(int fd, size_t n) {
  init();
  if (!is_tracked(fd) || n == 0)
    return (ssize_t)n;
  if (used >= limit) {
    hit = 1;
    errno = ENOSPC;
    return -1;
  }
  long long left = limit - used;
  return (ssize_t)((long long)n < left ? (long long)n : left);
}

/* The next definition of `name` (libc's), looked up once. */
#define REAL(name, ret, args)                                                                      \
  static ret(*real_##name) args;                                                                   \
  if (!real_##name)                                                                                \
  real_##name = (ret(*) args)dlsym(RTLD_NEXT, #name)

static int open_at(const char *sym, const char *path, int flags, mode_t mode) {
  int (*f)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, sym);
  int fd = f(path, flags, mode);
  track(fd, path);
  return fd;
}

static int openat_at(const char *sym, int dirfd, const char *path, int flags, mode_t mode) {
  int (*f)(int, const char *, int, ...) =
      (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, sym);
  int fd = f(dirfd, path, flags, mode);
  track(fd, path);
  return fd;
}

#define OPEN_MODE(flags)                                                                           \
  mode_t mode = 0;                                                                                 \
  if ((flags) & (O_CREAT | O_TMPFILE)) {                                                           \
    va_list ap;                                                                                    \
    va_start(ap, flags);                                                                           \
    mode = (mode_t)va_arg(ap, int);                                                                \
    va_end(ap);                                                                                    \
  }

int open(const char *path, int flags, ...) {
  OPEN_MODE(flags);
  return open_at("open", path, flags, mode);
}
int open64(const char *path, int flags, ...) {
  OPEN_MODE(flags);
  return open_at("open64", path, flags, mode);
}
int openat(int dirfd, const char *path, int flags, ...) {
  OPEN_MODE(flags);
  return openat_at("openat", dirfd, path, flags, mode);
}
int openat64(int dirfd, const char *path, int flags, ...) {
  OPEN_MODE(flags);
  return openat_at("openat64", dirfd, path, flags, mode);
}
int creat(const char *path, mode_t mode) {
  return open_at("open", path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}
int creat64(const char *path, mode_t mode) {
  return open_at("open64", path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

int close(int fd) {
  REAL(close, int, (int));
  if (fd >= 0 && fd < MAXFD)
    tracked[fd] = 0;
  return real_close(fd);
}

/* dup2/dup3 make `newfd` refer to what `oldfd` refers to: it is tracked exactly if oldfd is. */
int dup2(int oldfd, int newfd) {
  REAL(dup2, int, (int, int));
  int r = real_dup2(oldfd, newfd);
  if (r >= 0 && newfd < MAXFD)
    tracked[newfd] = is_tracked(oldfd);
  return r;
}

int dup3(int oldfd, int newfd, int flags) {
  REAL(dup3, int, (int, int, int));
  int r = real_dup3(oldfd, newfd, flags);
  if (r >= 0 && newfd < MAXFD)
    tracked[newfd] = is_tracked(oldfd);
  return r;
}

ssize_t write(int fd, const void *p, size_t n) {
  REAL(write, ssize_t, (int, const void *, size_t));
  ssize_t k = allow(fd, n);
  if (k < 0)
    return -1;
  ssize_t w = real_write(fd, p, (size_t)k);
  if (w > 0 && is_tracked(fd))
    used += w;
  return w;
}

ssize_t pwrite(int fd, const void *p, size_t n, off_t off) {
  REAL(pwrite, ssize_t, (int, const void *, size_t, off_t));
  ssize_t k = allow(fd, n);
  if (k < 0)
    return -1;
  ssize_t w = real_pwrite(fd, p, (size_t)k, off);
  if (w > 0 && is_tracked(fd))
    used += w;
  return w;
}

ssize_t pwrite64(int fd, const void *p, size_t n, off_t off) { return pwrite(fd, p, n, off); }

static ssize_t iov_total(const struct iovec *iov, int cnt) {
  ssize_t t = 0;
  for (int i = 0; i < cnt; i++)
    t += (ssize_t)iov[i].iov_len;
  return t;
}

ssize_t writev(int fd, const struct iovec *iov, int cnt) {
  REAL(writev, ssize_t, (int, const struct iovec *, int));
  ssize_t t = iov_total(iov, cnt);
  ssize_t k = allow(fd, (size_t)t);
  if (k < 0)
    return -1;
  if (k < t)
    return write(fd, iov[0].iov_base, iov[0].iov_len < (size_t)k ? iov[0].iov_len : (size_t)k);
  ssize_t w = real_writev(fd, iov, cnt);
  if (w > 0 && is_tracked(fd))
    used += w;
  return w;
}

ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off) {
  REAL(pwritev, ssize_t, (int, const struct iovec *, int, off_t));
  ssize_t t = iov_total(iov, cnt);
  ssize_t k = allow(fd, (size_t)t);
  if (k < 0)
    return -1;
  if (k < t)
    return pwrite(fd, iov[0].iov_base, iov[0].iov_len < (size_t)k ? iov[0].iov_len : (size_t)k,
                  off);
  ssize_t w = real_pwritev(fd, iov, cnt, off);
  if (w > 0 && is_tracked(fd))
    used += w;
  return w;
}

int fsync(int fd) {
  REAL(fsync, int, (int));
  if (is_tracked(fd) && hit) {
    errno = ENOSPC;
    return -1;
  }
  return real_fsync(fd);
}

int fdatasync(int fd) {
  REAL(fdatasync, int, (int));
  if (is_tracked(fd) && hit) {
    errno = ENOSPC;
    return -1;
  }
  return real_fdatasync(fd);
}
