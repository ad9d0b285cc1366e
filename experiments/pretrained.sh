#!/usr/bin/env bash
# The pre-trained experiment (issue 22; experiments/sweeps/pretrained.sweep.json), resumable across sessions:
# the first call starts the sweep, later calls `sweep resume` it (finished runs are never trained again).
# RUNS: where the run folders go (default experiments/runs; outside the repository is better for 20 GB
# of teacher-output stores). The teacher-output store is float16: the five teachers' mapped layers for
# every training example (about 6 GB) instead of 12.
OUT=${RUNS:-}
source "$(dirname "$0")/lib.sh"
RUNS=${OUT:-$RUNS}
export LRC_TEACHER_STORE_DTYPE=float16
SWEEP=$($CLI sweep list --runs "$RUNS" --json 2>/dev/null | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const list = s ? JSON.parse(s) : []; const found = (list.sweeps ?? list).filter((w) => w.name === "pretrained");
    console.log(found.length ? found[found.length - 1].id : "");
  });')
if [ -z "$SWEEP" ]; then
  exec $CLI sweep experiments/sweeps/pretrained.sweep.json --executor local --workers 1 --runs "$RUNS" --plain
else
  exec $CLI sweep resume "$SWEEP" --runs "$RUNS" --plain
fi
