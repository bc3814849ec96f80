package org.archrepair.models.data;

import org.archrepair.engine.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Order, augmentation and normalization of batches, bitwise reproducibility under any timing, and the producer's lifecycle. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BatchLoaderTest {
    /** n random 3x8x8 images, labels i % 10. */
    static ImageDataset synthetic(int n, long seed) {
        Rng r = new Rng(seed);
        byte[] px = new byte[n * 3 * 64];
        for (int i = 0; i < px.length; i++) px[i] = (byte) r.nextInt(256);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 10;
        return new ImageDataset("synthetic", px, labels, Cifar10.CLASS_NAMES, 3, 8, 8);
    }

    private static List<Batch> drain(BatchStream s, boolean jitter, Rng sleeps) throws InterruptedException {
        List<Batch> out = new ArrayList<>();
        try (s) {
            while (s.hasNext()) {
                if (jitter) Thread.sleep(sleeps.nextInt(3));
                out.add(s.next());
            }
        }
        return out;
    }

    private static void assertSameBatches(List<Batch> a, List<Batch> b) {
        assertEquals(a.size(), b.size());
        for (int k = 0; k < a.size(); k++) {
            assertArrayEquals(a.get(k).indices(), b.get(k).indices(), "batch " + k);
            assertArrayEquals(a.get(k).labels(), b.get(k).labels(), "batch " + k);
            assertArrayEquals(a.get(k).images(), b.get(k).images(), "batch " + k);   // bitwise: float equality per element
        }
    }

    @Test
    void sameSeedSameBatchesWhateverTheTiming() throws Exception {
        ImageDataset d = synthetic(203, 1);
        BatchLoader.Config cfg = BatchLoader.Config.train(16, Normalization.KUANGLIU);
        BatchLoader a = new BatchLoader(d, cfg, new Rng(42));
        BatchLoader b = new BatchLoader(d, cfg.withPrefetch(1), new Rng(42));
        BatchLoader sync = new BatchLoader(d, cfg.withPrefetch(0), new Rng(42));
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Batch> fast = drain(a.epoch(epoch), false, null);
            List<Batch> slow = drain(b.epoch(epoch), true, new Rng(epoch));
            List<Batch> inline = drain(sync.epoch(epoch), false, null);
            assertSameBatches(fast, slow);
            assertSameBatches(fast, inline);
            List<Batch> direct = new ArrayList<>();
            for (int k = 0; k < a.batchesPerEpoch(); k++) direct.add(a.batch(epoch, k));
            assertSameBatches(fast, direct);
            assertEquals(13, fast.size());
            assertEquals(203 - 12 * 16, fast.getLast().size(), "last batch kept");
        }
        List<Batch> e0 = drain(a.epoch(0), false, null), e1 = drain(a.epoch(1), false, null);
        assertFalse(Arrays.equals(e0.getFirst().indices(), e1.getFirst().indices()), "epochs are shuffled differently");
        List<Batch> other = drain(new BatchLoader(d, cfg, new Rng(43)).epoch(0), false, null);
        assertFalse(Arrays.equals(e0.getFirst().indices(), other.getFirst().indices()), "another seed, another order");
    }

    @Test
    void eachEpochVisitsEveryImageOnceAndDropLastDrops() throws Exception {
        ImageDataset d = synthetic(50, 2);
        BatchLoader.Config cfg = new BatchLoader.Config(8, true, true, Augmentation.CIFAR, Normalization.AKAMASTER, 2);
        BatchLoader l = new BatchLoader(d, cfg, new Rng(7));
        assertEquals(6, l.batchesPerEpoch());
        List<Batch> batches = drain(l.epoch(4), false, null);
        assertEquals(6, batches.size());
        int[] seen = batches.stream().flatMapToInt(b -> Arrays.stream(b.indices())).sorted().toArray();
        assertEquals(48, seen.length);
        assertEquals(48, Arrays.stream(seen).distinct().count(), "no image twice");
        int[] order = l.order(4);
        assertArrayEquals(Arrays.copyOf(order, 48), batches.stream().flatMapToInt(b -> Arrays.stream(b.indices())).toArray());
        for (Batch b : batches) {
            assertArrayEquals(new int[]{8, 3, 8, 8}, b.shape());
            for (int i = 0; i < b.size(); i++) assertEquals(d.label(b.indices()[i]), b.labels()[i]);
        }
    }

    @Test
    void evalBatchesAreTheNormalizedImagesInOrder() throws Exception {
        ImageDataset d = synthetic(10, 3);
        BatchLoader l = new BatchLoader(d, BatchLoader.Config.eval(4, Normalization.AKAMASTER), new Rng(0));
        List<Batch> batches = drain(l.epoch(0), false, null);
        assertEquals(List.of(4, 4, 2), batches.stream().map(Batch::size).toList());
        Batch last = batches.get(2);
        assertArrayEquals(new int[]{8, 9}, last.indices());
        int per = 3 * 64;
        for (int i = 0; i < 2; i++)
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 8; y++)
                    for (int x = 0; x < 8; x++)
                        assertEquals(Normalization.AKAMASTER.apply(c, d.pixel(8 + i, c, y, x)),
                                last.images()[i * per + (c * 8 + y) * 8 + x]);
    }

    @Test
    void trainBatchesAreAugmentedCopiesOfTheirImages() throws Exception {
        ImageDataset d = synthetic(12, 4);
        BatchLoader l = new BatchLoader(d, BatchLoader.Config.train(12, Normalization.unit(3)), new Rng(5));
        Batch b = l.batch(0, 0);
        int per = 3 * 64, changed = 0;
        for (int i = 0; i < b.size(); i++) {
            byte[] src = d.image(b.indices()[i]);
            float[] got = Arrays.copyOfRange(b.images(), i * per, (i + 1) * per);
            boolean matched = false;
            for (int dy = -4; dy <= 4 && !matched; dy++)
                for (int dx = -4; dx <= 4 && !matched; dx++)
                    for (boolean f : new boolean[]{false, true}) {
                        byte[] aug = new byte[per];
                        Augmentation.apply(src, 0, aug, 0, 3, 8, 8, dy, dx, f);
                        float[] expect = new float[per];
                        for (int j = 0; j < per; j++) expect[j] = (aug[j] & 0xff) / 255f;
                        if (Arrays.equals(expect, got)) {
                            matched = true;
                            if (dy != 0 || dx != 0 || f) changed++;
                            break;
                        }
                    }
            assertTrue(matched, "image " + i + " is not a crop/flip of dataset image " + b.indices()[i]);
        }
        assertTrue(changed > 6, "augmentation applied to most images, got " + changed);
    }

    @Test
    void producerFailureReachesTheConsumerAtItsBatch() {
        RuntimeException boom = new IllegalStateException("disk on fire");
        BatchStream s = new BatchStream(2, 5, k -> {
            if (k == 3) throw boom;
            return new Batch(2, k, new float[3], new int[]{k}, new int[]{k}, 3, 1, 1);
        }, 2);
        for (int k = 0; k < 3; k++) assertEquals(k, s.next().index());
        IllegalStateException e = assertThrows(IllegalStateException.class, s::next);
        assertSame(boom, e.getCause());
        assertTrue(e.getMessage().contains("batch 3 of epoch 2"), e.getMessage());
        assertFalse(s.hasNext(), "closed after a failure");
    }

    @Test
    void closeStopsTheProducerEarly() throws Exception {
        ImageDataset d = synthetic(400, 5);
        BatchLoader l = new BatchLoader(d, BatchLoader.Config.train(4, Normalization.KUANGLIU), new Rng(9));
        BatchStream s = l.epoch(77);
        s.next();
        s.close();
        assertFalse(s.hasNext());
        boolean alive = Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("archrepair-batches-epoch-77") && t.isAlive());
        assertFalse(alive, "producer thread still running after close");
        assertThrows(java.util.NoSuchElementException.class, s::next);
    }

    @Test
    void mismatchedNormalizationIsRejected() {
        ImageDataset d = synthetic(4, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchLoader(d, BatchLoader.Config.eval(2, Normalization.unit(1)), new Rng(0)));
        assertTrue(e.getMessage().contains("1 channels, synthetic has 3"), e.getMessage());
    }
}
