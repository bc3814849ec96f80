package org.archrepair.kernels.cuda;

import jcuda.nvptxcompiler.JNvPTXCompiler;
import jcuda.nvptxcompiler.nvPTXCompilerHandle;
import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.UnaryOp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The PTX shipped as resources, checked without a GPU: it matches the sources (STAMP), it is
 * accepted by a CUDA 12 JIT (the PTX compiler of JCuda's CUDA 12 natives) for sm_80 and sm_90, and by
 * ptxas where present, nvcc (same version) regenerates it byte for byte, and the kernels and op codes
 * that the Java side names exist in it with the same meaning.
 */
class PtxResourcesTest {
    private static final Path SRC_CUDA = root().resolve("src-cuda");
    private static final Path PTX_DIR = root().resolve(Path.of("kernels", "src", "main", "resources", "org", "archrepair",
            "kernels", "cuda", "ptx"));

    static Stream<String> modules() {
        return Arrays.stream(Kernel.values()).map(k -> k.module).distinct();
    }

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("src-cuda"))) p = p.getParent();
        return p != null ? p : Path.of("").toAbsolutePath();
    }

    private static void needSources() {
        Assumptions.assumeTrue(Files.isDirectory(SRC_CUDA) && Files.isDirectory(PTX_DIR),
                "src-cuda and the PTX resources are not in this checkout");
    }

    /** What src-cuda/build.sh writes on the "sources" line: sha256sum of each file, hashed again. */
    static String sourceHash(Path srcCuda) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(srcCuda)) {
            files = s.filter(p -> p.getFileName().toString().matches(".*\\.(cu|cuh)|build\\.sh"))
                    .sorted((a, b) -> Arrays.compare(name(a), name(b))).toList();
        }
        StringBuilder lines = new StringBuilder();
        for (Path f : files)
            lines.append(sha256(Files.readAllBytes(f))).append("  ").append(f.getFileName()).append('\n');
        return sha256(lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] name(Path p) {
        return p.getFileName().toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> stamp() throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (String line : Files.readAllLines(PTX_DIR.resolve("STAMP"))) {
            int sp = line.indexOf(' ');
            m.put(line.substring(0, sp), line.substring(sp + 1));
        }
        return m;
    }

    @Test
    void stampMatchesTheSources() throws IOException {
        needSources();
        String stamped = stamp().get("sources"), now = sourceHash(SRC_CUDA);
        assertEquals(stamped, now, "src-cuda changed since the PTX was built (STAMP has " + stamped
                + "): run src-cuda/build.sh and commit the PTX under " + PTX_DIR);
    }

    @ParameterizedTest
    @MethodSource("modules")
    void isaRewrittenFor12xDrivers(String module) {
        String ptx = new String(PtxModules.read(module), StandardCharsets.US_ASCII);
        Matcher v = Pattern.compile("(?m)^\\.version (\\S+)$").matcher(ptx);
        assertTrue(v.find(), module + ".ptx has no .version");
        assertEquals("8.0", v.group(1), module + ".ptx: a CUDA 12.0 driver JITs PTX ISA 8.0 at most");
        assertTrue(ptx.contains("\n.target sm_80\n"), module + ".ptx must target sm_80");
    }

    @Test
    void kernelListAndPtxEntriesAgree() throws IOException {
        Set<String> entries = new TreeSet<>(), named = new TreeSet<>();
        Pattern entry = Pattern.compile("\\.entry\\s+(\\w+)\\(");
        for (String module : modules().toList()) {
            Matcher m = entry.matcher(new String(PtxModules.read(module), StandardCharsets.US_ASCII));
            while (m.find()) entries.add(module + ":" + m.group(1));
        }
        for (Kernel k : Kernel.values()) named.add(k.module + ":" + k.entry);
        assertEquals(entries, named, "Kernel's list and the .entry lines of the PTX differ");
        if (Files.isDirectory(PTX_DIR)) {
            try (Stream<Path> s = Files.list(PTX_DIR)) {
                Set<String> files = s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".ptx"))
                        .map(f -> f.substring(0, f.length() - 4)).collect(Collectors.toCollection(TreeSet::new));
                assertEquals(files, modules().collect(Collectors.toCollection(TreeSet::new)), "a PTX file no kernel uses");
            }
        }
    }

    /** The op codes of elementwise.cu are the ordinals of UnaryOp and BinaryOp. */
    @Test
    void opCodesMatchTheEnums() throws IOException {
        needSources();
        String cu = Files.readString(SRC_CUDA.resolve("elementwise.cu"));
        Matcher m = Pattern.compile("\\b([A-Z]+) = (\\d+)").matcher(cu);
        int found = 0;
        while (m.find()) {
            String name = m.group(1);
            int code = Integer.parseInt(m.group(2));
            int ordinal = Arrays.stream(UnaryOp.values()).anyMatch(o -> o.name().equals(name)) ? UnaryOp.valueOf(name).ordinal()
                    : BinaryOp.valueOf(name).ordinal();
            assertEquals(ordinal, code, name + " in elementwise.cu");
            found++;
        }
        assertEquals(UnaryOp.values().length + BinaryOp.values().length, found, "every op has a code");
    }

    // ---------------------------------------------------------------- compilers

    /** JCuda's PTX compiler (CUDA 12), or the test is skipped where its natives do not load. */
    private static void needJitCompiler() {
        try {
            int[] major = new int[1], minor = new int[1];
            JNvPTXCompiler.setExceptionsEnabled(false);
            assertEquals(0, JNvPTXCompiler.nvPTXCompilerGetVersion(major, minor));
            assertEquals(12, major[0], "JCuda 12.6's PTX compiler is a CUDA 12 one");
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            Assumptions.abort("JCuda's PTX compiler does not load here: " + e);
        }
    }

    @ParameterizedTest
    @MethodSource("modules")
    void aCuda12JitAcceptsIt(String module) {
        needJitCompiler();
        byte[] ptx = PtxModules.read(module);
        for (String sm : List.of("sm_80", "sm_90")) {
            nvPTXCompilerHandle h = new nvPTXCompilerHandle();
            assertEquals(0, JNvPTXCompiler.nvPTXCompilerCreate(h, ptx.length, ptx), "nvPTXCompilerCreate");
            try {
                int status = JNvPTXCompiler.nvPTXCompilerCompile(h, 1, new String[]{"--gpu-name=" + sm});
                if (status != 0) fail(module + ".ptx for " + sm + ": status " + status + ", " + errorLog(h));
                long[] size = new long[1];
                assertEquals(0, JNvPTXCompiler.nvPTXCompilerGetCompiledProgramSize(h, size));
                assertTrue(size[0] > 0, module + ".ptx for " + sm + " compiled to nothing");
            } finally {
                JNvPTXCompiler.nvPTXCompilerDestroy(h);
            }
        }
    }

    /** The JIT really checks: ISA 9.0, as nvcc 13 writes it, is what a CUDA 12 driver refuses. */
    @Test
    void theCuda12JitRejectsIsa90() {
        needJitCompiler();
        byte[] ptx = new String(PtxModules.read("optim"), StandardCharsets.US_ASCII)
                .replace("\n.version 8.0\n", "\n.version 9.0\n").getBytes(StandardCharsets.US_ASCII);
        nvPTXCompilerHandle h = new nvPTXCompilerHandle();
        assertEquals(0, JNvPTXCompiler.nvPTXCompilerCreate(h, ptx.length, ptx));
        try {
            int status = JNvPTXCompiler.nvPTXCompilerCompile(h, 1, new String[]{"--gpu-name=sm_80"});
            assertTrue(status != 0, "a CUDA 12 JIT compiled PTX ISA 9.0");
            assertTrue(errorLog(h).contains("version"), errorLog(h));
        } finally {
            JNvPTXCompiler.nvPTXCompilerDestroy(h);
        }
    }

    private static String errorLog(nvPTXCompilerHandle h) {
        long[] size = new long[1];
        JNvPTXCompiler.nvPTXCompilerGetErrorLogSize(h, size);
        byte[] log = new byte[(int) size[0]];
        JNvPTXCompiler.nvPTXCompilerGetErrorLog(h, log);
        return new String(log, StandardCharsets.UTF_8).trim();
    }

    @ParameterizedTest
    @MethodSource("modules")
    void ptxasAcceptsIt(String module) throws Exception {
        Assumptions.assumeTrue(onPath("ptxas"), "ptxas is not on the PATH");
        needSources();
        for (String sm : List.of("sm_80", "sm_90"))
            run("ptxas -arch=" + sm, List.of("ptxas", "-arch=" + sm, "-o", "/dev/null", PTX_DIR.resolve(module + ".ptx").toString()),
                    PTX_DIR);
    }

    /** Where the nvcc of the STAMP is installed: building again gives the committed bytes. */
    @Test
    void nvccRegeneratesTheCommittedPtx() throws Exception {
        Assumptions.assumeTrue(onPath("nvcc"), "nvcc is not on the PATH");
        needSources();
        String version = run("nvcc --version", List.of("nvcc", "--version"), SRC_CUDA).strip();
        String stamped = stamp().get("nvcc");
        Assumptions.assumeTrue(version.endsWith(stamped), "this nvcc is not the STAMP's (" + stamped + ")");
        Path tmp = Files.createTempDirectory("ptx-rebuild");
        Path src = Files.createDirectories(tmp.resolve("src-cuda"));
        try (Stream<Path> s = Files.list(SRC_CUDA)) {
            for (Path f : s.toList()) Files.copy(f, src.resolve(f.getFileName()));
        }
        run("src-cuda/build.sh", List.of("bash", src.resolve("build.sh").toString()), src);
        Path rebuilt = tmp.resolve(root().relativize(PTX_DIR));
        try (Stream<Path> s = Files.list(PTX_DIR)) {
            for (Path f : s.toList())
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(rebuilt.resolve(f.getFileName())),
                        f.getFileName() + " is not what src-cuda/build.sh makes of the sources");
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(java.io.File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private static String run(String what, List<String> command, Path dir) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) fail(what + " failed:\n" + out);
        return out;
    }
}
