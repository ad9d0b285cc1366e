#!/usr/bin/env bash
# CoLA (all 8,551 training sentences; dev set of 1,043), max length 64:
# teacher 4x128 from scratch, LRC student 2x24 + its paired MSE baseline, the same student alone.
# Why these settings: CoLA sentences are short (a few dozen word pieces at most; batches are padded to
# their longest example), so 64 tokens cut nothing and a step is cheap (about 8 teacher steps/s here).
# A small task (the paper trains CoLA for many epochs), so 5 epochs: 2,675 steps at batch 16, which
# keeps the teacher under ~12 minutes and distill + baseline under ~10 on one core. All training
# sentences are used (no --max-train). Metric: Matthews correlation (GLUE's CoLA metric).
# Run under `nice -n 5`, one training process at a time.
source "$(dirname "$0")/lib.sh"
TASK=(--task glue:CoLA --glue-dir "$GLUE" --epochs 5)
SEED=${SEED:-42}
step "CoLA teacher 4x128" cola-teacher.log -- $CLI train-teacher --config experiments/configs/teacher-4x128.json "${TASK[@]}" --tokenizer "$TOK" --name "CoLA teacher 4x128"
TEACHER=$(run_id "CoLA teacher 4x128")
step "CoLA LRC 2x24 seed $SEED" cola-lrc-s$SEED.log -- $CLI distill --teacher "$TEACHER" --baseline --config experiments/configs/student-2x24.json "${TASK[@]}" --seed $SEED --name "CoLA LRC 2x24 seed $SEED"
step "CoLA alone 2x24 seed $SEED" cola-alone-s$SEED.log -- $CLI train-student --config experiments/configs/student-2x24.json "${TASK[@]}" --tokenizer "$TOK" --seed $SEED --name "CoLA alone 2x24 seed $SEED"
for n in "CoLA teacher 4x128" "CoLA LRC 2x24 seed $SEED" "CoLA LRC 2x24 seed $SEED (MSE baseline)" "CoLA alone 2x24 seed $SEED"; do evaluate "$n"; done
