package org.prunelab.stages.families.mlp;

import org.prunelab.stages.Seeds;

/**
 * The re-training after one pruning step (protocol §2.3): {@code fixedEpochs} epochs, then, if
 * {@code untilStall}, more while the validation gain over the previous epoch is at least
 * {@code minGain} points, up to {@code maxEpochs}. The data order of epoch e after step k is stream
 * (seed, k, e), so a resumed step retrains exactly as an uninterrupted one.
 */
record MlpRetraining(MlpData data, MlpEpoch loop, int evalBatchSize, int fixedEpochs, boolean untilStall, int maxEpochs,
                     double minGain, double lr, long seed) {
    /** Scores before and after, and the epochs run. */
    record Result(MlpPass.Score testBefore, MlpPass.Score testAfter, MlpPass.Score valBefore, MlpPass.Score valAfter,
                  int epochs) {
    }

    Result retrain(MlpTrainer trainer, MlpTrainer.State state, int step) {
        MlpPass pass = trainer.pass();
        MlpPass.Score testBefore = test(pass);
        MlpPass.Score valBefore = validation(pass);
        int epochs = 0;
        for (; epochs < fixedEpochs; epochs++) {
            epoch(trainer, state, step, epochs);
        }
        if (untilStall) {
            double prevVal = fixedEpochs == 0 ? valBefore.accuracy() : validation(pass).accuracy();
            while (epochs < maxEpochs) {
                epoch(trainer, state, step, epochs);
                epochs++;
                double val = validation(pass).accuracy();
                double gain = 100.0 * (val - prevVal);
                prevVal = val;
                if (gain < minGain) {
                    break;
                }
            }
        }
        return new Result(testBefore, epochs == 0 ? testBefore : test(pass), valBefore,
                epochs == 0 ? valBefore : validation(pass), epochs);
    }

    private void epoch(MlpTrainer trainer, MlpTrainer.State state, int step, int epoch) {
        loop.trainEpoch(trainer, state, Seeds.permutation(data.trainCount(), Seeds.stream(seed, step, epoch)), lr);
    }

    private MlpPass.Score test(MlpPass pass) {
        return pass.score(data.testX(), data.testY(), data.testCount(), evalBatchSize);
    }

    private MlpPass.Score validation(MlpPass pass) {
        return pass.score(data.valX(), data.valY(), data.validationCount(), evalBatchSize);
    }
}
