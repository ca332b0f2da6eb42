package org.prunelab.stages.families.rnn;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunelab.stages.data.DataFormatException;
import org.prunelab.stages.io.CanonicalJson;
import org.prunelab.stages.io.Npy;
import org.prunelab.stages.io.Npz;
import org.prunelab.stages.recurrent.CellType;
import org.prunelab.stages.recurrent.Parameter;
import org.prunelab.stages.recurrent.Readout;
import org.prunelab.stages.recurrent.RecurrentClassifier;

/**
 * A recurrent classifier on disk: {@code model.json} (cell, sizes, skips, readout) and
 * {@code parameters.npz} with one array per parameter ({@code <name>}, plus {@code <name>.mask} for
 * prunable ones), so every tensor can be read by numpy ({@code numpy.load}) and the model rebuilt
 * exactly. One archive rather than a file per tensor: graph-wired models have hundreds of tensors.
 */
final class RnnModelFiles {
    static final String DESCRIPTION = "model.json";
    static final String PARAMETERS = "parameters.npz";

    private RnnModelFiles() {
    }

    /** What is needed to rebuild the architecture. */
    record Architecture(CellType cell, int embedding, int[] hidden, List<int[]> skips, int classes, Readout readout) {
        RecurrentClassifier build() {
            return new RecurrentClassifier(cell, embedding, hidden, skips, classes, readout);
        }

        /** The architecture of an existing model. */
        static Architecture of(RecurrentClassifier m) {
            int[] hidden = new int[m.layers().size()];
            for (int l = 0; l < hidden.length; l++) {
                hidden[l] = m.layers().get(l).hidden();
            }
            List<int[]> skips = new ArrayList<>();
            for (RecurrentClassifier.Skip s : m.skips()) {
                skips.add(new int[] {s.from(), s.to()});
            }
            return new Architecture(m.layers().get(0).cell(), m.embeddingSize(), hidden, skips, m.classes(), m.readout());
        }
    }

    /** Writes the model; its architecture is read off the model itself. */
    static void write(RecurrentClassifier model, Path dir) throws IOException {
        Architecture arch = Architecture.of(model);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("cell", arch.cell().configName());
        d.put("embedding", arch.embedding());
        d.put("hidden", arch.hidden());
        d.put("skips", arch.skips());
        d.put("classes", arch.classes());
        d.put("readout", arch.readout().configName());
        Files.writeString(dir.resolve(DESCRIPTION), CanonicalJson.PRETTY.writeValueAsString(d));
        Map<String, Npy.Array> arrays = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            int[] shape = {p.rows(), p.cols()};
            arrays.put(p.name(), new Npy.Array(shape, p.value(), null));
            if (p.prunable()) {
                arrays.put(p.name() + ".mask", new Npy.Array(shape, null, p.mask()));
            }
        }
        Npz.write(dir.resolve(PARAMETERS), arrays);
    }

    static Architecture architecture(Path dir) throws IOException {
        Path file = dir.resolve(DESCRIPTION);
        JsonNode d = CanonicalJson.MAPPER.readTree(file.toFile());
        try {
            int[] hidden = CanonicalJson.MAPPER.convertValue(d.required("hidden"), int[].class);
            List<int[]> skips = new ArrayList<>();
            for (JsonNode s : d.required("skips")) {
                skips.add(new int[] {s.get(0).asInt(), s.get(1).asInt()});
            }
            return new Architecture(CellType.parse(d.required("cell").asText()), d.required("embedding").asInt(), hidden,
                    skips, d.required("classes").asInt(), Readout.parse(d.required("readout").asText()));
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file, "not a recurrent model description: " + e.getMessage());
        }
    }

    static RecurrentClassifier read(Path dir) throws IOException {
        RecurrentClassifier model = architecture(dir).build();
        Path file = dir.resolve(PARAMETERS);
        Map<String, Npy.Array> arrays = Npz.read(file);
        for (Parameter p : model.parameters()) {
            Npy.Array a = arrays.get(p.name());
            double[] v = a == null ? null : a.doubles();
            if (v == null || v.length != p.size()) {
                throw new DataFormatException(file, "array '" + p.name() + "' should hold " + p.size() + " doubles");
            }
            if (p.prunable()) {
                Npy.Array m = arrays.get(p.name() + ".mask");
                if (m == null || m.bytes() == null) {
                    throw new DataFormatException(file, "array '" + p.name() + ".mask' is missing or not u1");
                }
                p.setMask(m.bytes());
            }
            System.arraycopy(v, 0, p.value(), 0, v.length);
            p.applyMask();
        }
        return model;
    }
}
