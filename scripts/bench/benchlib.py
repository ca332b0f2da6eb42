"""Shared helpers of the peer benchmarks: the BENCH line format, MNIST loading, thread limits.

Every figure is printed as one line that scripts/bench/peers.py parses:
    BENCH name=rbm-cd1 impl=sklearn backend=BernoulliRBM precision=fp32 threads=2 value=17000.0 unit=samples/s
"""
import os
import struct
import sys
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits


def emit(name, impl, backend, precision, threads, value, unit, **extra):
    fields = [f"name={name}", f"impl={impl}", f"backend={backend}", f"precision={precision}", f"threads={threads}"]
    fields += [f"{k}={v}" for k, v in extra.items()]
    fields += [f"value={value:.2f}", f"unit={unit}"]
    print("BENCH " + " ".join(fields), flush=True)


def blas_info():
    """One INFO line per BLAS numpy/scipy loaded: which library, version, and the kernel (coretype) it runs."""
    for pool in threadpool_info():
        if pool.get("user_api") == "blas":
            print("INFO blas internal_api={} version={} architecture={} threads={} prefix={}".format(
                pool.get("internal_api"), pool.get("version"), pool.get("architecture"),
                pool.get("num_threads"), pool.get("prefix")), flush=True)
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if os.environ.get(var):
            print(f"INFO env {var}={os.environ[var]} (slows current numpy; peers.py unsets it for peer runs)", flush=True)


def limit_threads(n):
    """BLAS and OpenMP threads limited to n for the block (threadpoolctl)."""
    return threadpool_limits(limits=n)


def read_idx(path):
    with open(path, "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        if magic >> 8 != 0x08:
            sys.exit(f"{path}: not an unsigned-byte IDX file (magic {magic:#010x})")
        dims = struct.unpack(">" + "I" * (magic & 0xFF), f.read(4 * (magic & 0xFF)))
        data = np.frombuffer(f.read(), dtype=np.uint8)
    if data.size != int(np.prod(dims)):
        sys.exit(f"{path}: {data.size} bytes of data, header says {dims}")
    return data.reshape(dims)


def mnist(directory, count):
    """First `count` training images as (count, 784) uint8 and their labels."""
    images = read_idx(os.path.join(directory, "train-images-idx3-ubyte"))
    labels = read_idx(os.path.join(directory, "train-labels-idx1-ubyte"))
    count = min(count, images.shape[0])
    return images[:count].reshape(count, -1), labels[:count]


def binarised(images, dtype):
    """pixel/255 > 0.5, as prunelab's data.binarize_threshold default does."""
    return (images.astype(np.float64) / 255.0 > 0.5).astype(dtype)


def best_seconds(run, repeats):
    """Best wall time of `repeats` calls of run() after one warm-up call."""
    run()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    return best


def int_list(text):
    return [int(x) for x in text.split(",") if x]


def float_list(text):
    return [float(x) for x in text.split(",") if x]
