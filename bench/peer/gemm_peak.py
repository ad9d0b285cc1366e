"""The machine's float32 GEMM peak, for the benchmark's shares: numpy's matmul (its bundled OpenBLAS) on
square float32 matrices, best of several repetitions, with the BLAS thread count given.

    OPENBLAS_NUM_THREADS=2 python bench/peer/gemm_peak.py --size 4096 --repeats 5 --threads 2

prints JSON: gflops (best), the size, numpy's version and the BLAS library threadpoolctl reports (its
kernel, e.g. Haswell or SkylakeX, tells whether OpenBLAS picked this CPU's widest kernel)."""
import argparse
import json
import time

import numpy as np


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--size", type=int, default=4096)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    blas = []
    try:
        from threadpoolctl import threadpool_info, threadpool_limits

        threadpool_limits(args.threads)
        blas = [{k: i.get(k) for k in ("internal_api", "version", "architecture", "num_threads")} for i in threadpool_info()]
    except ImportError:
        pass
    rng = np.random.default_rng(0)
    n = args.size
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    a @ b  # warm-up
    best = float("inf")
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({"gflops": 2 * n**3 / best / 1e9, "size": n, "numpy": np.__version__, "blas": blas, "threads": args.threads}))


if __name__ == "__main__":
    main()
