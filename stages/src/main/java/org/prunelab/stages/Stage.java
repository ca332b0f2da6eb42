package org.prunelab.stages;

import java.nio.file.Path;
import java.util.List;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;

/**
 * The contract every pipeline stage fulfils.
 *
 * <p>A stage declares up front everything that determines its output: the config keys it reads
 * ({@link #configKeys()}), the files outside the run it reads ({@link #externalInputs}), and a code
 * version. The pipeline hashes these, together with the identities of the upstream steps, into the
 * step's identity; that is how it decides, before running anything, whether finished work can be
 * reused. A stage can only read the keys it declared, so the identity can never miss an input.
 *
 * <p>A stage writes its outputs into {@link StageContext#workDir()}; the pipeline commits them (digests,
 * manifest, atomic rename) only when {@link #run} returns normally. A long stage saves checkpoints via
 * {@link StageContext#checkpoints()} and, when restarted, continues from the latest valid one.
 */
public interface Stage {

    /** Stable name of the kind of work, e.g. {@code rbm.train}; part of the step identity. */
    String kind();

    /** Every config key this stage reads, with type, default and validation. */
    List<ConfigKey<?>> configKeys();

    /**
     * Bumped by hand whenever the stage's semantics change in a way bytecode hashing cannot see
     * (e.g. a changed file format). Part of the step identity.
     */
    default int codeVersion() {
        return 1;
    }

    /** Files read from outside the run (e.g. data files); their content digests enter the identity. */
    default List<Path> externalInputs(StageConfig config) {
        return List.of();
    }

    /** Does the work. Throwing marks the step failed; nothing of the work dir is committed. */
    void run(StageContext context) throws Exception;
}
