"""scipy.sparse CSR products with a masked 784x500 weight matrix at sparsity s (single-threaded, as
scipy.sparse is): the visible product v·W (as Wᵀ_csr · vᵀ) and the hidden product h·Wᵀ (as W_csr · hᵀ)
for a batch of 100 binarised MNIST images, fp64 and fp32. Printed as samples/s (batch rows per
second) so they compare with dense products of the same batch."""
import argparse

import numpy as np
import scipy.sparse as sp

from benchlib import best_seconds, binarised, blas_info, emit, float_list, mnist


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--mnist", required=True)
    p.add_argument("--sparsities", default="0.9,0.99")
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    blas_info()
    images, _ = mnist(args.mnist, 100)
    rng = np.random.default_rng(7)
    for sparsity in float_list(args.sparsities):
        mask = rng.random((784, 500)) >= sparsity
        w = rng.standard_normal((784, 500)) * mask
        for dtype, precision in ((np.float64, "fp64"), (np.float32, "fp32")):
            v_t = np.ascontiguousarray(binarised(images, dtype).T)  # 784 x 100
            h_t = (rng.random((500, 100)) < 0.5).astype(dtype)
            w_csr = sp.csr_matrix(w.astype(dtype))
            wt_csr = sp.csr_matrix(w.T.astype(dtype))
            reps = 50
            t_vw = best_seconds(lambda: [wt_csr @ v_t for _ in range(reps)], args.repeats) / reps
            t_hw = best_seconds(lambda: [w_csr @ h_t for _ in range(reps)], args.repeats) / reps
            emit("csr-v.W", "scipy", "csr", precision, 1, 100 / t_vw, "samples/s", sparsity=sparsity)
            emit("csr-h.Wt", "scipy", "csr", precision, 1, 100 / t_hw, "samples/s", sparsity=sparsity)


if __name__ == "__main__":
    main()
