/* cpet_test.h - typed assertions for the serial tests. Each failing check prints both values;
 * CPET_TEST_END() prints the closing "N passed, N failed" line and returns the exit code. */
#ifndef CPET_TEST_H
#define CPET_TEST_H

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cpet_test_pass_ = 0, cpet_test_fail_ = 0;

#define CPET_CHECK_(cond, ...)                                                                   \
  do {                                                                                           \
    if (cond) {                                                                                  \
      cpet_test_pass_++;                                                                         \
    } else {                                                                                     \
      cpet_test_fail_++;                                                                         \
      fprintf(stderr, "%s:%d: FAILED: ", __FILE__, __LINE__);                                    \
      fprintf(stderr, __VA_ARGS__);                                                              \
      fputc('\n', stderr);                                                                       \
    }                                                                                            \
  } while (0)

#define CHECK(cond) CPET_CHECK_((cond), "%s", #cond)
#define CHECK_INT(a, b)                                                                          \
  do {                                                                                           \
    long long a_ = (long long)(a), b_ = (long long)(b);                                          \
    CPET_CHECK_(a_ == b_, "%s == %s: %lld != %lld", #a, #b, a_, b_);                             \
  } while (0)
#define CHECK_UINT(a, b)                                                                         \
  do {                                                                                           \
    unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b);               \
    CPET_CHECK_(a_ == b_, "%s == %s: %llu != %llu", #a, #b, a_, b_);                             \
  } while (0)
#define CHECK_DBL(a, b)                                                                          \
  do {                                                                                           \
    double a_ = (double)(a), b_ = (double)(b);                                                   \
    CPET_CHECK_(a_ == b_ || (isnan(a_) && isnan(b_)), "%s == %s: %.17g != %.17g", #a, #b, a_, b_); \
  } while (0)
#define CHECK_STR(a, b)                                                                          \
  do {                                                                                           \
    const char *a_ = (a), *b_ = (b);                                                             \
    CPET_CHECK_(a_ && b_ && strcmp(a_, b_) == 0, "%s == %s: \"%s\" != \"%s\"", #a, #b,           \
                a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                         \
  } while (0)
/* A cpet call that must succeed; prints the status name and cpet_errmsg() otherwise. */
#define CHECK_OK(expr)                                                                           \
  do {                                                                                           \
    int st_ = (expr);                                                                            \
    CPET_CHECK_(st_ == 0, "%s -> %s: %s", #expr, cpet_errname(st_), cpet_errmsg());              \
  } while (0)
/* A cpet call that must fail with exactly this status. */
#define CHECK_ERR(expr, want)                                                                    \
  do {                                                                                           \
    int st_ = (expr);                                                                            \
    CPET_CHECK_(st_ == (want), "%s -> %s (%s), wanted %s", #expr, cpet_errname(st_),             \
                cpet_errmsg(), cpet_errname(want));                                              \
  } while (0)

#define CPET_TEST_END()                                                                          \
  do {                                                                                           \
    printf("%d passed, %d failed\n", cpet_test_pass_, cpet_test_fail_);                          \
    return cpet_test_fail_ ? 1 : 0;                                                              \
  } while (0)

/* Folder of pypet-written fixtures (../shared/fixtures), from the CPET_FIXTURES variable. */
static inline const char *cpet_test_fixtures(void) {
  const char *d = getenv("CPET_FIXTURES");
  return d ? d : "../shared/fixtures";
}

#endif
