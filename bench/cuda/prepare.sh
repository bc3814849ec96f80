#!/usr/bin/env bash
# bench/cuda/prepare.sh: builds, here (where Maven and the JDK are), everything the GPU run
# (bench/cuda/run-on-device.sh) needs, into bench/target/cuda-kit/: ignored by git, it is the one
# path to carry to the GPU machine, and must stay within the 64 MiB the device tool carries.
#
#   jre.tgz                                 a jlinked Java 25 runtime (TOOLING.md): java.base and the
#                                           Vector API, plus the modules JUnit's console needs
#   cuda-bench.jar                          kernels + engine + models + org.archrepair.bench.cuda
#   tests/kernels-tests.jar                 kernels' test classes (BackendConformanceTest, CudaGpuTest, ...)
#   tests/engine-tests.jar                  engine's test classes (gradient checks, closed forms, ...)
#   junit-platform-console-standalone.jar   the runner of those suites
#
# The scripts, cases.json and jvm.options are tracked files: they travel with the working tree.
# usage: bench/cuda/prepare.sh         (then carry bench/target/cuda-kit; see the README, "CUDA")
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
kit=bench/target/cuda-kit
limit=$((60 * 1024 * 1024))          # leave room in the 64 MiB for the working tree itself

mvn -B -q -pl bench -am package -DskipTests -Dkernels.avx2.skip=true
rm -rf "$kit"
mkdir -p "$kit/tests"
cp bench/target/cuda-bench.jar "$kit/"
cp kernels/target/kernels-*-tests.jar "$kit/tests/kernels-tests.jar"
"$JAVA_HOME/bin/jar" cf "$kit/tests/engine-tests.jar" -C engine/target/test-classes .
mvn -B -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.4 \
    -DoutputDirectory="$kit" -Dmdep.stripVersion=true

# java.sql: JUnit's console; java.logging, java.xml: its reports; jdk.unsupported: libraries that use Unsafe
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$JAVA_HOME/bin/jlink" --add-modules java.base,jdk.incubator.vector,java.logging,java.xml,java.sql,jdk.unsupported \
    --strip-debug --no-man-pages --no-header-files --compress=zip-9 --output "$tmp/jre"
tar czf "$kit/jre.tgz" -C "$tmp" jre

size=$(du -sb "$kit" | cut -f1)
du -ah "$kit"
if (( size > limit )); then
  echo "prepare.sh: the kit is $size bytes, over the $limit the device run can carry" >&2
  exit 1
fi
echo "kit ready: $kit ($((size / 1024 / 1024)) MiB). Carry it: run(carry=[\"$kit\"], command=\"bash bench/cuda/run-on-device.sh\")"
