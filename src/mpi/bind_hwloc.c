/* bind_hwloc.c - keep the writer on a core of its own.
 *
 * The writer is the throughput limit of a sweep; sharing its core with a worker halves it.
 * When the ranks of a node fit its cores, the writer is bound to the last core and the workers
 * of that node to the others. On an oversubscribed node binding would only pile workers onto
 * fewer cores, so nothing is done. Binding is an optimisation: every failure is logged, never
 * returned. CPET_BIND=0 switches it off. */
#include <hwloc.h>
#include <stdlib.h>

#include "mpi/mpi_int.h"

void cpet__bind(cpet_env *e) {
  const char *env = getenv("CPET_BIND");
  int want = !(env && env[0] == '0');
  MPI_Comm node;
  if (MPI_Comm_split_type(e->comm, MPI_COMM_TYPE_SHARED, e->rank, MPI_INFO_NULL, &node) !=
      MPI_SUCCESS)
    return;
  int nrank, nsize;
  MPI_Comm_rank(node, &nrank);
  MPI_Comm_size(node, &nsize);
  /* Is the writer on this node? Everyone on the node learns it (collective over `node`). */
  int here = e->rank == e->writer, any = 0;
  MPI_Allreduce(&here, &any, 1, MPI_INT, MPI_MAX, node);
  MPI_Comm_free(&node);
  if (!want || !any) return;
  hwloc_topology_t topo;
  if (hwloc_topology_init(&topo) != 0) return;
  if (hwloc_topology_load(topo) != 0) {
    hwloc_topology_destroy(topo);
    return;
  }
  int ncores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
  if (ncores < 2 || nsize > ncores) {
    cpet__log(CPET_LOG_INFO, "bind", "%d ranks on %d cores: not binding", nsize, ncores);
    hwloc_topology_destroy(topo);
    return;
  }
  hwloc_obj_t last = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, (unsigned)(ncores - 1));
  hwloc_bitmap_t set = hwloc_bitmap_alloc();
  if (!last || !set) {
    hwloc_bitmap_free(set);
    hwloc_topology_destroy(topo);
    return;
  }
  if (e->rank == e->writer) {
    hwloc_bitmap_copy(set, last->cpuset);
  } else {
    hwloc_bitmap_copy(set, hwloc_topology_get_allowed_cpuset(topo));
    hwloc_bitmap_andnot(set, set, last->cpuset);
  }
  if (hwloc_set_cpubind(topo, set, HWLOC_CPUBIND_PROCESS) != 0)
    cpet__log(CPET_LOG_WARN, "bind", "hwloc_set_cpubind failed; continuing unbound");
  else
    cpet__log(CPET_LOG_INFO, "bind", "%s bound", e->rank == e->writer ? "writer" : "worker");
  hwloc_bitmap_free(set);
  hwloc_topology_destroy(topo);
}
