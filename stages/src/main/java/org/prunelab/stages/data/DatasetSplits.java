package org.prunelab.stages.data;

import java.util.Objects;

/** The fixed train and test sets of one data directory. */
public record DatasetSplits(ImageDataset train, ImageDataset test) {
    public DatasetSplits {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            throw new IllegalArgumentException("train images are " + train.rows() + "x" + train.cols()
                    + " but test images are " + test.rows() + "x" + test.cols());
        }
    }
}
