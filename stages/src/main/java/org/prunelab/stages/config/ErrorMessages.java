package org.prunelab.stages.config;

import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Turns an exception into words a user can act on: the file and what is wrong with it, never a Java
 * class name. {@code java.nio.file} exceptions carry the file but their message is only the path
 * ("NoSuchFileException: runs/x"), which tells a user nothing about the problem.
 */
public final class ErrorMessages {
    private ErrorMessages() {
    }

    public static String describe(Throwable t) {
        if (t instanceof UncheckedIOException u && u.getCause() != null) {
            return describe(u.getCause());
        }
        if (t instanceof FileSystemException f) {
            String file = f.getFile() == null ? "" : f.getFile() + ": ";
            String reason = f.getReason();
            String problem;
            if (f instanceof NoSuchFileException) {
                problem = "no such file or directory";
            } else if (f instanceof AccessDeniedException) {
                problem = "permission denied";
            } else if (f instanceof NotDirectoryException) {
                problem = "not a directory";
            } else if (f instanceof FileAlreadyExistsException) {
                problem = "already exists";
            } else if (f instanceof DirectoryNotEmptyException) {
                problem = "directory not empty";
            } else {
                problem = reason == null ? "file system error" : reason;
                reason = null;
            }
            return file + problem + (reason == null || reason.isBlank() ? "" : " (" + reason + ")");
        }
        if (t instanceof com.fasterxml.jackson.core.JacksonException j) {
            // Jackson's own message embeds "[Source: ...]" descriptions; keep the problem and the place.
            var at = j.getLocation();
            return "not valid JSON: " + j.getOriginalMessage()
                    + (at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        }
        if (t instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory (raise -Xmx, or lower data.train_limit / model sizes)";
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return "unexpected " + plainName(t) + " (set PRUNELAB_DEBUG=1 for the stack trace)";
        }
        return message;
    }

    /** "NumberFormatException" becomes "number format error": a hint without the Java jargon. */
    private static String plainName(Throwable t) {
        String name = t.getClass().getSimpleName().replaceAll("(Exception|Error)$", "");
        return name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT) + " error";
    }
}
