/* cpet_error.h - status codes, messages and the error policy.
 *
 * Every fallible cpet function returns a cpet_status: CPET_OK (0) on success, a negative code
 * otherwise. The thread-local cpet_errmsg() then holds a one-line detail ("H5Dcreate2
 * '/t/results/x': unable to create dataset"). Library code never prints and never aborts
 * unless the caller asks for it with cpet_set_errhandler(CPET_ERRH_ABORT).
 */
#ifndef CPET_ERROR_H
#define CPET_ERROR_H

#include <cpet/cpet_export.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One list generates the enum, cpet_strerror() and cpet_errname(): X(name, value, message). */
#define CPET_STATUS_MAP(X)                                                                       \
  X(OK, 0, "success")                                                                            \
  X(ERR_INVAL, -1, "invalid argument")                                                           \
  X(ERR_NOMEM, -2, "out of memory")                                                              \
  X(ERR_HDF5, -3, "HDF5 library error")                                                          \
  X(ERR_MPI, -4, "MPI error")                                                                    \
  X(ERR_LAYOUT, -5, "file does not follow the pypet layout")                                     \
  X(ERR_NOTFOUND, -6, "item not found")                                                          \
  X(ERR_EXISTS, -7, "item already exists")                                                       \
  X(ERR_TYPE, -8, "type mismatch")                                                               \
  X(ERR_STATE, -9, "operation not allowed in the current state")                                 \
  X(ERR_INCONSISTENT, -10, "ranks disagree")                                                     \
  X(ERR_IO, -11, "input/output error")                                                           \
  X(ERR_TIMEOUT, -12, "timed out")                                                               \
  X(ERR_NAME, -13, "invalid name")                                                               \
  X(ERR_RANGE, -14, "value or index out of range")                                               \
  X(ERR_CORRUPT, -15, "corrupt or truncated data")                                               \
  X(ERR_VERSION, -16, "unsupported format version")                                              \
  X(ERR_NOTHDF5, -17, "not an HDF5 file")                                                        \
  X(ERR_NOTRAJ, -18, "no pypet trajectory in file")                                              \
  X(ERR_UNSUPPORTED, -19, "message or data not understood")                                      \
  X(ERR_NOTSTORED, -20, "data not in storage")                                                   \
  X(ERR_NOSPACE, -21, "no space left on device")                                                 \
  X(ERR_FLAG, -22, "storage flag cannot hold the data")                                          \
  X(ERR_EXPLORED, -23, "explored parameters cannot be changed that way")                         \
  X(ERR_INTERRUPTED, -24, "interrupted by a signal")                                             \
  X(ERR_CALLBACK, -25, "user callback failed")

typedef enum cpet_status {
#define CPET_X_ENUM(name, value, msg) CPET_##name = value,
  CPET_STATUS_MAP(CPET_X_ENUM)
#undef CPET_X_ENUM
} cpet_status;

/** Human-readable message for a status ("invalid name"). Never NULL; static storage. */
CPET_API const char *cpet_strerror(int status);

/** Symbolic name of a status ("CPET_ERR_NAME"). Never NULL; static storage. */
CPET_API const char *cpet_errname(int status);

/** Detail of the last error raised on the calling thread (thread-local, borrowed: valid until
 *  the next failing cpet call on this thread). Empty string if there was none. */
CPET_API const char *cpet_errmsg(void);

/** Clears the calling thread's error detail. Returns CPET_OK. */
CPET_API cpet_status cpet_errclear(void);

/** What the library does when a call fails, besides returning the status. */
typedef enum cpet_errhandler {
  CPET_ERRH_RETURN = 0, /* default: only return the status */
  CPET_ERRH_WARN = 1,   /* also print a rank@host-tagged line to stderr */
  CPET_ERRH_ABORT = 2   /* print, then abort the job (MPI_Abort when MPI is initialised) */
} cpet_errhandler;

/** Sets the process-wide error policy and stores the previous one in *prev (may be NULL).
 *  CPET_ERRORS_ARE_FATAL=1 in the environment selects CPET_ERRH_ABORT at first use. */
CPET_API cpet_status cpet_set_errhandler(cpet_errhandler h, cpet_errhandler *prev);

#ifdef __cplusplus
}
#endif
#endif
