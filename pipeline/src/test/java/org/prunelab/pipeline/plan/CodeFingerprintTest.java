package org.prunelab.pipeline.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code fingerprint against real javac output: small fixture classes are compiled in variants
 * (a comment, a renamed local, with and without debug information, a changed constant) and loaded
 * in their own class loaders.
 */
class CodeFingerprintTest {
    private static final String ROOT = """
            package org.prunelab.fixture;
            public class Root {
                public int run() { return Helper.twice(3); }
            }
            """;
    private static final String HELPER = """
            package org.prunelab.fixture;
            class Helper {
                static int twice(int x) {
                    int doubled = x * 2;
                    return doubled;
                }
            }
            """;
    private static final String UNUSED = """
            package org.prunelab.fixture;
            class Unused {
                static int one() { return 1; }
            }
            """;

    @TempDir
    Path tmp;
    private int builds;

    /** Compiles the sources (name -> text) with the given javac flags and fingerprints Root. */
    private SortedMap<String, String> fingerprint(Map<String, String> sources, String... flags) throws Exception {
        return fingerprint("Root", sources, flags);
    }

    private SortedMap<String, String> fingerprint(String root, Map<String, String> sources, String... flags) throws Exception {
        Path src = tmp.resolve("src" + builds);
        Path out = tmp.resolve("out" + builds++);
        Files.createDirectories(src.resolve("org/prunelab/fixture"));
        Files.createDirectories(out);
        List<String> args = new ArrayList<>(List.of(flags));
        args.addAll(List.of("-cp", Path.of(org.ejml.data.DMatrixRMaj.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                + java.io.File.pathSeparator + Path.of(org.ejml.EjmlVersion.class.getProtectionDomain().getCodeSource().getLocation().toURI())));
        args.addAll(List.of("--release", "17", "-d", out.toString()));
        for (var e : sources.entrySet()) {
            Path f = src.resolve("org/prunelab/fixture/" + e.getKey() + ".java");
            Files.writeString(f, e.getValue());
            args.add(f.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, javac.run(null, null, err, args.toArray(String[]::new)), err.toString());
        // Parent: the test's loader (for EJML); org.prunelab.fixture exists only in this build.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
            return CodeFingerprint.of(loader.loadClass("org.prunelab.fixture." + root));
        }
    }

    private static Map<String, String> sources(String helper) {
        return Map.of("Root", ROOT, "Helper", helper, "Unused", UNUSED);
    }

    @Test
    void coversExactlyTheClassesReachableFromTheRoot() throws Exception {
        SortedMap<String, String> code = fingerprint(sources(HELPER), "-g");
        assertEquals(List.of("org.prunelab.fixture.Helper", "org.prunelab.fixture.Root"), List.copyOf(code.keySet()));
    }

    @Test
    void commentsReformattingAndLocalNamesChangeNothing() throws Exception {
        String base = CodeFingerprint.combined(fingerprint(sources(HELPER), "-g"));
        String commented = HELPER.replace("static int twice", "// doubles its argument\n\n    /* really */\n    static int twice");
        assertEquals(base, CodeFingerprint.combined(fingerprint(sources(commented), "-g")), "comment and blank lines");
        String renamed = HELPER.replace("doubled", "product");
        assertEquals(base, CodeFingerprint.combined(fingerprint(sources(renamed), "-g")), "renamed local variable");
    }

    @Test
    void debugInformationIsIgnored() throws Exception {
        SortedMap<String, String> withDebug = fingerprint(sources(HELPER), "-g");
        SortedMap<String, String> without = fingerprint(sources(HELPER), "-g:none");
        assertEquals(withDebug, without, "javac -g and -g:none differ only in debug attributes and their constants");
    }

    @Test
    void aChangedInstructionInAReachableClassChangesTheFingerprint() throws Exception {
        SortedMap<String, String> base = fingerprint(sources(HELPER), "-g");
        SortedMap<String, String> changed = fingerprint(sources(HELPER.replace("x * 2", "x * 3")), "-g");
        assertNotEquals(base.get("org.prunelab.fixture.Helper"), changed.get("org.prunelab.fixture.Helper"));
        assertEquals(base.get("org.prunelab.fixture.Root"), changed.get("org.prunelab.fixture.Root"), "Root itself is unchanged");
        assertNotEquals(CodeFingerprint.combined(base), CodeFingerprint.combined(changed), "but what it runs changed");
    }

    @Test
    void aChangeInUnreachableCodeChangesNothing() throws Exception {
        Map<String, String> edited = new java.util.HashMap<>(sources(HELPER));
        edited.put("Unused", UNUSED.replace("return 1", "return 2"));
        assertEquals(CodeFingerprint.combined(fingerprint(sources(HELPER), "-g")),
                CodeFingerprint.combined(fingerprint(edited, "-g")));
    }

    @Test
    void numericThirdPartyCodeEntersByVersion() throws Exception {
        String numeric = """
                package org.prunelab.fixture;
                public class Numeric {
                    public double run() { return new org.ejml.data.DMatrixRMaj(2, 2).get(0, 0); }
                }
                """;
        SortedMap<String, String> code = fingerprint("Numeric", Map.of("Numeric", numeric), "-g");
        assertEquals(org.ejml.EjmlVersion.VERSION, code.get(CodeFingerprint.LIBRARY + "org.ejml:ejml"),
                "code computing with EJML carries EJML's version: " + code.keySet());
        assertTrue(code.keySet().stream().noneMatch(k -> k.startsWith("org.ejml.")), "EJML's own bytecode is not hashed");
        assertFalse(fingerprint(sources(HELPER), "-g").containsKey(CodeFingerprint.LIBRARY + "org.ejml:ejml"),
                "code that never reaches EJML does not depend on its version");
    }
}
