"""The PyTorch peer of the benchmark's LRC step (issue 21): the same training step as our trainer
(trainer/train/distillStep.ts), written the way TextBrewer's distiller loop writes it, timed, one JSON
object on stdout. Run by `npm run bench -- --suite peer` (bench/suites/peer.ts) in the venv that
bench/peer/setup.sh creates (torch from PyPI: MKL and oneDNN kernels); alone:

    ~/.cache/lrc-distill/venv/bin/python bench/peer/torch_lrc_step.py --shape demo --steps 20 --threads 2
    ~/.cache/lrc-distill/venv/bin/python bench/peer/torch_lrc_step.py --check losses.json   # vs bench/peer/check-losses.ts

The step, stage 2 of LRC-BERT with the paper's defaults (docs/lrc-bert.md, /work/shared/docs/lrc-bert.md):
  teacher forward on the clean input, eval mode, no gradient (frozen);
  clean pass: E = the student's embedding output (training mode, dropout), L_total of the forward pass
    from E, G = dL_total/dE (only dx: torch.autograd.grad to E computes no weight gradient);
  delta = epsilon * G / |G|_2 per sample (epsilon 1), a constant;
  perturbed pass: E recomputed with the same dropout masks (the RNG reset to the step's seed), the
    forward pass from E + delta, L_total back-propagated to every student weight and projection;
  clip_grad_norm_ 1.0, AdamW (lr 1e-4, weight decay 0.01 except biases and LayerNorm weights, betas
    0.9/0.999, eps 1e-8) and a linear warm-up/decay scheduler step.
L_total = alpha L_mid + beta L_soft + gamma L_hard with alpha:beta:gamma 1:1:3, T 1.1:
  L_mid: per student layer i and teacher layer phi(i) = round(i N / M) (uniform), COS-NCE between
    vec(H_i^s W_i) and vec(H_phi(i)^t) ('flatten': L x d' values, padding rows zeroed) with the angular
    distance g = 1 - cos (norms smoothed by eps 1e-6) and the K = B - 1 other samples of the batch as
    negatives: g(z^t, z^s) + 1/(2K) sum_k [2 - (g(n_k, z^s) - g(z^t, z^s))], batch mean, summed over layers;
  L_soft: KL(softmax(y_t / T) || softmax(y_s / T)), batch mean, times T^2; L_hard: cross-entropy.
Models: transformers' BertForSequenceClassification of the benchmark's shapes (random weights: the cost
does not depend on them), dropout 0.1, its default attention implementation; inputs: random token ids,
every position real, as bench/lib/models.ts.
Timing: `--warmup` steps first (not timed: allocator, oneDNN primitives), then `--steps` steps, each its
wall time and this process's CPU time; the median is the figure. torch.set_num_threads(--threads).
"""
from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F
import transformers
from torch import nn
from transformers import BertConfig, BertForSequenceClassification

# The shapes of bench/lib/shapes.ts; the suite passes them with --shape-json so that they stay the same.
SHAPES = {
    "paper": {"teacher": {"layers": 12, "hidden": 768, "heads": 12, "intermediate": 3072},
              "student": {"layers": 4, "hidden": 312, "heads": 12, "intermediate": 1200},
              "vocab": 30522, "seq": 128, "batch": 16, "labels": 2},
    "demo": {"teacher": {"layers": 4, "hidden": 128, "heads": 4, "intermediate": 512},
             "student": {"layers": 2, "hidden": 64, "heads": 4, "intermediate": 256},
             "vocab": 6000, "seq": 64, "batch": 16, "labels": 2},
}
ALPHA, BETA, GAMMA, TEMPERATURE, EPSILON = 1.0, 1.0, 3.0, 1.1, 1.0
ANGULAR_EPS = 1e-6
LR, WEIGHT_DECAY, MAX_GRAD_NORM, TOTAL_STEPS, WARMUP_SHARE = 1e-4, 0.01, 1.0, 1000, 0.1


def bert(shape: dict, vocab: int, labels: int) -> BertForSequenceClassification:
    config = BertConfig(vocab_size=vocab, hidden_size=shape["hidden"], num_hidden_layers=shape["layers"],
                        num_attention_heads=shape["heads"], intermediate_size=shape["intermediate"],
                        max_position_embeddings=512, num_labels=labels)
    return BertForSequenceClassification(config)


class EmbeddingOutput(nn.Module):
    """BertEmbeddings, or a given embedding output E: the student's forward pass from E (+ delta)."""

    def __init__(self, embeddings: nn.Module):
        super().__init__()
        self.inner = embeddings
        self.given: torch.Tensor | None = None

    def forward(self, *args, **kwargs):
        return self.given if self.given is not None else self.inner(*args, **kwargs)


def uniform_mapping(student_layers: int, teacher_layers: int) -> list[tuple[int, int]]:
    # Math.round of trainer/losses/layerMapping.ts (halves up), not Python's round (halves to even).
    return [(i, int(math.floor(i * teacher_layers / student_layers + 0.5))) for i in range(1, student_layers + 1)]


def normalize_rows(x: torch.Tensor) -> torch.Tensor:
    return x / torch.sqrt((x * x).sum(-1, keepdim=True) + ANGULAR_EPS * ANGULAR_EPS)


def cos_nce(student_hidden: torch.Tensor, projection: torch.Tensor, teacher_hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """One mapped layer: (B, L, d), (d, d'), (B, L, d'), (B, L, 1) -> the batch mean of COS-NCE."""
    B = student_hidden.shape[0]
    zs = ((student_hidden @ projection) * mask).reshape(B, -1)  # (B, L*d')
    zt = (teacher_hidden * mask).reshape(B, -1)  # (B, L*d')
    g = 1 - normalize_rows(zs) @ normalize_rows(zt).T  # (B, B): [b][k] = g(z^s_b, vec_t_k)
    positive = g.diagonal()  # (B)
    negatives = 1 - torch.eye(B, dtype=g.dtype)  # K = B - 1
    terms = (2 - g + positive[:, None]) * negatives
    negative = terms.sum(1) / (2 * negatives.sum(1).clamp(min=1))
    return (positive + negative).mean()


def loss_terms(student_hidden, student_logits, teacher_hidden, teacher_logits, labels, mask, mapping, projections) -> dict:
    mid_per_layer = [cos_nce(student_hidden[i], w, teacher_hidden[j], mask) for (i, j), w in zip(mapping, projections)]
    mid = sum(mid_per_layer)
    log_pt = F.log_softmax(teacher_logits / TEMPERATURE, -1)
    log_ps = F.log_softmax(student_logits / TEMPERATURE, -1)
    soft = (log_pt.exp() * (log_pt - log_ps)).sum(-1).mean() * TEMPERATURE ** 2
    hard = F.cross_entropy(student_logits, labels)
    return {"total": ALPHA * mid + BETA * soft + GAMMA * hard, "mid": mid, "midPerLayer": mid_per_layer, "soft": soft, "hard": hard}


def total_loss(*args) -> torch.Tensor:
    return loss_terms(*args)["total"]


def perturbation(g: torch.Tensor) -> torch.Tensor:
    """epsilon * G / |G|_2 per sample (B, L, H); a zero G stays zero."""
    norm = g.pow(2).sum((1, 2), keepdim=True).sqrt()
    return EPSILON * g / torch.where(norm > 0, norm, torch.ones_like(norm))


class LrcStep:
    def __init__(self, shapes: dict, seed: int):
        torch.manual_seed(seed)
        self.teacher = bert(shapes["teacher"], shapes["vocab"], shapes["labels"]).eval()
        for p in self.teacher.parameters():
            p.requires_grad_(False)
        self.student = bert(shapes["student"], shapes["vocab"], shapes["labels"]).train()
        self.student.bert.embeddings = EmbeddingOutput(self.student.bert.embeddings)
        self.mapping = uniform_mapping(shapes["student"]["layers"], shapes["teacher"]["layers"])
        d, d_t = shapes["student"]["hidden"], shapes["teacher"]["hidden"]
        self.projections = nn.ParameterList([nn.Parameter(torch.randn(d, d_t) * 0.02) for _ in self.mapping])
        named = list(self.student.named_parameters()) + [(f"projection.{k}.weight", w) for k, w in enumerate(self.projections)]
        no_decay = ("bias", "LayerNorm.weight")
        groups = [
            {"params": [p for n, p in named if not any(s in n for s in no_decay)], "weight_decay": WEIGHT_DECAY},
            {"params": [p for n, p in named if any(s in n for s in no_decay)], "weight_decay": 0.0},
        ]
        self.params = [p for _, p in named]
        self.optimizer = torch.optim.AdamW(groups, lr=LR, betas=(0.9, 0.999), eps=1e-8)
        warmup = int(WARMUP_SHARE * TOTAL_STEPS)
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(
            self.optimizer, lambda s: s / max(1, warmup) if s < warmup else max(0.0, (TOTAL_STEPS - s) / max(1, TOTAL_STEPS - warmup)))
        B, L, V = shapes["batch"], shapes["seq"], shapes["vocab"]
        self.inputs = {
            "input_ids": torch.randint(1, V, (B, L)),
            "attention_mask": torch.ones(B, L, dtype=torch.long),
            "token_type_ids": torch.zeros(B, L, dtype=torch.long),
        }
        self.labels = torch.arange(B) % shapes["labels"]
        self.mask3 = self.inputs["attention_mask"].unsqueeze(-1).float()  # (B, L, 1)

    def student_from(self, e: torch.Tensor):
        """The student's forward pass from the embedding output e: (hidden states, logits)."""
        self.student.bert.embeddings.given = e
        try:
            out = self.student(**self.inputs, output_hidden_states=True)
        finally:
            self.student.bert.embeddings.given = None
        return out.hidden_states, out.logits

    def embed(self) -> torch.Tensor:
        emb = self.student.bert.embeddings.inner
        return emb(input_ids=self.inputs["input_ids"], token_type_ids=self.inputs["token_type_ids"])

    def step(self, seed: int) -> dict:
        # Teacher: frozen, eval mode, no graph.
        with torch.no_grad():
            t = self.teacher(**self.inputs, output_hidden_states=True)
        t_hidden, t_logits = t.hidden_states, t.logits
        loss_of = lambda hidden, logits: total_loss(hidden, logits, t_hidden, t_logits, self.labels, self.mask3, self.mapping, self.projections)

        # 1-2: clean pass, G = dL/dE only.
        torch.manual_seed(seed)
        with torch.no_grad():
            e = self.embed()
        e.requires_grad_(True)
        clean = loss_of(*self.student_from(e))
        (g,) = torch.autograd.grad(clean, e)
        # 3: delta = epsilon * G / |G| per sample (a zero G stays zero).
        delta = perturbation(g)
        # 4: perturbed pass from E + delta (E again, same dropout masks), back to every weight.
        torch.manual_seed(seed)
        perturbed = loss_of(*self.student_from(self.embed() + delta))
        self.optimizer.zero_grad(set_to_none=True)
        perturbed.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(self.params, MAX_GRAD_NORM)
        self.optimizer.step()
        self.scheduler.step()
        return {"clean": clean.item(), "perturbed": perturbed.item(), "gradNorm": grad_norm.item()}


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    value = fn()
    return value, {"wallMs": (time.perf_counter() - w) * 1000, "cpuMs": (time.process_time() - c) * 1000}


def matmul_peak(samples: int = 5) -> dict:
    """The best of `samples` 1024^3 float32 products (2 x 1024^3 FLOPs), as bench's MatMulReference."""
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    torch.mm(a, b)
    best = math.inf
    for _ in range(samples):
        t = time.perf_counter()
        for _ in range(4):
            torch.mm(a, b)
        best = min(best, (time.perf_counter() - t) / 4)
    return {"what": "torch.mm 1024 x 1024 x 1024 float32", "gflops": 2 * 1024 ** 3 / best / 1e9}


def check(path: str) -> None:
    """Our losses and delta (bench/peer/check-losses.ts) against this script's on the same tensors; exit 1 if they differ."""
    d = json.loads(open(path).read())
    t = lambda a, dtype=torch.float32: torch.tensor(a["values"], dtype=dtype).reshape(a["shape"])
    x = d["inputs"]
    w = d["weights"]
    if (w["alpha"], w["beta"], w["gamma"], w["temperature"], d["epsilon"]) != (ALPHA, BETA, GAMMA, TEMPERATURE, EPSILON):
        raise SystemExit(f"check: our stage-2 settings {w}, epsilon {d['epsilon']} differ from this script's")
    mask3 = t(x["mask"]).unsqueeze(-1)
    B = mask3.shape[0]
    mapping = uniform_mapping(len(x["studentHidden"]) - 1, len(x["teacherHidden"]) - 1)
    if [list(p) for p in mapping] != d["mapping"]:
        raise SystemExit(f"check: layer mapping {mapping}, ours {d['mapping']}")
    terms = loss_terms([t(h) for h in x["studentHidden"]], t(x["studentLogits"]), [t(h) for h in x["teacherHidden"]], t(x["teacherLogits"]),
                       t(x["labels"], torch.long).reshape(B), mask3, mapping, [t(p) for p in x["projections"]])
    theirs = {"total": terms["total"].item(), "mid": terms["mid"].item(), "soft": terms["soft"].item(), "hard": terms["hard"].item(),
              "midPerLayer": [m.item() for m in terms["midPerLayer"]]}
    delta = perturbation(t(x["gradient"]))
    ours = d["ours"]
    diffs = {k: abs(theirs[k] - ours[k]) for k in ("total", "mid", "soft", "hard")}
    diffs["midPerLayer"] = max(abs(a - b) for a, b in zip(theirs["midPerLayer"], ours["midPerLayer"]))
    diffs["delta"] = float((delta - t(ours["delta"])).abs().max())
    # float32 rounding: 1e-5 of the value (at least 1e-5) for the loss terms, 1e-5 for delta's entries.
    ok = all(v <= 1e-5 * max(1.0, abs(ours[k]) if k in ("total", "mid", "soft", "hard") else 1.0) for k, v in diffs.items())
    print(json.dumps({"check": "losses", "ours": {k: ours[k] for k in ("total", "mid", "soft", "hard", "midPerLayer")}, "peer": theirs, "maxAbsDiff": diffs, "pass": ok}))
    sys.exit(0 if ok else 1)


def main() -> None:
    p = argparse.ArgumentParser(description="The PyTorch peer of the benchmark's LRC step")
    p.add_argument("--shape", action="append", choices=sorted(SHAPES), help="shapes to time (repeatable; default demo and paper)")
    p.add_argument("--shape-json", help="the shapes as JSON {name: shapes} (bench/lib/shapes.ts), instead of the built-in ones")
    p.add_argument("--steps", type=int, default=10, help="timed steps per shape (median reported)")
    p.add_argument("--warmup", type=int, default=2, help="untimed steps first")
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (our run's thread count)")
    p.add_argument("--check", metavar="JSON", help="no timing: compare the losses with ours (bench/peer/check-losses.ts output)")
    args = p.parse_args()
    if args.check:
        return check(args.check)
    torch.set_num_threads(args.threads)
    shapes = json.loads(args.shape_json) if args.shape_json else {k: SHAPES[k] for k in (args.shape or ["demo", "paper"])}

    results = []
    for name, s in shapes.items():
        step = LrcStep(s, seed=1)
        warm = [timed(lambda i=i: step.step(1000 + i))[1] for i in range(args.warmup)]
        runs = [timed(lambda i=i: step.step(2000 + i)) for i in range(args.steps)]
        losses = [v for v, _ in runs]
        times = [t for _, t in runs]
        if not all(math.isfinite(l["perturbed"]) for l in losses):
            raise SystemExit(f"{name}: a non-finite loss {losses}")
        results.append({
            "shape": name, "shapes": s, "mapping": step.mapping, "warmup": warm, "steps": times,
            "median": {"wallMs": statistics.median(t["wallMs"] for t in times), "cpuMs": statistics.median(t["cpuMs"] for t in times)},
            "losses": {"first": losses[0], "last": losses[-1]},
        })
        del step
    print(json.dumps({
        "torch": torch.__version__, "transformers": transformers.__version__, "python": sys.version.split()[0],
        "threads": torch.get_num_threads(), "mkl": torch.backends.mkl.is_available(), "mkldnn": torch.backends.mkldnn.is_available(),
        "cpuCapability": torch.backends.cpu.get_cpu_capability(),
        "attention": BertForSequenceClassification(BertConfig(num_hidden_layers=1, hidden_size=12, num_attention_heads=1, intermediate_size=12, vocab_size=10)).config._attn_implementation,
        "matmulPeak": matmul_peak(), "results": results,
    }))


if __name__ == "__main__":
    main()
