package org.prunelab.stages.families.rbm;

import java.util.List;

/** {@code rbm-study}: the RBM pipeline plus the auxiliary classifier for the sample scores. */
public final class RbmStudyFamily implements org.prunelab.stages.ModelFamily {
    @Override
    public String name() {
        return "rbm-study";
    }

    @Override
    public List<Step> steps() {
        return RbmFamily.steps(true);
    }
}
