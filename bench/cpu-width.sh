#!/usr/bin/env bash
# bench/cpu-width.sh: the CPU measurements of issue 11 in one go, for a quiet machine: ours vs
# PyTorch (same run, same forks' conditions), 1 and 2 threads, at the CPU's widest vectors and
# limited to 256 bits (bench/run.sh --avx2), on
#   SGEMM 1024 (GemmBench), conv forward + both backward passes on the five ResNet-20 shapes
#   (ConvBench: ours = oursForward + oursBackwardData + oursBackwardWeight, PyTorch =
#   pytorchForwardBackward), the ResNet-20 training step at batch 128 with -prof gc (allocation
#   per step: gc.alloc.rate.norm), the ResNet-18 training step at batch 64 (the same, on the
#   paper's subject), and ResNet-20 inference at batch 256.
# On a CPU without AVX-512 the widest vectors are 256 bits already: the --avx2 pass is skipped.
# Not a test: it measures and asserts nothing. About 10 minutes per width on 2 vCPUs (estimated
# from the fork count: 4 SGEMM, 40 conv, 4 ResNet-20 and 4 ResNet-18 training and 4 inference
# forks per width).
#
# usage: bench/cpu-width.sh [out-dir]        (relative to the repository root;
#                                             default bench/target/cpu-width-<time>)
#   CPU_WIDTH_QUICK=1 bench/cpu-width.sh     every benchmark once on one layer and one thread
#                                            (a check that the script runs, ~2 min per width; no numbers)
#   CPU_WIDTH_WIDTHS="native avx2"           the widths to run (default: both where the CPU has AVX-512)
# out-dir gets machine.txt (CPU, load, versions) and, per benchmark and width, <name>-<width>.json
# (JMH) and <name>-<width>.txt (JMH's log, the ISA lines and the markdown tables of bench/Report).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/target/cpu-width-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"

if [[ ${CPU_WIDTH_QUICK:-0} == 1 ]]; then
  short=(-f 1 -wi 0 -i 1 -bm ss -foe true)
  long=("${short[@]}")
  steps=("${short[@]}")
  threads=1
  layers=r20-64x8x8
else
  short=(-f 1 -wi 1 -w 1s -i 3 -r 1s -foe true)        # conv: 40 forks per width
  long=(-f 1 -wi 2 -w 2s -i 4 -r 2s -foe true)         # gemm
  steps=(-f 1 -wi 2 -w 4s -i 5 -r 4s -foe true)        # training step, inference: several steps per iteration
  threads=1,2
  layers=r20-16x32x32,r20-32x16x16,r20-64x8x8,r20-16x32x32-s2,r20-32x16x16-s2
fi

widths=(native)
if [[ -n ${CPU_WIDTH_WIDTHS:-} ]]; then read -ra widths <<<"$CPU_WIDTH_WIDTHS"
elif grep -qw avx512f /proc/cpuinfo; then widths+=(avx2)
else echo "no AVX-512 on this CPU: its widest vectors are 256 bits, the --avx2 pass would repeat the native one"
fi

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)   commit: $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (modified)')"
  grep -m1 'model name' /proc/cpuinfo
  echo "cores: $(nproc); flags: $(grep -m1 -ow -e avx2 -e fma -e avx512f /proc/cpuinfo | sort -u | tr '\n' ' ')"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" -version 2>&1 | head -1
  echo "quick: ${CPU_WIDTH_QUICK:-0}; widths: ${widths[*]}"
} | tee "$out/machine.txt"

# run NAME WIDTH FLAGS... -- JMH arguments: bench/run.sh raw, JSON into out-dir, the log beside it.
run() {
  local name=$1 width=$2; shift 2
  local isa=()
  [[ $width == avx2 ]] && isa=(--avx2)
  local log=$out/$name-$width.txt rc=0
  echo "== $name, $width: $(date -u +%H:%M:%S)"
  BENCH_JSON="$out/$name-$width.json" bench/run.sh "${isa[@]}" raw "$@" >"$log" 2>&1 || rc=$?
  grep -E '^(isa |before|after|WARNING: other)|^\| ' "$log" || true
  if ((rc != 0)); then echo "FAILED with exit code $rc: see $log"; failed=1; fi
}
failed=0

for width in "${widths[@]}"; do
  run gemm "$width" "${long[@]}" -p size=1024 -p threads=$threads 'GemmBench'
  run conv "$width" "${short[@]}" -p layer=$layers -p threads=$threads \
      'ConvBench.(oursForward|oursBackwardData|oursBackwardWeight|pytorchForwardBackward)$'
  run train "$width" "${steps[@]}" -prof gc -p threads=$threads 'TrainStepBench'
  run train18 "$width" "${steps[@]}" -prof gc -p threads=$threads -p model=resnet18 -p batch=64 'TrainStepBench'
  run infer "$width" "${steps[@]}" -p threads=$threads 'InferenceBench'
done
echo "results: $out"
ls "$out"
exit $failed
