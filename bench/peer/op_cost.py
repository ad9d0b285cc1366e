"""The op cases of bench/lib/opCases.ts in PyTorch: microseconds per call, median of timed rounds.

Usage: op_cost.py --cases '<json list of {name, shapes, calls}>' --rounds N --threads T
Prints one JSON object: {"torch": version, "threads": T, "cases": {name: [us per call of each round]}}.
"""
import argparse
import json
import time

import torch


def op_of(name, a, b):
    ops = {
        "mul_1": lambda: a * b,
        "mul_scalar": lambda: a * b,
        "mul": lambda: a * b,
        "mul_ffn": lambda: a * b,
        "add_bias": lambda: a + b,
        "sum_rows": lambda: a.sum(0),
        "mean_last": lambda: a.mean(-1, keepdim=True),
        "softmax": lambda: torch.softmax(a, -1),
        "matmul_qkv": lambda: a @ b,
        "matmul_scores": lambda: a @ b.transpose(-1, -2),
    }
    if name not in ops:
        raise SystemExit(f"op_cost.py: no PyTorch form of op case {name}")
    return ops[name]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cases", required=True)
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--threads", type=int, required=True)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    gen = torch.Generator().manual_seed(17)
    out = {}
    with torch.no_grad():
        for case in json.loads(args.cases):
            tensors = [torch.randn(*s, generator=gen) if s else torch.randn((), generator=gen) for s in case["shapes"]]
            a = tensors[0]
            b = tensors[1] if len(tensors) > 1 else None
            op = op_of(case["name"], a, b)
            for _ in range(max(20, case["calls"] // 10)):
                op()
            rounds = []
            for _ in range(args.rounds):
                t0 = time.perf_counter()
                for _ in range(case["calls"]):
                    op()
                rounds.append(1e6 * (time.perf_counter() - t0) / case["calls"])
            out[case["name"]] = rounds
    print(json.dumps({"torch": torch.__version__, "threads": args.threads, "cases": out}))


if __name__ == "__main__":
    main()
