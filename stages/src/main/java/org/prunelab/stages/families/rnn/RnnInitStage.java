package org.prunelab.stages.families.rnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.recurrent.CellType;
import org.prunelab.stages.recurrent.Readout;
import org.prunelab.stages.recurrent.RecurrentClassifier;

/** init: the dense stacked classifier, every parameter ~ U(−1/√H, 1/√H) from the run's seed. */
public final class RnnInitStage implements Stage {
    @Override
    public String kind() {
        return "rnn.init";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(CommonKeys.SEED));
        keys.addAll(RnnKeys.modelKeys());
        return keys;
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig c = context.config();
        int[] hidden = new int[c.get(RnnKeys.LAYERS)];
        Arrays.fill(hidden, c.get(RnnKeys.HIDDEN));
        RnnModelFiles.Architecture arch = new RnnModelFiles.Architecture(CellType.parse(c.get(RnnKeys.CELL)),
                c.get(RnnKeys.EMBEDDING), hidden, List.of(), 2, Readout.parse(c.get(RnnKeys.READOUT)));
        RecurrentClassifier model = arch.build();
        model.initialise(Seeds.stream(Seeds.derive(c.get(CommonKeys.SEED), kind())));
        RnnModelFiles.write(model, context.workDir());
        context.progress().log(String.format("%s: %s, embedding %d, %d x %d units", context.stepName(),
                arch.cell().configName(), arch.embedding(), hidden.length, c.get(RnnKeys.HIDDEN)));
    }
}
