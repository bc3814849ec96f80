#!/usr/bin/env bash
# src-cuda/build.sh: compiles every .cu of this folder to PTX, the classpath resources of kernels
# (kernels/src/main/resources/org/archrepair/kernels/cuda/ptx/), and writes their STAMP. Run it after
# changing a .cu, .cuh or this script, and commit the PTX with the change: the build itself needs
# no nvcc, and a CPU-only test (PtxResourcesTest) fails when the sources and the STAMP disagree.
#
# Steps per file: nvcc -ptx -O3 -arch=compute_80 (no fast math: IEEE division and square root);
# the ".version" line is rewritten to 8.0, the lowest PTX ISA that holds these kernels, because
# nvcc 13 writes 9.0 and no CUDA 12 driver can JIT that; then ptxas, when present, must accept the
# result for sm_80 and sm_90 (it rejects a rewrite that the code does not allow).
#
# usage: src-cuda/build.sh            (NVCC=/path/to/nvcc and PTXAS=... override the tools)
set -euo pipefail
cd "$(dirname "$0")"
NVCC=${NVCC:-nvcc}
PTXAS=${PTXAS:-ptxas}
ISA=8.0
out=../kernels/src/main/resources/org/archrepair/kernels/cuda/ptx
command -v "$NVCC" >/dev/null || { echo "build.sh: $NVCC not found (set NVCC)" >&2; exit 1; }
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for cu in *.cu; do
  name=${cu%.cu}
  "$NVCC" -ptx -O3 -arch=compute_80 -std=c++17 -o "$tmp/$name.ptx" "$cu"
  emitted=$(sed -n 's/^\.version \([0-9.]*\)$/\1/p' "$tmp/$name.ptx")
  [[ -n $emitted ]] || { echo "build.sh: no .version line in $name.ptx" >&2; exit 1; }
  sed -i "s/^\.version $emitted\$/.version $ISA/" "$tmp/$name.ptx"
  if command -v "$PTXAS" >/dev/null; then
    for sm in sm_80 sm_90; do
      "$PTXAS" -arch=$sm -o /dev/null "$tmp/$name.ptx"
    done
  fi
  mv "$tmp/$name.ptx" "$out/$name.ptx"
  echo "$name.ptx: .version $emitted -> $ISA"
done

# The stamp: a hash of every source (the same computation as PtxResourcesTest.sourceHash: the
# sha256sum lines of the files in byte order of their names, hashed again) and the compiler.
sources=$(LC_ALL=C ls *.cu *.cuh build.sh | LC_ALL=C sort)
{
  echo "sources $(sha256sum $sources | sha256sum | cut -d' ' -f1)"
  echo "files $(echo $sources)"
  echo "nvcc $("$NVCC" --version | tail -1)"
  echo "flags -ptx -O3 -arch=compute_80 -std=c++17, .version rewritten to $ISA"
} > "$out/STAMP"
cat "$out/STAMP"
