package org.prunelab.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.config.ExperimentConfig;

/** The structure-prediction scatter is a figure for a paper too: PNG and PDF (issue 14). */
class PredictionScatterFigureTest {
    @Test
    void theScatterIsWrittenAsPngAndPdf(@TempDir Path dir) throws Exception {
        Map<String, Object> flat = new LinkedHashMap<>();
        flat.put("report.predict", "test_accuracy");
        flat.put("report.predict_by", "model.cell");
        flat.put("report.cv_repetitions", 1);
        StudySettings settings = StudySettings.of(ExperimentConfig.of(dir.resolve("c.yaml"), "c.yaml", flat));
        Random random = new Random(4);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            double edges = 50 + random.nextInt(100);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model.cell", "gru");
            row.put("feature.edges", edges);
            row.put("feature.nodes", 20.0 + random.nextInt(5));
            row.put("test_accuracy", 0.5 + edges / 400 + random.nextGaussian() * 0.02);
            rows.add(row);
        }
        List<Path> files = StructurePrediction.write(settings, rows, dir);
        for (String name : List.of("prediction-scatter.png", "prediction-scatter.pdf")) {
            assertTrue(files.contains(dir.resolve(name)) && Files.size(dir.resolve(name)) > 1000, name + " in " + files);
        }
        String keep = System.getProperty("prunelab.test.keep_figures");
        if (keep != null) { // to look at it: -Dprunelab.test.keep_figures=/some/dir
            Files.copy(dir.resolve("prediction-scatter.png"), Path.of(keep).resolve("prediction-scatter.png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
