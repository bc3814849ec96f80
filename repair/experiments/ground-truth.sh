#!/usr/bin/env bash
# Ground truth for localization (the paper's Table 6 protocol): weight-only repair of every
# candidate block with the same budget and seed; the accuracy on D_v \ D_fail of each, beside the
# block localization chose. Prints a Markdown table. Extra arguments go to every repair.
# Runs already done (their report.json exists) are read, not rerun.
# usage: repair/experiments/ground-truth.sh MODEL WEIGHTS [repair options...]
set -euo pipefail
model=$1 weights=$2; shift 2
ar=${ARCHREPAIR:-./archrepair} out=${OUT:-runs}/ground-truth-$model-$(basename "$weights" | cut -d. -f1)
mkdir -p "$out"
blocks=$(case $model in resnet20|resnet32|resnet44|resnet56|resnet110) echo layer1 layer2 layer3 ;; *) echo layer1 layer2 layer3 layer4 ;; esac)
echo "| block | before | after | change (points) | seconds |"
echo "|---|---:|---:|---:|---:|"
for b in $blocks; do
  dir=$out/$b
  if [[ ! -f $dir/report.json ]]; then
    echo "+ $ar repair --model $model --weights $weights --method block --block $b --out $dir $*" >&2
    "$ar" repair --model "$model" --weights "$weights" --method block --block "$b" --threads "${THREADS:-2}" --out "$dir" "$@" \
      > "$dir.log" 2>&1 || { echo "failed: see $dir.log" >&2; exit 1; }
  fi
  jq -r --arg b "$b" '"| \($b) | \(.before.accuracy * 10000 | round / 100)% | \(.after.accuracy * 10000 | round / 100)% | \(.improvement * 10000 | round / 100) | \(.seconds.finetune | floor) |"' \
    "$dir/report.json"
done
jq -r '"localization chose: \(.localization.chosen) (S alone: \(.localization.spectrum_only_choice))"' \
  "$out/layer1/localization/localization.json"
