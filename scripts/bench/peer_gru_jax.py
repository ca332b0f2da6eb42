"""Peer for prunelab's recurrent benchmark: the same Reber classifier in JAX on the CPU.

Model, as prunelab's RecurrentClassifier: ASCII code -> embedding (128 -> 50) -> 3 stacked GRU
layers of 50 (h' = n + z*(h - n), PyTorch gate convention) -> Linear(50 -> 2) on the last padded
time step -> softmax cross-entropy, mean over the batch. One "sample" is one string's forward pass
plus backpropagation through time (value_and_grad), no optimiser step, as in RecurrentBench.

Batches are rebuilt exactly as RecurrentBench builds them: batch b holds strings (b*32 + i) mod n
of the CSV RecurrentBench wrote, right-padded with code 0 to the batch's longest string. jax.jit
compiles once per padded length, so every batch shape is compiled in a warm-up pass before timing.
The time loop is lax.scan over time steps, the idiomatic fast form in JAX.

Pruned variant: JAX has no sparse recurrent kernel, so a masked model costs what the dense one
costs; masks multiply the weights (w * m) inside the jitted function, as a JAX user would write it.

Usage: peer_gru_jax.py --strings FILE [--batches 40] [--threads 2] [--repeats 3]
"""
import argparse
import csv
import os
import sys


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--strings", required=True)
    p.add_argument("--batches", type=int, default=40)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    return p.parse_args()


ARGS = parse_args()
# XLA's CPU thread pool is sized from these flags; they must be set before jax is imported.
os.environ["XLA_FLAGS"] = (f"--xla_cpu_multi_thread_eigen={'true' if ARGS.threads > 1 else 'false'} "
                           f"intra_op_parallelism_threads={ARGS.threads}")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ["JAX_ENABLE_X64"] = "1"   # prunelab trains in float64; compare like with like

import time  # noqa: E402

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

BATCH, EMBED, HIDDEN, LAYERS, VOCAB = 32, 50, 50, 3, 128


def read_strings(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows or "string" not in rows[0] or "valid" not in rows[0]:
        sys.exit(f"{path}: expected a Reber CSV with columns string,valid")
    return [r["string"] for r in rows], [int(r["valid"]) for r in rows]


def batches(strings, labels, count):
    out = []
    n = len(strings)
    for b in range(count):
        idx = [(b * BATCH + i) % n for i in range(BATCH)]
        longest = max(len(strings[i]) for i in idx)
        codes = np.zeros((BATCH, longest), dtype=np.int32)
        for row, i in enumerate(idx):
            codes[row, :len(strings[i])] = [ord(c) for c in strings[i]]
        out.append((jnp.asarray(codes.T), jnp.asarray(np.array([labels[i] for i in idx], dtype=np.int32))))
    return out


def init(key, pruned):
    """U(-1/sqrt(H), 1/sqrt(H)) for everything, as prunelab initialises; masks kept with density 1 - pruned."""
    bound = 1.0 / np.sqrt(HIDDEN)
    keys = iter(jax.random.split(key, 64))
    u = lambda shape: jax.random.uniform(next(keys), shape, jnp.float64, -bound, bound)  # noqa: E731
    params = {"embedding": u((VOCAB, EMBED)), "layers": [], "out_w": u((HIDDEN, 2)), "out_b": u((2,))}
    masks = []
    size_in = EMBED
    for _ in range(LAYERS):
        params["layers"].append({"wi": u((size_in, 3 * HIDDEN)), "wh": u((HIDDEN, 3 * HIDDEN)),
                                 "bi": u((3 * HIDDEN,)), "bh": u((3 * HIDDEN,))})
        masks.append({"wi": (jax.random.uniform(next(keys), (size_in, 3 * HIDDEN)) >= pruned).astype(jnp.float64),
                      "wh": (jax.random.uniform(next(keys), (HIDDEN, 3 * HIDDEN)) >= pruned).astype(jnp.float64)})
        size_in = HIDDEN
    return params, masks


def gru_layer(layer, mask, xs):
    wi, wh = layer["wi"] * mask["wi"], layer["wh"] * mask["wh"]
    gi_all = xs @ wi + layer["bi"]                      # the input projection for every step at once

    def step(h, gi):
        gh = h @ wh + layer["bh"]
        r = jax.nn.sigmoid(gi[:, :HIDDEN] + gh[:, :HIDDEN])
        z = jax.nn.sigmoid(gi[:, HIDDEN:2 * HIDDEN] + gh[:, HIDDEN:2 * HIDDEN])
        n = jnp.tanh(gi[:, 2 * HIDDEN:] + r * gh[:, 2 * HIDDEN:])
        h = n + z * (h - n)
        return h, h

    _, hs = jax.lax.scan(step, jnp.zeros((xs.shape[1], HIDDEN)), gi_all)
    return hs


def loss(params, masks, codes, labels):
    hs = params["embedding"][codes]                     # (T, B, E)
    for layer, mask in zip(params["layers"], masks):
        hs = gru_layer(layer, mask, hs)
    logits = hs[-1] @ params["out_w"] + params["out_b"]
    return -jnp.mean(jax.nn.log_softmax(logits)[jnp.arange(labels.shape[0]), labels])


def main():
    strings, labels = read_strings(ARGS.strings)
    data = batches(strings, labels, ARGS.batches)
    grad = jax.jit(jax.value_and_grad(loss))
    for pruned in (0.0, 0.9):
        params, masks = init(jax.random.PRNGKey(7), pruned)

        def run():
            for codes, y in data:
                value, g = grad(params, masks, codes, y)
            jax.block_until_ready(g)
            return value

        first = run()                                   # compiles every padded length
        if not np.isfinite(float(first)):
            sys.exit("peer_gru_jax: loss is not finite")
        best = float("inf")
        for _ in range(ARGS.repeats):
            t0 = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - t0)
        print(f"BENCH name=rnn-train impl=jax backend=xla-cpu precision=fp64 threads={ARGS.threads} cell=gru "
              f"pruned={pruned:.2f} value={ARGS.batches * BATCH / best:.2f} unit=samples/s loss={float(first):.4f}",
              flush=True)
    print(f"INFO jax {jax.__version__} devices={jax.devices()}", flush=True)


if __name__ == "__main__":
    main()
