package org.prunelab.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.prunelab.pipeline.config.ExperimentConfig;

/** The shipped RBM study configs' referee settings parse, so a long study cannot fail at its report. */
class RbmStudyConfigsTest {
    @ParameterizedTest
    @ValueSource(strings = {"rbm-dilution-quick", "rbm-retrain-quick", "rbm-small-quick", "rbm-dilution-medium"})
    void claimsAndCurvesParse(String name) {
        Path file = Path.of("..", "configs", name + ".yaml");
        assertTrue(Files.exists(file), file.toAbsolutePath().toString());
        StudySettings s = StudySettings.of(ExperimentConfig.load(file, List.of()));
        assertTrue(s.convergenceReport());
        List<SeedPairedContrast> claims = SeedPairedContrast.parseAll("report.claims", s.claims());
        assertFalse(claims.isEmpty());
        for (SeedPairedContrast c : claims) {
            assertTrue(s.y().contains(c.metric()) || c.metric().startsWith("test_"), c.label() + ": " + c.metric());
        }
        s.curveModels();
    }
}
