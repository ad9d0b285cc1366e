"""transformers' side of experiments/checkpoints/fetch.py --verify (run in the venv of bench/peer/setup.sh).

    python compare.py <checkpoint folder> <dump prefix of dump-hidden.ts> [--tolerance 1e-4]

Loads the folder with transformers' BertModel (eager attention, float32, eval mode), runs it on the very
token ids, token types and attention mask our side used, and compares every layer's hidden states
(embedding output first) at the real tokens with ours: the largest absolute difference per layer and
overall, and the largest relative to the layer's largest value. As an independent check of the
tokenisation, transformers' own tokenizer for the folder (AutoTokenizer) encodes the same GLUE rows and
its ids are compared with the product's. Prints one JSON report; exit 1 when a difference exceeds the
tolerance or a token id differs.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch
import transformers
from transformers import AutoTokenizer, BertModel

TASK_COLUMNS = {  # GLUE dev files as glueTasks.ts reads them: (text column, pair column) or CoLA's positions
    "SST-2": ("sentence", None), "MRPC": ("#1 String", "#2 String"), "RTE": ("sentence1", "sentence2"),
    "STS-B": ("sentence1", "sentence2"),
}


def glue_rows(glue: Path, task: str, count: int) -> list[tuple[str, str | None]]:
    lines = (glue / task / "dev.tsv").read_text(encoding="utf-8-sig").split("\n")
    lines = [l for l in lines if l.strip() != ""]
    if task == "CoLA":  # no header: source, label, original label, sentence
        return [(l.split("\t")[3], None) for l in lines[:count]]
    header = lines[0].split("\t")
    a, b = TASK_COLUMNS[task]
    rows = [l.split("\t") for l in lines[1: count + 1]]
    return [(r[header.index(a)], r[header.index(b)] if b else None) for r in rows]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("folder")
    p.add_argument("dump")
    p.add_argument("--tolerance", type=float, default=1e-4)
    p.add_argument("--glue", default=str(Path(__file__).resolve().parents[3] / "shared" / "data" / "glue"))
    args = p.parse_args()
    torch.set_num_threads(1)
    meta = json.loads(Path(args.dump + ".json").read_text())
    raw = np.fromfile(args.dump + ".bin", dtype=np.uint8)
    H, layers = meta["hidden"], meta["layers"]

    model = BertModel.from_pretrained(args.folder, attn_implementation="eager", torch_dtype=torch.float32, add_pooling_layer=False).eval()
    per_layer_abs = np.zeros(layers)
    per_layer_ref = np.zeros(layers)
    tokens = 0
    ours_ids: list[list[int]] = []
    for b in meta["batches"]:
        B, L, n = b["batch"], b["length"], b["realTokens"]
        view = lambda off, count, dt: np.frombuffer(raw[off: off + count * 4].tobytes(), dtype=dt)
        ids = view(b["ids"], B * L, np.int32).reshape(B, L)
        types = view(b["types"], B * L, np.int32).reshape(B, L)
        mask = view(b["mask"], B * L, np.int32).reshape(B, L)
        ours = view(b["states"], layers * n * H, np.float32).reshape(layers, n, H)
        ours_ids += [list(ids[i, : mask[i].sum()]) for i in range(B)]
        with torch.no_grad():
            out = model(input_ids=torch.from_numpy(ids.astype(np.int64)), token_type_ids=torch.from_numpy(types.astype(np.int64)),
                        attention_mask=torch.from_numpy(mask.astype(np.int64)), output_hidden_states=True)
        real = mask.reshape(-1) == 1
        for k, h in enumerate(out.hidden_states):
            theirs = h.reshape(B * L, H).numpy()[real]
            per_layer_abs[k] = max(per_layer_abs[k], float(np.abs(theirs - ours[k]).max()))
            per_layer_ref[k] = max(per_layer_ref[k], float(np.abs(theirs).max()))
        tokens += n

    # transformers' tokenizer on the same GLUE rows, against the ids our side used.
    tokenizer = AutoTokenizer.from_pretrained(args.folder)
    per = -(-meta["examples"] // len(meta["tasks"]))
    theirs_ids = []
    for task in meta["tasks"]:
        for text, pair in glue_rows(Path(args.glue), task, per):
            theirs_ids.append(tokenizer(text, pair, truncation="longest_first", max_length=meta["maxLength"])["input_ids"])
    theirs_ids = theirs_ids[: meta["examples"]]
    id_mismatches = sum(1 for a, b in zip(ours_ids, theirs_ids) if list(map(int, a)) != list(b))

    worst = float(per_layer_abs.max())
    report = {
        "folder": meta["folder"], "ours": {"backend": meta["backend"], "tokenizer": meta["tokenizer"], "freshHead": meta["freshHead"], "notes": meta["loaderNotes"]},
        "transformers": transformers.__version__, "torch": torch.__version__,
        "examples": meta["examples"], "realTokens": tokens, "layers": layers,
        "maxAbsDiff": worst, "maxAbsDiffPerLayer": [float(f"{x:.3g}") for x in per_layer_abs],
        "maxAbsValuePerLayer": [float(f"{x:.4g}") for x in per_layer_ref],
        "maxRelDiff": float((per_layer_abs / per_layer_ref).max()),
        "tokenIdMismatches": id_mismatches, "tokenizerComparedWith": type(tokenizer).__name__,
        "tolerance": args.tolerance, "pass": worst <= args.tolerance and id_mismatches == 0 and len(ours_ids) == len(theirs_ids),
    }
    print(json.dumps(report, indent=2))
    sys.exit(0 if report["pass"] else 1)


if __name__ == "__main__":
    main()
