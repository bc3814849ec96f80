package org.archrepair.bench.cuda;

import org.archrepair.engine.io.JsonFormat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The GPU benchmarks' entry point: {@code CudaBench kernels|train CASES.json OUT.jsonl [--quick]}.
 * kernels: {@link KernelBench}; train: {@link TrainBench}. --quick shrinks the batch to 2 and the
 * repetitions to one, to check the harness on the CUDA emulator of the tests. CUDA options come from
 * the archrepair.cuda.* system properties (libraries) like everywhere else.
 */
public final class CudaBench {
    private CudaBench() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3 || !(args[0].equals("kernels") || args[0].equals("train")))
            throw new IllegalArgumentException("usage: CudaBench kernels|train CASES.json OUT.jsonl [--quick]");
        @SuppressWarnings("unchecked")
        Map<String, Object> cases = (Map<String, Object>) JsonFormat.parse(Files.readString(Path.of(args[1])));
        boolean quick = args.length > 3 && args[3].equals("--quick");
        try (Results out = new Results(Path.of(args[2]))) {
            if (args[0].equals("kernels")) new KernelBench(cases, out, quick).run();
            else new TrainBench(cases, out, quick).run();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String key) {
        return (Map<String, Object>) require(m, key);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) require(m, key);
    }

    static int integer(Map<String, Object> m, String key) {
        return ((Number) require(m, key)).intValue();
    }

    static double number(Map<String, Object> m, String key) {
        return ((Number) require(m, key)).doubleValue();
    }

    private static Object require(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) throw new IllegalArgumentException("cases.json: missing \"" + key + "\"");
        return v;
    }
}
