/* core_int.h - internal error, logging and allocation helpers shared by every module. */
#ifndef CPET_CORE_INT_H
#define CPET_CORE_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cpet/cpet_alloc.h>
#include <cpet/cpet_error.h>

/* Records a formatted detail for cpet_errmsg() and returns status,
 * so error paths read `return cpet__err(CPET_ERR_NAME, "'%s': %s", name, why);`. */
cpet_status cpet__err(cpet_status status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Applies the error policy (cpet_set_errhandler, CPET_ERRORS_ARE_FATAL) to a status that is
 * about to leave the library through a public call, and returns it. */
cpet_status cpet__raise(cpet_status status);
/* Called by the ABORT policy before abort(); the MPI module points it at MPI_Abort so that one
 * failing rank ends the whole job instead of leaving the others waiting. */
extern void (*cpet__abort_hook)(int status);

/* Appends "; <detail>" context to the current message (used when an error climbs a layer). */
void cpet__err_context(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

typedef enum { CPET_LOG_ERROR = 0, CPET_LOG_WARN, CPET_LOG_INFO, CPET_LOG_DEBUG, CPET_LOG_TRACE } cpet_loglevel;

/* Logs when CPET_DEBUG=<level> (0-4) or CPET_TRACE=1 is set; lines are tagged rank@host. */
void cpet__log(cpet_loglevel lvl, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int cpet__log_enabled(cpet_loglevel lvl);
/* The rank used in log tags; the MPI module sets it after MPI_Init. */
void cpet__log_set_rank(int rank);

void *cpet__malloc(size_t n);
void *cpet__calloc(size_t count, size_t size);
void *cpet__realloc(void *p, size_t n);
char *cpet__strdup(const char *s);
char *cpet__strndup(const char *s, size_t n);
void *cpet__memdup(const void *p, size_t n);
/* Overflow-checked a*b; returns 0 and sets *out on success, -1 on overflow. */
int cpet__mul_size(size_t a, size_t b, size_t *out);
/* malloc'ed printf; NULL on failure. */
char *cpet__asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define CPET__CHECK(expr)                                                                         \
  do {                                                                                           \
    cpet_status cpet__st_ = (expr);                                                              \
    if (cpet__st_ != CPET_OK) return cpet__st_;                                                  \
  } while (0)

#endif
