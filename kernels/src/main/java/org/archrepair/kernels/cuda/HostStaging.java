package org.archrepair.kernels.cuda;

import java.lang.foreign.MemorySegment;

/**
 * Page-locked host memory for copies between Java arrays and the device: uploads are copied into it
 * and sent with an asynchronous copy on the backend's stream (the host goes on at once), downloads
 * land in it. One buffer, grown to the largest transfer; before it is reused the host waits for an
 * event recorded after the last copy that used it, not for the whole stream. Not thread-safe.
 */
final class HostStaging implements AutoCloseable {
    private static final long MIN_BYTES = 1 << 20;

    private final Driver driver;
    private final MemorySegment stream, event;
    private MemorySegment buffer = MemorySegment.NULL;
    private boolean pending;

    HostStaging(Driver driver, MemorySegment stream) {
        this.driver = driver;
        this.stream = stream;
        this.event = driver.eventCreate(Driver.CU_EVENT_DEFAULT);
    }

    /** At least bytes of staging memory, free of earlier copies. */
    MemorySegment acquire(long bytes) {
        if (pending) {
            driver.eventSynchronize(event);
            pending = false;
        }
        if (bytes > buffer.byteSize()) {
            long grown = Math.max(MIN_BYTES, Math.max(bytes, 2 * buffer.byteSize()));
            if (!buffer.equals(MemorySegment.NULL)) driver.memFreeHost(buffer);
            buffer = MemorySegment.NULL;
            buffer = driver.memAllocHost(grown);
        }
        return buffer.asSlice(0, bytes);
    }

    /** Copies that use the buffer have been enqueued: the next acquire waits for them. */
    void enqueued() {
        driver.eventRecord(event, stream);
        pending = true;
    }

    @Override
    public void close() {
        if (pending) driver.eventSynchronize(event);
        if (!buffer.equals(MemorySegment.NULL)) driver.memFreeHost(buffer);
        driver.eventDestroy(event);
    }
}
