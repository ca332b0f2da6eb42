package org.prunelab.stages.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.stages.TestStageContext;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.data.LoadDataStage;
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
    void cnnTrainsOnBinaryImagesAndReloadsWithIdenticalPredictions() throws Exception {
        Path data = StageFixtures.loadData(dir, 300, 100);
        // The fixture's classes are pixel positions, not shapes, and its 6 x 6 images pool down to 1 x 1:
        // a hard case for a cnn, so no shift and enough channels to keep the positions.
        Map<String, Object> config = Map.of("classifier.model", "cnn", "classifier.conv1_channels", 8,
                "classifier.conv2_channels", 16, "classifier.hidden", 16, "classifier.epochs", 8,
                "classifier.learning_rate", 0.005, "classifier.batch_size", 20, "classifier.shift", 0);
        ClassifierStage stage = new ClassifierStage("load-data");
        TestStageContext ctx = new TestStageContext(stage, "classifier", config, dir.resolve("classifier-cnn"))
                .input("load-data", data);
        Path out = ctx.run(stage);
        Classifier loaded = ClassifierFiles.read(out);
        assertTrue(loaded instanceof ConvolutionalClassifier);
        DatasetRef ref = DatasetRef.read(data);
        double[] xTrain = ref.trainBinary();
        double[] xTest = ref.testBinary();
        int[] yTrain = Arrays.copyOf(ref.load("train").labels(), ref.trainCount());
        int[] yTest = Arrays.copyOf(ref.load("test").labels(), ref.testCount());
        ConvolutionalClassifier direct = ConvolutionalClassifier.train(xTrain, yTrain, ref.trainCount(),
                new ConvolutionalShape(6, 6, 8, 16, 16), new ClassifierTraining(8, 20, 0.005, 0.9, 1e-4, 1234L), 0,
                org.prunelab.stages.linalg.Gemm.create(1));
        assertArrayEquals(direct.probabilities(xTest, ref.testCount()), loaded.probabilities(xTest, ref.testCount()));
        double accuracy = loaded.accuracy(xTest, yTest, ref.testCount());
        assertEquals(accuracy, ctx.metric("classifier.test_accuracy"));
        assertTrue(accuracy > 0.9, "the synthetic classes are easy; accuracy " + accuracy);
        assertTrue(ctx.metric("classifier.train_loss", 7) < ctx.metric("classifier.train_loss", 0), "the loss falls");
        Map<String, Object> info = ClassifierFiles.info(out);
        assertEquals("cnn", info.get("model"));
        assertEquals(16, ((Number) info.get("conv2_channels")).intValue());
    }

    @Test
    void badClassifierSettingsAreRejectedNamingTheKey() throws Exception {
        Path data = StageFixtures.loadData(dir, 60, 20);
        ClassifierStage stage = new ClassifierStage("load-data");
        ConfigException sgdStep = assertThrows(ConfigException.class, () -> new TestStageContext(stage, "classifier",
                Map.of("classifier.model", "cnn"), dir.resolve("a")).input("load-data", data).run(stage));
        assertTrue(sgdStep.getMessage().contains("classifier.learning_rate = 0.02")
                && sgdStep.getMessage().contains("Adam"), sgdStep.getMessage());
        ConfigException shift = assertThrows(ConfigException.class, () -> new TestStageContext(stage, "classifier",
                Map.of("classifier.model", "mlp", "classifier.shift", 2), dir.resolve("b")).input("load-data", data)
                .run(stage));
        assertTrue(shift.getMessage().contains("classifier.shift = 2") && shift.getMessage().contains("mlp"),
                shift.getMessage());
        ConfigException tooFar = assertThrows(ConfigException.class, () -> new TestStageContext(stage, "classifier",
                Map.of("classifier.model", "cnn", "classifier.learning_rate", 0.001, "classifier.shift", 6),
                dir.resolve("c")).input("load-data", data).run(stage));
        assertTrue(tooFar.getMessage().contains("6 x 6 images"), tooFar.getMessage());
        ConfigException model = assertThrows(ConfigException.class, () -> new TestStageContext(stage, "classifier",
                Map.of("classifier.model", "resnet"), dir.resolve("d")));
        assertTrue(model.getMessage().contains("classifier.model"), model.getMessage());
        ConfigException channels = assertThrows(ConfigException.class, () -> new TestStageContext(stage, "classifier",
                Map.of("classifier.conv1_channels", 0), dir.resolve("e")));
        assertTrue(channels.getMessage().contains("classifier.conv1_channels"), channels.getMessage());
    }

    @Test
    void theClassifierLearnsFromEveryImageOfTheFilesUnlessToldToUseTheSubset() throws Exception {
        Path full = StageFixtures.loadData(dir, 120, 40);
        // The same files, loaded with the limits an RBM study sets.
        LoadDataStage load = new LoadDataStage();
        Path limited = new TestStageContext(load, "load-data", Map.of("data.dir", dir.resolve("raw").toString(),
                "data.train_limit", 50, "data.test_limit", 20), dir.resolve("load-limited")).run(load);
        assertEquals(120, DatasetRef.read(full).trainCount());
        Map<String, Object> base = Map.of("classifier.model", "softmax", "classifier.epochs", 1);
        Map<String, Object> all = ClassifierFiles.info(train(limited, base));
        assertEquals(120, ((Number) all.get("train_images")).intValue());
        assertEquals(40, ((Number) all.get("test_images")).intValue());
        Map<String, Object> subsetConfig = new HashMap<>(base);
        subsetConfig.put("classifier.images", "subset");
        dir.resolve("classifier-softmax").toFile().renameTo(dir.resolve("classifier-softmax-all").toFile());
        Map<String, Object> subset = ClassifierFiles.info(train(limited, subsetConfig));
        assertEquals(50, ((Number) subset.get("train_images")).intValue());
        assertEquals(20, ((Number) subset.get("test_images")).intValue());
    }

    @Test
    void classifierIdentityIgnoresTheRunSeed() {
        assertFalse(new ClassifierStage("load-data").configKeys().stream().anyMatch(k -> k.name().equals("seed")));
    }
}
