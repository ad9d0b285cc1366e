#!/usr/bin/env bash
# Why does --preset no-cosnce stay at chance (hard loss ~0.69, the majority class on the dev set) on SST-2
# and MRPC, while the student alone and every other preset learn? Two short SST-2 runs (5,000 examples,
# 2 epochs, 625 steps): no-cosnce as it is (epsilon 1), and no-cosnce without the perturbation (epsilon 0).
source "$(dirname "$0")/lib.sh"
TASK=(--task glue:SST-2 --glue-dir "$GLUE" --max-train 5000)
TEACHER=$(teacher_of SST-2)
for eps in 1 0; do
  step "SST-2 diag no-cosnce epsilon $eps 5k" sst2-diag-no-cosnce-eps$eps.log -- $CLI distill --teacher "$TEACHER" --preset no-cosnce --epsilon $eps --config experiments/configs/student-2x24.json "${TASK[@]}" --eval-every 200 --no-analysis --name "SST-2 diag no-cosnce epsilon $eps 5k"
  evaluate "SST-2 diag no-cosnce epsilon $eps 5k"
done
