/* cpet-bench: prints runs/s and MB/s of the storage service and its ratio to a bare-HDF5
 * writer of the same layout measured in the same process. No assertions: numbers only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mpi.h>

#include "bench.h"

double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void bench_fill(double *a, size_t n, size_t run) {
  for (size_t i = 0; i < n; i++)
    a[i] = (double)run * 0.5 + (double)(i % 97) * 0.25;
}

static void report(const bench_workload *w, const char *what, const bench_result *r,
                   const bench_result *base) {
  double rps = (double)w->runs / r->seconds, mbs = r->bytes / r->seconds / 1e6;
  printf("%-2s %-10s %-8s runs=%-6zu %9.1f runs/s %9.1f MB/s", w->name, w->codec, what, w->runs,
         rps, mbs);
  if (base) printf("   ratio vs bare %.2fx", base->seconds / r->seconds);
  printf("\n");
  fflush(stdout);
}

static int one(const bench_workload *w, const char *dir, int repeat) {
  char pb[512], ps[512];
  snprintf(pb, sizeof pb, "%s/bench_%s_%s_bare.h5", dir, w->name, w->codec);
  snprintf(ps, sizeof ps, "%s/bench_%s_%s_cpet.h5", dir, w->name, w->codec);
  bench_result best_b = {1e30, 0}, best_s = {1e30, 0};
  for (int k = 0; k < repeat; k++) {
    bench_result b, s;
    if (bench_bare(w, pb, &b) != 0) return 1;
    if (bench_service(w, ps, &s) != 0) return 1;
    if (b.seconds < best_b.seconds) best_b = b;
    if (s.seconds < best_s.seconds) best_s = s;
  }
  report(w, "bare-hdf5", &best_b, NULL);
  report(w, "cpet", &best_s, &best_b);
  if (!getenv("CPET_BENCH_KEEP")) {
    remove(pb);
    remove(ps);
  }
  return 0;
}

int main(int argc, char **argv) {
  const char *dir = ".";
  const char *which = "AB";
  int repeat = 3;
  size_t runs_a = 2000;
  const char *mode = "serial";
  int journal = 1;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--dir") && i + 1 < argc)
      dir = argv[++i];
    else if (!strcmp(argv[i], "--workload") && i + 1 < argc)
      which = argv[++i];
    else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
      repeat = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
      runs_a = (size_t)atol(argv[++i]);
    else if (!strcmp(argv[i], "--mode") && i + 1 < argc)
      mode = argv[++i];
    else if (!strcmp(argv[i], "--no-journal"))
      journal = 0;
    else {
      fprintf(stderr, "usage: cpet-bench [--workload A|B|AB] [--runs N] [--repeat K] [--dir D]\n"
                      "                  [--mode serial|writer|lazy] [--no-journal]\n"
                      "  writer/lazy: run under mpirun; the last rank writes\n");
      return 1;
    }
  }
  int mpi = !strcmp(mode, "writer") || !strcmp(mode, "lazy");
  if (!mpi && strcmp(mode, "serial") != 0) {
    fprintf(stderr, "cpet-bench: unknown mode '%s'\n", mode);
    return 1;
  }
  int rank = 0;
  if (mpi) {
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  }
  if (rank == 0)
    printf("cpet-bench: best of %d; ratio = baseline time / measured time (>1: faster)\n", repeat);
  int rc = 0;
  if (strchr(which, 'A')) {
    bench_workload a = {"A", runs_a, 3, 100, CPET_FILTER_OPTS_DEFAULT, "zlib9"};
    rc |= mpi ? bench_mpi_one(&a, dir, repeat, mode[0] == 'l', journal) : one(&a, dir, repeat);
  }
  if (strchr(which, 'B')) {
    bench_workload b = {"B", 64, 0, 4u << 17, CPET_FILTER_OPTS_DEFAULT, "none"};
    b.filters.complevel = 0;
    rc |= mpi ? bench_mpi_one(&b, dir, repeat, mode[0] == 'l', journal) : one(&b, dir, repeat);
    b.codec = "blosc";
    cpet_filter_parse_complib("blosc", &b.filters);
    b.filters.complevel = 5;
    rc |= mpi ? bench_mpi_one(&b, dir, repeat, mode[0] == 'l', journal) : one(&b, dir, repeat);
    b.codec = "zlib9";
    b.filters = (cpet_filter_opts)CPET_FILTER_OPTS_DEFAULT;
    rc |= mpi ? bench_mpi_one(&b, dir, repeat, mode[0] == 'l', journal) : one(&b, dir, repeat);
  }
  if (mpi) MPI_Finalize();
  return rc;
}
