package org.prunelab.stages.data.cifar;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunelab.io.AtomicFiles;
import org.prunelab.io.Digests;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.io.CanonicalJson;

/**
 * load-data for CIFAR-10: reads and validates the six binary batches of {@code data.dir} (every
 * defect named with file and record), digests them and records paths, digests and the chosen subset
 * in {@code cifar10.json}; downstream steps reload the files and refuse changed ones.
 */
public final class Cifar10DataStage implements Stage {
    public static final String FILE = "cifar10.json";
    static final ConfigKey<String> DIR = ConfigKey.location("data.dir", "data/cifar-10-batches-bin",
            "directory with data_batch_1..5.bin and test_batch.bin (CIFAR-10 binary version; make: CIFAR10_DIR)");
    static final ConfigKey<Integer> TRAIN_LIMIT = ConfigKey.integer("data.train_limit", 0, 0, Integer.MAX_VALUE,
            "use the first N training images (0 = all 50,000)");
    static final ConfigKey<Integer> TEST_LIMIT = ConfigKey.integer("data.test_limit", 0, 0, Integer.MAX_VALUE,
            "use the first N test images (0 = all 10,000)");

    /** What downstream steps read back. */
    public record Ref(Map<String, String> files, Map<String, String> sha256, int trainCount, int testCount) {
        public static Ref read(Path dir) throws java.io.IOException {
            return CanonicalJson.MAPPER.readValue(dir.resolve(FILE).toFile(), Ref.class);
        }

        /** The training images (first trainCount), after checking every file's digest. */
        public CifarImages train() throws java.io.IOException {
            List<CifarImages> parts = new ArrayList<>();
            for (String name : Cifar10Reader.TRAIN_FILES) {
                parts.add(Cifar10Reader.read(checked(name)));
            }
            return head(Cifar10Reader.concat(parts), trainCount);
        }

        public CifarImages test() throws java.io.IOException {
            return head(Cifar10Reader.read(checked(Cifar10Reader.TEST_FILE)), testCount);
        }

        private Path checked(String name) throws java.io.IOException {
            Path p = Path.of(files.get(name));
            if (!Digests.sha256(p).equals(sha256.get(name))) {
                throw new java.io.IOException(p + ": data file changed since the load-data step digested it;"
                        + " re-run the pipeline so that every step sees the new data");
            }
            return p;
        }

        private static CifarImages head(CifarImages all, int count) {
            if (count >= all.count()) {
                return all;
            }
            return new CifarImages(count, java.util.Arrays.copyOf(all.pixels(), count * CifarImages.PIXELS),
                    java.util.Arrays.copyOf(all.labels(), count));
        }
    }

    @Override
    public String kind() {
        return "data.cifar10";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(DIR, TRAIN_LIMIT, TEST_LIMIT);
    }

    @Override
    public List<Path> externalInputs(StageConfig config) {
        return Cifar10Reader.files(Path.of(config.get(DIR)).toAbsolutePath().normalize());
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig c = context.config();
        Path dir = Path.of(c.get(DIR)).toAbsolutePath().normalize();
        CifarImages train = Cifar10Reader.train(dir);
        CifarImages test = Cifar10Reader.test(dir);
        Map<String, String> files = new LinkedHashMap<>(), digests = new LinkedHashMap<>();
        for (Path f : Cifar10Reader.files(dir)) {
            files.put(f.getFileName().toString(), f.toString());
            digests.put(f.getFileName().toString(), Digests.sha256(f));
        }
        int trainCount = c.get(TRAIN_LIMIT) == 0 ? train.count() : Math.min(c.get(TRAIN_LIMIT), train.count());
        int testCount = c.get(TEST_LIMIT) == 0 ? test.count() : Math.min(c.get(TEST_LIMIT), test.count());
        AtomicFiles.writeBytes(context.workDir().resolve(FILE),
                CanonicalJson.MAPPER.writeValueAsBytes(new Ref(files, digests, trainCount, testCount)));
        context.publishArtifact(FILE);
        context.metrics().log("data.train_count", trainCount);
        context.metrics().log("data.test_count", testCount);
    }
}
