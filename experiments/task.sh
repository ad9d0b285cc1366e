#!/usr/bin/env bash
# One task's main comparison: the teacher 4x128 from scratch (once), then for SEED (default 42) the LRC
# student 2x24 with its paired MSE baseline and the same student alone; every model scored on the dev
# set into experiments/results/. Usage: [SEED=7] [TEACHER_ONLY=1] experiments/task.sh SST-2|MRPC|CoLA|RTE|STS-B|Spam
source "$(dirname "$0")/lib.sh"
T=${1:?usage: experiments/task.sh SST-2|MRPC|CoLA|RTE|STS-B|Spam}
task_args "$T"
SEED=${SEED:-42}
step "$T teacher 4x128" $KEY-teacher.log -- $CLI train-teacher --config experiments/configs/teacher-4x128.json "${TASK[@]}" --tokenizer "$TOK" --name "$T teacher 4x128"
evaluate "$T teacher 4x128"
[ -z "${TEACHER_ONLY:-}" ] || exit 0
TEACHER=$(teacher_of "$T")
step "$T LRC 2x24 seed $SEED" $KEY-lrc-s$SEED.log -- $CLI distill --teacher "$TEACHER" --baseline --config experiments/configs/student-2x24.json "${TASK[@]}" --seed $SEED --name "$T LRC 2x24 seed $SEED"
step "$T alone 2x24 seed $SEED" $KEY-alone-s$SEED.log -- $CLI train-student --config experiments/configs/student-2x24.json "${TASK[@]}" --tokenizer "$TOK" --seed $SEED --name "$T alone 2x24 seed $SEED"
for n in "$T LRC 2x24 seed $SEED" "$T LRC 2x24 seed $SEED (MSE baseline)" "$T alone 2x24 seed $SEED"; do evaluate "$n"; done
