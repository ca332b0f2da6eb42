package org.prunelab.stages.predict;

import org.tribuo.Model;
import org.tribuo.ensemble.BaggingTrainer;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;

/**
 * A random forest regressor as scikit-learn's {@code RandomForestRegressor} defaults define it (the
 * authors' setting): bootstrap samples, fully grown CART trees that consider every feature at each
 * split (max_features = 1.0), predictions averaged. In Tribuo terms that is bagging of full-depth
 * CART regression trees. Seeded, unlike the authors' forest.
 */
public final class RandomForest implements org.prunelab.stages.predict.Regressor {
    /** One row per leaf at least, as scikit-learn's {@code min_samples_leaf=1} (Tribuo's default is 5). */
    static final float MIN_LEAF_WEIGHT = 1.0f;

    private final int trees;
    private final long seed;
    private Model<Regressor> model;

    public RandomForest(int trees, long seed) {
        if (trees < 1) {
            throw new IllegalArgumentException("a forest needs at least one tree, got " + trees);
        }
        this.trees = trees;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "random_forest";
    }

    @Override
    public org.prunelab.stages.predict.Regressor fresh(long newSeed) {
        return new RandomForest(trees, newSeed);
    }

    @Override
    public void fit(double[][] x, double[] y) {
        CARTRegressionTrainer tree = new CARTRegressionTrainer(Integer.MAX_VALUE, MIN_LEAF_WEIGHT, 0.0f, 1.0f, false,
                new MeanSquaredError(), seed);
        model = new BaggingTrainer<>(tree, new AveragingCombiner(), trees, seed).train(TribuoTables.dataset(x, y));
    }

    @Override
    public double[] predict(double[][] x) {
        if (model == null) {
            throw new IllegalStateException("predict before fit");
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = model.predict(TribuoTables.example(x[i])).getOutput().getValues()[0];
        }
        return out;
    }
}
