package org.prunelab.pipeline.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * What the file system says about a file without reading it: size, modification time and, where
 * the platform has them, inode and change time. The change time cannot be set back by a user
 * (unlike mtime with {@code touch -r}), so an in-place edit always changes the stamp.
 */
final class FileStamp {
    private FileStamp() {
    }

    static String of(Path file) throws IOException {
        try {
            Map<String, Object> unix = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino");
            return unix.get("size") + ":" + unix.get("lastModifiedTime") + ":" + unix.get("ctime") + ":"
                    + unix.get("ino");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            BasicFileAttributes basic = Files.readAttributes(file, BasicFileAttributes.class);
            return basic.size() + ":" + basic.lastModifiedTime() + ":" + basic.fileKey();
        }
    }
}
