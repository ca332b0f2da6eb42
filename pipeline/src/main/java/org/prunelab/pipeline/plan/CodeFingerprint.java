package org.prunelab.pipeline.plan;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.prunelab.io.Digests;

/**
 * The version of the code that computes a step: a digest of the bytecode of the stage class and
 * every prunelab class it reaches through its constant pool, transitively. Debug attributes (line
 * numbers, local variable names, source file) are left out, so editing a comment or reformatting
 * invalidates nothing, while changing any instruction, constant or signature does. Each class's
 * digest is kept too, so {@code explain} can name the class that changed.
 */
public final class CodeFingerprint {
    private static final String PREFIX = "org/prunelab/";
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

    private record ParsedClass(String digest, java.util.List<String> references) { }

    private static ParsedClass parse(byte[] bytes, String name) {
        String cached = CLASS_CACHE.get(name + "@" + Digests.sha256(bytes));
        try {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
            ByteArrayOutputStream kept = new ByteArrayOutputStream(bytes.length);
            java.io.DataOutputStream out = new java.io.DataOutputStream(kept);
            out.writeInt(in.readInt());
            in.readUnsignedShort();
            in.readUnsignedShort(); // class-file version: a recompile with another javac target is not a code change
            int count = in.readUnsignedShort();
            out.writeShort(count);
            String[] utf8 = new String[count];
            int[] classNameIndex = new int[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                out.writeByte(tag);
                switch (tag) {
                    case 1 -> {
                        String s = in.readUTF();
                        utf8[i] = s;
                        out.writeUTF(s);
                    }
                    case 3, 4 -> out.writeInt(in.readInt());
                    case 5, 6 -> {
                        out.writeLong(in.readLong());
                        i++;
                    }
                    case 7 -> {
                        classNameIndex[i] = in.readUnsignedShort();
                        out.writeShort(classNameIndex[i]);
                    }
                    case 8, 16, 19, 20 -> out.writeShort(in.readUnsignedShort());
                    case 9, 10, 11, 12, 17, 18 -> {
                        out.writeShort(in.readUnsignedShort());
                        out.writeShort(in.readUnsignedShort());
                    }
                    case 15 -> {
                        out.writeByte(in.readUnsignedByte());
                        out.writeShort(in.readUnsignedShort());
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag);
                }
            }
            copy(in, out, 6); // access, this, super
            int interfaces = in.readUnsignedShort();
            out.writeShort(interfaces);
            copy(in, out, 2 * interfaces);
            for (int member = 0; member < 2; member++) { // fields, then methods
                int n = in.readUnsignedShort();
                out.writeShort(n);
                for (int m = 0; m < n; m++) {
                    copy(in, out, 6);
                    copyAttributes(in, out, utf8);
                }
            }
            copyAttributes(in, out, utf8);
            java.util.List<String> refs = new java.util.ArrayList<>();
            for (int i = 1; i < count; i++) {
                if (classNameIndex[i] != 0 && utf8[classNameIndex[i]] != null) {
                    String ref = utf8[classNameIndex[i]];
                    while (ref.startsWith("[")) {
                        ref = ref.substring(1);
                    }
                    if (ref.startsWith("L") && ref.endsWith(";")) {
                        ref = ref.substring(1, ref.length() - 1);
                    }
                    refs.add(ref);
                }
            }
            String digest = cached != null ? cached : HexFormat.of().formatHex(sha(kept.toByteArray()));
            CLASS_CACHE.putIfAbsent(name + "@" + Digests.sha256(bytes), digest);
            return new ParsedClass(digest, refs);
        } catch (IOException e) {
            throw new IllegalStateException("cannot parse bytecode of " + name, e);
        }
    }

    private static final java.util.Set<String> DEBUG_ATTRIBUTES = java.util.Set.of(
            "LineNumberTable", "LocalVariableTable", "LocalVariableTypeTable", "SourceFile", "SourceDebugExtension",
            "MethodParameters");

    private static void copyAttributes(DataInputStream in, java.io.DataOutputStream out, String[] utf8)
            throws IOException {
        int n = in.readUnsignedShort();
        for (int a = 0; a < n; a++) {
            int nameIndex = in.readUnsignedShort();
            int length = in.readInt();
            String attr = utf8[nameIndex];
            if (DEBUG_ATTRIBUTES.contains(attr)) {
                in.skipNBytes(length);
                continue;
            }
            out.writeUTF(attr == null ? "?" : attr);
            if ("Code".equals(attr)) {
                copy(in, out, 4); // max_stack, max_locals
                int codeLength = in.readInt();
                out.writeInt(codeLength);
                copy(in, out, codeLength);
                int exceptions = in.readUnsignedShort();
                out.writeShort(exceptions);
                copy(in, out, 8 * exceptions);
                copyAttributes(in, out, utf8);
            } else {
                out.writeInt(length);
                copy(in, out, length);
            }
        }
    }

    private static void copy(DataInputStream in, java.io.DataOutputStream out, int n) throws IOException {
        byte[] buf = new byte[n];
        in.readFully(buf);
        out.write(buf);
    }

    private static byte[] sha(byte[] data) {
        MessageDigest md = Digests.sha256();
        md.update(data);
        md.update("v1".getBytes(StandardCharsets.UTF_8));
        return md.digest();
    }
}
