/* cpet.h - umbrella header of cpet, pypet-compatible HDF5 storage for parameter sweeps.
 *
 * Memory ownership rules (they hold for every cpet header):
 * 1. Whatever cpet_X_create/open/new returns through an out-parameter is freed by
 *    cpet_X_free/close. Those accept NULL; a close that flushes returns a status and frees in
 *    every case.
 * 2. Nodes, parameters and results belong to their trajectory. A `cpet_node *` stays valid until
 *    the node is removed or the trajectory freed; never free it yourself.
 * 3. Input strings and buffers are copied, unless an argument is named `take` (ownership passes
 *    to cpet, even when the call fails).
 * 4. `const` results are borrowed and live as long as their owner. `char *` / `void *` results
 *    belong to the caller and are released with cpet_free() (never plain free()).
 * 5. MPI communicators are duplicated by cpet_env_init and freed by cpet_env_finalize
 *    (cpet_mpi.h, the only header that includes mpi.h).
 * 6. HDF5 ids never cross the public API.
 *
 * Errors: every fallible function returns a cpet_status (0 = CPET_OK, negative = error) and
 * leaves a detail in cpet_errmsg(). Pure getters on a valid handle cannot fail and return their
 * value directly.
 */
#ifndef CPET_H
#define CPET_H

#include <cpet/cpet_version.h>
#include <cpet/cpet_export.h>
#include <cpet/cpet_error.h>
#include <cpet/cpet_alloc.h>
#include <cpet/cpet_value.h>
#include <cpet/cpet_traj.h>
#include <cpet/cpet_filter.h>
#include <cpet/cpet_store.h>

#endif
