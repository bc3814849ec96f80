package org.archrepair.kernels.cuda;

/**
 * Grid and block sizes of the launches, from the work and the device's multiprocessor count. The
 * kernels loop grid-stride, so a grid only has to be large enough to fill the device a few times
 * over; capping it keeps per-thread setup (struct parameters, partial sums) amortized.
 *
 * @param gridX  blocks along x (grid-stride dimension)
 * @param gridY  blocks along y (channels of batch norm, inputs of the mixed-op weight gradient)
 * @param block  threads per block, a multiple of 32 (the kernels' warp reductions assume it)
 */
record LaunchGeometry(int gridX, int gridY, int block) {
    /** Threads per block of every launch: 8 warps, and a full multiprocessor holds 8 such blocks. */
    static final int BLOCK = 256;
    /** Blocks per multiprocessor before the grid-stride loop takes over: 4 full waves. */
    static final int BLOCKS_PER_SM = 32;
    /** Elements each block of a two-pass reduction sums at least, so that few partials remain. */
    static final int MIN_PER_BLOCK = 4 * BLOCK;
    /** The most partial sums a two-pass reduction leaves for its second pass. */
    static final int MAX_PARTIALS = 1024;

    LaunchGeometry {
        if (gridX < 1 || gridY < 1 || gridY > 65535 || block < 32 || block > 1024 || block % 32 != 0)
            throw new IllegalArgumentException("bad launch geometry: grid " + gridX + " x " + gridY + ", block " + block);
    }

    /** One thread per element of n (n > 0) in a grid-stride loop. */
    static LaunchGeometry elementwise(long n, int sms) {
        return new LaunchGeometry(blocks(n, BLOCK, sms), 1, BLOCK);
    }

    /** One warp per row (softmax, loss, global pooling): 8 rows per block. */
    static LaunchGeometry warpPerRow(long rows, int sms) {
        return new LaunchGeometry(blocks(rows, BLOCK / 32, sms), 1, BLOCK);
    }

    /** One block per output (sum_to), grid-stride over outputs. */
    static LaunchGeometry blockPerOutput(long outputs, int sms) {
        return new LaunchGeometry(blocks(outputs, 1, sms), 1, BLOCK);
    }

    /** The first pass of a two-pass sum of n elements: at most MAX_PARTIALS blocks of at least MIN_PER_BLOCK elements. */
    static LaunchGeometry partialSums(long n, int sms) {
        long blocks = Math.min(Math.min(ceil(n, MIN_PER_BLOCK), (long) BLOCKS_PER_SM * sms), MAX_PARTIALS);
        return new LaunchGeometry((int) Math.max(blocks, 1), 1, BLOCK);
    }

    /** The second pass: one block per segment of partials. */
    static LaunchGeometry finalSums(int segments) {
        return new LaunchGeometry(segments, 1, BLOCK);
    }

    /**
     * Batch norm's per-channel reductions over m = n * hw values: (splits, c) blocks, splitting each
     * channel so that about 8 blocks per multiprocessor are in flight (ResNet-18's 64 channels on 132
     * multiprocessors need 17 blocks each), but never below MIN_PER_BLOCK values per block.
     */
    static LaunchGeometry perChannel(long m, int c, int sms) {
        if (c > 65535) throw new IllegalArgumentException("batch norm on the GPU supports at most 65535 channels, got " + c);
        long wanted = ceil(8L * sms, c);
        long splits = Math.max(1, Math.min(wanted, Math.min(ceil(m, MIN_PER_BLOCK), MAX_PARTIALS)));
        return new LaunchGeometry((int) splits, c, BLOCK);
    }

    /** Blocks for n items at perBlock items per block, capped at BLOCKS_PER_SM per multiprocessor. */
    static int blocks(long n, int perBlock, int sms) {
        if (n <= 0) throw new IllegalArgumentException("no work to launch: " + n);
        return (int) Math.min(ceil(n, perBlock), (long) BLOCKS_PER_SM * sms);
    }

    static long ceil(long a, long b) {
        return (a + b - 1) / b;
    }
}
