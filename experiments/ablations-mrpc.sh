#!/usr/bin/env bash
# The paper's ablations on MRPC, same teacher, student and schedule as mrpc.sh (seed 42):
# one LRC run per preset (no-cosnce, no-soft, no-hard, no-perturbation, single-stage), no baseline.
# PRESETS="no-soft no-hard" experiments/ablations-mrpc.sh runs a subset.
source "$(dirname "$0")/lib.sh"
TASK=(--task glue:MRPC --glue-dir "$GLUE")
SEED=${SEED:-42}
TEACHER=$(run_id "MRPC teacher 4x128")
[ -n "$TEACHER" ] || { echo "run experiments/mrpc.sh first (no finished 'MRPC teacher 4x128')" >&2; exit 1; }
for p in ${PRESETS:-no-cosnce no-soft no-hard no-perturbation single-stage}; do
  step "MRPC LRC 2x24 $p seed $SEED" mrpc-$p-s$SEED.log -- $CLI distill --teacher "$TEACHER" --preset $p --config experiments/configs/student-2x24.json "${TASK[@]}" --epochs 5 --seed $SEED --no-analysis --name "MRPC LRC 2x24 $p seed $SEED"
  evaluate "MRPC LRC 2x24 $p seed $SEED"
done
