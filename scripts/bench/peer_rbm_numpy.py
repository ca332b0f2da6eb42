"""A masked RBM in plain numpy, fp32 (784x500, batch 100): CD-1 and PCD-10 (100 persistent chains)
with momentum and weight decay, the mask applied to the gradient so pruned weights stay 0 — the
dense-with-mask way a Python user would write it. Binarised MNIST; samples/s per sparsity and
thread count."""
import argparse

import numpy as np

from benchlib import best_seconds, binarised, blas_info, emit, float_list, int_list, limit_threads, mnist

NV, NH, BATCH = 784, 500, 100
LR, MOMENTUM, DECAY = 0.01, 0.5, 1e-4


def sigmoid_(x):
    """In place, no temporaries: x <- 1 / (1 + exp(-x))."""
    np.negative(x, out=x)
    np.exp(x, out=x)
    x += 1.0
    np.reciprocal(x, out=x)
    return x


class MaskedRbm:
    def __init__(self, sparsity, dtype, rng):
        self.dtype = dtype
        self.mask = (rng.random((NV, NH)) >= sparsity).astype(dtype)
        self.w = (rng.standard_normal((NV, NH)) * 0.01).astype(dtype) * self.mask
        self.b = np.zeros(NV, dtype)
        self.c = np.zeros(NH, dtype)
        self.vel = np.zeros_like(self.w)
        self.rng = rng

    def hidden(self, v):
        return sigmoid_(v @ self.w + self.c)

    def visible(self, h):
        return sigmoid_(h @ self.w.T + self.b)

    def sample(self, p):
        return (self.rng.random(p.shape, dtype=self.dtype) < p).astype(self.dtype)

    def update(self, v, neg_v):
        ph = self.hidden(v)
        neg_ph = self.hidden(neg_v)
        grad = (v.T @ ph - neg_v.T @ neg_ph) * (1.0 / v.shape[0])
        grad -= DECAY * self.w
        grad *= self.mask
        self.vel *= MOMENTUM
        self.vel += LR * grad
        self.w += self.vel
        self.b += LR * (v.mean(axis=0) - neg_v.mean(axis=0))
        self.c += LR * (ph.mean(axis=0) - neg_ph.mean(axis=0))


def train_pass(x, rbm, algorithm):
    chains = x[:BATCH].copy()
    for start in range(0, x.shape[0] - BATCH + 1, BATCH):
        v = x[start:start + BATCH]
        if algorithm == "cd1":
            neg = rbm.sample(rbm.visible(rbm.sample(rbm.hidden(v))))
        else:  # pcd10: ten Gibbs steps on the persistent chains
            for _ in range(10):
                chains = rbm.sample(rbm.visible(rbm.sample(rbm.hidden(chains))))
            neg = chains
        rbm.update(v, neg)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--mnist", required=True)
    p.add_argument("--images", type=int, default=3000)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--sparsities", default="0,0.9,0.99")
    p.add_argument("--algorithms", default="cd1,pcd10")
    p.add_argument("--repeats", type=int, default=2)
    args = p.parse_args()
    blas_info()
    images, _ = mnist(args.mnist, args.images)
    x = binarised(images, np.float32)
    for algorithm in args.algorithms.split(","):
        if algorithm not in ("cd1", "pcd10"):
            raise SystemExit(f"--algorithms: unknown {algorithm!r}; expected cd1 and/or pcd10")
        # PCD-10 costs ~5x a CD-1 pass: fewer images keep each figure near a second.
        n = x.shape[0] if algorithm == "cd1" else max(BATCH, x.shape[0] // 4 // BATCH * BATCH)
        for threads in int_list(args.threads):
            with limit_threads(threads):
                for sparsity in float_list(args.sparsities):
                    rbm = MaskedRbm(sparsity, np.float32, np.random.default_rng(7))
                    seconds = best_seconds(lambda: train_pass(x[:n], rbm, algorithm), args.repeats)
                    emit(f"rbm-{algorithm}", "numpy", "masked-dense", "fp32", threads, n / seconds, "samples/s",
                         sparsity=sparsity)


if __name__ == "__main__":
    main()
