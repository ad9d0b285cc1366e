#!/usr/bin/env bash
# Creates the Python venv of the PyTorch peer (bench/peer/torch_lrc_step.py, `npm run bench -- --suite peer`)
# and of the checkpoint check (experiments/checkpoints/fetch.py --verify): torch and transformers from PyPI,
# pinned in bench/peer/requirements.txt, in a cache outside the repository:
#   ${LRC_DISTILL_CACHE:-~/.cache/lrc-distill}/venv
# About 5.6 GiB (torch's Linux wheel pulls NVIDIA's CUDA wheels) and a few minutes. Run again to repair or
# update it; a venv is ready once `.lrc-ready` is written, last, so a failed install is never taken for one.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${LRC_DISTILL_CACHE:-$HOME/.cache/lrc-distill}"
venv="$cache/venv"
python="${PYTHON:-python3}"
command -v "$python" >/dev/null || { echo "setup.sh: no $python: install Python 3.10+ with venv and pip (Debian: apt-get install python3-venv python3-pip)" >&2; exit 1; }
mkdir -p "$cache"
rm -f "$venv/.lrc-ready"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv" || { echo "setup.sh: '$python -m venv' failed (Debian: apt-get install python3-venv)" >&2; exit 1; }
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r "$here/requirements.txt"
"$venv/bin/python" - <<'PY'
import torch, transformers
assert torch.backends.mkldnn.is_available(), "this torch has no oneDNN"
a = torch.randn(64, 64, requires_grad=True)
(a @ a).sum().backward()
print(f"torch {torch.__version__} (MKL {torch.backends.mkl.is_available()}, oneDNN {torch.backends.mkldnn.is_available()}, {torch.backends.cpu.get_cpu_capability()}), transformers {transformers.__version__}")
PY
date -u +%FT%TZ > "$venv/.lrc-ready"
echo "ready: $venv"
