/* test_value_fuzz.c - mutated encodings never crash the decoder (run under ASan/UBSan too):
 * every decode returns OK or an error, and whatever decodes OK re-encodes and decodes equal. */
#include <cpet/cpet_alloc.h>
#include <cpet/cpet_value.h>

#include "cpet_test.h"
#include "value/value_int.h"

#define NSAMPLES 12
#define NMUTATIONS 6000

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void) { /* xorshift64*: fixed seed, reproducible */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Dull;
}

static cpet_value *mk_int(int64_t i) {
  cpet_value *v = NULL;
  cpet_value_new_int(i, &v);
  return v;
}
static cpet_value *mk_arr(cpet_type t, int ndim, const size_t *shape) {
  cpet_value *v = NULL;
  void *data;
  cpet__value_new_array_uninit(CPET_KIND_NDARRAY, t, 0, ndim, shape, &v, &data);
  if (data) memset(data, 1, cpet_value_nelem(v) * cpet_value_itemsize(v));
  return v;
}

/* A varied set of values covering every kind. */
static void make_samples(cpet_value **s) {
  size_t three = 3, two = 2, s23[2] = {2, 3}, s222[3] = {2, 2, 2};
  const char *strs[3] = {"a", "bc", "def"};
  int32_t ind[3] = {0, 1, 2}, ptr[3] = {0, 2, 3};
  cpet_value *v;
  int i = 0;
  s[i++] = mk_int(123456789);
  cpet_value_new_str("h\xc3\xa9llo", &s[i++]);
  s[i++] = mk_arr(CPET_T_FLOAT64, 2, s23);
  s[i++] = mk_arr(CPET_T_COMPLEX64, 3, s222);
  cpet_value_new_str_array(CPET_KIND_LIST, CPET_T_PY_STR, 1, &three, strs, &s[i++]);
  cpet_value_new_seq(CPET_KIND_LIST, &v);
  cpet_value_append(v, mk_int(1));
  cpet_value *n;
  cpet_value_new_none(&n);
  cpet_value_append(v, n);
  cpet_value *dct;
  cpet_value_new_dict(&dct);
  cpet_value_set(dct, "k", mk_arr(CPET_T_BOOL, 1, &two));
  cpet_value_append(v, dct);
  s[i++] = v;
  cpet_value_new_table(&v);
  cpet_value *c;
  cpet_value_new_str_array(CPET_KIND_SCALAR, CPET_T_PY_BYTES, 1, &three, strs, &c);
  cpet_value_set(v, "s", c);
  cpet_value_set(v, "a", mk_arr(CPET_T_INT16, 3, (size_t[]){3, 1, 2}));
  s[i++] = v;
  cpet_value_new_frame(mk_arr(CPET_T_INT64, 1, &three), "idx", &v);
  cpet_value_set(v, "x", mk_arr(CPET_T_FLOAT32, 1, &three));
  s[i++] = v;
  cpet_value_new_series(mk_arr(CPET_T_UINT8, 1, &two), mk_arr(CPET_T_INT64, 1, &two), "ser", &v);
  s[i++] = v;
  cpet_value *ia = NULL, *pa = NULL;
  cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT32, 0, 1, &three, ind, &ia);
  cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT32, 0, 1, &three, ptr, &pa);
  cpet_value_new_sparse(CPET_SPARSE_CSR, 2, 3, mk_arr(CPET_T_FLOAT64, 1, &three), ia, pa, &s[i++]);
  cpet_value_new_sparse(CPET_SPARSE_DIA, 3, 3, mk_arr(CPET_T_FLOAT64, 2, s23),
                        mk_arr(CPET_T_INT32, 1, &two), NULL, &s[i++]);
  cpet_value_new_pickle("\x80\x02K\x05.", 5, 2, &s[i++]);
  CHECK_INT(i, NSAMPLES);
}

static size_t n_ok, n_err;

/* Decodes one candidate; OK results must re-encode and decode to an equal value. */
static void try_decode(const unsigned char *buf, size_t len) {
  cpet_value *v = NULL;
  size_t used = 0;
  cpet_status st = cpet_value_decode(buf, len, &v, &used);
  if (st != CPET_OK) {
    n_err++;
    if (v != NULL || (st != CPET_ERR_CORRUPT && st != CPET_ERR_VERSION))
      CPET_CHECK_(0, "decode failed with %s and out=%p", cpet_errname(st), (void *)v);
    return;
  }
  n_ok++;
  if (used > len) CPET_CHECK_(0, "consumed %zu of %zu bytes", used, len);
  void *re = NULL;
  size_t relen = 0;
  cpet_value *v2 = NULL;
  char repr[128];
  if (cpet_value_encode(v, &re, &relen) != CPET_OK ||
      cpet_value_decode(re, relen, &v2, NULL) != CPET_OK || !cpet_value_equal(v, v2) ||
      cpet_value_repr(v, repr, sizeof repr) != CPET_OK)
    CPET_CHECK_(0, "decoded value does not re-encode: %s", cpet_errmsg());
  cpet_free(re);
  cpet_value_free(v2);
  cpet_value_free(v);
}

int main(void) {
  cpet_value *samples[NSAMPLES] = {NULL};
  unsigned char *enc[NSAMPLES];
  size_t len[NSAMPLES];
  make_samples(samples);
  for (int i = 0; i < NSAMPLES; i++) {
    void *b = NULL;
    CHECK(samples[i] != NULL);
    CHECK_OK(cpet_value_encode(samples[i], &b, &len[i]));
    enc[i] = b;
    try_decode(enc[i], len[i]); /* the originals decode */
  }
  CHECK_UINT(n_ok, NSAMPLES);

  /* truncations at every length, each copied to an exact-size heap block so ASan sees
   * any read past the end */
  for (int i = 0; i < NSAMPLES; i++)
    for (size_t k = 0; k < len[i]; k++) {
      unsigned char *t = malloc(k ? k : 1);
      memcpy(t, enc[i], k);
      try_decode(t, k);
      free(t);
    }

  /* every 8-byte window of a few samples set to absurd lengths */
  static const uint64_t huge[] = {UINT64_MAX,        (uint64_t)1 << 63, (uint64_t)1 << 62,
                                  (uint64_t)1 << 32, 0xFFFFFFFFull,     0x10000ull};
  for (int i = 0; i < NSAMPLES; i += 2)
    for (size_t at = 5; at + 8 <= len[i]; at++)
      for (size_t h = 0; h < sizeof huge / sizeof huge[0]; h++) {
        unsigned char *t = malloc(len[i]);
        memcpy(t, enc[i], len[i]);
        for (int b = 0; b < 8; b++)
          t[at + (size_t)b] = (unsigned char)(huge[h] >> (8 * b));
        try_decode(t, len[i]);
        free(t);
      }

  /* random mutations: bit flips, byte sets, interesting bytes, truncation, length fields */
  for (int m = 0; m < NMUTATIONS; m++) {
    int i = (int)(rng() % NSAMPLES);
    size_t n = len[i];
    unsigned char *t = malloc(n);
    memcpy(t, enc[i], n);
    int nmut = 1 + (int)(rng() % 4);
    for (int k = 0; k < nmut && n > 0; k++) {
      size_t at = (size_t)(rng() % n);
      switch (rng() % 6) {
      case 0:
        t[at] ^= (unsigned char)(1u << (rng() % 8));
        break;
      case 1:
        t[at] = (unsigned char)rng();
        break;
      case 2: {
        static const unsigned char interesting[] = {0, 1, 2, 0x7f, 0x80, 0xfe, 0xff, 32, 64};
        t[at] = interesting[rng() % sizeof interesting];
        break;
      }
      case 3:
        n = at;
        break; /* truncate */
      case 4:
        if (at + 8 <= n) {
          uint64_t h = huge[rng() % (sizeof huge / sizeof huge[0])];
          for (int b = 0; b < 8; b++)
            t[at + (size_t)b] = (unsigned char)(h >> (8 * b));
        }
        break;
      default:
        if (at >= 5) t[at] = (unsigned char)(rng() % 24); /* plausible kind/type bytes */
        break;
      }
    }
    unsigned char *exact = malloc(n ? n : 1);
    memcpy(exact, t, n);
    try_decode(exact, n);
    free(exact);
    free(t);
  }
  printf("decoded OK: %zu, rejected: %zu\n", n_ok, n_err);
  CHECK(n_err > 0);
  CHECK(n_ok > NSAMPLES); /* some mutations (e.g. of data bytes) stay valid */

  for (int i = 0; i < NSAMPLES; i++) {
    cpet_free(enc[i]);
    cpet_value_free(samples[i]);
  }
  CPET_TEST_END();
}
