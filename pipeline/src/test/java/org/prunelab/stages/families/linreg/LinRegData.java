package org.prunelab.stages.families.linreg;

import java.io.IOException;
import java.nio.file.Path;
import org.prunelab.stages.io.Npy;

/** The synthetic data set: x (n×d), y (n), the first {@code trainCount} rows for training. */
record LinRegData(double[] x, double[] y, int n, int d) {
    static final String X = "x.npy", Y = "y.npy";

    int trainCount() {
        return n - n / 4;
    }

    static LinRegData read(Path dir) throws IOException {
        Npy.Array x = Npy.read(dir.resolve(X));
        double[] y = Npy.readDoubles(dir.resolve(Y));
        return new LinRegData(x.doubles(), y, y.length, x.doubles().length / y.length);
    }
}
