package org.prunelab.stages.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file exists and could be opened, but its contents are not what the format promises.
 *
 * <p>It extends {@link IOException} on purpose: bad data is discovered while reading, every caller
 * that reads files already handles {@code IOException}, and a checked exception cannot be forgotten.
 * The message always starts with the file so that a user can find the culprit without a stack trace.
 *
 * <p>Not to be confused with {@code java.util.zip.DataFormatException}, which is unrelated.
 */
public class DataFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public DataFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public DataFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }

    /** For problems of a whole line of a text file (1-based). */
    public static DataFormatException atLine(Path file, long line, String problem) {
        return new DataFormatException(file, "line " + line + ": " + problem);
    }

    /** For problems located on one line and column of a text file (1-based). */
    public static DataFormatException at(Path file, long line, int column, String problem) {
        return new DataFormatException(file, "line " + line + ", column " + column + ": " + problem);
    }
}
