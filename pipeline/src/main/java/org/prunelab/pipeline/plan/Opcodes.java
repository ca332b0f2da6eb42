package org.prunelab.pipeline.plan;

/** Operand sizes of JVM instructions (JVMS §6.5), as much as {@link CanonicalBytecode} needs. */
final class Opcodes {
    private static final int BIPUSH = 0x10;
    private static final int SIPUSH = 0x11;
    private static final int LDC = 0x12;
    private static final int LDC_W = 0x13;
    private static final int LDC2_W = 0x14;
    private static final int IINC = 0x84;
    private static final int TABLESWITCH = 0xaa;
    private static final int LOOKUPSWITCH = 0xab;
    private static final int INVOKEINTERFACE = 0xb9;
    private static final int INVOKEDYNAMIC = 0xba;
    private static final int NEWARRAY = 0xbc;
    private static final int WIDE = 0xc4;
    private static final int MULTIANEWARRAY = 0xc5;

    private Opcodes() {
    }

    /** Bytes of the leading constant-pool index of the instruction (0: it has none). */
    static int poolIndexBytes(int op) {
        if (op == LDC) {
            return 1;
        }
        boolean wide = op == LDC_W || op == LDC2_W
                || (op >= 0xb2 && op <= 0xba) // field access, invokes
                || op == 0xbb || op == 0xbd || op == 0xc0 || op == 0xc1 // new, anewarray, checkcast, instanceof
                || op == MULTIANEWARRAY;
        return wide ? 2 : 0;
    }

    /** Bytes of operands after the opcode at {@code pc} (switch padding included). */
    static int operandBytes(byte[] code, int pc) {
        int op = code[pc] & 0xff;
        if (op == TABLESWITCH || op == LOOKUPSWITCH) {
            int p = pc + 1;
            p += (4 - (p % 4)) % 4; // padding to a multiple of four from the start of the code
            if (op == TABLESWITCH) {
                int low = readInt(code, p + 4);
                int high = readInt(code, p + 8);
                p += 12 + 4 * (high - low + 1);
            } else {
                int pairs = readInt(code, p + 4);
                p += 8 + 8 * pairs;
            }
            return p - pc - 1;
        }
        if (op == WIDE) {
            return (code[pc + 1] & 0xff) == IINC ? 5 : 3;
        }
        if (op == BIPUSH || op == LDC || op == NEWARRAY || (op >= 0x15 && op <= 0x19) || (op >= 0x36 && op <= 0x3a)
                || op == 0xa9) { // bipush, ldc, newarray, loads, stores, ret
            return 1;
        }
        if (op == SIPUSH || op == LDC_W || op == LDC2_W || op == IINC || (op >= 0x99 && op <= 0xa8)
                || (op >= 0xb2 && op <= 0xb8) || op == 0xbb || op == 0xbd || op == 0xc0 || op == 0xc1
                || op == 0xc6 || op == 0xc7) { // branches, field access, invokes, new, casts, ifnull
            return 2;
        }
        if (op == MULTIANEWARRAY) {
            return 3;
        }
        if (op == INVOKEINTERFACE || op == INVOKEDYNAMIC || op == 0xc8 || op == 0xc9) { // goto_w, jsr_w
            return 4;
        }
        return 0;
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
