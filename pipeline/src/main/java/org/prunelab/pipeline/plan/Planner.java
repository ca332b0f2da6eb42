package org.prunelab.pipeline.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.store.Json;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.stages.Stage;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.io.Digests;

/**
 * Turns a config into a {@link Plan}: resolves each step's config slice, computes its identity from
 * that slice, its upstream identities, its input-file digests and its code, and decides per step
 * whether finished work is reused, interrupted work resumed, or the step run. Nothing is executed.
 */
public final class Planner {
    private static final Map<String, String> FILE_DIGESTS = new ConcurrentHashMap<>();

    private final StepStore store;

    public Planner(StepStore store) {
        this.store = store;
    }

    public Plan plan(ExperimentConfig config) {
        EngineSettings engine = EngineSettings.resolve(config.flat(), config.source());
        PipelineDefinition definition = Pipelines.definition(engine.pipeline());
        Set<String> known = new TreeSet<>(definition.keyNames());
        known.addAll(EngineSettings.names());
        config.rejectUnknownKeys(known);
        for (var e : config.flat().entrySet()) {
            if (e.getValue() instanceof List) {
                throw new ConfigException(config.source() + ": key '" + e.getKey()
                        + "' holds a list; lists define sweeps: use 'prunelab sweep' (or give one value)");
            }
        }
        Map<String, StepIdentity> identities = new HashMap<>();
        Map<String, PlannedStep.Action> actions = new HashMap<>();
        Map<String, String> previous = previousPlan(engine.experiment());
        List<PlannedStep> steps = new ArrayList<>();
        for (StepSpec spec : definition.steps()) {
            Stage stage = spec.stage();
            StageConfig stageConfig = StageConfig.resolve(stage.configKeys(), config.flat(), config.source());
            SortedMap<String, String> inputs = inputDigests(stage.externalInputs(stageConfig), spec.name(), config.source());
            SortedMap<String, String> upstream = new TreeMap<>();
            for (String up : spec.upstream()) {
                upstream.put(up, identities.get(up).hash());
            }
            SortedMap<String, String> code = CodeFingerprint.of(stage.getClass());
            StepIdentity identity = new StepIdentity(stage.kind(), stage.codeVersion(), CodeFingerprint.combined(code),
                    stageConfig.identityValues(stage.configKeys()), upstream, inputs);
            identities.put(spec.name(), identity);
            PlannedStep.Action action;
            String reason;
            try {
                if (store.committed(stage.kind(), identity.hash()).isPresent()) {
                    action = PlannedStep.Action.REUSE;
                    reason = "finished earlier with the same identity";
                } else if (store.hasWork(identity.shortHash())) {
                    action = PlannedStep.Action.RESUME;
                    reason = "interrupted earlier; continues from its last checkpoint";
                } else {
                    action = PlannedStep.Action.RUN;
                    reason = Explainer.whyNew(spec, identity, code, previous.get(spec.name()), store, actions);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            actions.put(spec.name(), action);
            steps.add(new PlannedStep(spec, stageConfig, identity, code, action, reason));
        }
        return new Plan(config, engine.experiment(), definition, steps);
    }

    /** Remembers this plan's identities so that the next plan can explain what changed. */
    public void remember(Plan plan) throws IOException {
        Map<String, String> ids = new LinkedHashMap<>();
        for (PlannedStep step : plan.steps()) {
            ids.put(step.name(), step.identity().shortHash());
            Path record = identityRecord(store, step.identity().shortHash());
            if (!Files.exists(record)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("identity", step.identity());
                m.put("codeClasses", step.codeClasses());
                Json.writeAtomically(record, m);
            }
        }
        Path last = lastPlanFile(plan.experimentName());
        if (!ids.equals(previousPlan(plan.experimentName()))) {
            Json.writeAtomically(last, ids);
        }
    }

    static Path identityRecord(StepStore store, String shortId) {
        return store.root().resolve("identities").resolve(shortId + ".json");
    }

    private Path lastPlanFile(String experiment) {
        return store.root().resolve("pipelines").resolve(safe(experiment)).resolve("last-plan.json");
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> previousPlan(String experiment) {
        Path file = lastPlanFile(experiment);
        try {
            return Files.exists(file) ? Json.read(file, Map.class) : Map.of();
        } catch (IOException e) {
            return Map.of(); // only used for explanations
        }
    }

    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /**
     * Input files by name (not by location: the same bytes elsewhere are the same input, as the
     * location keys promise) to their content digests. Two inputs with one file name are told apart
     * by their position in the stage's list.
     */
    static SortedMap<String, String> inputDigests(List<Path> files, String step, String source) {
        SortedMap<String, String> inputs = new TreeMap<>();
        for (int i = 0; i < files.size(); i++) {
            Path input = files.get(i);
            String name = input.getFileName().toString();
            inputs.put(inputs.containsKey(name) ? name + "#" + i : name, digest(input, step, source));
        }
        return inputs;
    }

    private static String digest(Path input, String step, String source) {
        try {
            if (!Files.isRegularFile(input)) {
                throw new ConfigException(source + ": step '" + step + "' needs the file " + input
                        + ", which does not exist (run 'make data', or point the data keys elsewhere)");
            }
            FileTime modified = Files.getLastModifiedTime(input);
            String key = input.toAbsolutePath() + "|" + Files.size(input) + "|" + modified.toMillis();
            Optional<String> cached = Optional.ofNullable(FILE_DIGESTS.get(key));
            if (cached.isPresent()) {
                return cached.get();
            }
            String digest = Digests.sha256(input);
            FILE_DIGESTS.put(key, digest);
            return digest;
        } catch (IOException e) {
            throw new ConfigException(source + ": step '" + step + "' cannot read " + input + ": " + org.prunelab.stages.config.ErrorMessages.describe(e));
        }
    }
}
