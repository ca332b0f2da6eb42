package org.prunelab.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

/**
 * No package cycles inside the stages module. Kept in its own class because it fails until the
 * family-free core lands (today: kernel<->rbm, prune<->rbm, prune<->mlp, kernel<->prune, rbm<->eval),
 * so the other architecture rules can be run and kept green meanwhile.
 */
class StagesPackageCyclesTest {

    @Test
    void stagesHaveNoPackageCycles() {
        PackageCyclesTest.noCyclesIn("org.prunelab.stages");
    }

    /**
     * {@code stages.numeric} (the scalar functions {@code core} and {@code kernel} share) sits below
     * every other package: if it used one of them, that package could no longer use it without a cycle.
     */
    @Test
    void numericDependsOnNoOtherProjectPackage() {
        noClasses().that().resideInAPackage("org.prunelab.stages.numeric..")
                .should().dependOnClassesThat(resideInAPackage("org.prunelab..")
                        .and(resideOutsideOfPackage("org.prunelab.stages.numeric..")))
                .check(ProjectClasses.all());
    }
}
