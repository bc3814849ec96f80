package org.archrepair.models.data;

import org.archrepair.engine.Rng;
import org.archrepair.models.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The downloader against a loopback HTTP/1.1 server (127.0.0.1, ephemeral port, one response per
 * connection) that serves one file with Range support and can misbehave: close the socket midway,
 * stall, ignore Range, serve other bytes, or answer 404. Raw sockets rather than
 * com.sun.net.httpserver, because that server cannot really drop a connection mid-body.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DownloaderTest {
    enum Mode { NORMAL, CUT_FIRST, CUT_ALWAYS, STALL_FIRST, IGNORE_RANGE, WRONG_BYTES, NOT_FOUND }

    @TempDir
    Path dir;

    private ServerSocket server;
    private Thread acceptor;
    private volatile byte[] body;
    private volatile Mode mode = Mode.NORMAL;
    private final List<String> ranges = new CopyOnWriteArrayList<>();   // Range header of each request ("" if none)
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch shutdown = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        byte[] b = new byte[1 << 20];
        Rng r = new Rng(3);
        for (int i = 0; i < b.length; i++) b[i] = (byte) r.nextInt(256);
        body = b;
    }

    @AfterEach
    void stop() throws Exception {
        shutdown.countDown();
        server.close();
        acceptor.join();
    }

    private int port() {
        return server.getLocalPort();
    }

    private void serve(Socket socket) {
        try (socket) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String range = "";
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine())
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("range:")) range = line.substring(6).strip();
            int n = requests.incrementAndGet();
            ranges.add(range);
            OutputStream out = socket.getOutputStream();
            if (mode == Mode.NOT_FOUND) {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes());
                return;
            }
            byte[] data = body.clone();
            if (mode == Mode.WRONG_BYTES) data[data.length / 3] ^= 1;
            int from = 0;
            String head;
            if (!range.isEmpty() && mode != Mode.IGNORE_RANGE) {
                from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
                head = "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + from + "-" + (data.length - 1) + "/"
                        + data.length + "\r\n";
            } else {
                head = "HTTP/1.1 200 OK\r\n";
            }
            out.write((head + "Content-Length: " + (data.length - from) + "\r\nConnection: close\r\n\r\n").getBytes());
            boolean first = n == 1;
            boolean cut = mode == Mode.CUT_ALWAYS || (mode == Mode.CUT_FIRST && first);
            boolean stall = mode == Mode.STALL_FIRST && first;
            int to = cut || stall ? from + (data.length - from) / 2 : data.length;
            out.write(data, from, to - from);
            out.flush();
            if (stall) shutdown.await();   // keep the connection open, send nothing more
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    private Artifact artifact(byte[] content) {
        return new Artifact("model.th", URI.create("http://127.0.0.1:" + port() + "/files/model.th"),
                FileBytes.sha256(content), content.length);
    }

    private Downloader downloader(boolean offline, int attempts) {
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(5)).build();
        return new Downloader(new Downloader.Settings(dir.resolve("cache"), offline), client, attempts,
                Duration.ofSeconds(2));
    }

    @Test
    void fullDownloadIsVerifiedMovedIntoPlaceAndReportsProgress() throws Exception {
        List<long[]> progress = new ArrayList<>();
        Path p = downloader(false, 3).fetch(artifact(body), (done, total) -> progress.add(new long[]{done, total}));
        assertEquals(dir.resolve("cache/model.th"), p);
        assertArrayEquals(body, Files.readAllBytes(p));
        assertFalse(Files.exists(dir.resolve("cache/model.th.part")));
        assertEquals(List.of(""), ranges);
        assertEquals(0, progress.getFirst()[0]);
        assertArrayEquals(new long[]{body.length, body.length}, progress.getLast());
        for (int i = 1; i < progress.size(); i++) assertTrue(progress.get(i)[0] >= progress.get(i - 1)[0]);
        downloader(false, 3).fetch(artifact(body), Progress.NONE);
        assertEquals(1, requests.get(), "a verified cached file is not downloaded again");
    }

    @Test
    void cutConnectionResumesWithRangeInTheSameCall() throws Exception {
        mode = Mode.CUT_FIRST;
        Path p = downloader(false, 3).fetch(artifact(body), Progress.NONE);
        assertArrayEquals(body, Files.readAllBytes(p));
        assertEquals(2, ranges.size());
        assertEquals("", ranges.get(0));
        long resumedAt = Long.parseLong(ranges.get(1).replaceAll("bytes=(\\d+)-", "$1"));
        assertTrue(resumedAt > 0 && resumedAt < body.length, "resumed at " + resumedAt);
    }

    @Test
    void stalledConnectionIsAbandonedAndResumed() throws Exception {
        mode = Mode.STALL_FIRST;
        long t0 = System.nanoTime();
        Path p = downloader(false, 2).fetch(artifact(body), Progress.NONE);
        assertArrayEquals(body, Files.readAllBytes(p));
        assertEquals(List.of("", "bytes=" + body.length / 2 + "-"), ranges);
        assertTrue(System.nanoTime() - t0 < 20e9, "abandoned after the 2 s idle timeout, not hung");
    }

    @Test
    void partialFileSurvivesAFailedRunAndTheNextRunResumes() throws Exception {
        mode = Mode.CUT_ALWAYS;
        IOException e = assertThrows(IOException.class, () -> downloader(false, 1).fetch(artifact(body), Progress.NONE));
        Path part = dir.resolve("cache/model.th.part");
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept < body.length);
        assertTrue(e.getMessage().contains("keeps " + kept + " bytes and the next run resumes it"), e.getMessage());
        mode = Mode.NORMAL;
        Path p = downloader(false, 1).fetch(artifact(body), Progress.NONE);
        assertArrayEquals(body, Files.readAllBytes(p));
        assertEquals("bytes=" + kept + "-", ranges.getLast());
    }

    @Test
    void serverIgnoringRangeRestartsFromZero() throws Exception {
        Path part = Files.createDirectories(dir.resolve("cache")).resolve("model.th.part");
        Files.write(part, Arrays.copyOf(body, 1000));
        mode = Mode.IGNORE_RANGE;
        Path p = downloader(false, 1).fetch(artifact(body), Progress.NONE);
        assertEquals(List.of("bytes=1000-"), ranges);
        assertArrayEquals(body, Files.readAllBytes(p), "200 answer replaced the partial file instead of appending");
    }

    @Test
    void hashMismatchDeletesTheDownloadAndNamesBothHashes() throws Exception {
        mode = Mode.WRONG_BYTES;
        Artifact a = artifact(body);
        IOException e = assertThrows(IOException.class, () -> downloader(false, 1).fetch(a, Progress.NONE));
        byte[] served = body.clone();
        served[served.length / 3] ^= 1;
        String actual = FileBytes.sha256(served);
        assertTrue(e.getMessage().contains("expected " + a.sha256()) && e.getMessage().contains("got " + actual),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("cache/model.th.part")));
        assertFalse(Files.exists(dir.resolve("cache/model.th")));
    }

    @Test
    void httpErrorIsNotRetried() {
        mode = Mode.NOT_FOUND;
        IOException e = assertThrows(IOException.class, () -> downloader(false, 3).fetch(artifact(body), Progress.NONE));
        assertTrue(e.getMessage().contains("HTTP 404 from http://127.0.0.1:"), e.getMessage());
        assertEquals(1, requests.get());
    }

    @Test
    void anUnreachableHostIsNamedWithTheOfflineFlag() throws Exception {
        int closed;
        try (var probe = new java.net.ServerSocket(0)) {
            closed = probe.getLocalPort();   // free now: nothing listens there
        }
        Artifact nowhere = artifact(body).withUrl(URI.create("http://127.0.0.1:" + closed + "/model.th"));
        IOException e = assertThrows(IOException.class, () -> downloader(false, 2).fetch(nowhere, Progress.NONE));
        assertTrue(e.getMessage().startsWith("cannot download http://127.0.0.1:" + closed + "/model.th: cannot reach "
                + "127.0.0.1 ("), e.getMessage());
        assertTrue(e.getMessage().contains("(2 attempts)") && e.getMessage().contains("archrepair.offline=true")
                && e.getMessage().contains("ARCHREPAIR_OFFLINE=true") && !e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void offlineNeverTouchesTheNetworkAndSaysWhereItLooked() throws Exception {
        Path local = Files.createDirectories(dir.resolve("mine"));
        IOException e = assertThrows(IOException.class,
                () -> downloader(true, 3).fetch(artifact(body), List.of(local), Progress.NONE));
        assertTrue(e.getMessage().contains("offline") && e.getMessage().contains("model.th is missing")
                && e.getMessage().contains(dir.resolve("cache/model.th").toString())
                && e.getMessage().contains(local.resolve("model.th").toString()), e.getMessage());
        assertEquals(0, requests.get());
        Files.write(local.resolve("model.th"), body);
        assertEquals(local.resolve("model.th"), downloader(true, 3).fetch(artifact(body), List.of(local), Progress.NONE));
        assertEquals(0, requests.get());
    }

    @Test
    void localFolderWithAWrongFileIsAnErrorAndLeftAlone() throws Exception {
        Path local = Files.createDirectories(dir.resolve("mine"));
        Files.write(local.resolve("model.th"), new byte[]{1, 2, 3});
        IOException e = assertThrows(IOException.class,
                () -> downloader(false, 3).fetch(artifact(body), List.of(local), Progress.NONE));
        assertTrue(e.getMessage().contains(local.resolve("model.th") + " has SHA-256 "), e.getMessage());
        assertEquals(3, Files.size(local.resolve("model.th")));
        assertEquals(0, requests.get());
    }

    @Test
    void corruptCachedCopyIsReplaced() throws Exception {
        Files.createDirectories(dir.resolve("cache"));
        Files.write(dir.resolve("cache/model.th"), new byte[]{9});
        Path p = downloader(false, 1).fetch(artifact(body), Progress.NONE);
        assertArrayEquals(body, Files.readAllBytes(p));
    }

    @Test
    void realPretrainedFileWithItsPublishedHash() throws Exception {
        Path real = TestData.require("pretrained/resnet20-12fca82f.th");
        body = Files.readAllBytes(real);
        Artifact a = Artifact.RESNET20_AKAMASTER.withUrl(URI.create("http://127.0.0.1:" + port() + "/files/resnet20-12fca82f.th"));
        assertEquals(1_099_231L, body.length);
        mode = Mode.CUT_FIRST;
        Path p = downloader(false, 2).fetch(a, Progress.NONE);
        assertEquals("resnet20-12fca82f.th", p.getFileName().toString());
        assertEquals(Artifact.RESNET20_AKAMASTER.sha256(), FileBytes.sha256(p));
        assertEquals(real, downloader(true, 1).fetch(a, List.of(real.getParent()), Progress.NONE),
                "the shared folder is used as a local source, verified against the published hash");
    }

    @Test
    void cifarResolvesToALocalFolderOrTheCache() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("cifar"));
        Files.write(shared.resolve("test_batch.bin"), Cifar10FormatTest.records(1));
        assertEquals(shared, Cifar10.resolve(shared, downloader(true, 1), Progress.NONE));
        IOException e = assertThrows(IOException.class, () -> Cifar10.resolve(null, downloader(true, 1), Progress.NONE));
        assertTrue(e.getMessage().contains("cifar-10-binary.tar.gz is missing"), e.getMessage());
        IOException empty = assertThrows(IOException.class,
                () -> Cifar10.resolve(Files.createDirectories(dir.resolve("empty")), downloader(false, 1), Progress.NONE));
        assertTrue(empty.getMessage().contains("no CIFAR-10 files in"), empty.getMessage());
        assertEquals(0, requests.get());
    }

    @Test
    void settingsFromPropertiesThenEnvironment() {
        Properties props = new Properties();
        props.setProperty("user.home", "/home/u");
        assertEquals(new Downloader.Settings(Path.of("/home/u/.cache/archrepair"), false),
                Downloader.Settings.from(props, Map.of()));
        assertEquals(new Downloader.Settings(Path.of("/env/cache"), true),
                Downloader.Settings.from(props, Map.of("ARCHREPAIR_CACHE", "/env/cache", "ARCHREPAIR_OFFLINE", "1")));
        props.setProperty("archrepair.cache", "/prop/cache");
        props.setProperty("archrepair.offline", "false");
        assertEquals(new Downloader.Settings(Path.of("/prop/cache"), false),
                Downloader.Settings.from(props, Map.of("ARCHREPAIR_CACHE", "/env/cache", "ARCHREPAIR_OFFLINE", "true")));
        props.setProperty("archrepair.offline", "maybe");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Downloader.Settings.from(props, Map.of()));
        assertTrue(e.getMessage().contains("system property archrepair.offline is 'maybe'"), e.getMessage());
    }
}
