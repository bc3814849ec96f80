package org.archrepair.kernels;

/** Element types a device buffer can hold: float32 for data, int32 for labels and pooling argmax. */
public enum DType {
    F32, I32
}
