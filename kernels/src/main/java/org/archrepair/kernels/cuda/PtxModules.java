package org.archrepair.kernels.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PTX modules of one context: each resource {@code ptx/<module>.ptx} is JIT-compiled by the driver
 * with {@code cuModuleLoadData(Ex)} the first time one of its kernels is launched, once per context,
 * and every function handle is cached by kernel. A module that does not load is an error naming the
 * file, its {@code .version} and {@code .target}, the driver's version, the CUDA error and the JIT's
 * log (for example a CUDA 12.0 driver that meets ISA 8.1). Not thread-safe (the backend is).
 */
final class PtxModules implements AutoCloseable {
    static final String RESOURCES = "/org/archrepair/kernels/cuda/ptx/";
    private static final Pattern VERSION = Pattern.compile("(?m)^\\.version\\s+(\\S+)"),
            TARGET = Pattern.compile("(?m)^\\.target\\s+(\\S+)");

    private final Driver driver;
    private final Map<String, MemorySegment> modules = new HashMap<>();
    private final Map<Kernel, MemorySegment> functions = new EnumMap<>(Kernel.class);

    PtxModules(Driver driver) {
        this.driver = driver;
    }

    MemorySegment function(Kernel k) {
        MemorySegment f = functions.get(k);
        if (f == null) {
            f = driver.moduleFunction(module(k.module), k.entry);
            functions.put(k, f);
        }
        return f;
    }

    private MemorySegment module(String name) {
        MemorySegment m = modules.get(name);
        if (m != null) return m;
        String file = "ptx/" + name + ".ptx";
        byte[] ptx = read(name);
        Driver.ModuleLoad load = driver.moduleLoad(ptx);
        if (load.code() != 0) {
            String text = new String(ptx, StandardCharsets.US_ASCII);
            int v = driver.driverVersion();
            throw new CudaException("cannot load the PTX module " + file + " (.version " + directive(VERSION, text)
                    + ", .target " + directive(TARGET, text) + ") on CUDA driver " + v / 1000 + "." + v % 1000 / 10
                    + " (" + v + "): " + driver.describe(load.code())
                    + (load.log().isEmpty() ? "" : "; JIT log: " + load.log()));
        }
        modules.put(name, load.module());
        return load.module();
    }

    /** The bytes of resource ptx/name.ptx. */
    static byte[] read(String name) {
        String path = RESOURCES + name + ".ptx";
        try (InputStream in = PtxModules.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing resource " + path + ": the kernels jar is incomplete");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    static String directive(Pattern p, String ptx) {
        Matcher m = p.matcher(ptx);
        return m.find() ? m.group(1) : "missing";
    }

    @Override
    public void close() {
        for (MemorySegment m : modules.values()) driver.moduleUnload(m);
        modules.clear();
        functions.clear();
    }
}
