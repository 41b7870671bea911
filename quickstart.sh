#!/usr/bin/env bash
# cpet quick start.
#   ./quickstart.sh         install what is missing, build, run the main job (an MPI parameter
#                           sweep writing a pypet-compatible HDF5 file) and summarise the file
#   ./quickstart.sh test    same set-up, then the whole test suite through ctest
#   ./quickstart.sh asan    the test suite again in an AddressSanitizer + UBSan build (build-asan/)
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
what=${1:-run}
jobs=$(nproc 2>/dev/null || echo 2)

packages=(build-essential cmake pkg-config libhdf5-openmpi-dev libopenmpi-dev openmpi-bin
          zlib1g-dev libblosc-dev libhwloc-dev liblzo2-dev hdf5-tools
          python3 python3-numpy python3-tables python3-h5py python3-pandas python3-scipy)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "quickstart: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Open MPI refuses root unless told; CI and containers run as root.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Containers often lack the network interfaces Open MPI probes; keep it on the loopback.
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_rmaps_base_oversubscribe=1

build() { # build DIR [cmake args...]
  local dir=$1; shift
  cmake -S "$here" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  # The build log goes to a file; it is shown only when the build fails.
  if ! cmake --build "$dir" -j "$jobs" >"$dir/build.log" 2>&1; then
    tail -n 60 "$dir/build.log"
    echo "quickstart: build failed (full log: $dir/build.log)" >&2
    exit 1
  fi
  echo "quickstart: built $dir"
}

install_missing
case "$what" in
  run)
    build build
    mkdir -p out
    file="$here/out/lif_sweep.hdf5"
    rm -f "$file"
    echo "quickstart: mpirun -n 4 build/bin/cpet-lif-sweep $file"
    mpirun -n 4 --oversubscribe build/bin/cpet-lif-sweep "$file"
    echo
    echo "quickstart: the file is $file ($(du -h "$file" | cut -f1)); it holds:"
    build/bin/cpet info "$file"
    echo "(whole tree: build/bin/cpet ls $file; everything as JSON: build/bin/cpet dump $file --json)"
    ;;
  test)
    build build
    cd build && ctest --output-on-failure -j "$jobs" --timeout 600
    ;;
  asan)
    build build-asan -DCPET_SANITIZE=ON -DCPET_BUILD_BENCH=OFF -DCPET_BUILD_EXAMPLES=OFF
    cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j "$jobs" --timeout 900
    ;;
  *)
    echo "usage: $0 [test|asan]" >&2
    exit 1
    ;;
esac
