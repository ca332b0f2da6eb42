package org.prunelab.stages.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.stages.TestStageContext;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.stages.data.StageFixtures;

class ClassifierStageTest {
    @TempDir
    Path dir;

    private Path train(Path data, Map<String, Object> config) throws Exception {
        ClassifierStage stage = new ClassifierStage("load-data");
        TestStageContext ctx = new TestStageContext(stage, "classifier", config, dir.resolve("classifier-" + config.get("classifier.model")))
                .input("load-data", data);
        Path out = ctx.run(stage);
        assertEquals(((Number) ClassifierFiles.info(out).get("test_accuracy")).doubleValue(),
                ctx.metric("classifier.test_accuracy"));
        assertTrue(ctx.artifacts.contains(ClassifierFiles.INDEX));
        return out;
    }

    @Test
    void mlpTrainsAndReloadsWithIdenticalPredictions() throws Exception {
        Path data = StageFixtures.loadData(dir, 300, 100);
        Map<String, Object> config = new HashMap<>(Map.of("classifier.model", "mlp", "classifier.hidden", 16,
                "classifier.epochs", 15, "classifier.learning_rate", 0.05));
        Path out = train(data, config);
        for (String f : new String[] {"mlp_w1.npy", "mlp_b1.npy", "mlp_w2.npy", "mlp_b2.npy"}) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        Classifier loaded = ClassifierFiles.read(out);
        DatasetRef ref = DatasetRef.read(data);
        double[] xTrain = ref.trainBinary();
        double[] xTest = ref.testBinary();
        int[] yTrain = Arrays.copyOf(ref.load("train").labels(), ref.trainCount());
        int[] yTest = Arrays.copyOf(ref.load("test").labels(), ref.testCount());
        // The same training in memory: the stage's fixed classifier seed makes it reproducible.
        HiddenLayerClassifier direct = HiddenLayerClassifier.train(xTrain, yTrain, ref.trainCount(), ref.features(), 16,
                new ClassifierTraining(15, 50, 0.05, 0.9, 1e-4, 1234L));
        assertArrayEquals(direct.probabilities(xTest, ref.testCount()), loaded.probabilities(xTest, ref.testCount()));
        double accuracy = loaded.accuracy(xTest, yTest, ref.testCount());
        assertEquals(((Number) ClassifierFiles.info(out).get("test_accuracy")).doubleValue(), accuracy);
        assertTrue(accuracy > 0.9, "the synthetic classes are easy; accuracy " + accuracy);
    }

    @Test
    void softmaxRegressionRoundTrips() throws Exception {
        Path data = StageFixtures.loadData(dir, 200, 60);
        Path out = train(data, Map.of("classifier.model", "softmax", "classifier.epochs", 10,
                "classifier.learning_rate", 0.1));
        Classifier loaded = ClassifierFiles.read(out);
        assertTrue(loaded instanceof SoftmaxRegression);
        DatasetRef ref = DatasetRef.read(data);
        double[] xTrain = ref.trainBinary();
        int[] yTrain = Arrays.copyOf(ref.load("train").labels(), ref.trainCount());
        SoftmaxRegression direct = SoftmaxRegression.train(xTrain, yTrain, ref.trainCount(), ref.features(),
                new ClassifierTraining(10, 50, 0.1, 0.9, 1e-4, 1234L));
        assertArrayEquals(direct.probabilities(xTrain, 50), loaded.probabilities(xTrain, 50));
    }

    @Test
    void classifierIdentityIgnoresTheRunSeed() {
        assertFalse(new ClassifierStage("load-data").configKeys().stream().anyMatch(k -> k.name().equals("seed")));
    }
}
