#!/usr/bin/env bash
# The no-cosnce ablation against the perturbation's epsilon, in the demo's setting (ablations-demo.sh):
# soft + hard losses only (alpha = 0, one stage) with epsilon 0, 0.03, 0.1, 0.3 (1 is the ablation
# itself), seed 42. Shows where the perturbation's dead zone begins (experiments/perturbation-dead-zone.ts).
source "$(dirname "$0")/lib.sh"
OUT=experiments/results-demo
TEACHER=$(run_id "demo teacher")
[ -n "$TEACHER" ] || { echo "run experiments/ablations-demo.sh first (no finished 'demo teacher')" >&2; exit 1; }
STUDENT=("${DEMO_STUDENT[@]}")
for e in ${EPSILONS:-0 0.03 0.1 0.3}; do
  step "Demo LRC 2x64 no-cosnce epsilon $e seed 42" demo-no-cosnce-eps$e-s42.log -- $CLI distill --teacher "$TEACHER" --preset no-cosnce --epsilon $e "${STUDENT[@]}" --seed 42 --no-analysis --name "Demo LRC 2x64 no-cosnce epsilon $e seed 42"
  evaluate "Demo LRC 2x64 no-cosnce epsilon $e seed 42" "$OUT"
done
