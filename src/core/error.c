/* error.c - status strings, thread-local error detail and the error policy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"

#define CPET_ERRMSG_MAX 1024

static _Thread_local char errmsg[CPET_ERRMSG_MAX];
static int handler = -1; /* -1: not yet read from the environment */

const char *cpet_strerror(int status) {
  switch (status) {
#define CPET_X_MSG(name, value, msg)                                                             \
  case value: return msg;
    CPET_STATUS_MAP(CPET_X_MSG)
#undef CPET_X_MSG
  default: return "unknown status";
  }
}

const char *cpet_errname(int status) {
  switch (status) {
#define CPET_X_NAME(name, value, msg)                                                            \
  case value: return "CPET_" #name;
    CPET_STATUS_MAP(CPET_X_NAME)
#undef CPET_X_NAME
  default: return "CPET_UNKNOWN";
  }
}

const char *cpet_errmsg(void) { return errmsg; }

cpet_status cpet_errclear(void) {
  errmsg[0] = '\0';
  return CPET_OK;
}

static int current_handler(void) {
  if (handler < 0) {
    const char *e = getenv("CPET_ERRORS_ARE_FATAL");
    handler = (e && e[0] == '1') ? CPET_ERRH_ABORT : CPET_ERRH_RETURN;
  }
  return handler;
}

cpet_status cpet_set_errhandler(cpet_errhandler h, cpet_errhandler *prev) {
  if (h != CPET_ERRH_RETURN && h != CPET_ERRH_WARN && h != CPET_ERRH_ABORT)
    return cpet__err(CPET_ERR_INVAL, "unknown error handler %d", (int)h);
  if (prev) *prev = (cpet_errhandler)current_handler();
  handler = (int)h;
  return CPET_OK;
}

/* The MPI module installs a hook so that ABORT becomes MPI_Abort without core linking MPI. */
void (*cpet__abort_hook)(int status) = NULL;

cpet_status cpet__err(cpet_status status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(errmsg, sizeof errmsg, fmt, ap);
  va_end(ap);
  return status;
}

/* The policy applies where an error leaves the library, not where it is raised: internal code
 * raises and handles errors of its own (a lookup that finds nothing, a probe of an optional
 * table), and aborting there would kill jobs that are fine. */
cpet_status cpet__raise(cpet_status status) {
  if (status >= 0) return status;
  int h = current_handler();
  if (h != CPET_ERRH_RETURN) cpet__log(CPET_LOG_ERROR, "error", "%s: %s", cpet_errname(status), errmsg);
  if (h == CPET_ERRH_ABORT) {
    if (cpet__abort_hook) cpet__abort_hook(status);
    abort();
  }
  return status;
}

void cpet__err_context(const char *fmt, ...) {
  size_t len = strlen(errmsg);
  if (len + 3 >= sizeof errmsg) return;
  memcpy(errmsg + len, "; ", 3);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(errmsg + len + 2, sizeof errmsg - len - 2, fmt, ap);
  va_end(ap);
}
