# Shared by the experiment scripts: paths, and steps that are skipped when a finished run of the
# same name already exists in experiments/runs (so a script can be re-run after an interruption).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CLI="node dist/cli.js"
RUNS=experiments/runs
GLUE=${GLUE_DIR:-/work/shared/data/glue}
TOK=${TOKENIZER_DIR:-/work/shared/data/bert-base-uncased}
mkdir -p "$RUNS" experiments/logs experiments/results
[ -f dist/cli.js ] || node esbuild.mjs

# run_id NAME: the newest finished run named NAME (empty when none).
# (Through a file: a workaround from when a piped `runs --json` was cut at 64 KiB, fixed since; harmless.)
run_id() {
  local list; list="$(mktemp)"
  $CLI runs --runs "$RUNS" --json > "$list"
  node -e '
    const name = process.argv[1]; let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const runs = JSON.parse(s).runs.filter((r) => r.name === name && r.status === "finished");
      runs.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      console.log(runs.length ? runs[runs.length - 1].id : "");
    });' "$1" < "$list"
  rm -f "$list"
}

# step NAME LOG -- COMMAND...: runs COMMAND (timed, output in experiments/logs/LOG) unless NAME finished.
step() {
  local name="$1" log="$2"; shift 3
  if [ -n "$(run_id "$name")" ]; then echo "skip: '$name' already finished"; return; fi
  echo "$(date -u +%H:%M:%S) start: $name"
  local t0=$SECONDS
  "$@" --runs "$RUNS" --plain > "experiments/logs/$log" 2>&1
  echo "$(date -u +%H:%M:%S) done: $name ($((SECONDS - t0)) s)" | tee -a experiments/logs/times.txt
}

# evaluate NAME [DIR]: `eval --json` of the run named NAME into DIR/<id>.json (default experiments/results,
# the folder summarize.mjs reads; experiments kept apart from its tables use another).
evaluate() {
  local id dir="${2:-experiments/results}"; id="$(run_id "$1")"
  [ -n "$id" ] || { echo "no finished run named '$1'" >&2; return 1; }
  mkdir -p "$dir"
  $CLI eval "$id" --runs "$RUNS" --json > "$dir/$id.json"
  echo "$1 -> $dir/$id.json"
}

# task_args NAME: sets TASK (the CLI's data flags, with each task's epochs and input length) and KEY
# (the log-file prefix) for an experiment task: SST-2, MRPC, CoLA, RTE, STS-B or Spam (the bundled
# SpamAssassin task). The epochs keep each teacher near 10 minutes on one core (docs/results.md, Setup).
task_args() {
  case "$1" in
    SST-2) TASK=(--task glue:SST-2 --glue-dir "$GLUE" --max-train 20000); KEY=sst2 ;;
    MRPC) TASK=(--task glue:MRPC --glue-dir "$GLUE" --epochs 5); KEY=mrpc ;;
    CoLA) TASK=(--task glue:CoLA --glue-dir "$GLUE" --epochs 5); KEY=cola ;;
    RTE) TASK=(--task glue:RTE --glue-dir "$GLUE" --epochs 6 --max-length 128); KEY=rte ;;
    STS-B) TASK=(--task glue:STS-B --glue-dir "$GLUE" --epochs 5); KEY=stsb ;;
    Spam) TASK=(--task demo); KEY=spam ;;
    *) echo "unknown task '$1' (give SST-2, MRPC, CoLA, RTE, STS-B or Spam)" >&2; exit 2 ;;
  esac
}

# teacher_of NAME: the id of the task's finished teacher run (trained by experiments/task.sh), or exit.
teacher_of() {
  local id; id=$(run_id "$1 teacher 4x128")
  [ -n "$id" ] || { echo "no finished '$1 teacher 4x128': run TEACHER_ONLY=1 experiments/task.sh $1 first" >&2; exit 1; }
  echo "$id"
}

# The demo's students through the CLI (trainer/cli/demo.ts DEMO): 2x64 on the labels of 500 mails, 10 epochs.
DEMO_STUDENT=(--task demo --max-train 500 --epochs 10 --batch-size 16 --lr 1e-3 --max-length 64 --eval-every 64
  --layers 2 --hidden 64 --heads 4 --ffn 256)
