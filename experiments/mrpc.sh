#!/usr/bin/env bash
# MRPC (all 3,668 training pairs; dev set of 408), max length 64:
# teacher 4x128 from scratch, LRC student 2x24 + its paired MSE baseline, the same student alone.
source "$(dirname "$0")/lib.sh"
TASK=(--task glue:MRPC --glue-dir "$GLUE")
SEED=${SEED:-42}
step "MRPC teacher 4x128" mrpc-teacher.log -- $CLI train-teacher --config experiments/configs/teacher-4x128.json "${TASK[@]}" --tokenizer "$TOK" --epochs 5 --name "MRPC teacher 4x128"
TEACHER=$(run_id "MRPC teacher 4x128")
step "MRPC LRC 2x24 seed $SEED" mrpc-lrc-s$SEED.log -- $CLI distill --teacher "$TEACHER" --baseline --config experiments/configs/student-2x24.json "${TASK[@]}" --epochs 5 --seed $SEED --name "MRPC LRC 2x24 seed $SEED"
step "MRPC alone 2x24 seed $SEED" mrpc-alone-s$SEED.log -- $CLI train-student --config experiments/configs/student-2x24.json "${TASK[@]}" --tokenizer "$TOK" --epochs 5 --seed $SEED --name "MRPC alone 2x24 seed $SEED"
for n in "MRPC teacher 4x128" "MRPC LRC 2x24 seed $SEED" "MRPC LRC 2x24 seed $SEED (MSE baseline)" "MRPC alone 2x24 seed $SEED"; do evaluate "$n"; done
