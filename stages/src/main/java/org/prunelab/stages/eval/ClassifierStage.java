package org.prunelab.stages.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.data.DatasetRef;

/**
 * Trains the auxiliary classifier of rbm-dilution protocol §7.5 once, on the binarised training images
 * of the load-data step (the format RBM samples have), and saves it with its test accuracy
 * ({@link ClassifierFiles}). Its seed is its own key, {@code classifier.seed}, not the run seed:
 * the classifier is a fixed measuring instrument, shared by every run over the same data, so
 * scores of different seeds are measured with the same instrument.
 */
public final class ClassifierStage implements Stage {
    public static final ConfigKey<String> MODEL = ConfigKey.choice("classifier.model", "mlp",
            List.of("mlp", "softmax"), "MLP d-hidden-10 (protocol default) or softmax regression (fallback)");
    public static final ConfigKey<Integer> HIDDEN = ConfigKey.integer("classifier.hidden", 256, 1, 100_000,
            "hidden ReLU units of the MLP");
    public static final ConfigKey<Integer> EPOCHS = ConfigKey.integer("classifier.epochs", 10, 0, 10_000,
            "passes over the training images");
    public static final ConfigKey<Double> LEARNING_RATE = ConfigKey.real("classifier.learning_rate", 0.02, 1e-9, 10.0,
            "SGD step size");
    public static final ConfigKey<Double> MOMENTUM = ConfigKey.real("classifier.momentum", 0.9, 0.0, 0.999,
            "SGD momentum");
    public static final ConfigKey<Double> WEIGHT_DECAY = ConfigKey.real("classifier.weight_decay", 1e-4, 0.0, 1.0,
            "L2 decay on the weights");
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.integer("classifier.batch_size", 50, 1, 1_000_000,
            "images per update");
    public static final ConfigKey<Long> SEED = ConfigKey.longInt("classifier.seed", 1234L,
            "the classifier's own seed (independent of the run seed, so every run scores with the same classifier)");

    private final String dataStep;

    public ClassifierStage(String dataStep) {
        this.dataStep = dataStep;
    }

    @Override
    public String kind() {
        return "eval.classifier";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(MODEL, HIDDEN, EPOCHS, LEARNING_RATE, MOMENTUM, WEIGHT_DECAY, BATCH_SIZE, SEED);
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig config = context.config();
        DatasetRef data = DatasetRef.read(context.inputDir(dataStep));
        int d = data.features();
        double[] xTrain = data.trainBinary();
        double[] xTest = data.testBinary();
        int[] yTrain = Arrays.copyOf(data.load("train").labels(), data.trainCount());
        int[] yTest = Arrays.copyOf(data.load("test").labels(), data.testCount());
        ClassifierTraining training = new ClassifierTraining(config.get(EPOCHS), config.get(BATCH_SIZE),
                config.get(LEARNING_RATE), config.get(MOMENTUM), config.get(WEIGHT_DECAY), config.get(SEED));
        long start = System.nanoTime();
        Classifier classifier = config.get(MODEL).equals("mlp")
                ? HiddenLayerClassifier.train(xTrain, yTrain, data.trainCount(), d, config.get(HIDDEN), training)
                : SoftmaxRegression.train(xTrain, yTrain, data.trainCount(), d, training);
        double seconds = (System.nanoTime() - start) / 1e9;
        double trainAccuracy = classifier.accuracy(xTrain, yTrain, data.trainCount());
        double testAccuracy = classifier.accuracy(xTest, yTest, data.testCount());

        Map<String, Object> info = new LinkedHashMap<>();
        info.put("test_accuracy", testAccuracy);
        info.put("train_accuracy", trainAccuracy);
        info.put("train_images", data.trainCount());
        info.put("test_images", data.testCount());
        info.put("input_format", "binary, threshold " + data.binarizeThreshold());
        info.put("training", new TreeMap<>(Map.of("epochs", training.epochs(), "batch_size", training.batchSize(),
                "learning_rate", training.learningRate(), "momentum", training.momentum(), "l2", training.l2(),
                "seed", training.seed())));
        ClassifierFiles.write(classifier, info, context.workDir());
        context.metrics().log("classifier.test_accuracy", testAccuracy);
        context.metrics().log("classifier.train_accuracy", trainAccuracy);
        context.metrics().log("classifier.train_seconds", seconds);
        context.publishArtifact(ClassifierFiles.INDEX);
    }
}
