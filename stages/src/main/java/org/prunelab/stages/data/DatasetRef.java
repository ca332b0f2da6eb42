package org.prunelab.stages.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.prunelab.io.AtomicFiles;
import org.prunelab.io.Digests;

/**
 * What the load-data step hands downstream: the source files with their digests and the chosen
 * subset and binarisation. Downstream steps reload the files (fast) instead of the step copying
 * tens of megabytes into every run, and refuse to go on if a file changed since it was digested.
 */
public record DatasetRef(String format, String header, Map<String, String> files, Map<String, String> sha256, int trainLimit,
                         int testLimit, double binarizeThreshold, int trainCount, int testCount, int rows, int cols) {
    public static final String FILE = "dataset.json";
    private static final ObjectMapper JSON = org.prunelab.stages.io.CanonicalJson.MAPPER;

    /** Without a header setting: IDX data, or CSV with {@code data.header: auto}. */
    public DatasetRef(String format, Map<String, String> files, Map<String, String> sha256, int trainLimit,
                      int testLimit, double binarizeThreshold, int trainCount, int testCount, int rows, int cols) {
        this(format, CsvHeader.AUTO.configValue(), files, sha256, trainLimit, testLimit, binarizeThreshold,
                trainCount, testCount, rows, cols);
    }

    public void write(Path dir) throws IOException {
        AtomicFiles.writeBytes(dir.resolve(FILE), JSON.writeValueAsBytes(this));
    }

    public static DatasetRef read(Path dir) throws IOException {
        return JSON.readValue(dir.resolve(FILE).toFile(), DatasetRef.class);
    }

    public int features() {
        return rows * cols;
    }

    /** The training images (the configured subset), binarised. */
    public double[] trainBinary() throws IOException {
        return load("train").binarize(binarizeThreshold, trainCount);
    }

    /** The test images (the configured subset), binarised. */
    public double[] testBinary() throws IOException {
        return load("test").binarize(binarizeThreshold, testCount);
    }

    public ImageDataset load(String split) throws IOException {
        Map<String, Path> paths = new LinkedHashMap<>();
        for (var e : files.entrySet()) {
            if (e.getKey().startsWith(split)) {
                Path p = Path.of(e.getValue());
                String actual = Digests.sha256(p);
                if (!actual.equals(sha256.get(e.getKey()))) {
                    throw new IOException(p + ": data file changed since the load-data step digested it;"
                            + " re-run the pipeline so that every step sees the new data");
                }
                paths.put(e.getKey(), p);
            }
        }
        if ("csv".equals(format)) {
            return CsvImageReader.read(paths.get(split), CsvHeader.parse(header));
        }
        return IdxReader.read(paths.get(split + "-images"), paths.get(split + "-labels"));
    }
}
