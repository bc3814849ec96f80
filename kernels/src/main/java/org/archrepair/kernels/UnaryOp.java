package org.archrepair.kernels;

/** Elementwise y = f(x), applied by {@link Backend#unary}. */
public enum UnaryOp {
    /** y = max(x, 0) */
    RELU,
    /** y = -x */
    NEG,
    /** y = e^x */
    EXP,
    /** y = ln x */
    LOG,
    /** y = sqrt x */
    SQRT,
    /** y = |x| */
    ABS,
    /** y = x^2 */
    SQUARE;

    /** The scalar definition, shared by every CPU path so that reference and fast agree bitwise. */
    public float apply(float x) {
        return switch (this) {
            case RELU -> x > 0f ? x : 0f;
            case NEG -> -x;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SQUARE -> x * x;
        };
    }
}
