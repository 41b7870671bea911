/* fuzz_decode.c - libFuzzer target for cpet_value_decode. Not built by default. Build with:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Iinclude -Isrc \
 *     fuzz/fuzz_decode.c src/value/codec.c src/value/value.c src/value/value_get.c \
 *     src/value/value_repr.c src/core/alloc.c src/core/error.c src/core/log.c -lm -o fuzz_decode
 *   ./fuzz_decode -max_len=4096 corpus/
 *
 * (or configure with -DCPET_FUZZ=ON and CC=clang where the build wires it up). Every input
 * must decode to OK or an error; OK values must re-encode to something that decodes equal.
 */
#include <stdint.h>
#include <stdlib.h>

#include <cpet/cpet_alloc.h>
#include <cpet/cpet_value.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cpet_value *v = NULL, *v2 = NULL;
  size_t used = 0;
  if (cpet_value_decode(data, size, &v, &used) != CPET_OK) return 0;
  if (used > size) abort();
  void *buf = NULL;
  size_t len = 0;
  if (cpet_value_encode(v, &buf, &len) != CPET_OK) abort();
  if (cpet_value_decode(buf, len, &v2, NULL) != CPET_OK || !cpet_value_equal(v, v2)) abort();
  char repr[256];
  cpet_value_repr(v, repr, sizeof repr);
  cpet_free(buf);
  cpet_value_free(v2);
  cpet_value_free(v);
  return 0;
}
