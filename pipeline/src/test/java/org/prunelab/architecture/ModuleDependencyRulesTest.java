package org.prunelab.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * Which module may use which: data flows stages -> pipeline -> tracking, and io serves all. Maven
 * already refuses an undeclared module dependency; these rules also hold the lines Maven cannot
 * see (inside a module, or a package that must stay independent of a sibling).
 */
class ModuleDependencyRulesTest {
    private static final JavaClasses CLASSES = ProjectClasses.all();

    @Test
    void theImportSeesEveryModule() {
        for (String pkg : new String[] {"org.prunelab.io", "org.prunelab.tracking", "org.prunelab.stages", "org.prunelab.pipeline"}) {
            assertTrue(CLASSES.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)), "no classes of " + pkg
                    + " on the classpath: the rules below would pass vacuously");
        }
    }

    @Test
    void stagesKnowNothingOfTrackingOrPipeline() {
        noClasses().that().resideInAPackage("org.prunelab.stages..")
                .should().dependOnClassesThat().resideInAnyPackage("org.prunelab.tracking..", "org.prunelab.pipeline..")
                .because("a stage computes; where its results are logged is the pipeline's business")
                .check(CLASSES);
    }

    @Test
    void trackingKnowsNothingOfStagesOrPipeline() {
        noClasses().that().resideInAPackage("org.prunelab.tracking..")
                .should().dependOnClassesThat().resideInAnyPackage("org.prunelab.stages..", "org.prunelab.pipeline..")
                .because("tracking talks to a tracking server and knows nothing of neural networks")
                .check(CLASSES);
    }

    @Test
    void theOutboxKnowsNothingOfMlflow() {
        noClasses().that().resideInAPackage("org.prunelab.tracking.outbox..")
                .should().dependOnClassesThat().resideInAnyPackage("org.prunelab.tracking.mlflow..", "org.mlflow..")
                .because("the outbox queues operations for any TrackingClient; MLflow's names and rules live in tracking.mlflow")
                .check(CLASSES);
    }

    @Test
    void ioIsALeaf() {
        noClasses().that().resideInAPackage("org.prunelab.io..")
                .should().dependOnClassesThat().resideInAnyPackage("org.prunelab.tracking..", "org.prunelab.stages..",
                        "org.prunelab.pipeline..")
                .because("every module depends on io, so io may depend on none of them")
                .check(CLASSES);
    }

    /** The engine runs any family it is given; a family is wired by registration, never named by the pipeline. */
    static ArchRule pipelineNamesNoFamily(String familiesPackage) {
        return noClasses().that().resideInAPackage("org.prunelab.pipeline..")
                .should().dependOnClassesThat().resideInAPackage(familiesPackage)
                .because("adding a family must cost one package plus one registration line, not pipeline edits");
    }

    @Test
    void pipelineNeverNamesAModelFamily() {
        pipelineNamesNoFamily("org.prunelab.stages.families..").check(CLASSES);
    }
}
