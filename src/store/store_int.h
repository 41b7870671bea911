/* store_int.h - the storage service's handle, shared by the store and load files. */
#ifndef CPET_STORE_INT_H
#define CPET_STORE_INT_H

#include <hdf5.h>

#include "core/core_int.h"
#include <cpet/cpet_store.h>

struct cpet_store {
  char *filename;       /* NULL until known (lazy naming from the trajectory) */
  char *folder;         /* folder-only filename given at open, or NULL */
  cpet_open_mode mode;
  cpet_store_opts opts; /* strings below are owned copies */
  char *opt_title, *opt_encoding, *opt_pypet, *opt_python;
  hid_t file;           /* -1 while closed */
  int lazy;             /* the no-op service */
  int failed;           /* a write failed: no further HDF5 calls but close */
  /* progress messages (display_time): runs stored so far, first and last report times */
  size_t runs_stored;
  double t_first, t_last_report;
};

/* Opens the file if it is not open yet, completing a lazy filename with the trajectory name.
 * Maps a non-HDF5 file to CPET_ERR_NOTHDF5. */
cpet_status cpet__store_ensure_open(cpet_store *s, const char *traj_name);
/* CPET_ERR_STATE unless writable. */
cpet_status cpet__store_check_writable(cpet_store *s);

#endif
