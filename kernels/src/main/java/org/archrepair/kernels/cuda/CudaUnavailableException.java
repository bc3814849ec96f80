package org.archrepair.kernels.cuda;

/**
 * CUDA cannot be used on this machine: the driver library is missing, a required function is not in
 * it, or there is no such device. The message says what was looked for and where. Thrown instead of
 * ever falling back to the CPU.
 */
public class CudaUnavailableException extends RuntimeException {
    public CudaUnavailableException(String message) {
        super(message);
    }

    public CudaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
