#!/usr/bin/env bash
# SST-2 (20,000 training sentences of 67,349; full dev set of 872), max length 64:
# teacher 4x128 from scratch, LRC student 2x24 + its paired MSE baseline, the same student alone.
source "$(dirname "$0")/lib.sh"
TASK=(--task glue:SST-2 --glue-dir "$GLUE" --max-train 20000)
SEED=${SEED:-42}
step "SST-2 teacher 4x128" sst2-teacher.log -- $CLI train-teacher --config experiments/configs/teacher-4x128.json "${TASK[@]}" --tokenizer "$TOK" --name "SST-2 teacher 4x128"
TEACHER=$(run_id "SST-2 teacher 4x128")
step "SST-2 LRC 2x24 seed $SEED" sst2-lrc-s$SEED.log -- $CLI distill --teacher "$TEACHER" --baseline --config experiments/configs/student-2x24.json "${TASK[@]}" --seed $SEED --name "SST-2 LRC 2x24 seed $SEED"
step "SST-2 alone 2x24 seed $SEED" sst2-alone-s$SEED.log -- $CLI train-student --config experiments/configs/student-2x24.json "${TASK[@]}" --tokenizer "$TOK" --seed $SEED --name "SST-2 alone 2x24 seed $SEED"
for n in "SST-2 teacher 4x128" "SST-2 LRC 2x24 seed $SEED" "SST-2 LRC 2x24 seed $SEED (MSE baseline)" "SST-2 alone 2x24 seed $SEED"; do evaluate "$n"; done
