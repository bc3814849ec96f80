package org.archrepair.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end-to-end rows of {@link Report}: images/s = batch / median time, and the ratio PyTorch time /
 * our time, which is also our throughput over PyTorch's (> 1: ours is faster).
 *
 * <p>What this is not: a test of JMH's JSON parsing (the kernel tables have been rendered from real
 * result files since the first run).
 */
class ReportTest {

    private static Map<String, String> params(String batch, String threads) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("batch", batch);
        p.put("threads", threads);
        return p;
    }

    @Test
    void trainStepRowHasImagesPerSecondAndThroughputRatio() {
        String md = Report.render(List.of(
                new Report.Result("TrainStepBench", "ours", params("128", "1"), 500.0),
                new Report.Result("TrainStepBench", "pytorch", params("128", "1"), 250.0),
                new Report.Result("InferenceBench", "ours", params("256", "2"), 128.0),
                new Report.Result("InferenceBench", "pytorch", params("256", "2"), 256.0)));
        assertTrue(md.contains("| batch | threads | ours ms | PyTorch ms | PyTorch/ours | ours images/s | PyTorch images/s |"),
                md);
        assertTrue(md.contains("| 128 | 1 | 500 | 250 | 0.50 | 256 | 512 |"), md);
        assertTrue(md.contains("| 256 | 2 | 128 | 256 | 2.00 | 2000 | 1000 |"), md);
    }
}
