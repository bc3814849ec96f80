package org.archrepair.models.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.IntFunction;

/**
 * The batches of one epoch, in order, prepared ahead by one producer thread into a bounded queue
 * while the consumer trains. Each batch is computed from (seed, epoch, index) alone, so timing
 * cannot change the values. A producer failure is rethrown to the consumer at the batch where it
 * happened; {@link #close} stops the producer and waits for it. With prefetch 0 every batch is
 * computed in {@link #next} on the caller's thread.
 *
 * <p>Not thread-safe: one consumer thread.
 */
public final class BatchStream implements Iterator<Batch>, AutoCloseable {
    private record Failure(int index, Throwable error) {
    }

    private final IntFunction<Batch> make;   // batch index -> batch, a pure function
    private final int epoch, count;
    private final BlockingQueue<Object> queue;   // Batch or Failure, in batch order
    private final Thread producer;
    private int delivered;
    private volatile boolean closed;

    BatchStream(int epoch, int count, IntFunction<Batch> make, int prefetch) {
        this.make = make;
        this.epoch = epoch;
        this.count = count;
        this.queue = prefetch > 0 ? new ArrayBlockingQueue<>(prefetch) : null;
        this.producer = prefetch > 0 ? Thread.ofPlatform().daemon().name("archrepair-batches-epoch-" + epoch)
                .start(this::produce) : null;
    }

    private void produce() {
        for (int k = 0; k < count && !closed; k++) {
            Object item;
            try {
                item = make.apply(k);
            } catch (Throwable t) {
                item = new Failure(k, t);
            }
            try {
                queue.put(item);
            } catch (InterruptedException e) {
                return;   // closed
            }
            if (item instanceof Failure) return;
        }
    }

    public int epoch() {
        return epoch;
    }

    /** Batches in this epoch. */
    public int size() {
        return count;
    }

    @Override
    public boolean hasNext() {
        return !closed && delivered < count;
    }

    @Override
    public Batch next() {
        if (!hasNext())
            throw new NoSuchElementException(closed ? "batch stream of epoch " + epoch + " is closed"
                    : "epoch " + epoch + " has only " + count + " batches");
        Object item = producer == null ? compute(delivered) : take();
        if (item instanceof Failure f) {
            close();
            throw new IllegalStateException("preparing batch " + f.index + " of epoch " + epoch + " failed: "
                    + f.error, f.error);
        }
        delivered++;
        return (Batch) item;
    }

    private Object compute(int k) {
        try {
            return make.apply(k);
        } catch (RuntimeException e) {
            return new Failure(k, e);
        }
    }

    private Object take() {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while waiting for batch " + delivered + " of epoch " + epoch, e);
        }
    }

    /** Stop the producer (if any) and wait for it to finish; idempotent. */
    @Override
    public void close() {
        closed = true;
        if (producer == null) return;
        producer.interrupt();
        boolean interrupted = false;
        while (producer.isAlive()) {
            try {
                producer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        queue.clear();
        if (interrupted) Thread.currentThread().interrupt();
    }
}
