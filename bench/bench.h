/* bench.h - shared workload description of cpet-bench. */
#ifndef CPET_BENCH_H
#define CPET_BENCH_H

#include <stddef.h>
#include <cpet/cpet.h>

typedef struct bench_workload {
  const char *name; /* "A" or "B" */
  size_t runs;      /* number of runs */
  size_t nscalars;  /* scalar results per run */
  size_t array_len; /* float64 elements of the array result per run */
  cpet_filter_opts filters;
  const char *codec; /* label */
} bench_workload;

typedef struct bench_result {
  double seconds;
  double bytes; /* payload bytes (scalars + arrays) */
} bench_result;

double bench_now(void);
/* Fills run i's array deterministically (so both writers store the same data). */
void bench_fill(double *a, size_t n, size_t run);
/* Bare HDF5: the same groups, datasets and attributes as pypet's layout, nothing else. */
int bench_bare(const bench_workload *w, const char *path, bench_result *r);
/* Through cpet's storage service: trajectory skeleton, then one cpet_store_run per run. */
int bench_service(const bench_workload *w, const char *path, bench_result *r);

/* --mode writer|lazy (under mpirun; MPI initialised): the workload as a cpet_env sweep beside
 * the serial service and bare HDF5 measured on rank 0 in the same run; prints on rank 0. */
int bench_mpi_one(const bench_workload *w, const char *dir, int repeat, int lazy, int journal);

#endif
