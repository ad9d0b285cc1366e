#!/usr/bin/env bash
# STS-B (all 5,749 training pairs; dev set of 1,500), max length 64, regression (one output, squared
# error; LRC's soft loss is the squared error between the two scores, COS-NCE takes all other samples of
# the batch as negatives, the default):
# teacher 4x128 from scratch, LRC student 2x24 + its paired MSE baseline, the same student alone.
# Why these settings: STS-B pairs are short (median about 23 word pieces, 99% under 75), so 64 tokens cut
# almost nothing. 5 epochs as for MRPC and CoLA: 1,800 steps at batch 16, under ~12 minutes for the
# teacher and ~10 for distill + baseline on one core. All training pairs are used (no --max-train).
# Metrics: Pearson and Spearman; the GLUE score is their mean.
# Run under `nice -n 5`, one training process at a time.
source "$(dirname "$0")/lib.sh"
TASK=(--task glue:STS-B --glue-dir "$GLUE" --epochs 5)
SEED=${SEED:-42}
step "STS-B teacher 4x128" stsb-teacher.log -- $CLI train-teacher --config experiments/configs/teacher-4x128.json "${TASK[@]}" --tokenizer "$TOK" --name "STS-B teacher 4x128"
TEACHER=$(run_id "STS-B teacher 4x128")
step "STS-B LRC 2x24 seed $SEED" stsb-lrc-s$SEED.log -- $CLI distill --teacher "$TEACHER" --baseline --config experiments/configs/student-2x24.json "${TASK[@]}" --seed $SEED --name "STS-B LRC 2x24 seed $SEED"
step "STS-B alone 2x24 seed $SEED" stsb-alone-s$SEED.log -- $CLI train-student --config experiments/configs/student-2x24.json "${TASK[@]}" --tokenizer "$TOK" --seed $SEED --name "STS-B alone 2x24 seed $SEED"
for n in "STS-B teacher 4x128" "STS-B LRC 2x24 seed $SEED" "STS-B LRC 2x24 seed $SEED (MSE baseline)" "STS-B alone 2x24 seed $SEED"; do evaluate "$n"; done
