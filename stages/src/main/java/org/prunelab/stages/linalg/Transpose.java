package org.prunelab.stages.linalg;

/** Whether a GEMM operand is used as stored ({@link #NO}) or transposed ({@link #YES}). */
public enum Transpose {
    NO("N"),
    YES("T");

    private final String blasFlag;

    Transpose(String blasFlag) {
        this.blasFlag = blasFlag;
    }

    /** The flag BLAS expects ("N" or "T"). */
    String blasFlag() {
        return blasFlag;
    }
}
