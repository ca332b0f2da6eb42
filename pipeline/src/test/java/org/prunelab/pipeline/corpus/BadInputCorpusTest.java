package org.prunelab.pipeline.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.prunelab.pipeline.TinyConfigs;
import org.prunelab.pipeline.TinyCsvData;

/**
 * Issue 15: a corpus of bad inputs (YAML configs, CLI arguments, CSV and IDX data), each fed to the
 * CLI. Per case: the exit code, the message (it names the file, key or value and the problem, and
 * no Java exception class), and that nothing was half-written (no committed step, no temp file).
 */
class BadInputCorpusTest {
    /** What a case builds in its own directory: the CLI arguments to run. */
    @FunctionalInterface
    interface Setup {
        List<String> args(Path dir) throws Exception;
    }

    record Case(String name, Setup setup, int exit, List<String> says) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final int USAGE = 2;
    private static final int FAILED = 1;

    private static Case c(String name, int exit, Setup setup, String... says) {
        return new Case(name, setup, exit, List.of(says));
    }

    // ---- helpers building inputs -----------------------------------------------------------------

    private static Path file(Path dir, String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private static Path bytes(Path dir, String name, byte[] content) throws Exception {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.write(f, content);
        return f;
    }

    /** A config over a tiny CSV data set (valid unless the case breaks it), plus extra YAML lines. */
    private static List<String> csvRun(Path dir, String... yaml) throws Exception {
        Path data = TinyCsvData.writeDir(dir.resolve("data"));
        return List.of("run", TinyCsvData.config(dir.resolve("cfg.yaml"), data, yaml).toString());
    }

    /** Like {@link #csvRun} but with the train or test file replaced first. */
    private static Setup csvData(String name, String content, String... yaml) {
        return dir -> {
            List<String> args = csvRun(dir, yaml);
            file(dir.resolve("data"), name, content);
            return args;
        };
    }

    private static Setup csvBytes(String name, byte[] content) {
        return dir -> {
            List<String> args = csvRun(dir);
            bytes(dir.resolve("data"), name, content);
            return args;
        };
    }

    private static Setup yaml(String text) {
        return dir -> List.of("run", file(dir, "cfg.yaml", text).toString());
    }

    /** A valid tiny CSV config with extra YAML lines that break it. */
    private static Setup valid(String... yaml) {
        return dir -> csvRun(dir, yaml);
    }

    private static Setup cli(String... args) {
        return dir -> {
            csvRun(dir);
            List<String> out = new ArrayList<>();
            for (String a : args) {
                out.add(a.replace("CFG", dir.resolve("cfg.yaml").toString()));
            }
            return out;
        };
    }

    static byte[] idxImages(int magic, int count, int rows, int cols, byte[] pixels) {
        return ByteBuffer.allocate(16 + pixels.length).putInt(magic).putInt(count).putInt(rows).putInt(cols)
                .put(pixels).array();
    }

    static byte[] idxImages(int count, int rows, int cols) {
        byte[] pixels = new byte[count * rows * cols];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) ((i * 37) % 11 < 4 ? 255 : 0);
        }
        return idxImages(0x803, count, rows, cols, pixels);
    }

    static byte[] idxLabels(int magic, int count, byte[] labels) {
        return ByteBuffer.allocate(8 + labels.length).putInt(magic).putInt(count).put(labels).array();
    }

    static byte[] idxLabels(int count) {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 10);
        }
        return idxLabels(0x801, count, labels);
    }

    static byte[] gzip(byte[] raw, int zeroMiB) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < zeroMiB; i++) {
                gz.write(zeros);
            }
        }
        return out.toByteArray();
    }

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** A valid IDX data set (40 train, 20 test images, 28x28) with one file replaced (null = removed). */
    private static Setup idx(String name, byte[] replacement) {
        return dir -> {
            Path data = dir.resolve("idx");
            bytes(data, TRAIN_IMAGES, idxImages(40, 28, 28));
            bytes(data, TRAIN_LABELS, idxLabels(40));
            bytes(data, TEST_IMAGES, idxImages(20, 28, 28));
            bytes(data, TEST_LABELS, idxLabels(20));
            Files.deleteIfExists(data.resolve(name));
            if (replacement != null) {
                bytes(data, name, replacement);
            }
            Path cfg = TinyCsvData.config(dir.resolve("cfg.yaml"), data);
            return List.of("run", cfg.toString(), "--set", "data.format=idx");
        };
    }

    private static String longText(int n) {
        return "x".repeat(n);
    }

    static Stream<Case> cases() throws Exception {
        List<Case> all = new ArrayList<>();
        // ---- YAML ---------------------------------------------------------------------------------
        all.add(c("yaml duplicate section", USAGE, yaml("seed: 1\ntrain: {epochs: 2}\ntrain: {learning_rate: 0.1}\n"),
                "cfg.yaml, line 3", "duplicate key 'train'", "first at line 2"));
        all.add(c("yaml duplicate nested key", USAGE, yaml("train:\n  epochs: 2\n  epochs: 3\n"),
                "cfg.yaml, line 3", "duplicate key 'train.epochs'"));
        all.add(c("yaml duplicate key in flow mapping", USAGE, yaml("data: {train_limit: 1, train_limit: 2}\n"),
                "cfg.yaml", "duplicate key 'data.train_limit'"));
        all.add(c("yaml alias", USAGE, yaml("description: *d\n"), "cfg.yaml, line 1", "alias '*d'"));
        all.add(c("yaml anchor", USAGE, yaml("seed: &s 3\n"), "cfg.yaml, line 1", "key 'seed'", "anchor '&s'"));
        all.add(c("yaml merge key", USAGE, yaml("base: &b {epochs: 1}\ntrain:\n  <<: *b\n"), "cfg.yaml", "anchor '&b'"));
        all.add(c("yaml tilde null", USAGE, yaml("train:\n  learning_rate: ~\n"), "cfg.yaml, line 2",
                "key 'train.learning_rate'", "no value"));
        all.add(c("yaml empty value", USAGE, yaml("seed:\n"), "cfg.yaml, line 1", "key 'seed'", "no value"));
        all.add(c("yaml word null", USAGE, yaml("prune: {sparsity: null}\n"), "cfg.yaml", "key 'prune.sparsity'",
                "no value"));
        all.add(c("yaml null list item", USAGE, yaml("seed: [1, ~]\n"), "cfg.yaml", "key 'seed[1]'", "no value"));
        all.add(c("yaml foreign tag", USAGE, yaml("seed: !!java.net.URL [http://x]\n"), "cfg.yaml, line 1", "tag"));
        all.add(c("yaml second document", USAGE, yaml("seed: 1\n---\nseed: 2\n"), "cfg.yaml, line 2",
                "second YAML document"));
        all.add(c("yaml complex key", USAGE, yaml("? [a, b]\n: 1\n"), "cfg.yaml", "a key must be plain text"));
        all.add(c("yaml unclosed bracket", USAGE, yaml("seed: [1, 2\n"), "cfg.yaml", "line", "not valid YAML"));
        all.add(c("yaml tab indentation", USAGE, yaml("train:\n\tepochs: 2\n"), "cfg.yaml", "not valid YAML"));
        all.add(c("yaml top-level list", USAGE, yaml("- a\n- b\n"), "cfg.yaml", "top level must be a mapping"));
        all.add(c("yaml empty file", USAGE, yaml(""), "cfg.yaml", "empty"));
        all.add(c("yaml only a comment", USAGE, yaml("# nothing\n"), "cfg.yaml", "empty"));
        all.add(c("yaml not utf-8", USAGE, dir -> List.of("run",
                bytes(dir, "cfg.yaml", new byte[] {'s', 'e', 'e', 'd', ':', ' ', (byte) 0xFF, '\n'}).toString()),
                "cfg.yaml", "not UTF-8"));
        all.add(c("yaml unknown key with suggestion", USAGE, yaml("trian: {epochs: 2}\n"), "cfg.yaml",
                "unknown key 'trian.epochs'", "did you mean 'train.epochs'"));
        all.add(c("yaml wrong type", USAGE, valid("train.learning_rate: fast"), "cfg.yaml",
                "key 'train.learning_rate'", "must be a number", "'fast'"));
        all.add(c("yaml out of range", USAGE, valid("data.binarize_threshold: 1.5"), "cfg.yaml",
                "key 'data.binarize_threshold'", "[0.0, 1.0]", "'1.5'"));
        all.add(c("yaml description over mlflow limit", USAGE, yaml("description: " + longText(5001) + "\n"),
                "cfg.yaml", "key 'description'", "at most 5000 characters", "5001 characters"));
        all.add(c("yaml list of mappings", USAGE, yaml("seed: [{a: 1}]\n"), "cfg.yaml", "key 'seed'",
                "list items must be plain values"));
        all.add(c("yaml unknown pipeline family", USAGE, yaml("pipeline: gan\n"), "cfg.yaml", "key 'pipeline'",
                "'gan'"));
        all.add(c("yaml unknown data format", USAGE, yaml("data: {format: parquet}\n"), "cfg.yaml", "data.format",
                "'parquet'"));
        all.add(c("yaml bad data.header", USAGE, yaml("data: {header: maybe}\n"), "cfg.yaml", "data.header", "'maybe'"));
        all.add(c("yaml same key nested and dotted", USAGE, yaml("data: {format: csv}\ndata.format: idx\n"),
                "cfg.yaml", "key 'data.format' is given twice"));
        all.add(c("yaml boolean for integer", USAGE, valid("data.train_limit: true"), "cfg.yaml",
                "key 'data.train_limit'", "'true'"));
        all.add(c("config is a directory", USAGE, dir -> List.of("run", dir.toString()), "is a directory"));
        all.add(c("config missing", USAGE, dir -> List.of("run", dir.resolve("none.yaml").toString()),
                "none.yaml", "not found"));
        all.add(c("config over 1 MiB", USAGE, yaml("description: x\n#" + longText(1 << 20) + "\n"), "cfg.yaml",
                "larger than 1 MiB"));
        // ---- CLI ----------------------------------------------------------------------------------
        all.add(c("cli no command", USAGE, cli(), "Commands:"));
        all.add(c("cli unknown command", USAGE, cli("frobnicate"), "unknown command 'frobnicate'"));
        all.add(c("cli unknown option", USAGE, cli("run", "CFG", "--bogus"), "Unrecognized option: --bogus"));
        all.add(c("cli --set without argument", USAGE, cli("run", "CFG", "--set"), "Missing argument", "set"));
        all.add(c("cli --set without =", USAGE, cli("run", "CFG", "--set", "seed"), "--set seed", "expected key=value"));
        all.add(c("cli --set null", USAGE, cli("run", "CFG", "--set", "seed=~"), "--set seed=~", "no value"));
        all.add(c("cli --set wrong type", USAGE, cli("run", "CFG", "--set", "seed=abc"), "key 'seed'", "'abc'"));
        all.add(c("cli --set unknown key", USAGE, cli("run", "CFG", "--set", "train.epoch=3"),
                "unknown key 'train.epoch'", "did you mean 'train.epochs'"));
        all.add(c("cli two configs", USAGE, cli("run", "CFG", "CFG"), "'run' takes exactly one CONFIG file"));
        all.add(c("cli explain without config", USAGE, cli("explain"), "'explain' takes exactly one CONFIG file"));
        all.add(c("cli verify with argument", USAGE, cli("verify", "CFG"), "'verify' takes no arguments"));
        all.add(c("cli gc with argument", USAGE, cli("gc", "now"), "'gc' takes no arguments", "now"));
        all.add(c("cli keys unknown family", USAGE, cli("keys", "gan"), "unknown model family 'gan'"));
        all.add(c("cli sync with a non-http tracking uri", USAGE, cli("sync", "--tracking-uri", "ftp://host"),
                "--tracking-uri", "must be http(s)://host[:port]", "ftp://host"));
        // ---- CSV ----------------------------------------------------------------------------------
        all.add(c("csv test file missing", USAGE, dir -> {
            List<String> args = csvRun(dir);
            Files.delete(dir.resolve("data/test.csv"));
            return args;
        }, "test.csv", "does not exist"));
        all.add(c("csv wrong column count", FAILED, csvData("train.csv", "1,2,3\n"), "train.csv", "line 1",
                "wrong column count", "expected 785"));
        all.add(c("csv label out of range", FAILED, csvData("test.csv", TinyCsvData.rows(3, 1).replaceFirst("^\\d", "12")),
                "test.csv", "line 1, column 1", "label 12"));
        all.add(c("csv pixel out of range", FAILED, csvData("train.csv",
                TinyCsvData.rows(2, 0) + "3" + ",300".repeat(784) + "\n"), "train.csv", "line 3, column 2", "pixel 300"));
        all.add(c("csv negative pixel", FAILED, csvData("train.csv", "3" + ",-1".repeat(784) + "\n"), "train.csv",
                "line 1, column 2", "pixel -1"));
        all.add(c("csv non-integer pixel", FAILED, csvData("train.csv", "3,0.5" + ",0".repeat(783) + "\n"), "train.csv",
                "line 1, column 2", "'0.5' is not an integer"));
        all.add(c("csv ambiguous first row", FAILED, csvData("train.csv",
                "x" + ",0".repeat(784) + "\n" + TinyCsvData.rows(5, 1)), "train.csv", "line 1",
                "header or a damaged data row", "data.header"));
        all.add(c("csv header true on a data row", FAILED, csvData("train.csv", TinyCsvData.rows(5, 1),
                "data.header: true"), "train.csv", "line 1", "data.header is true"));
        all.add(c("csv header false with a header", FAILED, csvData("test.csv", "label" + ",px".repeat(784) + "\n"
                + TinyCsvData.rows(3, 1), "data.header: false"), "test.csv", "line 1, column 1", "'label'"));
        all.add(c("csv empty file", FAILED, csvData("train.csv", ""), "train.csv", "no data rows"));
        all.add(c("csv header only", FAILED, csvData("test.csv", "label" + ",p".repeat(784) + "\n"), "test.csv",
                "a header but no data rows"));
        all.add(c("csv blank lines only", FAILED, csvData("train.csv", "\n\n\n"), "train.csv", "no data rows"));
        all.add(c("csv not utf-8", FAILED, csvBytes("train.csv", new byte[] {'1', ',', (byte) 0xC3, (byte) 0x28, '\n'}),
                "train.csv", "not UTF-8"));
        all.add(c("csv unterminated quote", FAILED, csvData("train.csv", "\"1,2\n"), "train.csv", "not valid CSV"));
        all.add(c("csv binary file", FAILED, csvBytes("test.csv", new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0}),
                "test.csv"));
        // ---- IDX ----------------------------------------------------------------------------------
        all.add(c("idx file missing", USAGE, idx(TEST_LABELS, null), TEST_LABELS, "missing"));
        all.add(c("idx wrong magic", FAILED, idx(TRAIN_IMAGES, idxImages(0x804, 40, 28, 28, new byte[40 * 784])),
                TRAIN_IMAGES, "wrong magic number", "0x00000804"));
        all.add(c("idx images and labels swapped", FAILED, idx(TRAIN_IMAGES, idxLabels(40)), TRAIN_IMAGES,
                "wrong magic number", "swapped"));
        all.add(c("idx truncated header", FAILED, idx(TEST_IMAGES, new byte[] {0, 0, 8, 3, 0, 0, 0}), TEST_IMAGES,
                "truncated", "16-byte header"));
        all.add(c("idx empty file", FAILED, idx(TEST_LABELS, new byte[0]), TEST_LABELS, "truncated"));
        all.add(c("idx truncated pixels", FAILED, idx(TRAIN_IMAGES, java.util.Arrays.copyOf(idxImages(40, 28, 28),
                16 + 40 * 784 - 10)), TRAIN_IMAGES, "truncated", "expected 31360 bytes of pixel data"));
        all.add(c("idx trailing garbage", FAILED, idx(TEST_LABELS, java.util.Arrays.copyOf(idxLabels(20), 8 + 25)),
                TEST_LABELS, "trailing garbage", "5 bytes"));
        all.add(c("idx count mismatch", FAILED, idx(TRAIN_LABELS, idxLabels(39)), TRAIN_LABELS, "count mismatch",
                "39 labels", "40 images"));
        all.add(c("idx label out of range", FAILED, idx(TEST_LABELS, idxLabels(0x801, 20, new byte[] {
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9})), TEST_LABELS, "label 10 at index 10"));
        all.add(c("idx zero images", FAILED, idx(TEST_IMAGES, idxImages(0x803, 0, 28, 28, new byte[0])), TEST_IMAGES,
                "zero images"));
        all.add(c("idx absurd dimensions", FAILED, idx(TRAIN_IMAGES, idxImages(0x803, 40, 100_000, 28, new byte[0])),
                TRAIN_IMAGES, "absurd dimensions"));
        all.add(c("idx corrupt gzip", FAILED, idx(TRAIN_IMAGES, java.util.Arrays.copyOf(gzip(idxImages(40, 28, 28), 0),
                60)), TRAIN_IMAGES, "gzip"));
        all.add(c("idx gzip bomb", FAILED, idx(TEST_IMAGES, gzip(idxImages(20, 28, 28), 64)), TEST_IMAGES,
                "trailing garbage", "more than"));
        all.add(c("idx train 14x56 with test 28x28", FAILED, idx(TRAIN_IMAGES, idxImages(40, 14, 56)), TEST_IMAGES,
                "28x28", "14x56", "same shape"));
        all.add(c("idx negative count", FAILED, idx(TEST_IMAGES, idxImages(0x803, -5, 28, 28, new byte[0])),
                TEST_IMAGES, "absurd dimensions"));
        return all.stream();
    }

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsRefusedClearlyAndLeavesNothingHalfWritten(Case bad) throws Exception {
        Path dir = Files.createDirectories(work.resolve("case"));
        Path runs = dir.resolve("runs");
        List<String> args = new ArrayList<>(bad.setup().args(dir));
        args.addAll(List.of("--runs-dir", runs.toString(), "--no-tracking"));
        TinyConfigs.Outcome outcome = TinyConfigs.cli(args.toArray(String[]::new));
        String text = outcome.output();

        assertEquals(bad.exit(), outcome.code(), text);
        for (String part : bad.says()) {
            assertTrue(text.contains(part), "expected '" + part + "' in:\n" + text);
        }
        assertFalse(text.matches("(?s).*\\b(java|javax|com|org)\\.[a-z]+\\.[A-Za-z.]*(Exception|Error)\\b.*"),
                "a Java class name reached the user:\n" + text);
        assertFalse(text.matches("(?s).*\\b[A-Z][A-Za-z]*(Exception|Error): .*"),
                "a Java exception name reached the user:\n" + text);
        assertNothingHalfWritten(runs);
    }

    /** No committed step (every case fails at or before the first step) and no temp file anywhere. */
    static void assertNothingHalfWritten(Path runs) throws Exception {
        if (!Files.exists(runs)) {
            return;
        }
        try (Stream<Path> all = Files.walk(runs)) {
            List<Path> problems = all.filter(p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".tmp") || name.startsWith(".tmp-")
                        || (p.getParent() != null && p.getParent().getParent() != null
                            && p.getParent().getParent().getFileName().toString().equals("steps"));
            }).toList();
            assertEquals(List.of(), problems, "half-written or committed beyond the failure");
        }
    }

    @Test
    void corpusHasAtLeastSixtyCases() throws Exception {
        assertTrue(cases().count() >= 60, "cases: " + cases().count());
    }
}
