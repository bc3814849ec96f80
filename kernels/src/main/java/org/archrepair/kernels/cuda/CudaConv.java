package org.archrepair.kernels.cuda;

import org.archrepair.kernels.Conv2dSpec;

/**
 * The three convolution primitives on the GPU, for any stride, padding, dilation and groups.
 * <ul>
 *   <li>Depthwise (groups == c == k): the direct kernels of depthwise.cu.</li>
 *   <li>Otherwise, per group, im2col (conv.cu) and cuBLAS: the forward pass is one strided-batched
 *       GEMM per chunk of images, W (k/g, c/g r s) times each image's columns, written straight into
 *       y's NCHW layout; backward-data is W^T times dy into columns, then col2im (a gather);
 *       backward-weight regroups dy as (k/g, images p q) and multiplies it by the columns'
 *       transpose, one GEMM per chunk accumulating into dw. A 1x1 stride-1 unpadded convolution
 *       needs no columns for the first two (x and dx are their own column matrices).</li>
 *   <li>With {@code -Darchrepair.cuda.conv=cudnn}: cuDNN for all three.</li>
 * </ul>
 * Chunks hold as many images as keep the column workspace within {@code workspaceFloats}
 * (-Darchrepair.cuda.convWorkspaceFloats, default 64 Mi floats = 256 MiB; one image's columns are
 * always allowed).
 */
final class CudaConv {
    static final long DEFAULT_WORKSPACE_FLOATS = 64L << 20;

    private final CudaContext gpu;
    private final long workspaceFloats;

    CudaConv(CudaContext gpu) {
        this.gpu = gpu;
        this.workspaceFloats = Long.getLong("archrepair.cuda.convWorkspaceFloats", DEFAULT_WORKSPACE_FLOATS);
        if (workspaceFloats < 1)
            throw new IllegalArgumentException("-Darchrepair.cuda.convWorkspaceFloats must be positive, got " + workspaceFloats);
    }

    /** The fields of struct ConvGeometry in src-cuda/common.cuh. */
    static int[] geometry(Conv2dSpec s) {
        return new int[]{s.c(), s.h(), s.w(), s.r(), s.s(), s.p(), s.q(), s.strideH(), s.strideW(), s.padH(), s.padW(),
                s.dilH(), s.dilW()};
    }

    /** Images per chunk when one image needs perImage floats of workspace. */
    static int chunk(Conv2dSpec s, long perImage, long workspaceFloats) {
        return (int) Math.max(1, Math.min(s.n(), workspaceFloats / perImage));
    }

    static boolean pointwise(Conv2dSpec s) {
        return s.r() == 1 && s.s() == 1 && s.strideH() == 1 && s.strideW() == 1 && s.padH() == 0 && s.padW() == 0;
    }

    // x: (n, c, h, w), w: (k, c/g, r, s), y: (n, k, p, q); device addresses
    void forward(Conv2dSpec s, long x, long w, long y) {
        if (gpu.options.cudnn()) {
            withWorkspace(ws -> gpu.cudnn().forward(s, x, w, y, ws));
        } else if (s.isDepthwise()) {
            gpu.launch(Kernel.DEPTHWISE_FORWARD, LaunchGeometry.elementwise(s.yLength(), gpu.multiprocessors),
                    gpu.args().ints(geometry(s)).i32(s.n()).ptr(x).ptr(w).ptr(y));
        } else {
            int g = s.groups(), cg = s.c() / g, kg = s.k() / g, crs = cg * s.r() * s.s(), pq = s.p() * s.q(), hw = s.h() * s.w();
            if (pointwise(s)) {
                for (int gi = 0; gi < g; gi++)
                    gpu.cublas.gemmStridedBatched(false, false, kg, pq, cg, 1f, w + 4L * gi * kg * cg, cg, 0,
                            x + 4L * gi * cg * hw, hw, (long) s.c() * hw, 0f, y + 4L * gi * kg * pq, pq, (long) s.k() * pq, s.n());
                return;
            }
            int nc = chunk(s, (long) crs * pq, workspaceFloats);
            CachingAllocator.Block col = gpu.workspace(4L * crs * nc * pq);
            for (int start = 0; start < s.n(); start += nc) {
                int count = Math.min(nc, s.n() - start);
                for (int gi = 0; gi < g; gi++) {
                    im2col(s, x, col.ptr(), gi * cg, cg, start, count);
                    gpu.cublas.gemmStridedBatched(false, false, kg, pq, crs, 1f, w + 4L * gi * kg * crs, crs, 0,
                            col.ptr(), count * pq, pq, 0f, y + 4L * ((long) start * s.k() + (long) gi * kg) * pq, pq,
                            (long) s.k() * pq, count);
                }
            }
            gpu.free(col);
        }
    }

    // dy: (n, k, p, q), w: (k, c/g, r, s), dx: (n, c, h, w)
    void backwardData(Conv2dSpec s, long dy, long w, long dx) {
        if (gpu.options.cudnn()) {
            withWorkspace(ws -> gpu.cudnn().backwardData(s, dy, w, dx, ws));
        } else if (s.isDepthwise()) {
            gpu.launch(Kernel.DEPTHWISE_BACKWARD_DATA, LaunchGeometry.elementwise(s.xLength(), gpu.multiprocessors),
                    gpu.args().ints(geometry(s)).i32(s.n()).ptr(dy).ptr(w).ptr(dx));
        } else {
            int g = s.groups(), cg = s.c() / g, kg = s.k() / g, crs = cg * s.r() * s.s(), pq = s.p() * s.q(), hw = s.h() * s.w();
            if (pointwise(s)) {
                for (int gi = 0; gi < g; gi++)
                    gpu.cublas.gemmStridedBatched(true, false, cg, pq, kg, 1f, w + 4L * gi * kg * cg, cg, 0,
                            dy + 4L * gi * kg * pq, pq, (long) s.k() * pq, 0f, dx + 4L * gi * cg * hw, hw, (long) s.c() * hw, s.n());
                return;
            }
            int nc = chunk(s, (long) crs * pq, workspaceFloats);
            CachingAllocator.Block dcol = gpu.workspace(4L * crs * nc * pq);
            for (int start = 0; start < s.n(); start += nc) {
                int count = Math.min(nc, s.n() - start);
                for (int gi = 0; gi < g; gi++) {
                    gpu.cublas.gemmStridedBatched(true, false, crs, pq, kg, 1f, w + 4L * gi * kg * crs, crs, 0,
                            dy + 4L * ((long) start * s.k() + (long) gi * kg) * pq, pq, (long) s.k() * pq, 0f,
                            dcol.ptr(), count * pq, pq, count);
                    gpu.launch(Kernel.COL2IM, LaunchGeometry.elementwise((long) count * cg * hw, gpu.multiprocessors),
                            gpu.args().ints(geometry(s)).ptr(dcol.ptr()).ptr(dx).i32(gi * cg).i32(cg).i32(start).i32(count));
                }
            }
            gpu.free(dcol);
        }
    }

    // x: (n, c, h, w), dy: (n, k, p, q), dw: (k, c/g, r, s)
    void backwardWeight(Conv2dSpec s, long x, long dy, long dw) {
        if (gpu.options.cudnn()) {
            withWorkspace(ws -> gpu.cudnn().backwardFilter(s, x, dy, dw, ws));
        } else if (s.isDepthwise()) {
            gpu.launch(Kernel.DEPTHWISE_BACKWARD_WEIGHT, new LaunchGeometry((int) s.wLength(), 1, LaunchGeometry.BLOCK),
                    gpu.args().ints(geometry(s)).i32(s.n()).ptr(x).ptr(dy).ptr(dw));
        } else {
            int g = s.groups(), cg = s.c() / g, kg = s.k() / g, crs = cg * s.r() * s.s(), pq = s.p() * s.q();
            int nc = chunk(s, (long) Math.max(crs, kg) * pq, workspaceFloats);
            CachingAllocator.Block col = gpu.workspace(4L * crs * nc * pq), dyT = gpu.workspace(4L * kg * nc * pq);
            for (int start = 0; start < s.n(); start += nc) {
                int count = Math.min(nc, s.n() - start), cols = count * pq;
                for (int gi = 0; gi < g; gi++) {
                    gpu.launch(Kernel.GATHER_DY, LaunchGeometry.elementwise((long) kg * cols, gpu.multiprocessors),
                            gpu.args().ptr(dy).ptr(dyT.ptr()).i32(s.k()).i32(pq).i32(gi * kg).i32(kg).i32(start).i32(count));
                    im2col(s, x, col.ptr(), gi * cg, cg, start, count);
                    gpu.cublas.gemm(false, true, kg, crs, cols, 1f, dyT.ptr(), cols, col.ptr(), cols,
                            start == 0 ? 0f : 1f, dw + 4L * gi * kg * crs, crs);
                }
            }
            gpu.free(col);
            gpu.free(dyT);
        }
    }

    private void im2col(Conv2dSpec s, long x, long col, int c0, int cg, int start, int count) {
        long total = (long) cg * s.r() * s.s() * count * s.p() * s.q();
        gpu.launch(Kernel.IM2COL, LaunchGeometry.elementwise(total, gpu.multiprocessors),
                gpu.args().ints(geometry(s)).ptr(x).ptr(col).i32(c0).i32(cg).i32(start).i32(count));
    }

    /** Runs a cuDNN call with workspace from the allocator, given back once the call is enqueued. */
    private void withWorkspace(java.util.function.Consumer<Cudnn.Workspace> call) {
        CachingAllocator.Block[] held = new CachingAllocator.Block[1];
        try {
            call.accept(bytes -> (held[0] = gpu.workspace(bytes)).ptr());
        } finally {
            if (held[0] != null) gpu.free(held[0]);
        }
    }
}
