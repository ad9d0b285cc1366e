#!/usr/bin/env bash
# The paper's ablations on SST-2, same teacher, student and schedule as sst2.sh (seed 42):
# one LRC run per preset (no-cosnce, no-soft, no-hard, no-perturbation, single-stage), no baseline.
# PRESETS="no-soft no-hard" experiments/ablations-sst2.sh runs a subset.
source "$(dirname "$0")/lib.sh"
TASK=(--task glue:SST-2 --glue-dir "$GLUE" --max-train 20000)
SEED=${SEED:-42}
TEACHER=$(run_id "SST-2 teacher 4x128")
[ -n "$TEACHER" ] || { echo "run experiments/sst2.sh first (no finished 'SST-2 teacher 4x128')" >&2; exit 1; }
for p in ${PRESETS:-no-cosnce no-perturbation single-stage no-soft no-hard}; do
  step "SST-2 LRC 2x24 $p seed $SEED" sst2-$p-s$SEED.log -- $CLI distill --teacher "$TEACHER" --preset $p --config experiments/configs/student-2x24.json "${TASK[@]}" --seed $SEED --no-analysis --name "SST-2 LRC 2x24 $p seed $SEED"
  evaluate "SST-2 LRC 2x24 $p seed $SEED"
done
