#!/usr/bin/env bash
# Scenario 2 (the paper's Table 5, Figs. 6-7): repair the failures of one corruption at a time by
# ArchRepair and by block-level weight-only fine-tuning, measure every repaired model on all the
# listed corruptions and the clean test set, then draw the cross-corruption matrix from the
# ArchRepair runs. Runs already done (their report.json exists) are read, not rerun.
# usage: repair/experiments/corruption.sh MODEL WEIGHTS CORRUPTIONS_DIR LIST [repair options...]
#   e.g. LIST=gaussian_noise,fog,contrast; CORRUPTIONS_DIR from `archrepair corrupt`
set -euo pipefail
model=$1 weights=$2 dir=$3 list=$4; shift 4
ar=${ARCHREPAIR:-./archrepair} out=${OUT:-runs}/corruption-$model-$(basename "$weights" | cut -d. -f1)
mkdir -p "$out"
echo "| corruption | method | before | after | change (points) | clean before | clean after | failures fixed | edges changed | seconds |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
archrepair_runs=()
for c in ${list//,/ }; do
  for m in archrepair block; do
    run=$out/$c-$m
    if [[ ! -f $run/report.json ]]; then
      echo "+ $ar repair --model $model --weights $weights --method $m --scenario corruption --corruption $c --corruptions $dir --evaluate-on $list --out $run $*" >&2
      "$ar" repair --model "$model" --weights "$weights" --method "$m" --scenario corruption --corruption "$c" \
        --corruptions "$dir" --evaluate-on "$list" --threads 2 --out "$run" "$@" > "$run.log" 2>&1 \
        || { echo "failed: see $run.log" >&2; exit 1; }
    fi
    [[ $m == archrepair ]] && archrepair_runs+=("$run")
    jq -r --arg c "$c" --arg m "$m" '"| \($c) | \($m) | \(.before.accuracy * 10000 | round / 100)% | \(.after.accuracy * 10000 | round / 100)% | \(.improvement * 10000 | round / 100) | \(.robustness.clean.before * 10000 | round / 100)% | \(.robustness.clean.after * 10000 | round / 100)% | \(.failures_fixed) | \(.edges_changed // "") | \((.seconds | add) | floor) |"' \
      "$run/report.json"
  done
done
"$ar" cross-corruption "${archrepair_runs[@]}" --out "$out/cross" >&2
cat "$out/cross/"*.md
