"""numpy GEMM at the RBM shapes and a large square one (the machine's roofline), fp64 and fp32,
per thread count: the peers of prunelab's LinalgBench (same names, same shapes)."""
import argparse

import numpy as np

from benchlib import best_seconds, blas_info, emit, int_list, limit_threads

SHAPES = [  # name, m, n, k, op(A) transposed, op(B) transposed — as in LinalgBench
    ("gemm-v.W", 100, 500, 784, False, False),
    ("gemm-h.Wt", 100, 784, 500, False, True),
    ("gemm-vt.h", 784, 500, 100, True, False),
    ("gemm-large", 1024, 1024, 1024, False, False),
]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    blas_info()
    rng = np.random.default_rng(1)
    for threads in int_list(args.threads):
        with limit_threads(threads):
            for name, m, n, k, ta, tb in SHAPES:
                for dtype, precision in ((np.float64, "fp64"), (np.float32, "fp32")):
                    a = rng.random((k, m) if ta else (m, k)).astype(dtype)
                    b = rng.random((n, k) if tb else (k, n)).astype(dtype)
                    opa, opb = (a.T if ta else a), (b.T if tb else b)  # views: BLAS gets the flag, no copy
                    c = np.empty((m, n), dtype=dtype)
                    reps = 3 if name == "gemm-large" else 50
                    seconds = best_seconds(lambda: [np.matmul(opa, opb, out=c) for _ in range(reps)], args.repeats) / reps
                    emit(name, "numpy", "openblas", precision, threads, 2.0 * m * n * k / seconds / 1e9, "GFLOP/s")


if __name__ == "__main__":
    main()
