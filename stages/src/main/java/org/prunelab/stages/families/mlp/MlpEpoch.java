package org.prunelab.stages.families.mlp;

/**
 * One pass over (part of) the training images in a given order, in batches: the data loop shared by
 * the train and prune stages. Batch b holds order[b·bs .. min((b+1)·bs, n)) — the last batch may be
 * smaller (PyTorch's DataLoader keeps it).
 */
public final class MlpEpoch {
    private final MlpData data;
    private final int batchSize;
    private final double[] x;
    private final int[] y;

    public MlpEpoch(MlpData data, int batchSize) {
        this.data = data;
        this.batchSize = batchSize;
        this.x = new double[batchSize * data.features()];
        this.y = new int[batchSize];
    }

    public int batches() {
        return (data.trainCount() + batchSize - 1) / batchSize;
    }

    /** Rows in batch b. */
    public int rows(int b) {
        return Math.min(batchSize, data.trainCount() - b * batchSize);
    }

    /** Trains on batch b of {@code order}; returns the batch's summed (not mean) loss. */
    public double trainBatch(MlpTrainer trainer, MlpTrainer.State state, int[] order, int b, double lr) {
        int f = data.features();
        int n = rows(b);
        for (int r = 0; r < n; r++) {
            int src = order[b * batchSize + r];
            System.arraycopy(data.trainX(), src * f, x, r * f, f);
            y[r] = data.trainY()[src];
        }
        return trainer.update(state, x, y, n, lr) * n;
    }

    /** A whole epoch; returns the mean training loss over its batches (weighted by rows). */
    public double trainEpoch(MlpTrainer trainer, MlpTrainer.State state, int[] order, double lr) {
        double sum = 0.0;
        for (int b = 0; b < batches(); b++) {
            sum += trainBatch(trainer, state, order, b, lr);
        }
        return sum / data.trainCount();
    }
}
