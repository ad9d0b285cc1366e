#!/usr/bin/env bash
# SST-2 with a pre-trained teacher: the 4x128 teacher is first pre-trained by masked-language modelling
# on all 67,349 SST-2 training sentences (labels unused; the dev sentences are not seen), then
# fine-tuned on the same 20,000-sentence labelled subset as the teacher of experiments/sweeps/glue-main.sweep.json,
# with the same settings. Its scores go to experiments/results-pretrained/.
# Ran once (session 2): the pre-trained teacher scored below the teacher from scratch, so the
# distillation step at the end (DISTILL=1) was not run; see docs/results.md, section 8.
# Why a script and not a sweep file: the teacher starts from the pre-training run's export (--init <run>),
# a run that exists only once the first step has finished. A sweep's run configs are fixed, and their
# paths resolved, when the sweep is planned; a config can name a teacher run of the sweep (the sweep does
# that itself) but not a folder of another of its runs, so a pretrain -> fine-tune chain is two steps.
source "$(dirname "$0")/lib.sh"
TASK=(--task glue:SST-2 --glue-dir "$GLUE")
SEED=${SEED:-42}
step "SST-2 pretrain 4x128" sst2-pretrain.log -- $CLI pretrain --config experiments/configs/pretrain-4x128.json "${TASK[@]}" --tokenizer "$TOK" --name "SST-2 pretrain 4x128"
PRE=$(run_id "SST-2 pretrain 4x128")
step "SST-2 teacher 4x128 pretrained" sst2-teacher-pretrained.log -- $CLI train-teacher --config experiments/configs/teacher-4x128.json --init "$PRE" "${TASK[@]}" --max-train 20000 --name "SST-2 teacher 4x128 pretrained"
TEACHER=$(run_id "SST-2 teacher 4x128 pretrained")
for n in "SST-2 pretrain 4x128" "SST-2 teacher 4x128 pretrained"; do evaluate "$n" experiments/results-pretrained; done
if [ "${DISTILL:-0}" = 1 ]; then
  step "SST-2 LRC 2x24 pretrained teacher seed $SEED" sst2-lrc-pt-s$SEED.log -- $CLI distill --teacher "$TEACHER" --baseline --config experiments/configs/student-2x24.json "${TASK[@]}" --max-train 20000 --seed $SEED --name "SST-2 LRC 2x24 pretrained teacher seed $SEED"
fi
