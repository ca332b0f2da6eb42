package org.prunelab.pipeline.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file prunelab trusts (a committed output, a manifest, a bookkeeping file) is not what was
 * recorded. The message names the file, the problem and what to do about it.
 */
public final class DamagedFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public DamagedFileException(Path file, String problem, String remedy) {
        super(file + ": " + problem + "; " + remedy);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
