package org.archrepair.kernels;

/** Elementwise y = a (op) b with NumPy broadcasting, applied by {@link Backend#binary}. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV;

    public float apply(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }
}
