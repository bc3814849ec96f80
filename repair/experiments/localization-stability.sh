#!/usr/bin/env bash
# Localization stability (the paper's claim for Ŝ over S): for 3 seeds and |D_fail| = 10, 25, 50,
# 100 failures per class, the block S and Ŝ choose at top-50. Prints a Markdown table.
# Runs already done (their localization.json exists) are read, not rerun.
# usage: repair/experiments/localization-stability.sh MODEL WEIGHTS [DATA]
set -euo pipefail
model=$1 weights=$2 data=${3:-../shared/data/cifar10}
ar=${ARCHREPAIR:-./archrepair} out=${OUT:-runs}/stability-$model-$(basename "$weights" | cut -d. -f1)
mkdir -p "$out"
echo "| seed | failures per class | D_fail | chosen (Ŝ) | S alone | largest mean gradient | seconds |"
echo "|---:|---:|---:|---|---|---|---:|"
for seed in 1 2 3; do
  for n in 10 25 50 100; do
    dir=$out/seed$seed-n$n
    if [[ ! -f $dir/localization.json ]]; then
      echo "+ $ar localize --model $model --weights $weights --data $data --failures-per-class $n --seed $seed --out $dir" >&2
      "$ar" localize --model "$model" --weights "$weights" --data "$data" --failures-per-class "$n" --seed "$seed" \
        --threads "${THREADS:-2}" --out "$dir" > "$dir.log" 2>&1 || { echo "failed: see $dir.log" >&2; exit 1; }
    fi
    jq -r --arg s "$seed" --arg n "$n" '"| \($s) | \($n) | \(.data.failures.size) | \(.localization.chosen) | \(.localization.spectrum_only_choice) | \(.localization.gradient_only_choice) | \((.seconds.spectrum + .seconds.gradient) | floor) |"' \
      "$dir/localization.json"
  done
done
