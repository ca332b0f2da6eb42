package org.prunelab.stages.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.stages.Progress;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.stages.data.ImageDataset;
import org.prunelab.stages.linalg.Gemm;

/**
 * Trains the auxiliary classifier of rbm-dilution protocol §7.5 once, on binarised training images
 * (the format RBM samples have), and saves it with its test accuracy ({@link ClassifierFiles}). Its
 * seed is its own key, {@code classifier.seed}, not the run seed: the classifier is a fixed measuring
 * instrument, shared by every run over the same data, so scores of different seeds are measured with
 * the same instrument. For the same reason it learns from every image of the data files
 * ({@code classifier.images: all}) rather than the subset the RBM trains on; the test images stay
 * disjoint from its training images either way.
 *
 * <p>Models: {@code mlp} and {@code softmax} train with SGD and momentum; {@code cnn}
 * ({@link ConvolutionalClassifier}) with Adam, {@code classifier.momentum} as its β1, and optional
 * shift augmentation. Not resumable: the step is short (minutes) and reruns from its seed to the
 * same bits.
 */
public final class ClassifierStage implements Stage {
    public static final ConfigKey<String> MODEL = ConfigKey.choice("classifier.model", "mlp",
            List.of("mlp", "softmax", "cnn"), "MLP d-hidden-10 (protocol default), softmax regression (fallback) or"
                    + " a LeNet-like convolutional network (conv5-pool-conv5-pool-dense-dense, Adam)");
    public static final ConfigKey<Integer> HIDDEN = ConfigKey.integer("classifier.hidden", 256, 1, 100_000,
            "hidden ReLU units of the MLP, or of the cnn's dense layer");
    public static final ConfigKey<Integer> CONV1_CHANNELS = ConfigKey.integer("classifier.conv1_channels", 8, 1, 256,
            "cnn: channels of the first 5x5 convolution");
    public static final ConfigKey<Integer> CONV2_CHANNELS = ConfigKey.integer("classifier.conv2_channels", 16, 1, 256,
            "cnn: channels of the second 5x5 convolution");
    public static final ConfigKey<Integer> SHIFT = ConfigKey.integer("classifier.shift", 0, 0, 8,
            "cnn: augmentation, each training image shifted by up to this many pixels per axis (0: none)");
    public static final ConfigKey<String> IMAGES = ConfigKey.choice("classifier.images", "all", List.of("all", "subset"),
            "train and test on every image of the data files (all) or on the load-data step's train/test limits (subset)");
    public static final ConfigKey<Integer> EPOCHS = ConfigKey.integer("classifier.epochs", 10, 0, 10_000,
            "passes over the training images");
    public static final ConfigKey<Double> LEARNING_RATE = ConfigKey.real("classifier.learning_rate", 0.02, 1e-9, 10.0,
            "SGD step size (mlp, softmax); Adam step size for cnn, at most " + ConvolutionalSettings.MAX_ADAM_STEP);
    public static final ConfigKey<Double> MOMENTUM = ConfigKey.real("classifier.momentum", 0.9, 0.0, 0.999,
            "SGD momentum (mlp, softmax); Adam's beta1 for cnn");
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
        return List.of(MODEL, HIDDEN, CONV1_CHANNELS, CONV2_CHANNELS, SHIFT, IMAGES, EPOCHS, LEARNING_RATE, MOMENTUM,
                WEIGHT_DECAY, BATCH_SIZE, SEED);
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig config = context.config();
        String source = "step " + context.stepName();
        ConvolutionalSettings.checkModelKeys(config, source);
        DatasetRef data = DatasetRef.read(context.inputDir(dataStep));
        ImageDataset trainSet = data.load("train"), testSet = data.load("test");
        // The classifier is an instrument, not part of the model under study: by default it learns from
        // every training image of the files, whatever subset the RBM trains on.
        boolean all = config.get(IMAGES).equals("all");
        int nTrain = all ? trainSet.count() : data.trainCount();
        int nTest = all ? testSet.count() : data.testCount();
        double threshold = data.binarizeThreshold();
        double[] xTrain = trainSet.binarize(threshold, nTrain);
        double[] xTest = testSet.binarize(threshold, nTest);
        int[] yTrain = Arrays.copyOf(trainSet.labels(), nTrain);
        int[] yTest = Arrays.copyOf(testSet.labels(), nTest);
        int d = data.features();
        ClassifierTraining training = new ClassifierTraining(config.get(EPOCHS), config.get(BATCH_SIZE),
                config.get(LEARNING_RATE), config.get(MOMENTUM), config.get(WEIGHT_DECAY), config.get(SEED));
        Map<String, Object> settings = new TreeMap<>(Map.of("epochs", training.epochs(), "batch_size",
                training.batchSize(), "learning_rate", training.learningRate(), "l2", training.l2(), "seed",
                training.seed()));
        long start = System.nanoTime();
        String model = config.get(MODEL);
        Classifier classifier;
        switch (model) {
            case "mlp" -> {
                settings.put("optimizer", "sgd, momentum " + training.momentum());
                classifier = HiddenLayerClassifier.train(xTrain, yTrain, nTrain, d, config.get(HIDDEN), training);
            }
            case "softmax" -> {
                settings.put("optimizer", "sgd, momentum " + training.momentum());
                classifier = SoftmaxRegression.train(xTrain, yTrain, nTrain, d, training);
            }
            case "cnn" -> {
                ConvolutionalSettings cnn = ConvolutionalSettings.of(config, data.rows(), data.cols(), source);
                settings.put("optimizer", "adam, beta1 " + training.momentum() + ", beta2 0.999, eps 1e-8");
                settings.put("shift", cnn.shift());
                Progress.Task task = context.progress().start(context.stepName() + " (cnn classifier)",
                        training.epochs(), 0);
                classifier = ConvolutionalClassifier.train(xTrain, yTrain, nTrain, cnn.shape(), training, cnn.shift(),
                        Gemm.create(1), (epoch, loss) -> {
                            context.metrics().log("classifier.train_loss", loss, epoch);
                            task.message(String.format(Locale.ROOT, "epoch %d loss %.4f", epoch + 1, loss));
                            task.step(1);
                        });
                task.close();
            }
            default -> throw new IllegalStateException("unhandled classifier.model " + model);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double trainAccuracy = classifier.accuracy(xTrain, yTrain, nTrain);
        double testAccuracy = classifier.accuracy(xTest, yTest, nTest);
        // Said on the terminal too: whether the instrument reaches the accuracy the sample scores need.
        System.err.printf(Locale.ROOT, "%s: %s classifier test accuracy %.4f on %d test images (train %.4f on %d), %.1f s%n",
                context.stepName(), model, testAccuracy, nTest, trainAccuracy, nTrain, seconds);

        Map<String, Object> info = new LinkedHashMap<>();
        info.put("test_accuracy", testAccuracy);
        info.put("train_accuracy", trainAccuracy);
        info.put("train_images", nTrain);
        info.put("test_images", nTest);
        info.put("input_format", "binary, threshold " + threshold);
        info.put("training", settings);
        ClassifierFiles.write(classifier, info, context.workDir());
        context.metrics().log("classifier.test_accuracy", testAccuracy);
        context.metrics().log("classifier.train_accuracy", trainAccuracy);
        context.metrics().log("classifier.train_seconds", seconds);
        context.metrics().log("classifier.test_images", nTest);
        context.publishArtifact(ClassifierFiles.INDEX);
    }
}
