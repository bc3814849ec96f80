package org.archrepair.repair.cli;

import org.archrepair.kernels.cuda.CudaUnavailableException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --device: the CPU backends by name, GPUs by ordinal, and one clear error where CUDA cannot start. */
class DevicesTest {

    @Test
    void cpuDevices() {
        try (var cpu = Devices.open("cpu", 2); var ref = Devices.open("cpu-reference", 1)) {
            assertEquals("cpu", cpu.name());
            assertEquals("cpu-reference", ref.name());
        }
    }

    @Test
    void badNamesAndOrdinals() {
        var e = assertThrows(IllegalArgumentException.class, () -> Devices.open("tpu", 1));
        assertTrue(e.getMessage().contains("--device tpu") && e.getMessage().contains("cuda:N"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Devices.open("cuda:x", 1));
        assertTrue(e.getMessage().contains("--device cuda:x"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Devices.open("cuda:-1", 1));
    }

    @Test
    void cudaWithoutADriverIsAnErrorNotTheCpu() {
        Assumptions.assumeFalse(loads("libcuda.so.1"), "this machine has a CUDA driver");
        var e = assertThrows(CudaUnavailableException.class, () -> Devices.open("cuda", 1));
        assertTrue(e.getMessage().contains("libcuda.so.1") && e.getMessage().contains("LD_LIBRARY_PATH"), e.getMessage());
        var commandLine = Main.commandLine();
        var err = new java.io.StringWriter();
        commandLine.setErr(new java.io.PrintWriter(err));
        assertEquals(2, commandLine.execute("evaluate", "--model", "resnet20", "--device", "cuda:1", "--weights", "x.th"));
        assertTrue(err.toString().startsWith("archrepair evaluate: CUDA is not available: cannot load the CUDA driver library"),
                err.toString());
    }

    private static boolean loads(String soname) {
        try {
            SymbolLookup.libraryLookup(soname, Arena.global());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
