#!/usr/bin/env bash
# bench/run.sh: runs the JMH benchmarks of the bench module (ours vs PyTorch CPU in the same run)
# with the project's JVM flags from jvm.options (JMH forks inherit them), DJL offline and its
# cache under bench/target/djl-cache; builds bench/target/benchmarks.jar first when a source is
# newer than it. Not a CI step and not a test: it measures, it asserts nothing.
#
# usage: bench/run.sh [smoke|real|raw] [JMH options] [benchmark regexps]
#   smoke  every benchmark once:      -f 1 -wi 0 -i 1 -bm ss -foe true
#   real   the measured configuration -f 1 -wi 2 -w 2s -i 4 -r 2s -foe true   (default)
#   raw    no preset: give all JMH options yourself (JMH rejects an option given twice, so
#          changing a preset's -f/-wi/-w/-i/-r/-bm means raw with all of them)
# e.g.  bench/run.sh smoke
#       bench/run.sh real 'ConvBench.*Forward$' -p layer=r20-16x32x32 -p threads=1,2
# The JSON result goes to bench/target/jmh-<preset>-<time>.json; the markdown tables of
# RESULTS.md (medians, PyTorch/ours ratios, GFLOP/s) are printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$PWD/bench/target/djl-cache}
jar=bench/target/benchmarks.jar

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

echo "before: $(load)"
out=bench/target/jmh-$preset-$(date +%Y%m%d-%H%M%S).json
"$JAVA_HOME/bin/java" @jvm.options -Dai.djl.offline=true -jar "$jar" \
    "${flags[@]}" -rf json -rff "$out" "$@"
echo "after: $(load)"
if [[ -f $out ]]; then   # not written by -l, -h and the like
  "$JAVA_HOME/bin/java" -cp "$jar" org.archrepair.bench.Report "$out"
  echo "JMH results: $out"
fi
