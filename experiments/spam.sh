#!/usr/bin/env bash
# The bundled SpamAssassin task (`--task demo`: 4,690 training and 1,173 dev messages, 30% spam), here
# with the bert-base-uncased vocabulary instead of the demo's 6,000-token vocabulary built from the
# training texts, and the GLUE shapes: teacher 4x128 from scratch, LRC student 2x24 + its paired MSE
# baseline, the same student alone. The configs' own settings (max length 64, 2 epochs: 588 steps), as
# the demo; a message's text is a median of 134 word pieces, so 64 tokens read its subject and first
# lines. Metric: accuracy (F1 of spam and Matthews correlation are reported too).
# Run under `nice -n 5`, one training process at a time.
source "$(dirname "$0")/lib.sh"
TASK=(--task demo)
SEED=${SEED:-42}
step "Spam teacher 4x128" spam-teacher.log -- $CLI train-teacher --config experiments/configs/teacher-4x128.json "${TASK[@]}" --tokenizer "$TOK" --name "Spam teacher 4x128"
TEACHER=$(run_id "Spam teacher 4x128")
step "Spam LRC 2x24 seed $SEED" spam-lrc-s$SEED.log -- $CLI distill --teacher "$TEACHER" --baseline --config experiments/configs/student-2x24.json "${TASK[@]}" --seed $SEED --name "Spam LRC 2x24 seed $SEED"
step "Spam alone 2x24 seed $SEED" spam-alone-s$SEED.log -- $CLI train-student --config experiments/configs/student-2x24.json "${TASK[@]}" --tokenizer "$TOK" --seed $SEED --name "Spam alone 2x24 seed $SEED"
for n in "Spam teacher 4x128" "Spam LRC 2x24 seed $SEED" "Spam LRC 2x24 seed $SEED (MSE baseline)" "Spam alone 2x24 seed $SEED"; do evaluate "$n"; done
