package org.prunelab.stages.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.prunelab.io.AtomicFiles;
import org.prunelab.stages.io.Npy;

/**
 * A trained auxiliary classifier on disk (protocol §7.5), numpy-readable: {@code classifier.json}
 * (model kind, sizes, accuracies, training settings) plus its parameters as float64 {@code .npy}
 * (MLP: {@code mlp_w1} d x H, {@code mlp_b1}, {@code mlp_w2} H x 10, {@code mlp_b2}; softmax:
 * {@code softmax_w} d x 10, {@code softmax_c}). Parameters round-trip bit for bit, so a reloaded
 * classifier predicts exactly what the trained one did.
 */
public final class ClassifierFiles {
    public static final String INDEX = "classifier.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The convolutional classifier's parameter files, in the order of {@link ConvolutionalShape#parameterLengths()}. */
    private static final String[] CNN_FILES = {"cnn_conv1_w.npy", "cnn_conv1_b.npy", "cnn_conv2_w.npy", "cnn_conv2_b.npy",
            "cnn_dense1_w.npy", "cnn_dense1_b.npy", "cnn_dense2_w.npy", "cnn_dense2_b.npy"};

    private ClassifierFiles() {
    }

    /** Writes the parameters and {@code classifier.json} = {@code info} plus model, inputs and hidden. */
    public static void write(Classifier classifier, Map<String, Object> info, Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("inputs", classifier.inputs());
        if (classifier instanceof HiddenLayerClassifier mlp) {
            double[][] p = mlp.parameters();
            index.put("model", "mlp");
            index.put("hidden", mlp.hidden());
            Npy.writeDoubles(dir.resolve("mlp_w1.npy"), p[0], mlp.inputs(), mlp.hidden());
            Npy.writeDoubles(dir.resolve("mlp_b1.npy"), p[1], mlp.hidden());
            Npy.writeDoubles(dir.resolve("mlp_w2.npy"), p[2], mlp.hidden(), Classifier.CLASSES);
            Npy.writeDoubles(dir.resolve("mlp_b2.npy"), p[3], Classifier.CLASSES);
        } else if (classifier instanceof SoftmaxRegression lr) {
            double[][] p = lr.parameters();
            index.put("model", "softmax");
            Npy.writeDoubles(dir.resolve("softmax_w.npy"), p[0], lr.inputs(), Classifier.CLASSES);
            Npy.writeDoubles(dir.resolve("softmax_c.npy"), p[1], Classifier.CLASSES);
        } else if (classifier instanceof ConvolutionalClassifier cnn) {
            ConvolutionalShape shape = cnn.shape();
            index.put("model", "cnn");
            index.put("rows", shape.rows());
            index.put("cols", shape.cols());
            index.put("conv1_channels", shape.channels1());
            index.put("conv2_channels", shape.channels2());
            index.put("hidden", shape.hidden());
            double[][] p = cnn.parameters();
            for (int j = 0; j < CNN_FILES.length; j++) {
                Npy.writeDoubles(dir.resolve(CNN_FILES[j]), p[j], p[j].length);
            }
        } else {
            throw new IllegalArgumentException("cannot save a " + classifier.getClass().getName());
        }
        index.putAll(info);
        AtomicFiles.writeBytes(dir.resolve(INDEX), org.prunelab.stages.io.CanonicalJson.PRETTY.writeValueAsBytes(index));
    }

    /** Loads the classifier saved in {@code dir}. */
    public static Classifier read(Path dir) throws IOException {
        Map<String, Object> index = info(dir);
        int d = ((Number) index.get("inputs")).intValue();
        String model = String.valueOf(index.get("model"));
        return switch (model) {
            case "mlp" -> HiddenLayerClassifier.of(d, ((Number) index.get("hidden")).intValue(),
                    Npy.readDoubles(dir.resolve("mlp_w1.npy")), Npy.readDoubles(dir.resolve("mlp_b1.npy")),
                    Npy.readDoubles(dir.resolve("mlp_w2.npy")), Npy.readDoubles(dir.resolve("mlp_b2.npy")));
            case "softmax" -> SoftmaxRegression.of(d, Npy.readDoubles(dir.resolve("softmax_w.npy")),
                    Npy.readDoubles(dir.resolve("softmax_c.npy")));
            case "cnn" -> {
                ConvolutionalShape shape = new ConvolutionalShape(integer(index, "rows"), integer(index, "cols"),
                        integer(index, "conv1_channels"), integer(index, "conv2_channels"), integer(index, "hidden"));
                double[][] p = new double[CNN_FILES.length][];
                for (int j = 0; j < CNN_FILES.length; j++) {
                    p[j] = Npy.readDoubles(dir.resolve(CNN_FILES[j]));
                }
                yield ConvolutionalClassifier.of(shape, p);
            }
            default -> throw new IOException(dir.resolve(INDEX) + ": unknown classifier model '" + model + "'");
        };
    }

    private static int integer(Map<String, Object> index, String key) throws IOException {
        Object v = index.get(key);
        if (!(v instanceof Number number)) {
            throw new IOException(INDEX + ": '" + key + "' must be a number, got " + v);
        }
        return number.intValue();
    }

    /** The contents of {@code classifier.json} (accuracies, settings). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> info(Path dir) throws IOException {
        return JSON.readValue(dir.resolve(INDEX).toFile(), Map.class);
    }
}
