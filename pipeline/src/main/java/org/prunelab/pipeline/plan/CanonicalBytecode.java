package org.prunelab.pipeline.plan;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A class file rewritten into a form that changes exactly when the code does: every constant-pool
 * index is replaced by the constant it names (so the pool's order and size, which debug information
 * changes, do not matter), and debug-only attributes are dropped (line numbers, local variable
 * names and types, source file, parameter names), as is the StackMapTable, which the verifier
 * derives from the code. Instructions, constants, signatures, annotations and bootstrap methods
 * stay. So a comment, a reformat, a renamed local variable or compiling with or without {@code -g}
 * leaves the result unchanged; any change to what the JVM executes changes it.
 */
final class CanonicalBytecode {
    private static final Set<String> DROPPED = Set.of("LineNumberTable", "LocalVariableTable", "LocalVariableTypeTable",
            "SourceFile", "SourceDebugExtension", "MethodParameters", "StackMapTable");

    /** The canonical bytes and the internal names of every class the constant pool names. */
    record Result(byte[] canonical, List<String> referencedClasses) { }

    private final ConstantPool pool;
    private final DataOutputStream out;

    private CanonicalBytecode(ConstantPool pool, DataOutputStream out) {
        this.pool = pool;
        this.out = out;
    }

    static Result of(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file (bad magic number)");
        }
        in.readUnsignedShort();
        in.readUnsignedShort(); // class-file version: a recompile with another javac target is not a code change
        ConstantPool pool = ConstantPool.read(in);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(classFile.length);
        CanonicalBytecode c = new CanonicalBytecode(pool, new DataOutputStream(bytes));
        c.out.writeShort(in.readUnsignedShort()); // access flags
        c.constant(in); // this class
        c.constant(in); // super class
        c.constants(in, in.readUnsignedShort()); // interfaces
        for (int member = 0; member < 2; member++) { // fields, then methods
            int n = in.readUnsignedShort();
            c.out.writeShort(n);
            for (int m = 0; m < n; m++) {
                c.out.writeShort(in.readUnsignedShort()); // access flags
                c.constant(in); // name
                c.constant(in); // descriptor
                c.attributes(in);
            }
        }
        c.attributes(in);
        c.out.flush();
        return new Result(bytes.toByteArray(), pool.classNames());
    }

    private void text(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** A u2 constant-pool index, written as the constant it names. */
    private void constant(DataInputStream in) throws IOException {
        text(pool.render(in.readUnsignedShort()));
    }

    private void constants(DataInputStream in, int count) throws IOException {
        out.writeShort(count);
        for (int i = 0; i < count; i++) {
            constant(in);
        }
    }

    private void attributes(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        for (int a = 0; a < n; a++) {
            String name = pool.utf8(in.readUnsignedShort());
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            if (DROPPED.contains(name)) {
                continue;
            }
            text(name);
            attribute(name, new DataInputStream(new ByteArrayInputStream(body)), body);
        }
        text("end");
    }

    private void attribute(String name, DataInputStream in, byte[] body) throws IOException {
        switch (name) {
            case "Code" -> code(in);
            case "ConstantValue", "Signature", "NestHost" -> constant(in);
            case "Exceptions", "NestMembers", "PermittedSubclasses" -> constants(in, in.readUnsignedShort());
            case "EnclosingMethod" -> {
                constant(in);
                constant(in);
            }
            case "InnerClasses" -> {
                int n = in.readUnsignedShort();
                out.writeShort(n);
                for (int i = 0; i < n; i++) {
                    constant(in);
                    constant(in);
                    constant(in);
                    out.writeShort(in.readUnsignedShort());
                }
            }
            case "BootstrapMethods" -> {
                int n = in.readUnsignedShort();
                out.writeShort(n);
                for (int i = 0; i < n; i++) {
                    constant(in);
                    constants(in, in.readUnsignedShort());
                }
            }
            case "RuntimeVisibleAnnotations", "RuntimeInvisibleAnnotations" -> annotations(in);
            case "RuntimeVisibleParameterAnnotations", "RuntimeInvisibleParameterAnnotations" -> {
                int params = in.readUnsignedByte();
                out.writeByte(params);
                for (int p = 0; p < params; p++) {
                    annotations(in);
                }
            }
            case "AnnotationDefault" -> elementValue(in);
            case "Record" -> {
                int n = in.readUnsignedShort();
                out.writeShort(n);
                for (int i = 0; i < n; i++) {
                    constant(in);
                    constant(in);
                    attributes(in);
                }
            }
            // Synthetic, Deprecated (empty), module and type-annotation attributes: kept as they are.
            default -> {
                out.writeInt(body.length);
                out.write(body);
            }
        }
    }

    private void code(DataInputStream in) throws IOException {
        out.writeShort(in.readUnsignedShort()); // max_stack
        out.writeShort(in.readUnsignedShort()); // max_locals
        byte[] code = new byte[in.readInt()];
        in.readFully(code);
        out.writeInt(code.length);
        instructions(code);
        int handlers = in.readUnsignedShort();
        out.writeShort(handlers);
        for (int h = 0; h < handlers; h++) {
            out.writeShort(in.readUnsignedShort()); // start
            out.writeShort(in.readUnsignedShort()); // end
            out.writeShort(in.readUnsignedShort()); // handler
            constant(in); // catch type (0 = any)
        }
        attributes(in);
    }

    /** Copies the instructions, with constant-pool operands written as the constants they name. */
    private void instructions(byte[] code) throws IOException {
        int pc = 0;
        while (pc < code.length) {
            int op = code[pc] & 0xff;
            out.writeByte(op);
            int operands = Opcodes.operandBytes(code, pc);
            int poolBytes = Opcodes.poolIndexBytes(op);
            if (poolBytes > 0) {
                int index = poolBytes == 1 ? code[pc + 1] & 0xff : ((code[pc + 1] & 0xff) << 8) | (code[pc + 2] & 0xff);
                text(pool.render(index));
                out.write(code, pc + 1 + poolBytes, operands - poolBytes);
            } else {
                out.write(code, pc + 1, operands);
            }
            pc += 1 + operands;
        }
    }

    private void annotations(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        out.writeShort(n);
        for (int i = 0; i < n; i++) {
            annotation(in);
        }
    }

    private void annotation(DataInputStream in) throws IOException {
        constant(in); // type
        int pairs = in.readUnsignedShort();
        out.writeShort(pairs);
        for (int p = 0; p < pairs; p++) {
            constant(in); // element name
            elementValue(in);
        }
    }

    private void elementValue(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        out.writeByte(tag);
        switch (tag) {
            case 'B', 'C', 'D', 'F', 'I', 'J', 'S', 'Z', 's', 'c' -> constant(in);
            case 'e' -> {
                constant(in);
                constant(in);
            }
            case '@' -> annotation(in);
            case '[' -> {
                int n = in.readUnsignedShort();
                out.writeShort(n);
                for (int i = 0; i < n; i++) {
                    elementValue(in);
                }
            }
            default -> throw new IOException("unknown annotation element tag '" + (char) tag + "'");
        }
    }

    /** The constant pool, read once; each entry rendered as text that names it fully. */
    private static final class ConstantPool {
        private final int[] tags;
        private final String[] utf8;
        private final long[] values;
        private final int[] first;
        private final int[] second;
        private final String[] rendered;

        private ConstantPool(int count) {
            tags = new int[count];
            utf8 = new String[count];
            values = new long[count];
            first = new int[count];
            second = new int[count];
            rendered = new String[count];
        }

        static ConstantPool read(DataInputStream in) throws IOException {
            int count = in.readUnsignedShort();
            ConstantPool p = new ConstantPool(count);
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                p.tags[i] = tag;
                switch (tag) {
                    case 1 -> p.utf8[i] = in.readUTF();
                    case 3, 4 -> p.values[i] = in.readInt();
                    case 5, 6 -> {
                        p.values[i] = in.readLong();
                        i++; // eight-byte constants take two slots
                    }
                    case 7, 8, 16, 19, 20 -> p.first[i] = in.readUnsignedShort();
                    case 9, 10, 11, 12, 17, 18 -> {
                        p.first[i] = in.readUnsignedShort();
                        p.second[i] = in.readUnsignedShort();
                    }
                    case 15 -> {
                        p.first[i] = in.readUnsignedByte();
                        p.second[i] = in.readUnsignedShort();
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag);
                }
            }
            return p;
        }

        String utf8(int index) {
            return utf8[index];
        }

        String render(int index) {
            if (index == 0) {
                return "-";
            }
            if (rendered[index] == null) {
                int a = first[index];
                int b = second[index];
                rendered[index] = switch (tags[index]) {
                    case 1 -> "U" + utf8[index];
                    case 3, 4, 5, 6 -> "K" + tags[index] + ":" + values[index];
                    case 7 -> "C" + utf8[a];
                    case 8 -> "S" + utf8[a];
                    case 9, 10, 11 -> "R" + tags[index] + "(" + render(a) + "," + render(b) + ")";
                    case 12 -> "N(" + utf8[a] + "," + utf8[b] + ")";
                    case 15 -> "H" + a + "(" + render(b) + ")";
                    case 16 -> "T" + utf8[a];
                    case 17, 18 -> "Y" + tags[index] + "(" + a + "," + render(b) + ")"; // a: bootstrap method number
                    case 19, 20 -> "M" + tags[index] + utf8[a];
                    default -> throw new IllegalStateException("constant " + index + " has no tag");
                };
            }
            return rendered[index];
        }

        /** Internal names of the classes the pool names, array and descriptor syntax removed. */
        List<String> classNames() {
            List<String> refs = new ArrayList<>();
            for (int i = 1; i < tags.length; i++) {
                if (tags[i] == 7 && utf8[first[i]] != null) {
                    String ref = utf8[first[i]];
                    while (ref.startsWith("[")) {
                        ref = ref.substring(1);
                    }
                    if (ref.startsWith("L") && ref.endsWith(";")) {
                        ref = ref.substring(1, ref.length() - 1);
                    }
                    refs.add(ref);
                }
            }
            return refs;
        }
    }
}
