#!/usr/bin/env bash
# The repair levels side by side (the paper's Tables 1 and 7) on one budget: weight-only neuron,
# layer, block and network; ArchRepair at layer level and at block level with partial channels
# K = 1 and 4, and with edge normalization; the two headline rows (block-level weight-only
# and ArchRepair at block level) for every seed given. Extra arguments go to every repair.
# HEADLINE_ONLY=1 runs the two headline rows only. Runs already done (report.json exists) are read.
# usage: repair/experiments/methods.sh MODEL WEIGHTS SEEDS [repair options...]   e.g. SEEDS=1,2,3
set -euo pipefail
model=$1 weights=$2 seeds=$3; shift 3
ar=${ARCHREPAIR:-./archrepair} out=${OUT:-runs}/methods-$model-$(basename "$weights" | cut -d. -f1)
mkdir -p "$out"
first=${seeds%%,*}
runs=()
for s in ${seeds//,/ }; do runs+=("block-s$s|--method block --seed $s" "archrepair-s$s|--method archrepair --seed $s"); done
[[ ${HEADLINE_ONLY:-0} == 1 ]] || runs+=("neuron-s$first|--method neuron --seed $first" "layer-s$first|--method layer --seed $first"
       "network-s$first|--method network --seed $first"
       "archrepair-layer-s$first|--method archrepair --level layer --seed $first"
       "archrepair-k4-s$first|--method archrepair --partial-channels 4 --seed $first"
       "archrepair-en-s$first|--method archrepair --edge-norm --seed $first")
echo "| run | target | before | after | change (points) | failures fixed | edges changed | search s | fine-tune s |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
for r in "${runs[@]}"; do
  name=${r%%|*} args=${r#*|} dir=$out/$name
  if [[ ! -f $dir/report.json ]]; then
    echo "+ $ar repair --model $model --weights $weights $args --out $dir $*" >&2
    # shellcheck disable=SC2086
    "$ar" repair --model "$model" --weights "$weights" $args --threads "${THREADS:-2}" --out "$dir" "$@" > "$dir.log" 2>&1 \
      || { echo "failed: see $dir.log" >&2; exit 1; }
  fi
  jq -r --arg n "$name" '"| \($n) | \(.target) | \(.before.accuracy * 10000 | round / 100)% | \(.after.accuracy * 10000 | round / 100)% | \(.improvement * 10000 | round / 100) | \(.failures_fixed) | \(.edges_changed // "") | \(.search_seconds | floor) | \(.finetune_seconds | floor) |"' \
    "$dir/report.json"
done
