package org.archrepair.bench.cuda;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bench/cuda/run-on-device.sh on a machine without a GPU: it says so in $OUT/SKIPPED and exits 0, at once. */
class OnDeviceScriptTest {

    @Test
    void skipsCleanlyWithoutAGpu(@TempDir Path out) throws Exception {
        String path = System.getenv("PATH");
        Assumptions.assumeFalse(path != null && Arrays.stream(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "nvidia-smi"))),
                "this machine has nvidia-smi: the script would run for real");
        Path script = Path.of("cuda", "run-on-device.sh").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().put("OUT", out.toString());
        pb.environment().put("KIT", out.resolve("no-kit").toString());
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script did not end: " + log);
        assertEquals(0, p.exitValue(), log);
        String skipped = Files.readString(out.resolve("SKIPPED"));
        assertTrue(skipped.startsWith("no GPU here"), skipped);
        assertTrue(Files.readString(out.resolve("run.log")).contains("skipped: no GPU here"), log);
    }
}
