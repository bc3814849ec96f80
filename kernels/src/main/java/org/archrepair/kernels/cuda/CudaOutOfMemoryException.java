package org.archrepair.kernels.cuda;

/**
 * The device has no memory for a request even after the caching allocator gave its cache back to the
 * driver and retried once. The message names the request and what was in use and cached.
 */
public class CudaOutOfMemoryException extends CudaException {
    CudaOutOfMemoryException(String message) {
        super(message);
    }
}
