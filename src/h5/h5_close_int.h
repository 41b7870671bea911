/* h5_close_int.h - closing a writable HDF5 file so that a full disk cannot crash HDF5 later. */
#ifndef CPET_H5_CLOSE_INT_H
#define CPET_H5_CLOSE_INT_H

#include <hdf5.h>

#include "core/core_int.h"

/* Closes `file`. A writable file is flushed first; if the flush (or the close) fails - full
 * disk, I/O error - HDF5 1.10 is left with a file id that crashes the library when it
 * terminates (in MPI_Finalize or at exit; shared/research/reliability.md 1.1), so the id is
 * not closed but the process's HDF5 is put in quarantine (see h5close.c): no further HDF5 call
 * is made by cpet (cpet__h5_init then fails with CPET_ERR_STATE) and HDF5's termination is
 * skipped. Returns the flush/close error (CPET_ERR_NOSPACE, CPET_ERR_IO, CPET_ERR_HDF5) with a
 * message naming `path`. */
cpet_status cpet__h5_close_file_safely(hid_t file, const char *path);

/* 1 once a failed flush/close has put HDF5 in quarantine in this process. */
int cpet__h5_quarantined(void);

#endif
