/* ack.c - opt-in acknowledgement log for fault tests.
 *
 * A fault test must know which runs cpet acknowledged before it killed a rank, from a source
 * independent of the journal it then checks. With CPET_ACK_FD=<fd> in the environment the
 * writer writes one line "ACK <run>\n" per run to that descriptor right after the run's
 * journal record has been fsync'ed, i.e. at the moment the run becomes acknowledged (and
 * before the worker is told). Nothing is written when the variable is unset, the journal is
 * off (nothing is acknowledged then) or the journal failed. A plain write(2) per line: the
 * line is in the kernel once the call returns, so it survives a kill -9 of the writer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "writer/ack_int.h"

int cpet__ack_fd(void) {
  const char *s = getenv("CPET_ACK_FD");
  if (!s || !*s)
    return -1;
  char *end = NULL;
  long v = strtol(s, &end, 10);
  if (*end || v < 0 || v > 1 << 20)
    return -1;
  return (int)v;
}

void cpet__ack_write(int fd, int64_t run_idx) {
  char b[32];
  int n = snprintf(b, sizeof b, "ACK %lld\n", (long long)run_idx);
  if (n <= 0)
    return;
  while (write(fd, b, (size_t)n) < 0 && errno == EINTR) {
  }
}
