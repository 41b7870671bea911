/* cpet_recover.h - rebuilding a sweep's file after a crash, without MPI.
 *
 * Split out of cpet_mpi.h (which includes it) so that serial programs and tools - the `cpet
 * recover` command - can call cpet_recover without mpi.h. The files it works on (journal,
 * skeleton, <name>.partial, publish by rename) are described in cpet_mpi.h.
 */
#ifndef CPET_RECOVER_H
#define CPET_RECOVER_H

#include <cpet/cpet_export.h>
#include <cpet/cpet_error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Local; no MPI needed. Rebuilds a complete, published file from a sweep's skeleton and
 *  journal. `journal_or_file` is the journal (`*.journal`) or the sweep's output file name
 *  (the journal is then looked up next to it). `out_file` NULL: the sweep's output name. The
 *  result holds the skeleton and every journaled (acknowledged) run, marked completed; it is
 *  written as <out_file>.partial and renamed. Journal and skeleton are left in place (a resume
 *  can follow). A torn or corrupt journal tail is ignored (reported in cpet_errmsg-free log).
 *  Errors: CPET_ERR_NOTFOUND (no journal or no skeleton), CPET_ERR_CORRUPT / CPET_ERR_VERSION
 *  (not a cpet journal), CPET_ERR_INCONSISTENT (journal and skeleton of different sweeps),
 *  CPET_ERR_NOSPACE / CPET_ERR_IO / CPET_ERR_HDF5 while writing (the .partial is removed). */
CPET_API cpet_status cpet_recover(const char *journal_or_file, const char *out_file);

#ifdef __cplusplus
}
#endif
#endif
