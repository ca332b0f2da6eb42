package org.prunelab.pipeline;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the real test resources are. Missing ones fail the test with the command that provides
 * them: a test that claims to test tracking never passes without a server.
 */
public final class TestEnvironment {
    private TestEnvironment() {
    }

    public static Path projectRoot() {
        String root = System.getenv("PRUNELAB_PROJECT_ROOT");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }

    /** The MNIST IDX directory made by {@code make data}. */
    public static Path mnistDir() {
        String env = System.getenv("PRUNELAB_DATA_DIR");
        Path dir = (env != null && !env.isBlank() ? Path.of(env) : projectRoot().resolve("data")).resolve("mnist");
        assertTrue(Files.isRegularFile(dir.resolve("train-images-idx3-ubyte"))
                        || Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz")),
                "no MNIST data in " + dir + ": run 'make data' (make test does)");
        return dir;
    }

    /** The real MLflow server started by {@code make test}. */
    public static String trackingUri() {
        String uri = System.getenv("MLFLOW_TRACKING_URI");
        assertNotNull(uri, "MLFLOW_TRACKING_URI is not set: run the tests with 'make test', which starts a real"
                + " MLflow server");
        return uri;
    }
}
