#!/usr/bin/env bash
# One task where the teacher knows more than the students' labels (the demo's design on GLUE): the
# teacher of experiments/task.sh learns from the whole training set, the students 2x24 (LRC + MSE
# baseline, and alone) from the labels of LABELS of those examples (maxTrainExamples takes the first N
# of one fixed shuffle, so they are inside the teacher's set), 10 epochs, one evaluation at the end (the
# exported model is the final one). Scores, the teacher's too, go to experiments/results-lowlabel/.
# Usage: LABELS=855 [SEEDS="42 7 13"] experiments/lowlabel.sh CoLA|MRPC|RTE|STS-B|Spam
# (SST-2, whose teacher already sees a 20,000-sentence subset: experiments/sst2-lowlabel.sh.)
source "$(dirname "$0")/lib.sh"
T=${1:?usage: LABELS=N experiments/lowlabel.sh CoLA|MRPC|RTE|STS-B|Spam}
N=${LABELS:?LABELS=<number of labelled training examples the students see>}
task_args "$T"
TEACHER=$(teacher_of "$T")
evaluate "$T teacher 4x128" experiments/results-lowlabel
STUDENT=("${TASK[@]}" --max-train "$N" --epochs 10 --eval-every 100000)
for SEED in ${SEEDS:-42 7 13}; do
  step "$T LRC 2x24 $N labels seed $SEED" $KEY-$N-lrc-s$SEED.log -- $CLI distill --teacher "$TEACHER" --baseline --config experiments/configs/student-2x24.json "${STUDENT[@]}" --seed $SEED --name "$T LRC 2x24 $N labels seed $SEED"
  step "$T alone 2x24 $N labels seed $SEED" $KEY-$N-alone-s$SEED.log -- $CLI train-student --config experiments/configs/student-2x24.json "${STUDENT[@]}" --tokenizer "$TOK" --seed $SEED --name "$T alone 2x24 $N labels seed $SEED"
  for n in "$T LRC 2x24 $N labels seed $SEED" "$T LRC 2x24 $N labels seed $SEED (MSE baseline)" "$T alone 2x24 $N labels seed $SEED"; do evaluate "$n" experiments/results-lowlabel; done
done
