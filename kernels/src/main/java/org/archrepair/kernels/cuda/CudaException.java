package org.archrepair.kernels.cuda;

/** A CUDA driver, cuBLAS or cuDNN call that returned an error: the call, the code and its meaning. */
public class CudaException extends RuntimeException {
    private final String call;
    private final int code;

    public CudaException(String call, int code, String meaning) {
        super(call + " failed: " + meaning + " (" + code + ")");
        this.call = call;
        this.code = code;
    }

    CudaException(String message) {
        super(message);
        this.call = null;
        this.code = -1;
    }

    /** The function that failed, or null for errors that are not one call's. */
    public String call() {
        return call;
    }

    /** Its status code (CUresult, cublasStatus_t or cudnnStatus_t), or -1. */
    public int code() {
        return code;
    }
}
