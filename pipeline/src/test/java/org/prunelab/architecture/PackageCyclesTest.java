package org.prunelab.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import org.junit.jupiter.api.Test;

/**
 * No package cycles, one slice per package. A cycle means two packages can only be understood,
 * tested and changed together; without cycles the packages form layers a newcomer can read bottom up.
 * Module dependencies are one-way (Maven), so every cycle lies inside one module; the stages module
 * is checked in {@link StagesPackageCyclesTest}.
 */
class PackageCyclesTest {

    @Test
    void ioHasNoPackageCycles() {
        noCyclesIn("org.prunelab.io");
    }

    @Test
    void trackingHasNoPackageCycles() {
        noCyclesIn("org.prunelab.tracking");
    }

    @Test
    void pipelineHasNoPackageCycles() {
        noCyclesIn("org.prunelab.pipeline");
    }

    /** One slice per package (the module's root package included), over the classes of one module. */
    static void noCyclesIn(String moduleRoot) {
        slices().matching("org.prunelab.(**)").namingSlices("$1").should().beFreeOfCycles()
                .check(ProjectClasses.all().that(JavaClass.Predicates.resideInAPackage(moduleRoot + "..")));
    }
}
