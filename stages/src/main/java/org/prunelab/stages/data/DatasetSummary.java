package org.prunelab.stages.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Command-line check that a data directory loads: prints counts, image size and the class histogram
 * of train and test, or the loader's error and exit code 1. {@code make data} runs it on what it wrote.
 *
 * <p>Usage: {@code DatasetSummary DIR [idx|csv]} (default idx).
 */
public final class DatasetSummary {
    private DatasetSummary() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: DatasetSummary DIR [idx|csv]");
            System.exit(2);
        }
        String format = args.length == 2 ? args[1] : "idx";
        try {
            DatasetSplits splits = DatasetLoader.load(Path.of(args[0]), format);
            System.out.println(describe("train", splits.train()));
            System.out.println(describe("test ", splits.test()));
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot load " + args[0] + " as " + format + ": " + e.getMessage());
            System.exit(1);
        }
    }

    static String describe(String name, ImageDataset data) {
        return String.format(Locale.ROOT, "%s: %d images %dx%d, classes %s  [%s]", name, data.count(), data.rows(),
                data.cols(), Arrays.toString(data.classCounts()), data.source());
    }
}
