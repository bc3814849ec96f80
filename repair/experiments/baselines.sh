#!/usr/bin/env bash
# Table 4 (scenario 1): the six published methods, ArchRepair and the four weight-only levels on one
# model, one budget and the first seed; then ArchRepair and the best baseline (by mean accuracy on
# D_v \ D_fail after the first seed, or BEST=name) on every seed. `compare` is resumable: rerun the
# same line after a kill and it continues. Extra arguments (--data, the budget) go to every compare.
# usage: repair/experiments/baselines.sh MODEL WEIGHTS SEEDS [compare options...]   e.g. SEEDS=1,2,3
set -euo pipefail
model=$1 weights=$2 seeds=$3; shift 3
ar=${ARCHREPAIR:-./archrepair} out=${OUT:-runs}/baselines-$model-$(basename "$weights" | cut -d. -f1)
mkdir -p "$out"
first=${seeds%%,*}
common=(--model "$model" --weights "$weights" --threads 2 --out "$out")
all=archrepair,arachne,apricot,mode,deeprepair,fewshot,sensei,block,network,layer,neuron
echo "+ $ar compare ${common[*]} --methods $all --seeds $first $*" >&2
"$ar" compare "${common[@]}" --methods "$all" --seeds "$first" "$@" > "$out.seed$first.log" 2>&1 \
  || { echo "failed: see $out.seed$first.log" >&2; exit 1; }
best=${BEST:-$(jq -r '[.rows[] | select(.method as $m | ["mode","apricot","arachne","sensei","fewshot","deeprepair"] | index($m))]
  | max_by(.accuracy.mean) | .method' "$out/table.json")}
echo "+ $ar compare ${common[*]} --methods archrepair,$best --seeds $seeds $*" >&2
"$ar" compare "${common[@]}" --methods "archrepair,$best" --seeds "$seeds" "$@" > "$out.seeds.log" 2>&1 \
  || { echo "failed: see $out.seeds.log" >&2; exit 1; }
cat "$out/table.md"
