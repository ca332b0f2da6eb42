"""prunelab's recurrent training next to JAX (jax.jit + lax.scan on the CPU), measured in one run.

ROUNDS alternating rounds of RecurrentBench (GRU, 3 x 50, batch 32, dense and 90 % pruned) and
peer_gru_jax.py on the very same strings and batches (RecurrentBench writes them to a CSV the
peer reads). Prints ratio = prunelab / JAX (> 1: prunelab faster) as median [min, max] of the
per-round ratios, then the raw figures. Targets (issue 10): dense >= 1 (the peer's speed), and
prunelab at 90 % faster than prunelab dense.

Usage: rnn_peers.py --jar pipeline/target/prunelab.jar --python .venv-bench-jax/bin/python [--rounds 3] [--threads 2]
"""
import argparse
import os
import sys
import tempfile

from peers import INFO, parse, ratios, run, select, summary


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--jar", required=True)
    p.add_argument("--python", required=True)
    p.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "3")))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batches", type=int, default=40)
    p.add_argument("--log", default="bench-rnn-peers.log")
    args = p.parse_args()
    jar, py = os.path.abspath(args.jar), os.path.abspath(args.python)
    with tempfile.TemporaryDirectory(prefix="prunelab-rnn-bench-") as tmp:
        strings = os.path.join(tmp, "reber.csv")
        ours = ["java", "-cp", jar, "org.prunelab.stages.recurrent.RecurrentBench", str(args.batches),
                "--cells", "gru", "--bench-lines", "--strings", strings]
        peer = [py, "peer_gru_jax.py", "--strings", strings, "--batches", str(args.batches),
                "--threads", str(args.threads)]
        rounds = []
        with open(args.log, "w") as log:
            for r in range(args.rounds):
                print(f"round {r + 1}/{args.rounds}: prunelab GRU", file=sys.stderr, flush=True)
                figures = run("prunelab GRU", ours, False, log)
                print(f"round {r + 1}/{args.rounds}: JAX GRU", file=sys.stderr, flush=True)
                figures += run("JAX GRU", peer, True, log)
                rounds.append(figures)
    report(rounds, args)


def report(rounds, args):
    print(f"== prunelab / JAX, GRU 3x50 batch 32 on Reber strings, {args.rounds} alternating rounds: "
          "median [min, max] of per-round ratios (> 1: prunelab faster)")
    for line in sorted(INFO):
        print(f"   {line}")
    ours_dense = dict(name="rnn-train", impl="prunelab", cell="gru", pruned="0.00")
    ours_sparse = dict(name="rnn-train", impl="prunelab", cell="gru", pruned="0.90")
    jax_dense = dict(name="rnn-train", impl="jax", cell="gru", pruned="0.00")
    rows = [
        ("GRU dense: prunelab (1 thread) / JAX fp64 "
         f"({args.threads} threads)", ratios(select(rounds, **ours_dense), select(rounds, **jax_dense)), ">= 1"),
        ("GRU 90 % pruned: prunelab / JAX dense-masked", ratios(select(rounds, **ours_sparse), select(rounds, **jax_dense)), ""),
        ("GRU 90 % pruned / dense, prunelab", ratios(select(rounds, **ours_sparse), select(rounds, **ours_dense)), "> 1"),
    ]
    width = max(len(r[0]) for r in rows)
    for label, values, target in rows:
        print(f"{label:<{width}}  {summary(values):<24} {('target ' + target) if target else ''}")
    print(f"\n== Figures (samples/s): median [min, max] over {args.rounds} rounds")
    for label, want in (("prunelab GRU dense", ours_dense), ("prunelab GRU 90 % pruned", ours_sparse),
                        ("JAX GRU dense", jax_dense),
                        ("JAX GRU 90 % masked", dict(name="rnn-train", impl="jax", cell="gru", pruned="0.90"))):
        print(f"{label:<26} {summary(select(rounds, **want))}")


if __name__ == "__main__":
    main()
