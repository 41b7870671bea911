/* log.c - opt-in logging, tagged cpet[rank@host] so lines from 1,000 ranks can be told apart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core_int.h"

static int level = -1;
static int log_rank = -1;

static int current_level(void) {
  if (level < 0) {
    const char *d = getenv("CPET_DEBUG");
    const char *t = getenv("CPET_TRACE");
    level = (int)CPET_LOG_ERROR - 1; /* silent unless asked */
    if (d && *d) level = atoi(d);
    if (t && t[0] == '1') level = CPET_LOG_TRACE;
  }
  return level;
}

int cpet__log_enabled(cpet_loglevel lvl) { return (int)lvl <= current_level(); }

void cpet__log_set_rank(int rank) { log_rank = rank; }

void cpet__log(cpet_loglevel lvl, const char *module, const char *fmt, ...) {
  static const char *names[] = {"ERROR", "WARN", "INFO", "DEBUG", "TRACE"};
  if (!cpet__log_enabled(lvl)) return;
  char host[64] = "?";
  gethostname(host, sizeof host - 1);
  char line[1200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (log_rank >= 0)
    fprintf(stderr, "cpet[%d@%s] %s %s: %s\n", log_rank, host, names[lvl], module, line);
  else
    fprintf(stderr, "cpet[%ld@%s] %s %s: %s\n", (long)getpid(), host, names[lvl], module, line);
}
