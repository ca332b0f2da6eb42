package org.prunelab.pipeline.track;

import java.util.LinkedHashMap;
import java.util.Map;
import org.prunelab.pipeline.version.BuildInfo;

/**
 * The standard MLflow tags that say what ran and who ran it: the UI shows them in the runs table's
 * Source, Version and User columns. The git commit is the one the jar was built from (recorded at
 * build time), so it names the code that actually ran even when the jar is used outside a checkout.
 */
final class SourceTags {
    private SourceTags() {
    }

    static Map<String, String> with(Map<String, String> tags, BuildInfo build) {
        Map<String, String> all = new LinkedHashMap<>(tags);
        all.put("mlflow.source.type", "LOCAL");
        all.put("mlflow.source.name", "prunelab");
        if (build.knowsCommit()) {
            all.put("mlflow.source.git.commit", build.gitCommit());
            all.put("prunelab.git.dirty", Boolean.toString(build.dirty()));
        }
        all.put("prunelab.version", build.version());
        String user = System.getProperty("user.name");
        if (user == null || user.isBlank()) {
            user = System.getenv("USER");
        }
        if (user != null && !user.isBlank()) {
            all.put("mlflow.user", user);
        }
        return all;
    }
}
