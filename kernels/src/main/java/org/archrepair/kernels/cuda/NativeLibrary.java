package org.archrepair.kernels.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One opened shared library and its functions as method handles. A library is found by trying each
 * soname in the directories the user gave (-Darchrepair.cuda.libs), then through the dynamic loader's
 * own search (LD_LIBRARY_PATH, /etc/ld.so.cache, the system folders); the first that opens wins.
 * Symbols are looked up by plain name (dlsym), so a symbol in a version node such as
 * {@code libcublas.so.12} is found without naming the node: the reason the CUDA libraries are bound
 * here rather than through JNI libraries linked against one soname.
 *
 * <p>Libraries stay loaded for the life of the process.
 */
final class NativeLibrary {
    private static final Linker LINKER = Linker.nativeLinker();

    /** The soname that opened, e.g. "libcublas.so.13". */
    final String soname;
    /** Where: a path, or the soname when the dynamic loader found it. */
    final String location;
    private final List<SymbolLookup> lookups;

    private NativeLibrary(String soname, String location, List<SymbolLookup> lookups) {
        this.soname = soname;
        this.location = location;
        this.lookups = lookups;
    }

    /** The first of sonames that opens, or empty; failures collects one line per attempt. */
    static Optional<NativeLibrary> tryOpen(List<String> sonames, List<Path> dirs, List<String> failures) {
        for (String soname : sonames) {
            for (Path dir : dirs) {
                Path file = dir.resolve(soname);
                if (!Files.exists(file)) continue;
                try {
                    return Optional.of(new NativeLibrary(soname, file.toString(),
                            List.of(SymbolLookup.libraryLookup(file, Arena.global()))));
                } catch (IllegalArgumentException e) {
                    failures.add(file + ": " + e.getMessage());
                }
            }
            try {
                return Optional.of(new NativeLibrary(soname, soname, List.of(SymbolLookup.libraryLookup(soname, Arena.global()))));
            } catch (IllegalArgumentException e) {
                failures.add(soname + " (system search path): " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** The first of sonames that opens, or a CudaUnavailableException that says what was tried where. */
    static NativeLibrary open(String what, List<String> sonames, List<Path> dirs) {
        List<String> failures = new ArrayList<>();
        return tryOpen(sonames, dirs, failures).orElseThrow(() -> new CudaUnavailableException(
                "CUDA is not available: cannot load the " + what + " (" + String.join(" or ", sonames) + "). Looked in "
                        + searched(dirs) + ". Install it, or point -Darchrepair.cuda.libs at the folder that holds it."
                        + (failures.isEmpty() ? "" : " Attempts: " + String.join("; ", failures))));
    }

    /** The folders searched, in words, for error messages. */
    static String searched(List<Path> dirs) {
        String env = System.getenv("LD_LIBRARY_PATH");
        return (dirs.isEmpty() ? "" : dirs + " (-Darchrepair.cuda.libs), then ")
                + "the dynamic loader's search path (LD_LIBRARY_PATH=" + (env == null || env.isEmpty() ? "<unset>" : env)
                + ", /etc/ld.so.cache, /lib, /usr/lib)";
    }

    /** This library whose symbols are also looked up in companions (cuDNN 9 splits its API over several). */
    NativeLibrary withCompanions(List<NativeLibrary> companions) {
        List<SymbolLookup> all = new ArrayList<>(lookups);
        for (NativeLibrary c : companions) all.addAll(c.lookups);
        return new NativeLibrary(soname, location, all);
    }

    Optional<MemorySegment> symbol(String name) {
        for (SymbolLookup l : lookups) {
            Optional<MemorySegment> s = l.find(name);
            if (s.isPresent()) return s;
        }
        return Optional.empty();
    }

    /** A downcall handle to a function that must exist. */
    MethodHandle function(String name, FunctionDescriptor descriptor) {
        return optionalFunction(name, descriptor).orElseThrow(() -> new CudaUnavailableException(
                location + " has no function " + name + ": the library is too old or not the one expected"));
    }

    /** The first of names that exists (e.g. a _v2 entry point, then the original), as a downcall handle. */
    MethodHandle firstFunction(FunctionDescriptor descriptor, String... names) {
        for (String name : names) {
            Optional<MethodHandle> h = optionalFunction(name, descriptor);
            if (h.isPresent()) return h.get();
        }
        throw new CudaUnavailableException(location + " has none of the functions " + String.join(", ", names));
    }

    Optional<MethodHandle> optionalFunction(String name, FunctionDescriptor descriptor) {
        return symbol(name).map(s -> LINKER.downcallHandle(s, descriptor));
    }

    @Override
    public String toString() {
        return location;
    }
}
