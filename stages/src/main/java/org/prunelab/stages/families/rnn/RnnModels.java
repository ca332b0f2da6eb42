package org.prunelab.stages.families.rnn;

import java.io.IOException;
import java.nio.file.Path;
import org.prunelab.stages.recurrent.RecurrentClassifier;

/** Public face of the recurrent model files, for families built on this one (graph-wired networks). */
public final class RnnModels {
    private RnnModels() {
    }

    /** Writes {@code model} (architecture read off the model itself) into {@code dir}. */
    public static void write(RecurrentClassifier model, Path dir) throws IOException {
        RnnModelFiles.write(model, dir);
    }

    public static RecurrentClassifier read(Path dir) throws IOException {
        return RnnModelFiles.read(dir);
    }
}
