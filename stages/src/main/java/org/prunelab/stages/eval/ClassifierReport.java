package org.prunelab.stages.eval;

import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.data.IdxReader;
import org.prunelab.stages.data.ImageDataset;

/**
 * Check (not a test): trains the auxiliary classifiers on binarised MNIST IDX files and prints
 * their test accuracy, training time and the scores of the references (ceiling = test images,
 * floors = noise and the bias-only model with logit of the training pixel means).
 *
 * <pre>java -cp stages/target/classes:... org.prunelab.stages.eval.ClassifierReport DIR [mlpEpochs] [hidden]</pre>
 * DIR holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
 * t10k-labels-idx1-ubyte (raw or gzip).
 */
public final class ClassifierReport {
    private ClassifierReport() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "data/mnist");
        int mlpEpochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int hidden = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        ImageDataset train = IdxReader.read(dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-labels-idx1-ubyte"));
        ImageDataset test = IdxReader.read(dir.resolve("t10k-images-idx3-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"));
        int d = train.features();
        double[] xTrain = train.binarize(0.5, train.count());
        double[] xTest = test.binarize(0.5, test.count());
        int[] yTrain = train.labels(), yTest = test.labels();
        System.out.printf(Locale.ROOT, "%s, %s; binarised at 0.5%n", train, test);

        long t0 = System.nanoTime();
        SoftmaxRegression lr = SoftmaxRegression.train(xTrain, yTrain, train.count(), d,
                new ClassifierTraining(20, 50, 0.1, 0.5, 1e-4, 1));
        double lrSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "softmax regression (20 epochs, batch 50, lr 0.1, mom 0.5): train %.4f test %.4f (%.1f s)%n",
                lr.accuracy(xTrain, yTrain, train.count()), lr.accuracy(xTest, yTest, test.count()), lrSeconds);

        t0 = System.nanoTime();
        HiddenLayerClassifier mlp = HiddenLayerClassifier.train(xTrain, yTrain, train.count(), d, hidden,
                new ClassifierTraining(mlpEpochs, 50, 0.02, 0.9, 1e-4, 2));
        double mlpSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "MLP %d-%d-10 (%d epochs, batch 50, lr 0.02, mom 0.9): train %.4f test %.4f (%.1f s)%n",
                d, hidden, mlpEpochs, mlp.accuracy(xTrain, yTrain, train.count()), mlp.accuracy(xTest, yTest, test.count()),
                mlpSeconds);

        double[] means = new double[d];
        for (int r = 0; r < train.count(); r++) {
            for (int i = 0; i < d; i++) {
                means[i] += xTrain[r * d + i] / train.count();
            }
        }
        double[] a = StableMath.clippedLogits(means, 1e-3);
        SampleScores.References ref = SampleScores.references(mlp, xTest, test.count(), a, 2000, false,
                new SplittableRandom(3));
        System.out.println("references under the MLP (binary format, 2000 noise / bias-only samples):");
        ref.asMetrics("", ref.ceiling()).forEach((k, v) -> {
            if (!k.startsWith("score.")) {
                System.out.printf(Locale.ROOT, "  %-40s %.4f%n", k, v);
            }
        });
    }
}
