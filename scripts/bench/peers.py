"""prunelab next to its peers, measured in the same run.

Runs ROUNDS rounds; in each, every prunelab benchmark and every peer benchmark runs once, in
alternation (prunelab, peer, prunelab, peer, ...), so a slow spell of a shared machine hits both
sides. Then prints, per comparison, ratio = prunelab / peer (> 1: prunelab is faster) as
median [min, max] over the rounds, each round's ratio taken from the same round's two figures; the
raw figures (median [min, max]); and the projected hours of one paper-scale RBM training (60k
images, PCD-10, 50 epochs) and of the reproduce-rbm study, prunelab's kernels next to the numpy peer;
and the limits the targets run into: the products-only ceiling of a dense update (its GEMMs at prunelab's
own GEMM speed in the same round, nothing else) against the peer, and the sparse kernel at s = 0.999,
where what is left is the work no sparsity removes (the ceiling of sparse / dense at any sparsity).
prunelab figures are compared at the peer's thread count (runtime.threads = 1 or 2). prunelab runs
its dense kernels in both runtime.precisions: fp64 (the default) and fp32 (sgemm products, float64
master weights), each printed next to the peers' fp32 and fp64 figures. Its RBM training runs in both
runtime.samplings: sequential (the default) and counter (Philox draws fused with the sigmoid, split over
the threads); a line without a sampling field is sequential.

Python peers run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from their environment (they
slow a current numpy; see INFO lines for the kernel numpy then runs); prunelab runs keep the
environment as it is.

Usage: peers.py --jar pipeline/target/prunelab.jar --mnist data/mnist --python .venv-bench/bin/python [--rounds 3]
       [--precisions fp64,fp32] [--samplings sequential,counter] [--only LABEL,...]   (--only: run just the benchmarks whose label contains one of
       the given strings, e.g. a quick check of new lines; comparisons without figures print n/a)
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LINE = re.compile(r"^BENCH (.*)$")
PAPER_IMAGES, PAPER_EPOCHS = 60000, 50
# MlpBench's figure is its best epoch after one warm-up epoch; with a single measured epoch of 62 updates the
# JIT is often still compiling (figures swung 40k-80k samples/s between runs), so it gets three, as the
# sklearn peer takes the best of its repeats.
MLP_EPOCHS = "3"
# The reproduce-rbm study (402 trainings, most shorter than the paper setting) costs, by issue 9's
# own figures, 352 h where one paper-scale training costs 4.3 h: ~82 paper-scale trainings.
STUDY_IN_PAPER_TRAININGS = 352 / 4.3


def parse(output):
    figures = []
    for line in output.splitlines():
        m = LINE.match(line)
        if m:
            fields = dict(kv.split("=", 1) for kv in m.group(1).split())
            fields["value"] = float(fields["value"])
            fields.setdefault("sampling", "sequential")  # RbmTrainBench marks counter lines only
            figures.append(fields)
    return figures


def run(label, cmd, peer, log, parser=parse):
    env = dict(os.environ)
    if peer:
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    t0 = time.time()
    proc = subprocess.run(cmd, cwd=HERE if peer else None, env=env, capture_output=True, text=True)
    log.write(f"### {label} ({time.time() - t0:.0f} s): {' '.join(cmd)}\n{proc.stdout}{proc.stderr}\n")
    log.flush()
    if proc.returncode != 0:
        sys.exit(f"peers: {label} failed with exit code {proc.returncode}:\n{proc.stderr[-2000:]}")
    for line in proc.stdout.splitlines():
        if line.startswith("INFO "):
            INFO.add(f"{label}: {line[5:]}")
    return parser(proc.stdout)


INFO = set()


def select(rounds, **want):
    """Per round, the value of the one figure matching `want` (None where a round lacks it); sequential
    sampling unless `want` names another."""
    want = {"sampling": "sequential", **want}
    out = []
    for figures in rounds:
        match = [f["value"] for f in figures if all(str(f.get(k)) == str(v) for k, v in want.items())]
        out.append(match[0] if match else None)
    return out


def summary(values):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    return f"{statistics.median(values):.3g} [{min(values):.3g}, {max(values):.3g}]"


def ratios(a, b):
    return [x / y if x is not None and y else None for x, y in zip(a, b)]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--jar", required=True)
    p.add_argument("--mnist", required=True)
    p.add_argument("--python", required=True)
    p.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "3")))
    p.add_argument("--log", default=os.environ.get("BENCH_LOG", "bench-peers.log"))
    p.add_argument("--precisions", default="fp64,fp32", help="runtime.precisions of prunelab's dense kernels")
    p.add_argument("--samplings", default="sequential,counter", help="runtime.samplings of prunelab's RBM training")
    p.add_argument("--only", default="", help="comma-separated label substrings: run only these benchmarks")
    args = p.parse_args()
    precisions = args.precisions
    jar, mnist, py = os.path.abspath(args.jar), os.path.abspath(args.mnist), os.path.abspath(args.python)
    java = ["java", "--add-modules", "jdk.incubator.vector", "-cp", jar]
    pairs = [  # (label, prunelab command, parser) alternating with (label, peer command)
        (("prunelab GEMM", java + ["org.prunelab.stages.linalg.LinalgBench", "native,java", "1,2"], parse),
         ("numpy GEMM", [py, "peer_gemm.py"])),
        (("prunelab RBM", java + ["org.prunelab.stages.families.rbm.RbmTrainBench", mnist, "2000", "cd1,pcd10",
                                  "0,0.9,0.99,0.999", "1,2", precisions, args.samplings], parse),
         ("sklearn BernoulliRBM", [py, "peer_rbm_sklearn.py", "--mnist", mnist])),
        (None, ("numpy masked RBM", [py, "peer_rbm_numpy.py", "--mnist", mnist])),
        (("prunelab MLP 1T", java + ["org.prunelab.stages.families.mlp.MlpBench", mnist, "4000", MLP_EPOCHS, "1", precisions],
          parse), None),
        (("prunelab MLP 2T", java + ["org.prunelab.stages.families.mlp.MlpBench", mnist, "4000", MLP_EPOCHS, "2", precisions],
          parse),
         ("sklearn MLPClassifier", [py, "peer_mlp_sklearn.py", "--mnist", mnist])),
        (None, ("scipy.sparse CSR", [py, "peer_sparse_scipy.py", "--mnist", mnist])),
    ]
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        keep = lambda bench: bench if bench and any(w in bench[0] for w in wanted) else None
        pairs = [(keep(ours), keep(peer)) for ours, peer in pairs]
    rounds = []
    with open(args.log, "w") as log:
        for r in range(args.rounds):
            figures = []
            for ours, peer in pairs:
                if ours:
                    print(f"round {r + 1}/{args.rounds}: {ours[0]}", file=sys.stderr, flush=True)
                    figures += run(ours[0], ours[1], False, log, ours[2])
                if peer:
                    print(f"round {r + 1}/{args.rounds}: {peer[0]}", file=sys.stderr, flush=True)
                    figures += run(peer[0], peer[1], True, log)
            rounds.append(figures)
    report(rounds, args)


def report(rounds, args):
    print(f"== prunelab / peer, {args.rounds} alternating rounds: median [min, max] of per-round ratios (> 1: prunelab faster)")
    for line in sorted(INFO):
        print(f"   {line}")
    rows = []

    def compare(label, ours, theirs, target=""):
        rows.append((label, summary(ratios(select(rounds, **ours), select(rounds, **theirs))), target))

    for shape in ("gemm-v.W", "gemm-h.Wt", "gemm-vt.h", "gemm-large"):
        for precision in ("fp64", "fp32"):
            for threads in (1, 2):
                compare(f"{shape} {precision} {threads}T: openblas-native / numpy",
                        dict(name=shape, impl="prunelab", backend="openblas-native", precision=precision, threads=threads),
                        dict(name=shape, impl="numpy", precision=precision, threads=threads),
                        ">= 0.8" if shape != "gemm-large" else "")
    for shape in ("gemm-v.W", "gemm-h.Wt", "gemm-vt.h"):
        for threads in (1, 2):
            compare(f"{shape} fp64 {threads}T: pure Java (forced) / numpy",
                    dict(name=shape, impl="prunelab", backend=_java_backend(rounds), precision="fp64", threads=threads),
                    dict(name=shape, impl="numpy", precision="fp64", threads=threads))
    for precision, threads in (("fp64", 1), ("fp64", 2), ("fp32", 1), ("fp32", 2)):
        compare(f"RBM CD-1 dense: prunelab {threads}T / sklearn BernoulliRBM {precision} {threads}T",
                dict(name="rbm-cd1", impl="prunelab", backend="dense", precision="fp64", sparsity="0.0", threads=threads),
                dict(name="rbm-cd1", impl="sklearn", precision=precision, threads=threads))
    for precision, threads in (("fp64", 1), ("fp64", 2), ("fp32", 1), ("fp32", 2)):
        compare(f"RBM CD-1 dense: prunelab fp32 {threads}T / sklearn BernoulliRBM {precision} {threads}T",
                dict(name="rbm-cd1", impl="prunelab", backend="dense", precision="fp32", sparsity="0.0", threads=threads),
                dict(name="rbm-cd1", impl="sklearn", precision=precision, threads=threads),
                ">= 1.5 (vs fastest)" if (precision, threads) == ("fp32", 2) else "")
    for algorithm, label in (("cd1", "CD-1"), ("pcd10", "PCD-10")):
        for s in ("0.0", "0.9", "0.99"):
            backend = "dense" if s == "0.0" else "sparse"
            for threads in (1, 2):
                compare(f"RBM {label} s={s}: prunelab {backend} fp64 {threads}T / numpy masked fp32 {threads}T",
                        dict(name=f"rbm-{algorithm}", impl="prunelab", backend=backend, precision="fp64", sparsity=s,
                             threads=threads),
                        dict(name=f"rbm-{algorithm}", impl="numpy", threads=threads, sparsity=s))
                if s == "0.0":
                    compare(f"RBM {label} s={s}: prunelab dense fp32 {threads}T / numpy masked fp32 {threads}T",
                            dict(name=f"rbm-{algorithm}", impl="prunelab", backend="dense", precision="fp32",
                                 sparsity=s, threads=threads),
                            dict(name=f"rbm-{algorithm}", impl="numpy", threads=threads, sparsity=s),
                            ">= 1.5" if (algorithm, threads) == ("pcd10", 2) else "")
        for threads in (1, 2):
            compare(f"RBM {label} dense: prunelab fp32 / own fp64, {threads}T",
                    dict(name=f"rbm-{algorithm}", impl="prunelab", backend="dense", precision="fp32", sparsity="0.0",
                         threads=threads),
                    dict(name=f"rbm-{algorithm}", impl="prunelab", backend="dense", precision="fp64", sparsity="0.0",
                         threads=threads))
        for s, target in (("0.9", ">= 3"), ("0.99", ">= 10")):
            for threads in (1, 2):
                compare(f"RBM {label} s={s}: prunelab sparse / own dense fp64, {threads}T",
                        dict(name=f"rbm-{algorithm}", impl="prunelab", backend="sparse", sparsity=s, threads=threads),
                        dict(name=f"rbm-{algorithm}", impl="prunelab", backend="dense", precision="fp64", sparsity="0.0",
                             threads=threads),
                        target)
    for algorithm, label, peer in (("cd1", "CD-1", "sklearn"), ("pcd10", "PCD-10", "numpy")):
        for precision in ("fp64", "fp32"):
            for threads in (1, 2):
                theirs = dict(name=f"rbm-{algorithm}", impl=peer, threads=threads)
                theirs.update(dict(precision="fp32") if peer == "sklearn" else dict(sparsity="0.0"))
                target = ">= 1.5" if (precision, threads) == ("fp32", 2) else ""
                compare(f"RBM {label} dense, counter sampling: prunelab {precision} {threads}T / {peer} fp32 {threads}T",
                        dict(name=f"rbm-{algorithm}", impl="prunelab", backend="dense", precision=precision,
                             sparsity="0.0", threads=threads, sampling="counter"), theirs, target)
                compare(f"RBM {label} dense {precision}: prunelab counter / own sequential sampling, {threads}T",
                        dict(name=f"rbm-{algorithm}", impl="prunelab", backend="dense", precision=precision,
                             sparsity="0.0", threads=threads, sampling="counter"),
                        dict(name=f"rbm-{algorithm}", impl="prunelab", backend="dense", precision=precision,
                             sparsity="0.0", threads=threads))
        for s in ("0.9", "0.99"):
            compare(f"RBM {label} s={s} sparse: prunelab counter / own sequential sampling, 2T",
                    dict(name=f"rbm-{algorithm}", impl="prunelab", backend="sparse", sparsity=s, threads=2,
                         sampling="counter"),
                    dict(name=f"rbm-{algorithm}", impl="prunelab", backend="sparse", sparsity=s, threads=2))
    for ours in ("fp64", "fp32"):
        for precision, threads in (("fp64", 1), ("fp64", 2), ("fp32", 1), ("fp32", 2)):
            compare(f"MLP 784-100-10 SGD dense: prunelab {ours} {threads}T / sklearn MLPClassifier {precision} {threads}T",
                    dict(name="mlp-sgd", impl="prunelab", backend="dense", precision=ours, compression="0", threads=threads),
                    dict(name="mlp-sgd", impl="sklearn", precision=precision, threads=threads),
                    ">= 1.5 (vs fastest)" if (precision, threads) == ("fp32", 2) else "")
    for threads in (1, 2):
        compare(f"MLP 784-100-10 SGD dense: prunelab fp32 / own fp64, {threads}T",
                dict(name="mlp-sgd", impl="prunelab", backend="dense", precision="fp32", compression="0", threads=threads),
                dict(name="mlp-sgd", impl="prunelab", backend="dense", precision="fp64", compression="0", threads=threads))
    for c in ("80", "90", "95"):
        for threads in (1, 2):
            compare(f"MLP {c} % compression: prunelab sparse / own dense fp64, {threads}T",
                    dict(name="mlp-sgd", impl="prunelab", backend="sparse", compression=c, threads=threads),
                    dict(name="mlp-sgd", impl="prunelab", backend="dense", precision="fp64", compression="0", threads=threads),
                    ">= 2" if c == "90" else "")
            compare(f"MLP {c} % compression: prunelab dense kernel on the pruned net / own dense fp64, {threads}T",
                    dict(name="mlp-sgd", impl="prunelab", backend="dense", precision="fp64", compression=c, threads=threads),
                    dict(name="mlp-sgd", impl="prunelab", backend="dense", precision="fp64", compression="0", threads=threads))
    width = max(len(r[0]) for r in rows)
    for label, value, target in rows:
        print(f"{label:<{width}}  {value:<24} {('target ' + target) if target else ''}")

    print(f"\n== Figures: median [min, max] over {args.rounds} rounds")
    seen = {}
    for figures in rounds:
        for f in figures:
            k = tuple((n, f[n]) for n in ("name", "impl", "backend", "precision", "threads", "sparsity", "sampling",
                                          "compression", "unit") if n in f and (n, f[n]) != ("sampling", "sequential"))
            seen.setdefault(k, []).append(f["value"])
    for k in sorted(seen):
        print(f"{' '.join(f'{n}={v}' for n, v in k):<110} {summary(seen[k])}")

    limits(rounds)

    print("\n== Projected hours: one paper-scale RBM training (60k images, 784x500, PCD-10, 50 epochs);"
          f" the reproduce-rbm study (x{STUDY_IN_PAPER_TRAININGS:.1f}, issue 9's ratio 352 h / 4.3 h)")
    for label, want in (("prunelab dense fp64, 1 thread", dict(name="rbm-pcd10", impl="prunelab", backend="dense", precision="fp64", sparsity="0.0", threads=1)),
                        ("prunelab dense fp64, 2 threads", dict(name="rbm-pcd10", impl="prunelab", backend="dense", precision="fp64", sparsity="0.0", threads=2)),
                        ("prunelab dense fp32, 1 thread", dict(name="rbm-pcd10", impl="prunelab", backend="dense", precision="fp32", sparsity="0.0", threads=1)),
                        ("prunelab dense fp32, 2 threads", dict(name="rbm-pcd10", impl="prunelab", backend="dense", precision="fp32", sparsity="0.0", threads=2)),
                        ("prunelab dense fp32 counter, 2 threads", dict(name="rbm-pcd10", impl="prunelab", backend="dense", precision="fp32", sparsity="0.0", threads=2, sampling="counter")),
                        ("prunelab sparse s=0.9, 2 threads", dict(name="rbm-pcd10", impl="prunelab", backend="sparse", sparsity="0.9", threads=2)),
                        ("numpy masked fp32, 1 thread", dict(name="rbm-pcd10", impl="numpy", threads=1, sparsity="0.0")),
                        ("numpy masked fp32, 2 threads", dict(name="rbm-pcd10", impl="numpy", threads=2, sparsity="0.0"))):
        hours = [PAPER_IMAGES * PAPER_EPOCHS / v / 3600 if v else None for v in select(rounds, **want)]
        study = [h * STUDY_IN_PAPER_TRAININGS if h else None for h in hours]
        print(f"{label:<40} one training {summary(hours):<24} study {summary(study)}")


# Products of one RBM update at 784x500, batch 100 (RbmTrainer; sklearn's CD-1 does the same five):
# (up passes v.W, down passes h.W^T, gradient products v^T.h). CD-1: data up, one Gibbs step (down, up),
# two gradient products. PCD-10: data up, the chains' up, ten Gibbs steps, two gradient products (fp32
# stacks the two into one sgemm over 200 rows: the same flops). As (LinalgBench shape, flops) pairs.
BATCH, PRODUCT_FLOP = 100, 2 * 100 * 784 * 500
PRODUCTS = {algorithm: [(shape, count * PRODUCT_FLOP) for shape, count in zip(("gemm-v.W", "gemm-h.Wt", "gemm-vt.h"), counts)]
            for algorithm, counts in {"cd1": (2, 1, 2), "pcd10": (12, 10, 2)}.items()}
# The MLP update's products at batch 64 (MlpBench; no input gradient for the first layer).
MLP_BATCH = 64
MLP_PRODUCTS = [(shape, 2.0 * m * n * k) for shape, m, n, k in (
    ("gemm-mlp-x.W1t", 64, 100, 784), ("gemm-mlp-h.W2t", 64, 10, 100), ("gemm-mlp-dz2.W2", 64, 100, 10),
    ("gemm-mlp-dz2t.h", 10, 100, 64), ("gemm-mlp-dz1t.x", 100, 784, 64))]


def products_ceiling(rounds, products, batch, precision, threads):
    """Per round, the samples/s of an update that did nothing but `products` ((shape, flops) pairs), each at
    the GFLOP/s prunelab's own GEMM reached at that shape, precision and thread count in the same round."""
    rates = [select(rounds, name=shape, impl="prunelab", backend="openblas-native", precision=precision, threads=threads)
             for shape, _ in products]
    out = []
    for per_round in zip(*rates):
        if any(r is None or r <= 0 for r in per_round):
            out.append(None)
            continue
        out.append(batch / sum(flops / (r * 1e9) for (_, flops), r in zip(products, per_round)))
    return out


def limits(rounds):
    """What the targets ask against what the machine allows: (1) an update that ran only its GEMM products, at
    prunelab's own GEMM speed, is the fastest a dense kernel can be; its ratio to the peer is the most any
    dense implementation could reach; (2) at s = 0.999 the sparse kernel's products and optimiser touch 392
    weights, so what is left is the work no sparsity removes (sigmoids, draws, biases, conversions): the
    sparse / dense ratio there is the ceiling for every sparsity; (3) the same products-only ceiling for the MLP
    784-100-10 update at batch 64; (4) scipy's bare CSR product against prunelab's dense GEMM."""
    print("\n== Limits: the products-only ceiling of a dense update (prunelab's own GEMM speed, same round), and"
          " the sparse kernel at s = 0.999 (products nearly free)")
    rows = []
    for algorithm, label, peer in (("cd1", "CD-1", dict(impl="sklearn", precision="fp32")),
                                   ("pcd10", "PCD-10", dict(impl="numpy", sparsity="0.0"))):
        for precision in ("fp64", "fp32"):
            for threads in (1, 2):
                ceiling = products_ceiling(rounds, PRODUCTS[algorithm], BATCH, precision, threads)
                theirs = select(rounds, name=f"rbm-{algorithm}", threads=threads, **peer)
                best = [max(v for v in vs if v is not None) if any(v is not None for v in vs) else None
                        for vs in zip(select(rounds, name=f"rbm-{algorithm}", impl="prunelab", backend="dense",
                                             precision=precision, sparsity="0.0", threads=threads),
                                      select(rounds, name=f"rbm-{algorithm}", impl="prunelab", backend="dense",
                                             precision=precision, sparsity="0.0", threads=threads, sampling="counter"))]
                peer_name = "sklearn fp32" if peer["impl"] == "sklearn" else "numpy masked fp32"
                rows.append((f"RBM {label} {precision} {threads}T: products-only ceiling / {peer_name} {threads}T",
                             summary(ratios(ceiling, theirs))))
                rows.append((f"RBM {label} {precision} {threads}T: share of prunelab's best update spent in products",
                             summary(ratios(best, ceiling))))
        for threads in (1, 2):
            for sampling in ("sequential", "counter"):
                rows.append((f"RBM {label} {threads}T, {sampling}: sparse s=0.999 / own dense fp64 (ceiling for any s)",
                             summary(ratios(select(rounds, name=f"rbm-{algorithm}", impl="prunelab", backend="sparse",
                                                   sparsity="0.999", threads=threads, sampling=sampling),
                                            select(rounds, name=f"rbm-{algorithm}", impl="prunelab", backend="dense",
                                                   precision="fp64", sparsity="0.0", threads=threads,
                                                   sampling=sampling)))))
    for precision in ("fp64", "fp32"):
        for threads in (1, 2):
            ceiling = products_ceiling(rounds, MLP_PRODUCTS, MLP_BATCH, precision, threads)
            sklearn = select(rounds, name="mlp-sgd", impl="sklearn", precision="fp32", threads=threads)
            ours = select(rounds, name="mlp-sgd", impl="prunelab", backend="dense", precision=precision,
                          compression="0", threads=threads)
            rows.append((f"MLP 784-100-10 {precision} {threads}T: products-only ceiling / sklearn fp32 {threads}T",
                         summary(ratios(ceiling, sklearn))))
            rows.append((f"MLP 784-100-10 {precision} {threads}T: share of prunelab's update spent in products",
                         summary(ratios(ours, ceiling))))
    for s_ in ("0.9", "0.99"):
        for precision in ("fp64", "fp32"):
            dense = select(rounds, name="gemm-v.W", impl="prunelab", backend="openblas-native", precision=precision,
                           threads=1)
            csr = select(rounds, name="csr-v.W", impl="scipy", precision=precision, threads=1, sparsity=s_)
            dense_samples = [g * 1e9 / PRODUCT_FLOP * BATCH if g else None for g in dense]
            rows.append((f"bare v.W product at s={s_}, {precision} 1T: scipy CSR / prunelab dense GEMM",
                         summary(ratios(csr, dense_samples))))
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


def _java_backend(rounds):
    """The pure-Java backend this JVM ran (java-vector with the Vector API module, else java-loop)."""
    for figures in rounds:
        for f in figures:
            if f.get("impl") == "prunelab" and f.get("backend", "").startswith("java-"):
                return f["backend"]
    return "java-vector"


if __name__ == "__main__":
    main()
