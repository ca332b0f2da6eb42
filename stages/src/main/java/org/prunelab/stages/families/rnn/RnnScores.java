package org.prunelab.stages.families.rnn;

import org.prunelab.stages.data.reber.ReberSet;
import org.prunelab.stages.recurrent.RecurrentClassifier;

/** Accuracy and mean loss of a classifier on a labelled Reber set, in fixed-size batches. */
final class RnnScores {
    private RnnScores() {
    }

    static double accuracy(RecurrentClassifier model, ReberSet set, int batch) {
        return score(model, set, batch)[0];
    }

    /** {accuracy, mean cross-entropy}. Batches are in file order, so the padding is reproducible. */
    static double[] score(RecurrentClassifier model, ReberSet set, int batch) {
        int correct = 0;
        double loss = 0;
        for (int from = 0; from < set.size(); from += batch) {
            int n = Math.min(batch, set.size() - from);
            String[] xs = new String[n];
            int[] ys = new int[n];
            for (int i = 0; i < n; i++) {
                xs[i] = set.string(from + i);
                ys[i] = set.isValid(from + i) ? 1 : 0;
            }
            RecurrentClassifier.Pass pass = model.run(xs, ys);
            loss += pass.loss() * n;
            for (int i = 0; i < n; i++) {
                correct += pass.predicted(i, model.classes()) == ys[i] ? 1 : 0;
            }
        }
        return new double[] {(double) correct / set.size(), loss / set.size()};
    }
}
