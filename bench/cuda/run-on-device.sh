#!/usr/bin/env bash
# bench/cuda/run-on-device.sh: the CUDA backend's whole check on a GPU machine, in one go and in
# under 8 minutes on an H200: it builds nothing there (that machine has no Java and no Maven; it has
# the NVIDIA driver, Python with PyTorch, and cuBLAS / cuDNN inside PyTorch's nvidia-* packages).
#
#   1. unpacks the jlinked Java runtime of bench/target/cuda-kit (bench/cuda/prepare.sh, carried)
#   2. finds libcuda (the driver), cuBLAS and cuDNN 9 and records versions and symbol nodes
#   3. runs the conformance suites on the GPU (kernels: BackendConformanceTest, CudaGpuTest;
#      engine: gradient checks, closed forms, autograd, optimizers, metrics, training)
#   4. runs our kernel benchmarks and PyTorch's on the same GPU (bench/cuda/cases.json)
#   5. times a ResNet-18 CIFAR training step (batch 128, fp32, TF32 off and on) beside PyTorch eager
#   6. writes summary.md (bench/cuda/report.py)
#
# Everything goes under $OUT (default bench/target/cuda-out): run.log, env.txt, conformance/ (JUnit
# XML and log), ours-*.jsonl, torch-*.jsonl, summary.md. Each step has a time limit so the run
# always ends with a summary of what it measured. Without a GPU it writes $OUT/SKIPPED with the
# reason and exits 0 (that is what it does on the CPU-only machines, see OnDeviceScriptTest).
#
# usage: OUT=/some/dir bash bench/cuda/run-on-device.sh     (KIT=..., CUDA_LIBS=dir:dir override the defaults)
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-$PWD/bench/target/cuda-out}
KIT=${KIT:-$PWD/bench/target/cuda-kit}
mkdir -p "$OUT"
start=$(date +%s)

log() { echo "[$(( $(date +%s) - start ))s] $*" | tee -a "$OUT/run.log"; }
skip() {
  echo "$*" > "$OUT/SKIPPED"
  log "skipped: $*"
  exit 0
}
# step NAME SECONDS COMMAND...: runs with a time limit, its output in $OUT/NAME.log; never aborts the run
step() {
  local name=$1 limit=$2
  shift 2
  log "$name: start (limit ${limit}s)"
  timeout --kill-after=10 "$limit" "$@" > "$OUT/$name.log" 2>&1
  local rc=$?
  log "$name: exit $rc$([[ $rc == 124 || $rc == 137 ]] && echo ' (time limit)')"
  return 0
}

# ---------------------------------------------------------------- 1. a GPU, and the kit
if ! command -v nvidia-smi > /dev/null 2>&1; then skip "no GPU here: nvidia-smi is not installed"; fi
if ! nvidia-smi -L > "$OUT/gpus.txt" 2>&1 || ! grep -q '^GPU ' "$OUT/gpus.txt"; then
  skip "no GPU here: nvidia-smi lists none ($(head -c 200 "$OUT/gpus.txt"))"
fi
if [[ ! -f $KIT/jre.tgz || ! -f $KIT/cuda-bench.jar ]]; then
  log "no kit at $KIT: run bench/cuda/prepare.sh where Maven is, and carry bench/target/cuda-kit"
  echo "missing kit" > "$OUT/FAILED"
  exit 1
fi
JRE=$(mktemp -d)/jre-root
mkdir -p "$JRE"
tar xzf "$KIT/jre.tgz" -C "$JRE"
JAVA=$JRE/jre/bin/java
log "java: $("$JAVA" -version 2>&1 | head -1)"

# ---------------------------------------------------------------- 2. the CUDA libraries
PY=$(command -v python3 || true)
# The folders holding libcublas.so.13/.12 and libcudnn.so.9: Python's site-packages (PyTorch's nvidia-*
# packages), a CUDA toolkit, the system's library folders.
find_libdirs() {
  local roots
  roots=$("${PY:-false}" -c 'import site; print(" ".join(site.getsitepackages() + [site.getusersitepackages()]))' 2>/dev/null)
  timeout 40 find $roots /usr/local/cuda* /usr/lib/x86_64-linux-gnu /usr/lib64 /opt -maxdepth 6 \
    \( -name 'libcublas.so.1[23]' -o -name 'libcudnn.so.9' \) 2>/dev/null | xargs -r -n1 dirname | sort -u | paste -sd:
}
# CUDA_LIBS=dir1:dir2 replaces the search (a CUDA toolkit elsewhere; the CPU emulator in a rehearsal)
if [[ -n ${CUDA_LIBS:-} ]]; then libdirs=$CUDA_LIBS; else libdirs=$(find_libdirs); fi
export LD_LIBRARY_PATH=${libdirs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
log "library folders: ${libdirs:-none found, the dynamic loader decides}"
{
  echo "== nvidia-smi"; nvidia-smi 2>&1 | head -20
  echo "== python / torch"; $PY -c "import torch; print(torch.__version__, torch.version.cuda, torch.backends.cudnn.version(), torch.cuda.get_device_name(0))" 2>&1
  echo "== libraries and the version nodes of their symbols"
  for lib in libcuda.so.1 libcublas.so.13 libcublas.so.12 libcudnn.so.9; do
    path=$(for d in ${libdirs//:/ } /usr/lib/x86_64-linux-gnu /usr/lib64; do [[ -e $d/$lib ]] && echo "$d/$lib" && break; done)
    [[ -z $path ]] && path=$(ldconfig -p 2>/dev/null | awk -v l="$lib" '$1 == l {print $NF; exit}')
    echo "$lib: ${path:-not found}"
    [[ -n $path ]] && readelf --dyn-syms -W "$path" 2>/dev/null | grep -E ' (cuInit|cuMemAlloc_v2|cublasSgemm_v2|cudnnCreate)(@|$)' | head -3
  done
} > "$OUT/env.txt" 2>&1

JOPTS=(@jvm.options -Xmx24g "-Darchrepair.cuda.libs=$libdirs")
CP="$KIT/tests/kernels-tests.jar:$KIT/tests/engine-tests.jar:$KIT/cuda-bench.jar"

# ---------------------------------------------------------------- 3. conformance on the GPU
# Two runs, so that a time limit in the second keeps the first's reports (JUnit writes them at the end).
# The tree is printed as tests finish, so the logs show how far a run got.
junit() {
  local name=$1 limit=$2
  shift 2
  local selects=()
  for c in "$@"; do selects+=(--select-class "$c"); done
  mkdir -p "$OUT/conformance/$name"
  step "conformance-$name" "$limit" "$JAVA" "${JOPTS[@]}" -Darchrepair.test.devices=cuda -Darchrepair.cuda.emulated=false \
    -jar "$KIT/junit-platform-console-standalone.jar" execute --disable-banner --details=tree --disable-ansi-colors \
    --class-path "$CP" --reports-dir "$OUT/conformance/$name" "${selects[@]}"
  grep -E "tests (successful|failed|aborted|skipped)" "$OUT/conformance-$name.log" | tee -a "$OUT/run.log"
}
junit kernels 90 org.archrepair.kernels.BackendConformanceTest org.archrepair.kernels.cuda.CudaGpuTest
junit engine 60 org.archrepair.engine.functions.GradientCheckTest org.archrepair.engine.functions.ClosedFormTest \
  org.archrepair.engine.autograd.AutogradTest org.archrepair.engine.optim.OptimizerTest \
  org.archrepair.engine.MetricsOnDeviceTest org.archrepair.engine.nn.TrainingTest

# ---------------------------------------------------------------- 4. kernels, ours and PyTorch's
step ours-kernels 90 "$JAVA" "${JOPTS[@]}" -jar "$KIT/cuda-bench.jar" kernels bench/cuda/cases.json "$OUT/ours-kernels.jsonl"
step torch-kernels 60 "$PY" bench/cuda/torch_bench.py kernels bench/cuda/cases.json "$OUT/torch-kernels.jsonl"

# ---------------------------------------------------------------- 5. the training step
step ours-train 80 "$JAVA" "${JOPTS[@]}" -jar "$KIT/cuda-bench.jar" train bench/cuda/cases.json "$OUT/ours-train.jsonl"
step torch-train 40 "$PY" bench/cuda/torch_bench.py train bench/cuda/cases.json "$OUT/torch-train.jsonl"

# ---------------------------------------------------------------- 6. the summary
"$PY" bench/cuda/report.py "$OUT" > /dev/null 2>> "$OUT/run.log"
log "done: $OUT/summary.md"
