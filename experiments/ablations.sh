#!/usr/bin/env bash
# The paper's ablations on one task, with the teacher, student and schedule of experiments/task.sh: one
# LRC run per --preset (no-cosnce, no-soft, no-hard, no-perturbation, single-stage), no baseline, for
# SEED (default 42); compared with the full method of the same seed (task.sh). PRESETS="no-soft ..." runs
# a subset. Usage: [SEED=7] experiments/ablations.sh SST-2|MRPC|CoLA|RTE|STS-B|Spam
source "$(dirname "$0")/lib.sh"
T=${1:?usage: experiments/ablations.sh SST-2|MRPC|CoLA|RTE|STS-B|Spam}
task_args "$T"
SEED=${SEED:-42}
TEACHER=$(teacher_of "$T")
for p in ${PRESETS:-no-cosnce no-soft no-hard no-perturbation single-stage}; do
  step "$T LRC 2x24 $p seed $SEED" $KEY-$p-s$SEED.log -- $CLI distill --teacher "$TEACHER" --preset $p --config experiments/configs/student-2x24.json "${TASK[@]}" --seed $SEED --no-analysis --name "$T LRC 2x24 $p seed $SEED"
  evaluate "$T LRC 2x24 $p seed $SEED"
done
