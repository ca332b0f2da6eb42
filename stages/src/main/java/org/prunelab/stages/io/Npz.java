package org.prunelab.stages.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.prunelab.io.AtomicFiles;

/**
 * Many named arrays in one file, in numpy's {@code .npz} layout (a zip of {@code <name>.npy} entries,
 * stored uncompressed, readable by {@code numpy.load}). Used where a model has hundreds of small
 * tensors (graph-wired networks), since one atomic, fsynced file per tensor would dominate the cost.
 * Entry times are fixed, so equal contents give equal bytes.
 */
public final class Npz {
    private Npz() {
    }

    public static void write(Path file, Map<String, Npy.Array> arrays) throws IOException {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, Npy.Array> e : arrays.entrySet()) {
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                Npy.Array a = e.getValue();
                if (a.doubles() != null) {
                    Npy.writeDoubles(bytes, a.doubles(), a.shape());
                } else {
                    Npy.writeBytes(bytes, a.bytes(), a.shape());
                }
                byte[] data = bytes.toByteArray();
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                entry.setMethod(ZipEntry.STORED);
                entry.setTime(0L);
                entry.setSize(data.length);
                CRC32 crc = new CRC32();
                crc.update(data);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(data);
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    public static Map<String, Npy.Array> read(Path file) throws IOException {
        Map<String, Npy.Array> out = new LinkedHashMap<>();
        try (InputStream raw = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(raw)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                if (!name.endsWith(".npy")) {
                    throw new IOException(file + ": entry '" + name + "' is not an .npy array");
                }
                out.put(name.substring(0, name.length() - 4), Npy.read(zip, file.resolve(name)));
            }
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": no arrays (not an .npz file?)");
        }
        return out;
    }
}
