package org.prunelab.stages.families.linreg;

import java.io.IOException;
import java.nio.file.Path;
import org.prunelab.stages.core.MaskedGroup;
import org.prunelab.stages.io.Npy;
import org.prunelab.stages.kernel.MaskedDenseKernel;
import org.prunelab.stages.kernel.MaskedDenseKernels;

/** The model: one masked d×1 weight group and a bias; predictions run on the shared kernel. */
record LinRegModel(MaskedGroup weights, double[] bias) {
    static final String W = "weights.npy", MASK = "mask.npy", BIAS = "bias.npy";
    private static final MaskedDenseKernel KERNEL = MaskedDenseKernels.dense();

    /** out[r] = x_r·(w⊙m) + b for the first n rows. */
    void predict(double[] x, int n, double[] out) {
        KERNEL.forward(weights, bias, x, n, out);
    }

    /** Mean squared error over rows [from, to). */
    double mse(LinRegData data, int from, int to) {
        int n = to - from;
        double[] rows = java.util.Arrays.copyOfRange(data.x(), from * data.d(), to * data.d());
        double[] out = new double[n];
        predict(rows, n, out);
        double sum = 0.0;
        for (int r = 0; r < n; r++) {
            double e = out[r] - data.y()[from + r];
            sum += e * e;
        }
        return sum / n;
    }

    static void write(LinRegModel m, Path dir) throws IOException {
        int d = m.weights.rows();
        Npy.writeDoubles(dir.resolve(W), m.weights.weights(), d, 1);
        Npy.writeBytes(dir.resolve(MASK), m.weights.mask(), d, 1);
        Npy.writeDoubles(dir.resolve(BIAS), m.bias, 1);
    }

    static LinRegModel read(Path dir) throws IOException {
        double[] w = Npy.readDoubles(dir.resolve(W));
        return new LinRegModel(new MaskedGroup("w", w.length, 1, w, Npy.readBytes(dir.resolve(MASK))),
                Npy.readDoubles(dir.resolve(BIAS)));
    }
}
