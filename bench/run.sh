#!/usr/bin/env bash
# bench/run.sh: runs the JMH benchmarks of the bench module (ours vs PyTorch CPU in the same run)
# with the project's JVM flags from jvm.options (JMH forks inherit them), DJL offline and its
# cache under bench/target/djl-cache; builds bench/target/benchmarks.jar first when a source is
# newer than it. Not a CI step and not a test: it measures, it asserts nothing.
#
# usage: bench/run.sh [--avx2] [smoke|real|raw] [JMH options] [benchmark regexps]
#   --avx2 both sides limited to 256-bit vectors: ours under -XX:UseAVX=2 (the JMH forks inherit
#          it), PyTorch with ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2
#          MKL_ENABLE_INSTRUCTIONS=AVX2 (the forks inherit the environment); without it each side
#          uses the widest vectors of the CPU. Either way the ISA of each side is printed first
#          (org.archrepair.bench.Isa: our species and tile, what MKL and oneDNN report).
#   smoke  every benchmark once:      -f 1 -wi 0 -i 1 -bm ss -foe true
#   real   the measured configuration -f 1 -wi 2 -w 2s -i 4 -r 2s -foe true   (default)
#   raw    no preset: give all JMH options yourself (JMH rejects an option given twice, so
#          changing a preset's -f/-wi/-w/-i/-r/-bm means raw with all of them)
# e.g.  bench/run.sh smoke
#       bench/run.sh --avx2 real GemmBench -p size=1024
#       bench/run.sh real 'ConvBench.*Forward$' -p layer=r20-16x32x32 -p threads=1,2
# The JSON result goes to bench/target/jmh-<preset>[-avx2]-<time>.json (or to $BENCH_JSON); the markdown tables of
# RESULTS.md (medians, PyTorch/ours ratios, GFLOP/s) are printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$PWD/bench/target/djl-cache}
jar=bench/target/benchmarks.jar

isa=native
vm=()
if [[ ${1:-} == --avx2 ]]; then
  isa=avx2
  vm=(-XX:UseAVX=2)
  export ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 MKL_ENABLE_INSTRUCTIONS=AVX2
  shift
fi
preset=real
case "${1:-}" in smoke|real|raw) preset=$1; shift ;; esac
case $preset in
  smoke) flags=(-f 1 -wi 0 -i 1 -bm ss -foe true) ;;
  real)  flags=(-f 1 -wi 2 -w 2s -i 4 -r 2s -foe true) ;;
  raw)   flags=() ;;
esac

if [[ ! -f $jar || -n $(find pom.xml kernels engine models repair bench/pom.xml bench/src -newer "$jar" \
      -type f -not -path '*/target/*' -print -quit) ]]; then
  mvn -q -pl bench -am package -DskipTests
fi

# Other processes on the cores distort everything, 2-thread runs most (an OpenMP barrier waits for
# a descheduled worker): say how busy the machine was, before and after.
load() {
  local one five rest
  read -r one five rest < /proc/loadavg
  echo "load average $one (1 min), $five (5 min) on $(nproc) cores"
  awk -v l="$one" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }' \
    && echo "WARNING: other processes are running; treat multi-threaded numbers with suspicion"
  return 0
}

# Which ISA each side runs (the verbose switches only for this probe, never in a measuring fork).
isa_lines=$(MKL_VERBOSE=1 ONEDNN_VERBOSE=1 "$JAVA_HOME/bin/java" @jvm.options "${vm[@]}" -Dai.djl.offline=true \
    -cp "$jar" org.archrepair.bench.Isa 2>&1 \
  | sed -nE -e '/^isa /p' -e 's/^MKL_VERBOSE ((oneMKL|Intel).*)/isa PyTorch: MKL \1/p' \
      -e 's/.*_verbose.*info,cpu,isa:(.*)/isa PyTorch: oneDNN ISA \1/p' \
      -e 's/.*_verbose.*exec,cpu,convolution,([^,]*),.*/isa PyTorch: oneDNN convolution kernel \1/p' || true)
echo "$isa_lines"
grep -q 'oneDNN ISA' <<<"$isa_lines" \
  || echo "isa PyTorch: oneDNN reported no ISA (only the settings above are known)"

echo "before: $(load)"
out=${BENCH_JSON:-bench/target/jmh-$preset$([[ $isa == avx2 ]] && echo -avx2)-$(date +%Y%m%d-%H%M%S).json}
"$JAVA_HOME/bin/java" @jvm.options "${vm[@]}" -Dai.djl.offline=true -jar "$jar" \
    "${flags[@]}" -rf json -rff "$out" "$@"
echo "after: $(load)"
if [[ -f $out ]]; then   # not written by -l, -h and the like
  "$JAVA_HOME/bin/java" -cp "$jar" org.archrepair.bench.Report "$out"
  echo "JMH results: $out"
fi
