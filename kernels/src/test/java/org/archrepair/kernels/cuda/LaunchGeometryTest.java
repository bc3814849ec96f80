package org.archrepair.kernels.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The grids of the launches: enough blocks to cover the work or fill the device, never more. */
class LaunchGeometryTest {
    private static final int H200_SMS = 132;

    @Test
    void elementwiseCoversSmallWorkAndCapsLargeWork() {
        assertEquals(new LaunchGeometry(1, 1, 256), LaunchGeometry.elementwise(1, H200_SMS));
        assertEquals(4, LaunchGeometry.elementwise(1000, H200_SMS).gridX());            // ceil(1000 / 256)
        assertEquals(4, LaunchGeometry.elementwise(1024, H200_SMS).gridX());
        assertEquals(5, LaunchGeometry.elementwise(1025, H200_SMS).gridX());
        // ResNet-18 layer1 activations at batch 128: 8.4M elements, capped at 32 blocks per SM
        assertEquals(32 * H200_SMS, LaunchGeometry.elementwise(128L * 64 * 32 * 32, H200_SMS).gridX());
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.elementwise(0, H200_SMS));
    }

    @Test
    void warpPerRowPutsEightRowsInABlock() {
        assertEquals(16, LaunchGeometry.warpPerRow(128, H200_SMS).gridX());
        assertEquals(17, LaunchGeometry.warpPerRow(129, H200_SMS).gridX());
        assertEquals(256, LaunchGeometry.warpPerRow(129, H200_SMS).block());
    }

    @Test
    void partialSumsLeaveFewPartialsOfEnoughElements() {
        assertEquals(1, LaunchGeometry.partialSums(1, H200_SMS).gridX());
        assertEquals(49, LaunchGeometry.partialSums(50_000, H200_SMS).gridX());          // ceil(50000 / 1024)
        LaunchGeometry big = LaunchGeometry.partialSums(11_000_000, H200_SMS);            // ResNet-18's parameters
        assertEquals(LaunchGeometry.MAX_PARTIALS, big.gridX());
        assertEquals(256, big.block());
    }

    @Test
    void batchNormSplitsChannelsToFillTheDevice() {
        // 64 channels of 128 x 32 x 32 values: 17 splits each (8 blocks per SM in all)
        LaunchGeometry g = LaunchGeometry.perChannel(128L * 1024, 64, H200_SMS);
        assertEquals(17, g.gridX());
        assertEquals(64, g.gridY());
        assertTrue((long) g.gridX() * g.gridY() >= 8L * H200_SMS);
        // 512 channels of 128 x 4 x 4: every split needs at least 1024 values, so 2
        assertEquals(2, LaunchGeometry.perChannel(128L * 16, 512, H200_SMS).gridX());
        // tiny channels: one block each
        assertEquals(1, LaunchGeometry.perChannel(10, 3, H200_SMS).gridX());
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.perChannel(10, 70_000, H200_SMS));
    }

    @Test
    void badGeometryIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LaunchGeometry(1, 1, 100));   // not whole warps
        assertThrows(IllegalArgumentException.class, () -> new LaunchGeometry(1, 70_000, 256));
        assertThrows(IllegalArgumentException.class, () -> new LaunchGeometry(0, 1, 256));
    }
}
