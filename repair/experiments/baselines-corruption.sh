#!/usr/bin/env bash
# Table 5 (scenario 2): for each of gaussian_noise, fog and contrast, D_fail from that corruption of
# CORRUPTIONS (a folder made by `archrepair corrupt`, all five severities), repaired by ArchRepair
# and the two best baselines of Table 4 (from baselines.sh's table.json for the same model and
# weights, or BEST2=a,b), one seed (SEED, default 1); every run also measures the clean test set
# and the other two corruptions. One compare folder per corruption (resumable); its table.md is
# that corruption's Table 5 row. Extra arguments (--data, the budget) go to every compare.
# usage: repair/experiments/baselines-corruption.sh MODEL WEIGHTS CORRUPTIONS [compare options...]
set -euo pipefail
model=$1 weights=$2 corruptions=$3; shift 3
ar=${ARCHREPAIR:-./archrepair} stem=$model-$(basename "$weights" | cut -d. -f1)
table4=${OUT:-runs}/baselines-$stem/table.json out=${OUT:-runs}/baselines-c-$stem
mkdir -p "$out"
best2=${BEST2:-$(jq -r '[.rows[] | select(.method as $m | ["mode","apricot","arachne","sensei","fewshot","deeprepair"] | index($m))]
  | sort_by(-.accuracy.mean) | .[0:2] | map(.method) | join(",")' "$table4")}
set=(gaussian_noise fog contrast)
for c in "${set[@]}"; do
  others=$(printf '%s\n' "${set[@]}" | grep -vx "$c" | paste -sd,)
  args=(--model "$model" --weights "$weights" --threads 2 --scenario corruption --corruption "$c"
        --corruptions "$corruptions" --evaluate-on "$others" --methods "archrepair,$best2" --seeds "${SEED:-1}"
        --out "$out/$c")
  echo "+ $ar compare ${args[*]} $*" >&2
  "$ar" compare "${args[@]}" "$@" > "$out/$c.log" 2>&1 || { echo "failed: see $out/$c.log" >&2; exit 1; }
  cat "$out/$c/table.md"
done
