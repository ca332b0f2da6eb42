package org.prunelab.stages.predict;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/** Converts feature rows to Tribuo's datasets and examples (features named f0, f1, ...). */
final class TribuoTables {
    static final RegressionFactory FACTORY = new RegressionFactory();
    private static final String TARGET = "target";

    static {
        // Tribuo reports every training at INFO; prunelab's progress goes through its own channel.
        Logger.getLogger("org.tribuo").setLevel(Level.WARNING);
    }

    private TribuoTables() {
    }

    private static volatile String[] cachedNames = new String[0];

    /** Feature names f000, f001, ... (cached: examples are built per prediction). */
    static String[] names(int p) {
        String[] cached = cachedNames;
        if (cached.length == p) {
            return cached;
        }
        String[] names = new String[p];
        for (int j = 0; j < p; j++) {
            names[j] = String.format("f%03d", j);
        }
        cachedNames = names;
        return names;
    }

    static MutableDataset<Regressor> dataset(double[][] x, double[] y) {
        MutableDataset<Regressor> data = new MutableDataset<>(
                new SimpleDataSourceProvenance("prunelab feature table", FACTORY), FACTORY);
        String[] names = names(x[0].length);
        for (int i = 0; i < x.length; i++) {
            data.add(new ArrayExample<>(new Regressor(TARGET, y[i]), names, x[i]));
        }
        return data;
    }

    static Example<Regressor> example(double[] row) {
        return new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, names(row.length), row);
    }
}
