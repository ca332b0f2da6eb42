package org.prunelab.stages;

import java.util.List;

/**
 * A model family as the pipeline sees it: a name (the config's {@code pipeline:} value) and its
 * ordered steps. The config keys of a family are exactly those its stages declare.
 *
 * <p>Families are found by {@link ModelFamilies} through {@link java.util.ServiceLoader}: a new
 * family is one package under {@code org.prunelab.stages.families} plus one line naming its class in
 * {@code META-INF/services/org.prunelab.stages.ModelFamily}. Implementations need a public no-argument
 * constructor.
 */
public interface ModelFamily {
    /** The {@code pipeline:} value that selects this family, e.g. "rbm". */
    String name();

    /**
     * The steps in running order; each reads only from steps before it. Called once per plan, so it
     * should build fresh stage objects.
     */
    List<Step> steps();

    /** One declared step: a name, the stage doing its work, and the steps whose outputs it reads. */
    record Step(String name, Stage stage, List<String> upstream) {
        public Step {
            upstream = List.copyOf(upstream);
        }

        public Step(String name, Stage stage, String... upstream) {
            this(name, stage, List.of(upstream));
        }
    }
}
