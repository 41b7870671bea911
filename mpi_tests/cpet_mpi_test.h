/* cpet_mpi_test.h - typed assertions for the MPI tests. A failing check prints both values and
 * the rank; CPET_TEST_END() all-reduces the counts (so one bad rank cannot make the others hang
 * or pass), prints one "N passed, N failed" line on rank 0, finalizes MPI and returns the exit
 * code. Every rank must reach CPET_TEST_END(). */
#ifndef CPET_MPI_TEST_H
#define CPET_MPI_TEST_H

#include <inttypes.h>
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpet/cpet_error.h>

static int cpet_mt_pass_ = 0, cpet_mt_fail_ = 0;

static inline int cpet_mt_rank(void) {
  int r = -1, init = 0;
  MPI_Initialized(&init);
  if (init) MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

#define CPET_MT_CHECK_(cond, ...)                                                                  \
  do {                                                                                             \
    if (cond) {                                                                                    \
      cpet_mt_pass_++;                                                                             \
    } else {                                                                                       \
      cpet_mt_fail_++;                                                                             \
      fprintf(stderr, "[rank %d] %s:%d: FAILED: ", cpet_mt_rank(), __FILE__, __LINE__);            \
      fprintf(stderr, __VA_ARGS__);                                                                \
      fputc('\n', stderr);                                                                         \
    }                                                                                              \
  } while (0)

#define CHECK(cond) CPET_MT_CHECK_((cond), "%s", #cond)
#define CHECK_INT(a, b)                                                                            \
  do {                                                                                             \
    long long a_ = (long long)(a), b_ = (long long)(b);                                            \
    CPET_MT_CHECK_(a_ == b_, "%s == %s: %lld != %lld", #a, #b, a_, b_);                            \
  } while (0)
#define CHECK_DBL(a, b)                                                                            \
  do {                                                                                             \
    double a_ = (double)(a), b_ = (double)(b);                                                     \
    CPET_MT_CHECK_(a_ == b_ || (isnan(a_) && isnan(b_)), "%s == %s: %.17g != %.17g", #a, #b, a_,   \
                   b_);                                                                            \
  } while (0)
#define CHECK_STR(a, b)                                                                            \
  do {                                                                                             \
    const char *a_ = (a), *b_ = (b);                                                               \
    CPET_MT_CHECK_(a_ &&b_ &&strcmp(a_, b_) == 0, "%s == %s: \"%s\" != \"%s\"", #a, #b,            \
                   a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                        \
  } while (0)
#define CHECK_OK(expr)                                                                             \
  do {                                                                                             \
    int st_ = (expr);                                                                              \
    CPET_MT_CHECK_(st_ == 0, "%s -> %s: %s", #expr, cpet_errname(st_), cpet_errmsg());             \
  } while (0)
#define CHECK_ERR(expr, want)                                                                      \
  do {                                                                                             \
    int st_ = (expr);                                                                              \
    CPET_MT_CHECK_(st_ == (want), "%s -> %s (%s), wanted %s", #expr, cpet_errname(st_),            \
                   cpet_errmsg(), cpet_errname(want));                                             \
  } while (0)

/* 1 on every rank if `v` is the same on all ranks. */
static inline int cpet_mt_same(int v) {
  int lo, hi;
  MPI_Allreduce(&v, &lo, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  MPI_Allreduce(&v, &hi, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return lo == hi;
}

#define CPET_TEST_END()                                                                            \
  do {                                                                                             \
    int c_[2] = {cpet_mt_pass_, cpet_mt_fail_}, t_[2];                                             \
    MPI_Allreduce(c_, t_, 2, MPI_INT, MPI_SUM, MPI_COMM_WORLD);                                    \
    if (cpet_mt_rank() == 0) printf("%d passed, %d failed\n", t_[0], t_[1]);                       \
    MPI_Finalize();                                                                                \
    return t_[1] ? 1 : 0;                                                                          \
  } while (0)

#endif
