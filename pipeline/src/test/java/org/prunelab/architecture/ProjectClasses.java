package org.prunelab.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The main (non-test) classes of every prunelab module. The pipeline module's test classpath holds
 * all modules (io, tracking, stages, pipeline), which is why the architecture tests live here.
 */
final class ProjectClasses {
    private static JavaClasses all;

    private ProjectClasses() {
    }

    static synchronized JavaClasses all() {
        if (all == null) {
            all = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("org.prunelab");
        }
        return all;
    }
}
