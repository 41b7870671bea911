/* h5close.c - closing a writable HDF5 file without leaving HDF5 in a state that crashes.
 *
 * Measured (shared/research/reliability.md 1.1 and tests/fault's disk-full test): when the
 * disk fills up, the metadata flush fails and HDF5 1.10.8 is left broken - a later flush or
 * H5Fclose fails with "slist already enabled?", a failed H5Fclose frees the file but keeps its
 * id, and the library's termination (H5_term_library, run from MPI_Finalize in parallel
 * builds or at exit) then segfaults in H5F__close_cb - every time, after cpet had already
 * returned a clean CPET_ERR_NOSPACE. The id cannot be removed from outside.
 *
 * So a writable file is flushed before it is closed; if the flush or the close fails, the
 * process's HDF5 goes into quarantine: cpet makes no further HDF5 call (cpet__h5_init fails)
 * and HDF5's "initialised" flag is cleared, which turns its termination into a no-op (memory
 * is not released at exit; the process is expected to end - its acknowledged runs are in the
 * journal). The flag is HDF5's exported H5_libinit_g, referenced weakly: with an HDF5 that
 * does not export it the quarantine still stops cpet's own calls, and the crash at exit may
 * remain (HDF5 >= 1.14.1 removes the id on a failed close, HDFGroup/hdf5 PR 2291). */
#include <stdatomic.h>

#include "h5/h5_close_int.h"
#include "h5/h5_int.h"

/* HDF5's library-initialised flag (H5private.h, exported by libhdf5). */
extern hbool_t H5_libinit_g __attribute__((weak));

static atomic_int quarantined;

int cpet__h5_quarantined(void) { return atomic_load(&quarantined); }

static void quarantine(const char *path) {
  atomic_store(&quarantined, 1);
  if (&H5_libinit_g)
    H5_libinit_g = 0;
  cpet__log(CPET_LOG_ERROR, "h5",
            "'%s' could not be flushed or closed; HDF5 is unusable in this process from now on",
            path ? path : "(file)");
}

cpet_status cpet__h5_close_file_safely(hid_t file, const char *path) {
  if (file < 0)
    return CPET_OK;
  unsigned intent = 0;
  if (H5Fget_intent(file, &intent) >= 0 && (intent & H5F_ACC_RDWR) &&
      H5Fflush(file, H5F_SCOPE_LOCAL) < 0) {
    /* Closing now would fail and leave a dangling id: keep the id, stop using HDF5. */
    cpet_status st = cpet__h5_err("H5Fflush", path);
    quarantine(path);
    return st;
  }
  if (H5Fclose(file) < 0) {
    cpet_status st = cpet__h5_err("H5Fclose", path);
    quarantine(path);
    return st;
  }
  return CPET_OK;
}
