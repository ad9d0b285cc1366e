#!/usr/bin/env bash
# The paper's ablations in the demo's setting (docs/demo.md), the one setting here where the teacher
# knows more than the students' labels: `lrc-distill demo` trains the teacher (4x128, the demo's 6,000-token
# vocabulary, all 4,690 labelled SpamAssassin training mails) and its seed-42 students; then, for each
# seed, the full method with its MSE baseline and the five --preset ablations, every student 2x64 on the
# labels of the same 500 mails, 10 epochs (320 steps), the demo's flags through the CLI.
# Scores go to experiments/results-demo/. SEEDS="42 7 13" and PRESETS="no-cosnce ..." pick a subset.
source "$(dirname "$0")/lib.sh"
OUT=experiments/results-demo
step "demo teacher" demo.log -- $CLI demo
TEACHER=$(run_id "demo teacher")
STUDENT=("${DEMO_STUDENT[@]}")
for n in "demo teacher" "demo LRC student" "demo MSE baseline" "demo student alone"; do evaluate "$n" "$OUT"; done
for SEED in ${SEEDS:-42 7 13}; do
  step "Demo LRC 2x64 seed $SEED" demo-lrc-s$SEED.log -- $CLI distill --teacher "$TEACHER" --baseline "${STUDENT[@]}" --seed $SEED --no-analysis --name "Demo LRC 2x64 seed $SEED"
  step "Demo alone 2x64 seed $SEED" demo-alone-s$SEED.log -- $CLI train-student "${STUDENT[@]}" --tokenizer "$RUNS/$TEACHER/export" --seed $SEED --name "Demo alone 2x64 seed $SEED"
  for n in "Demo LRC 2x64 seed $SEED" "Demo LRC 2x64 seed $SEED (MSE baseline)" "Demo alone 2x64 seed $SEED"; do evaluate "$n" "$OUT"; done
  for p in ${PRESETS:-no-cosnce no-soft no-hard no-perturbation single-stage}; do
    step "Demo LRC 2x64 $p seed $SEED" demo-$p-s$SEED.log -- $CLI distill --teacher "$TEACHER" --preset $p "${STUDENT[@]}" --seed $SEED --no-analysis --name "Demo LRC 2x64 $p seed $SEED"
    evaluate "Demo LRC 2x64 $p seed $SEED" "$OUT"
  done
done
