package org.archrepair.kernels.cuda;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The stub CUDA libraries of the CPU-only tests, built by the test phase with the machine's g++ and
 * gcc into {@code kernels/target/native-stubs/<hash of the sources>/}: {@code libcuda.so.1} (the
 * emulator of src/test/native, which runs the real kernels of src-cuda on the CPU) and
 * {@code libcublas.so.13} and {@code .12} (their symbols in version nodes named {@code libcublas.so.13}
 * and {@code .12}, as the real libraries have them). The files have the real names, their sonames do
 * not ({@code libcuda-emulator.so.1}, {@code libcublas-stub.so.13}): a library loaded by path under the
 * real soname would be returned for every later {@code dlopen("libcuda.so.1")} and hide a real GPU.
 * Built once per source state; a machine without g++ skips the tests that need them, with the reason
 * printed. {@link #hooks()} reaches the emulator's test hooks.
 */
public final class NativeStubs {
    /** The repository root: the first folder up from the working directory that has src-cuda/. */
    private static final Path ROOT = root();
    private static final Path SRC_CUDA = ROOT.resolve("src-cuda"), NATIVE = ROOT.resolve(Path.of("kernels", "src", "test", "native"));
    private static Path built;
    private static String unavailable;

    private NativeStubs() {
    }

    /** The folder holding the stubs, or the test is skipped (with the reason) when they cannot be built here. */
    static synchronized Path dir() {
        if (built == null && unavailable == null) {
            try {
                built = build();
            } catch (MissingToolException e) {
                unavailable = e.getMessage();
                System.out.println("[cuda emulator] skipped: " + unavailable);
            }
        }
        Assumptions.assumeTrue(built != null, () -> "CUDA emulator unavailable: " + unavailable);
        return built;
    }

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("src-cuda"))) p = p.getParent();
        return p != null ? p : Path.of("").toAbsolutePath();
    }

    private static final class MissingToolException extends Exception {
        MissingToolException(String message) {
            super(message);
        }
    }

    private static Path build() throws MissingToolException {
        if (!Files.isDirectory(SRC_CUDA)) throw new MissingToolException(SRC_CUDA.toAbsolutePath() + " is not here");
        for (String tool : List.of("g++", "gcc"))
            if (!onPath(tool)) throw new MissingToolException(tool + " is not on the PATH");
        try {
            String registry = registry();
            List<Path> sources = new ArrayList<>();
            try (Stream<Path> s = Stream.concat(Files.list(SRC_CUDA), Files.list(NATIVE))) {
                s.filter(p -> p.toString().matches(".*\\.(cu|cuh|cpp|c|h)$")).sorted().forEach(sources::add);
            }
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path p : sources) {
                md.update(p.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(p));
            }
            md.update(registry.getBytes(StandardCharsets.UTF_8));
            Path dir = ROOT.resolve(Path.of("kernels", "target", "native-stubs")).resolve(HexFormat.of().formatHex(md.digest()).substring(0, 16)).toAbsolutePath();
            if (Files.exists(dir.resolve("libcuda.so.1"))) return dir;
            Path tmp = Files.createTempDirectory(Files.createDirectories(dir.getParent()), "build-");
            Files.writeString(tmp.resolve("kernel_registry.inc"), registry);
            run(tmp, "g++", "-std=c++17", "-O2", "-fPIC", "-shared", "-Wall", "-Wno-unknown-pragmas",
                    "-Wno-unused-function", "-I" + SRC_CUDA.toAbsolutePath(), "-I" + tmp, "-Wl,-soname,libcuda-emulator.so.1",
                    "-o", tmp.resolve("libcuda.so.1").toString(), NATIVE.resolve("cuda_emulator.cpp").toAbsolutePath().toString());
            for (String v : List.of("13", "12")) {
                Path map = tmp.resolve("cublas" + v + ".map");
                Files.writeString(map, "libcublas.so." + v + " {\n  global: cublas*; emu_*;\n  local: *;\n};\n");
                run(tmp, "gcc", "-std=c11", "-O1", "-fPIC", "-shared", "-Wall", "-DSTUB_CUBLAS_VERSION=" + v + "0100",
                        "-Wl,--version-script=" + map, "-Wl,-soname,libcublas-stub.so." + v, "-o",
                        tmp.resolve("libcublas.so." + v).toString(), NATIVE.resolve("cublas_stub.c").toAbsolutePath().toString());
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.exists(dir.resolve("libcuda.so.1"))) throw raced;   // another JVM built it first
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** KERNEL(name) for every .entry of the shipped PTX: the emulator's registry. */
    static String registry() {
        StringBuilder sb = new StringBuilder();
        Pattern entry = Pattern.compile("\\.entry\\s+(\\w+)\\(");
        for (String module : Arrays.stream(Kernel.values()).map(k -> k.module).distinct().toList()) {
            Matcher m = entry.matcher(new String(PtxModules.read(module), StandardCharsets.US_ASCII));
            while (m.find()) sb.append("KERNEL(").append(m.group(1)).append(")\n");
        }
        return sb.toString();
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(java.io.File.pathSeparator)) if (Files.isExecutable(Path.of(d, tool))) return true;
        return false;
    }

    private static void run(Path dir, String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0)
                throw new AssertionError("building the CUDA stubs failed: " + String.join(" ", command) + "\n" + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Options that open a CudaBackend on the emulator. */
    public static CudaOptions options() {
        return new CudaOptions(0, false, false, List.of(dir()));
    }

    /** The emulator's test hooks (the same loaded library as the backend's: one path, one handle). */
    static Hooks hooks() {
        return new Hooks(SymbolLookup.libraryLookup(dir().resolve("libcuda.so.1"), Arena.global()),
                SymbolLookup.libraryLookup(dir().resolve("libcublas.so.12"), Arena.global()),
                SymbolLookup.libraryLookup(dir().resolve("libcublas.so.13"), Arena.global()));
    }

    record Hooks(SymbolLookup cuda, SymbolLookup cublas12, SymbolLookup cublas13) {
        private static final Linker LINKER = Linker.nativeLinker();

        private MethodHandle h(SymbolLookup lib, String name, FunctionDescriptor d) {
            return LINKER.downcallHandle(lib.find(name).orElseThrow(), d);
        }

        void setDriverVersion(int v) {
            invoke(h(cuda, "emu_set_driver_version", FunctionDescriptor.ofVoid(JAVA_INT)), v);
        }

        void setMemoryLimit(long bytes) {
            invoke(h(cuda, "emu_set_memory_limit", FunctionDescriptor.ofVoid(JAVA_LONG)), bytes);
        }

        long allocations() {
            return (long) invoke(h(cuda, "emu_allocations", FunctionDescriptor.of(JAVA_LONG)));
        }

        long frees() {
            return (long) invoke(h(cuda, "emu_frees", FunctionDescriptor.of(JAVA_LONG)));
        }

        long bytesInUse() {
            return (long) invoke(h(cuda, "emu_bytes_in_use", FunctionDescriptor.of(JAVA_LONG)));
        }

        /** {gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes} of the last launch. */
        int[] lastLaunch() {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment out = a.allocate(JAVA_INT, 7);
                invoke(h(cuda, "emu_last_launch", FunctionDescriptor.ofVoid(ADDRESS)), out);
                return out.toArray(JAVA_INT);
            }
        }

        int cublasMathMode(SymbolLookup cublas) {
            return (int) invoke(h(cublas, "emu_cublas_last_math_mode", FunctionDescriptor.of(JAVA_INT)));
        }

        private static Object invoke(MethodHandle h, Object... args) {
            try {
                return h.invokeWithArguments(args);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }
}
