# Shared by the experiment scripts that a sweep file cannot express (the sweeps are experiments/sweeps/,
# run with `lrc-distill sweep`): paths, and steps that are skipped when a finished run of the same name
# already exists in experiments/runs (so a script can be re-run after an interruption).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CLI="node dist/cli.js"
RUNS=experiments/runs
GLUE=${GLUE_DIR:-/work/shared/data/glue}
TOK=${TOKENIZER_DIR:-/work/shared/data/bert-base-uncased}
mkdir -p "$RUNS" experiments/logs
[ -f dist/cli.js ] || node esbuild.mjs

# run_id NAME: the newest finished run named NAME (empty when none).
run_id() {
  $CLI runs --runs "$RUNS" --json | node -e '
    const name = process.argv[1]; let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const runs = JSON.parse(s).runs.filter((r) => r.name === name && r.status === "finished");
      runs.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      console.log(runs.length ? runs[runs.length - 1].id : "");
    });' "$1"
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

# evaluate NAME DIR: `eval --json` of the run named NAME into DIR/<id>.json.
evaluate() {
  local id dir="$2"; id="$(run_id "$1")"
  [ -n "$id" ] || { echo "no finished run named '$1'" >&2; return 1; }
  mkdir -p "$dir"
  $CLI eval "$id" --runs "$RUNS" --json > "$dir/$id.json"
  echo "$1 -> $dir/$id.json"
}
