"""sklearn BernoulliRBM (784x500, batch 100, one pass = n_iter 1; sklearn's update is PCD with one
Gibbs step) on binarised MNIST, fp64 and fp32, per thread count: samples/s."""
import argparse

from sklearn.neural_network import BernoulliRBM

from benchlib import best_seconds, binarised, blas_info, emit, int_list, limit_threads, mnist
import numpy as np


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--mnist", required=True)
    p.add_argument("--images", type=int, default=5000)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--repeats", type=int, default=2)
    args = p.parse_args()
    blas_info()
    images, _ = mnist(args.mnist, args.images)
    for threads in int_list(args.threads):
        with limit_threads(threads):
            for dtype, precision in ((np.float64, "fp64"), (np.float32, "fp32")):
                x = binarised(images, dtype)

                def one_pass():
                    rbm = BernoulliRBM(n_components=500, learning_rate=0.01, batch_size=100, n_iter=1, random_state=0)
                    rbm.fit(x)
                    if rbm.components_.dtype != dtype:
                        raise SystemExit(f"BernoulliRBM computed in {rbm.components_.dtype}, asked {precision}")

                seconds = best_seconds(one_pass, args.repeats)
                emit("rbm-cd1", "sklearn", "BernoulliRBM", precision, threads, x.shape[0] / seconds, "samples/s",
                     sparsity=0.0)


if __name__ == "__main__":
    main()
