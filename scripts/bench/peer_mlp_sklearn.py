"""sklearn MLPClassifier 784-100-10, SGD (batch 64, momentum 0.5, lr 0.01, no shuffling), one epoch
on MNIST scaled to [0,1], fp64 and fp32, per thread count: samples/s (peer of prunelab's MlpBench)."""
import argparse
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from benchlib import best_seconds, blas_info, emit, int_list, limit_threads, mnist


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--mnist", required=True)
    p.add_argument("--images", type=int, default=4000)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--repeats", type=int, default=2)
    args = p.parse_args()
    blas_info()
    images, labels = mnist(args.mnist, args.images)
    warnings.simplefilter("ignore", ConvergenceWarning)  # one epoch on purpose
    for threads in int_list(args.threads):
        with limit_threads(threads):
            for dtype, precision in ((np.float64, "fp64"), (np.float32, "fp32")):
                x = (images / 255.0).astype(dtype)

                def one_epoch():
                    mlp = MLPClassifier(hidden_layer_sizes=(100,), solver="sgd", batch_size=64, learning_rate_init=0.01,
                                        momentum=0.5, nesterovs_momentum=False, max_iter=1, shuffle=False, alpha=0.0,
                                        random_state=0)
                    mlp.fit(x, labels)
                    if mlp.coefs_[0].dtype != dtype:
                        raise SystemExit(f"MLPClassifier computed in {mlp.coefs_[0].dtype}, asked {precision}")

                seconds = best_seconds(one_epoch, args.repeats)
                emit("mlp-sgd", "sklearn", "MLPClassifier", precision, threads, x.shape[0] / seconds, "samples/s",
                     compression=0)


if __name__ == "__main__":
    main()
