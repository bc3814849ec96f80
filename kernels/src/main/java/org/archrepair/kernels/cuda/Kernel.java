package org.archrepair.kernels.cuda;

/**
 * Every kernel of src-cuda: the PTX module (resource {@code ptx/<module>.ptx}) and the entry point.
 * {@code PtxResourcesTest} checks that this list and the shipped PTX's {@code .entry} lines agree.
 */
enum Kernel {
    UNARY("elementwise", "unary_f32"),
    RELU_BACKWARD("elementwise", "relu_backward_f32"),
    BINARY("elementwise", "binary_f32"),
    AFFINE("elementwise", "affine_f32"),
    AXPY("elementwise", "axpy_f32"),
    CLIP_BY_NORM("elementwise", "clip_by_norm_f32"),
    GEMM_SCALE("elementwise", "gemm_scale_f32"),

    DOT_PARTIAL("reduce", "dot_partial_f32"),
    SUM_PARTIALS("reduce", "sum_partials_f32"),
    SUM_TO("reduce", "sum_to_f32"),
    ARGMAX_ROWS("reduce", "argmax_rows_f32"),
    COUNT_CORRECT("reduce", "count_correct_f32"),

    IM2COL("conv", "conv2d_im2col_f32"),
    COL2IM("conv", "conv2d_col2im_f32"),
    GATHER_DY("conv", "conv2d_gather_dy_f32"),

    DEPTHWISE_FORWARD("depthwise", "depthwise_conv2d_forward_f32"),
    DEPTHWISE_BACKWARD_DATA("depthwise", "depthwise_conv2d_backward_data_f32"),
    DEPTHWISE_BACKWARD_WEIGHT("depthwise", "depthwise_conv2d_backward_weight_f32"),

    MAX_POOL_FORWARD("pool", "max_pool2d_forward_f32"),
    MAX_POOL_BACKWARD("pool", "max_pool2d_backward_f32"),
    AVG_POOL_FORWARD("pool", "avg_pool2d_forward_f32"),
    AVG_POOL_BACKWARD("pool", "avg_pool2d_backward_f32"),
    GLOBAL_AVG_POOL_FORWARD("pool", "global_avg_pool_forward_f32"),
    GLOBAL_AVG_POOL_BACKWARD("pool", "global_avg_pool_backward_f32"),

    BN_MOMENTS("batchnorm", "batch_norm_moments_f32"),
    BN_STATISTICS("batchnorm", "batch_norm_statistics_f32"),
    BN_NORMALIZE("batchnorm", "batch_norm_normalize_f32"),
    BN_EVAL("batchnorm", "batch_norm_eval_f32"),
    BN_BACKWARD_SUMS("batchnorm", "batch_norm_backward_sums_f32"),
    BN_BACKWARD_REDUCE("batchnorm", "batch_norm_backward_reduce_f32"),
    BN_BACKWARD_DATA("batchnorm", "batch_norm_backward_data_f32"),

    SOFTMAX_FORWARD("loss", "softmax_forward_f32"),
    SOFTMAX_BACKWARD("loss", "softmax_backward_f32"),
    CROSS_ENTROPY_FORWARD("loss", "softmax_cross_entropy_forward_f32"),
    CROSS_ENTROPY_BACKWARD("loss", "softmax_cross_entropy_backward_f32"),

    COPY_CHANNELS("mixed", "copy_channels_f32"),
    CHANNEL_SHUFFLE("mixed", "channel_shuffle_f32"),
    MIXED_SUM_FORWARD("mixed", "mixed_sum_forward_f32"),
    MIXED_SUM_BACKWARD_DATA("mixed", "mixed_sum_backward_data_f32"),
    MIXED_SUM_BACKWARD_WEIGHTS("mixed", "mixed_sum_backward_weights_f32"),

    SGD_STEP("optim", "sgd_step_f32"),
    ADAM_STEP("optim", "adam_step_f32");

    final String module, entry;

    Kernel(String module, String entry) {
        this.module = module;
        this.entry = entry;
    }
}
