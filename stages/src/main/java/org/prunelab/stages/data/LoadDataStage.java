package org.prunelab.stages.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.image.ImageGrid;
import org.prunelab.io.Digests;
import org.prunelab.stages.io.Npy;

/**
 * Load data: validates the image files (every defect named with its file), digests them, fixes the
 * subset and binarisation, and records all of it in {@code dataset.json} with the training pixel
 * means that initialisation needs.
 */
public final class LoadDataStage implements Stage {
    public static final ConfigKey<String> DIR = ConfigKey.location("data.dir", "data/mnist",
            "directory holding the data files (IDX: the 4 standard MNIST names, .gz or raw; CSV: train.csv, test.csv)");
    public static final ConfigKey<String> FORMAT = ConfigKey.choice("data.format", "idx", List.of("idx", "csv"),
            "file format of data.dir");
    public static final ConfigKey<String> HEADER = ConfigKey.choice("data.header", "auto", CsvHeader.CHOICES,
            "CSV only: is line 1 a header? auto = only when unambiguous (all fields non-numeric), else an error");
    public static final ConfigKey<Integer> TRAIN_LIMIT = ConfigKey.integer("data.train_limit", 0, 0, Integer.MAX_VALUE,
            "use the first N training images (0 = all)");
    public static final ConfigKey<Integer> TEST_LIMIT = ConfigKey.integer("data.test_limit", 0, 0, Integer.MAX_VALUE,
            "use the first N test images (0 = all)");
    public static final ConfigKey<Double> THRESHOLD = ConfigKey.real("data.binarize_threshold", 0.5, 0.0, 1.0,
            "a pixel is 1 when pixel/255 > threshold");

    private static final String[][] IDX_NAMES = {
            {"train-images", "train-images-idx3-ubyte"}, {"train-labels", "train-labels-idx1-ubyte"},
            {"test-images", "t10k-images-idx3-ubyte"}, {"test-labels", "t10k-labels-idx1-ubyte"}};

    @Override
    public String kind() {
        return "data.load";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(DIR, FORMAT, HEADER, TRAIN_LIMIT, TEST_LIMIT, THRESHOLD);
    }

    @Override
    public List<Path> externalInputs(StageConfig config) {
        return new ArrayList<>(files(config).values());
    }

    private static Map<String, Path> files(StageConfig config) {
        Path dir = Path.of(config.get(DIR)).toAbsolutePath().normalize();
        Map<String, Path> files = new LinkedHashMap<>();
        if (config.get(FORMAT).equals("csv")) {
            files.put("train", dir.resolve("train.csv"));
            files.put("test", dir.resolve("test.csv"));
            return files;
        }
        for (String[] role : IDX_NAMES) {
            Path raw = dir.resolve(role[1]);
            Path gz = dir.resolve(role[1] + ".gz");
            if (Files.exists(raw)) {
                files.put(role[0], raw);
            } else if (Files.exists(gz)) {
                files.put(role[0], gz);
            } else {
                throw new ConfigException("data.dir " + dir + ": missing " + role[1] + "[.gz]"
                        + " (run 'make data', or set data.dir to a directory with the MNIST IDX files)");
            }
        }
        return files;
    }

    @Override
    public void run(StageContext context) throws IOException {
        StageConfig config = context.config();
        Map<String, Path> files = files(config);
        Map<String, String> paths = new LinkedHashMap<>();
        Map<String, String> digests = new LinkedHashMap<>();
        for (var e : files.entrySet()) {
            paths.put(e.getKey(), e.getValue().toString());
            digests.put(e.getKey(), Digests.sha256(e.getValue()));
        }
        DatasetRef probe = new DatasetRef(config.get(FORMAT), config.get(HEADER), paths, digests, 0, 0, config.get(THRESHOLD), 0, 0, 0, 0);
        ImageDataset train = probe.load("train");
        ImageDataset test = probe.load("test");
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            // Equal pixel counts are not enough: 14x56 and 28x28 both have 784 pixels, but a model
            // trained on one layout is meaningless on the other.
            throw new DataFormatException(files.get(files.containsKey("test") ? "test" : "test-images"),
                    "test images are " + test.rows() + "x" + test.cols() + " but the training images ("
                    + train.source() + ") are " + train.rows() + "x" + train.cols() + "; both must have the same shape");
        }
        int trainCount = limit(config.get(TRAIN_LIMIT), train.count());
        int testCount = limit(config.get(TEST_LIMIT), test.count());
        DatasetRef ref = new DatasetRef(config.get(FORMAT), config.get(HEADER), paths, digests, config.get(TRAIN_LIMIT),
                config.get(TEST_LIMIT), config.get(THRESHOLD), trainCount, testCount, train.rows(), train.cols());
        ref.write(context.workDir());
        double[] binary = train.binarize(config.get(THRESHOLD), trainCount);
        int f = train.features();
        double[] means = new double[f];
        for (int n = 0; n < trainCount; n++) {
            for (int i = 0; i < f; i++) {
                means[i] += binary[n * f + i];
            }
        }
        for (int i = 0; i < f; i++) {
            means[i] /= trainCount;
        }
        Npy.writeDoubles(context.workDir().resolve("pixel_means.npy"), means, f);
        int preview = Math.min(100, trainCount);
        ImageGrid.writePng(binary, preview, train.rows(), train.cols(), 10, 2,
                context.workDir().resolve("train_preview.png"));
        context.publishArtifact(DatasetRef.FILE);
        context.publishArtifact("train_preview.png");
        context.metrics().log("data.train_count", trainCount);
        context.metrics().log("data.test_count", testCount);
        double ink = 0;
        for (double m : means) {
            ink += m;
        }
        context.metrics().log("data.mean_on_pixels", ink);
    }

    private static int limit(int limit, int available) {
        return limit == 0 ? available : Math.min(limit, available);
    }
}
