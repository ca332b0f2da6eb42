package org.prunelab.stages.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Loads the train and test sets of a data directory in one of two formats:
 * <ul>
 *   <li>{@code idx}: the four standard MNIST file names ({@link IdxFormat}), each raw or {@code .gz};</li>
 *   <li>{@code csv}: exactly one {@code *train*.csv} and one {@code *test*.csv} file, read by
 *       {@link CsvImageReader} (28×28 images).</li>
 * </ul>
 * Read-only: nothing in the directory is created or changed.
 */
public final class DatasetLoader {
    public static final List<String> FORMATS = List.of("idx", "csv");

    private DatasetLoader() {
    }

    public static DatasetSplits load(Path dir, String format) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "data directory does not exist (run `make data`?)");
        }
        String f = format == null ? "" : format.toLowerCase(Locale.ROOT);
        return switch (f) {
            case "idx" -> new DatasetSplits(
                    IdxReader.read(IdxFormat.resolve(dir, IdxFormat.TRAIN_IMAGES), IdxFormat.resolve(dir, IdxFormat.TRAIN_LABELS)),
                    IdxReader.read(IdxFormat.resolve(dir, IdxFormat.TEST_IMAGES), IdxFormat.resolve(dir, IdxFormat.TEST_LABELS)));
            case "csv" -> new DatasetSplits(
                    CsvImageReader.read(uniqueCsv(dir, "train")),
                    CsvImageReader.read(uniqueCsv(dir, "test")));
            default -> throw new IllegalArgumentException("unknown data format '" + format + "', expected one of " + FORMATS);
        };
    }

    private static Path uniqueCsv(Path dir, String role) throws IOException {
        List<Path> matches;
        try (Stream<Path> files = Files.list(dir)) {
            matches = files.filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        return name.endsWith(".csv") && name.contains(role);
                    })
                    .sorted()
                    .toList();
        }
        if (matches.size() != 1) {
            throw new NoSuchFileException(dir.toString(), null, "expected exactly one *" + role + "*.csv file, found "
                    + (matches.isEmpty() ? "none" : matches.stream().map(p -> p.getFileName().toString()).toList()));
        }
        return matches.get(0);
    }
}
