package org.prunelab.pipeline.plan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.prunelab.io.Digests;
import org.prunelab.pipeline.provenance.NumericLibrary;

/**
 * The version of the code that computes a step: a digest of the bytecode of the stage class and
 * every prunelab class it reaches through its constant pool, transitively, each in the canonical
 * form of {@link CanonicalBytecode}: debug information (line numbers, local variable names, source
 * file) does not count, so editing a comment, reformatting, renaming a local or compiling without
 * {@code -g} invalidates nothing, while changing any instruction, constant or signature does. The
 * third-party numeric libraries the code reaches ({@link NumericLibrary}) enter by version, so an
 * EJML upgrade invalidates the steps that compute with EJML. Each entry is kept too (class name to
 * digest, {@code "library g:a"} to version), so {@code explain} can name what changed.
 */
public final class CodeFingerprint {
    private static final String PREFIX = "org/prunelab/";
    /** Key prefix of a third-party numeric library's entry; its value is the library's version. */
    public static final String LIBRARY = "library ";
    private static final Map<String, String> CLASS_CACHE = new ConcurrentHashMap<>();
    /** Loaded code cannot change within a process, so a root's fingerprint is computed once. */
    private static final Map<Class<?>, SortedMap<String, String>> ROOT_CACHE = new ConcurrentHashMap<>();

    private CodeFingerprint() {
    }

    /** Per-class digests of the classes reachable from {@code root}, sorted by class name. */
    public static SortedMap<String, String> of(Class<?> root) {
        return ROOT_CACHE.computeIfAbsent(root, r -> java.util.Collections.unmodifiableSortedMap(compute(r)));
    }

    private static SortedMap<String, String> compute(Class<?> root) {
        SortedMap<String, String> digests = new TreeMap<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.push(root.getName().replace('.', '/'));
        ClassLoader loader = root.getClassLoader();
        while (!todo.isEmpty()) {
            String internal = todo.pop();
            String name = internal.replace('/', '.');
            if (digests.containsKey(name)) {
                continue;
            }
            byte[] bytes = read(loader, internal);
            if (bytes == null) {
                continue;
            }
            ParsedClass parsed = parse(bytes, name);
            digests.put(name, parsed.digest);
            for (String ref : parsed.references) {
                if (ref.startsWith(PREFIX) && !digests.containsKey(ref.replace('/', '.'))) {
                    todo.push(ref);
                }
                NumericLibrary.owning(ref).ifPresent(lib -> digests.computeIfAbsent(LIBRARY + lib.name(),
                        k -> lib.version(loader)));
            }
        }
        return digests;
    }

    /** One digest over all class digests. */
    public static String combined(SortedMap<String, String> perClass) {
        StringBuilder sb = new StringBuilder();
        perClass.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return Digests.sha256(sb.toString());
    }

    private static byte[] read(ClassLoader loader, String internal) {
        try (InputStream in = loader.getResourceAsStream(internal + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read bytecode of " + internal, e);
        }
    }

    private record ParsedClass(String digest, List<String> references) { }

    private static ParsedClass parse(byte[] bytes, String name) {
        try {
            CanonicalBytecode.Result canonical = CanonicalBytecode.of(bytes);
            String key = name + "@" + Digests.sha256(bytes);
            String digest = CLASS_CACHE.computeIfAbsent(key, k -> HexFormat.of().formatHex(sha(canonical.canonical())));
            return new ParsedClass(digest, canonical.referencedClasses());
        } catch (IOException e) {
            throw new IllegalStateException("cannot parse bytecode of " + name, e);
        }
    }

    private static byte[] sha(byte[] data) {
        MessageDigest md = Digests.sha256();
        md.update(data);
        md.update("v2".getBytes(StandardCharsets.UTF_8)); // v2: constants by value, debug-only entries gone
        return md.digest();
    }
}
