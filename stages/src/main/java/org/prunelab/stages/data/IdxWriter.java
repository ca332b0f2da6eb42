package org.prunelab.stages.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

import org.prunelab.io.AtomicFiles;

/** Writes a dataset as an uncompressed IDX3 images file plus IDX1 labels file, each atomically. */
public final class IdxWriter {
    private IdxWriter() {
    }

    public static void write(ImageDataset data, Path images, Path labels) throws IOException {
        AtomicFiles.write(images, out -> writeImages(data, out));
        AtomicFiles.write(labels, out -> writeLabels(data, out));
    }

    public static void writeImages(ImageDataset data, OutputStream out) throws IOException {
        DataOutputStream header = new DataOutputStream(out); // big-endian, as IDX wants
        header.writeInt(IdxFormat.IMAGES_MAGIC);
        header.writeInt(data.count());
        header.writeInt(data.rows());
        header.writeInt(data.cols());
        header.flush();
        out.write(data.pixels());
    }

    public static void writeLabels(ImageDataset data, OutputStream out) throws IOException {
        DataOutputStream header = new DataOutputStream(out);
        header.writeInt(IdxFormat.LABELS_MAGIC);
        header.writeInt(data.count());
        header.flush();
        byte[] labels = new byte[data.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) data.label(i);
        }
        out.write(labels);
    }
}
