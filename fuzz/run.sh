#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a few seconds (CI: 30 s each).
#   fuzz/run.sh [SECONDS]
# Exits non-zero when a target finds a crash (the reproducer is left in build-fuzz/).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
command -v clang >/dev/null || { echo "fuzz: clang not installed" >&2; exit 1; }
out=build-fuzz
mkdir -p "$out"
core="src/core/alloc.c src/core/error.c src/core/log.c"
value="src/value/codec.c src/value/value.c src/value/value_get.c src/value/value_repr.c"
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -D_GNU_SOURCE -Iinclude -Isrc -I$out"
mkdir -p "$out/cpet"
sed -e 's/@PROJECT_VERSION_MAJOR@/0/;s/@PROJECT_VERSION_MINOR@/1/;s/@PROJECT_VERSION_PATCH@/0/;s/@PROJECT_VERSION@/0.1.0/' \
  cmake/cpet_version.h.in > "$out/cpet/cpet_version.h"
# A target whose fuzz/<name>.sources holds "@LIB@" is linked against the whole library, compiled
# with the same instrumentation, and its dependencies (HDF5, MPI, blosc, hwloc, lzo, zlib).
lib_sources() {
  for m in core value tree h5 layout filter store mpi writer lock; do
    for f in src/$m/*.c; do
      [ -f "$f" ] || continue
      case "$f" in */lzo305.c) [ -n "$have_lzo" ] || continue ;; esac
      echo "$f"
    done
  done
}
lib_flags() {
  echo "-DCPET_BUILDING $(pkg-config --cflags hdf5-openmpi) $(mpicc --showme:compile)" \
    ${have_lzo:+-DCPET_HAVE_LZO}
}
lib_libs() {
  echo "$(pkg-config --libs hdf5-openmpi) $(mpicc --showme:link) -lblosc -lhwloc" \
    ${have_lzo:+-llzo2} -lpthread
}
have_lzo=""
[ -f /usr/include/lzo/lzo1x.h ] && have_lzo=1
for t in fuzz/fuzz_*.c; do
  name=$(basename "$t" .c)
  extra=""
  base="$core $value"
  tflags="" tlibs=""
  [ -f "fuzz/$name.sources" ] && extra=$(cat "fuzz/$name.sources")
  if [ "$extra" = "@LIB@" ]; then
    base=$(lib_sources)
    extra=""
    tflags=$(lib_flags)
    tlibs=$(lib_libs)
  fi
  # shellcheck disable=SC2086
  clang $flags $tflags "$t" $base $extra $tlibs -lz -lm -o "$out/$name"
  mkdir -p "$out/corpus_$name"
  echo "fuzz: $name for ${secs}s"
  (cd "$out" && "./$name" -max_total_time="$secs" -max_len=4096 -print_final_stats=1 "corpus_$name" 2>&1 | tail -n 3)
done
echo "fuzz: no crashes"
