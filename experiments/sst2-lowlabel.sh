#!/usr/bin/env bash
# SST-2 where the teacher knows more than the students' labels (the demo's design on GLUE): the teacher
# of `experiments/task.sh SST-2` (4x128 from scratch on the 20,000-sentence subset), students 2x24 distilled (LRC + MSE
# baseline) and trained alone with the labels of 2,000 of those sentences (maxTrainExamples takes the
# first N of one fixed shuffle, so the 2,000 are inside the teacher's 20,000), 10 epochs = 1,250 steps.
# One evaluation, at the end: the exported model is the final one, whatever the best-model rule.
# Scores go to experiments/results-lowlabel/. SEEDS="42 7 13" by default.
source "$(dirname "$0")/lib.sh"
TASK=(--task glue:SST-2 --glue-dir "$GLUE" --max-train 2000)
TEACHER=$(teacher_of SST-2)
for SEED in ${SEEDS:-42 7 13}; do
  step "SST-2 LRC 2x24 2k labels seed $SEED" sst2-2k-lrc-s$SEED.log -- $CLI distill --teacher "$TEACHER" --baseline --config experiments/configs/student-2x24.json "${TASK[@]}" --epochs 10 --eval-every 100000 --seed $SEED --name "SST-2 LRC 2x24 2k labels seed $SEED"
  step "SST-2 alone 2x24 2k labels seed $SEED" sst2-2k-alone-s$SEED.log -- $CLI train-student --config experiments/configs/student-2x24.json "${TASK[@]}" --tokenizer "$TOK" --epochs 10 --eval-every 100000 --seed $SEED --name "SST-2 alone 2x24 2k labels seed $SEED"
  for n in "SST-2 LRC 2x24 2k labels seed $SEED" "SST-2 LRC 2x24 2k labels seed $SEED (MSE baseline)" "SST-2 alone 2x24 2k labels seed $SEED"; do evaluate "$n" experiments/results-lowlabel; done
done
