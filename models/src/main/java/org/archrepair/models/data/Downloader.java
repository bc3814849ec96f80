package org.archrepair.models.data;

import org.archrepair.engine.io.AtomicFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fetches published files into a cache folder, verified by SHA-256: a local folder that already
 * has the file wins; then the cache; then the network, unless offline. A download goes to
 * {@code NAME.part}, resumes with an HTTP Range request after a broken connection (in the same call,
 * up to maxAttempts, or in a later run), starts over when the server ignores Range (200), is
 * verified, and is moved into place atomically, so the cache only ever holds complete, verified
 * files. Progress is reported in bytes through {@link Progress}.
 *
 * <p>Each transfer runs on a worker thread watched by the caller: when no byte arrives for the idle
 * timeout (default 60 s) the transfer is abandoned and the next attempt resumes it, so a stalled
 * connection cannot hang a run. Progress is therefore reported from that worker thread.
 *
 * <p>What it is not: no extraction (the CIFAR-10 reader streams the archive) and no locking between
 * processes that download the same file at the same time.
 */
public final class Downloader {
    /**
     * Where the cache is and whether the network may be used. {@link #fromEnvironment()} reads the
     * system properties {@code archrepair.cache} / {@code archrepair.offline}, then the environment
     * variables {@code ARCHREPAIR_CACHE} / {@code ARCHREPAIR_OFFLINE}; the cache defaults to
     * {@code ~/.cache/archrepair}.
     */
    public record Settings(Path cacheDir, boolean offline) {
        public static Settings fromEnvironment() {
            return from(System.getProperties(), System.getenv());
        }

        public static Settings from(Properties props, Map<String, String> env) {
            String cache = firstSet(props.getProperty("archrepair.cache"), env.get("ARCHREPAIR_CACHE"));
            Path dir = cache != null ? Path.of(cache)
                    : Path.of(props.getProperty("user.home"), ".cache", "archrepair");
            String p = props.getProperty("archrepair.offline");
            String off = firstSet(p, env.get("ARCHREPAIR_OFFLINE"));
            String origin = p != null && !p.isBlank() ? "system property archrepair.offline" : "ARCHREPAIR_OFFLINE";
            return new Settings(dir, off != null && parseFlag(off, origin));
        }

        private static String firstSet(String a, String b) {
            return a != null && !a.isBlank() ? a.strip() : b != null && !b.isBlank() ? b.strip() : null;
        }

        private static boolean parseFlag(String v, String origin) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes", "on" -> true;
                case "false", "0", "no", "off" -> false;
                default -> throw new IllegalArgumentException(origin + " is '" + v + "', expected true or false");
            };
        }
    }

    /** The host could not be reached at all: its name does not resolve, or nothing answers. */
    private static final class Unreachable extends IOException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The exception's message, or its type and its cause's when it has none (the HTTP client's often do not). */
    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 200; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) return b + t.getMessage();
            b.append(t.getClass().getSimpleName()).append(": ");
        }
        return b.substring(0, Math.max(0, b.length() - 2));
    }

    /** An error that another attempt cannot fix (HTTP 4xx, interruption). */
    private static final class Fatal extends IOException {
        Fatal(String message) {
            super(message);
        }
    }

    private final Settings settings;
    private final HttpClient client;
    private final int maxAttempts;
    private final Duration idleTimeout;

    /** idleTimeout: the longest wait for the response headers or for the next bytes of the body. */
    public Downloader(Settings settings, HttpClient client, int maxAttempts, Duration idleTimeout) {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        if (idleTimeout.isNegative() || idleTimeout.isZero())
            throw new IllegalArgumentException("idle timeout must be positive, got " + idleTimeout);
        this.settings = settings;
        this.client = client;
        this.maxAttempts = maxAttempts;
        this.idleTimeout = idleTimeout;
    }

    public Downloader(Settings settings) {
        this(settings, HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build(), 3, Duration.ofSeconds(60));
    }

    /** A downloader configured from system properties and the environment (see {@link Settings}). */
    public static Downloader fromEnvironment() {
        return new Downloader(Settings.fromEnvironment());
    }

    /** The artifact from the cache, downloading it when needed. */
    public Path fetch(Artifact artifact, Progress progress) throws IOException {
        return fetch(artifact, List.of(), progress);
    }

    /**
     * The artifact's path: from the first local folder that has it (verified, never modified), else
     * from the cache (a corrupt cached copy is replaced), else downloaded into the cache.
     */
    public Path fetch(Artifact artifact, List<Path> localFolders, Progress progress) throws IOException {
        for (Path dir : localFolders) {
            Path p = dir.resolve(artifact.fileName());
            if (Files.isRegularFile(p)) {
                String actual = FileBytes.sha256(p);
                if (!actual.equals(artifact.sha256()))
                    throw new IOException(p + " has SHA-256 " + actual + ", expected " + artifact.sha256()
                            + " for the published " + artifact.fileName() + " (the file was left as it is)");
                return p;
            }
        }
        Path target = settings.cacheDir().resolve(artifact.fileName());
        if (Files.isRegularFile(target)) {
            String actual = FileBytes.sha256(target);
            if (actual.equals(artifact.sha256())) return target;
            if (settings.offline())
                throw new IOException("cached " + target + " has SHA-256 " + actual + ", expected " + artifact.sha256()
                        + "; offline mode cannot replace it");
            Files.delete(target);
        }
        if (settings.offline()) throw offlineMissing(artifact, target, localFolders);
        download(artifact, target, progress);
        return target;
    }

    private IOException offlineMissing(Artifact artifact, Path target, List<Path> localFolders) {
        StringBuilder where = new StringBuilder(target.toString());
        for (Path d : localFolders) where.append(", ").append(d.resolve(artifact.fileName()));
        return new IOException("offline mode (archrepair.offline / ARCHREPAIR_OFFLINE) is on and "
                + artifact.fileName() + " is missing; looked for " + where + ". Copy it there from " + artifact.url()
                + " or turn offline mode off");
    }

    private void download(Artifact artifact, Path target, Progress progress) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path part = target.resolveSibling(artifact.fileName() + ".part");
        IOException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                watched(artifact, part, progress);
                last = null;
                break;
            } catch (Fatal e) {
                throw e;
            } catch (IOException e) {
                last = e;
            }
        }
        if (last != null) {
            long kept = Files.exists(part) ? Files.size(part) : 0;
            String offline = "; to work without the network, copy " + artifact.fileName() + " into " + target.getParent()
                    + " (or pass a local copy with --weights or --data) and set archrepair.offline=true "
                    + "(ARCHREPAIR_OFFLINE=true)";
            if (last instanceof Unreachable)
                throw new IOException("cannot download " + artifact.url() + ": " + last.getMessage() + " (" + maxAttempts
                        + " attempts)" + offline, last);
            throw new IOException("downloading " + artifact.url() + " failed after " + maxAttempts + " attempts ("
                    + describe(last) + "); " + part + " keeps " + kept + " bytes and the next run resumes it" + offline,
                    last);
        }
        verifyAndMove(artifact, part, target);
    }

    private void verifyAndMove(Artifact artifact, Path part, Path target) throws IOException {
        long size = Files.size(part);
        String actual = FileBytes.sha256(part);
        if (!actual.equals(artifact.sha256())) {
            Files.delete(part);
            throw new IOException("SHA-256 mismatch for " + artifact.url() + ": expected " + artifact.sha256()
                    + ", got " + actual + " (" + size + " bytes" + (artifact.size() >= 0 ? ", expected "
                    + artifact.size() : "") + "); the download was deleted");
        }
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        AtomicFile.moveInto(part, target);
    }

    /** Run one transfer on a worker thread; abandon it when no byte has arrived for the idle timeout. */
    private void watched(Artifact artifact, Path part, Progress progress) throws IOException {
        AtomicLong lastActivity = new AtomicLong(System.nanoTime());
        Progress tick = (done, total) -> {
            lastActivity.set(System.nanoTime());
            progress.update(done, total);
        };
        FutureTask<Void> task = new FutureTask<>(() -> {
            transfer(artifact, part, tick);
            return null;
        });
        Thread worker = Thread.ofVirtual().name("archrepair-download-" + artifact.fileName()).start(task);
        try {
            while (true) {
                try {
                    task.get(Math.min(1000, idleTimeout.toMillis()), TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException e) {
                    if (System.nanoTime() - lastActivity.get() > idleTimeout.toNanos()) {
                        stop(task, worker);
                        throw new IOException("no data from " + artifact.url() + " for " + idleTimeout.toSeconds()
                                + " s (stalled connection)");
                    }
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) throw io;
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    throw new IOException("download of " + artifact.url() + " failed: " + e.getCause(), e.getCause());
                }
            }
        } catch (InterruptedException e) {
            stop(task, worker);
            Thread.currentThread().interrupt();
            Fatal x = new Fatal("download of " + artifact.url() + " interrupted; " + part + " is kept for a resume");
            x.initCause(e);
            throw x;
        }
    }

    /** Interrupt the worker and wait (bounded) until it has closed the part file. */
    private static void stop(FutureTask<Void> task, Thread worker) {
        task.cancel(true);
        try {
            worker.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One HTTP exchange: resume part from its current size if the server honours Range. */
    private void transfer(Artifact artifact, Path part, Progress progress) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (artifact.size() >= 0 && have > artifact.size()) {
            Files.delete(part);
            have = 0;
        }
        if (artifact.size() >= 0 && have == artifact.size()) return;   // complete; verification decides
        HttpRequest.Builder request = HttpRequest.newBuilder(artifact.url()).timeout(idleTimeout).GET();
        if (have > 0) request.header("Range", "bytes=" + have + "-");
        HttpResponse<InputStream> response = send(request.build());
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            boolean append = false;
            if (status == 206) {
                long start = contentRangeStart(response, artifact);
                if (start != have) {
                    Files.deleteIfExists(part);
                    throw new IOException("server answered Range bytes=" + have + "- from byte " + start);
                }
                append = true;
            } else if (status == 416 && have > 0) {
                Files.delete(part);   // the server's file is shorter than our part: start over
                throw new IOException("server rejected Range bytes=" + have + "- (416)");
            } else if (status != 200) {
                String what = "HTTP " + status + " from " + artifact.url();
                if (status >= 400 && status < 500) throw new Fatal(what);
                throw new IOException(what);
            }
            long total = artifact.size() >= 0 ? artifact.size()
                    : response.headers().firstValueAsLong("Content-Length").orElse(-1) + (append ? have : 0);
            copy(body, part, append, append ? have : 0, total, progress);
        }
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new Unreachable("cannot reach " + request.uri().getHost() + " (no answer to the connection within "
                    + "the timeout)", e);
        } catch (ConnectException e) {
            throw new Unreachable("cannot reach " + request.uri().getHost() + " (" + connectFailure(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException x = new InterruptedIOException("download of " + request.uri() + " interrupted");
            x.initCause(e);
            throw x;
        }
    }

    /** Why a connection failed, from the cause the HTTP client wraps: no such name, or refused. */
    private static String connectFailure(ConnectException e) {
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException)
                return "its name does not resolve: no network, or no DNS";
        for (Throwable t = e; t != null; t = t.getCause())
            if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage().toLowerCase(Locale.ROOT);
        return "nothing accepted the connection";
    }

    private static long contentRangeStart(HttpResponse<?> response, Artifact artifact) throws IOException {
        String range = response.headers().firstValue("Content-Range").orElse("");
        var m = java.util.regex.Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)").matcher(range.strip());
        if (!m.matches())
            throw new IOException("206 from " + artifact.url() + " with a bad Content-Range '" + range + "'");
        return Long.parseLong(m.group(1));
    }

    private static void copy(InputStream body, Path part, boolean append, long done, long total, Progress progress)
            throws IOException {
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            progress.update(done, total);
            for (int n; (n = body.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                done += n;
                progress.update(done, total);
            }
        }
        if (total >= 0 && done < total)
            throw new IOException("connection closed after " + done + " of " + total + " bytes");
    }
}
