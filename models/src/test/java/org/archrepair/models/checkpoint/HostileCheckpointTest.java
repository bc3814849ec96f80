package org.archrepair.models.checkpoint;

import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.io.ReadBudget;
import org.archrepair.engine.io.Safetensors;
import org.archrepair.engine.nn.Linear;
import org.archrepair.engine.nn.Init;
import org.archrepair.engine.Rng;
import org.archrepair.kernels.cpu.CpuBackend;
import org.archrepair.models.checkpoint.TorchFileWriter.Storage;
import org.archrepair.models.checkpoint.TorchFileWriter.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The crash classes of issue 13, each built by hand in a few bytes: before the fix they ended in
 * StackOverflowError, OutOfMemoryError, a message-less EOFException, or never; now each is one
 * CheckpointException naming the file, the entry or offset and what is wrong, within seconds.
 */
class HostileCheckpointTest {
    @TempDir
    Path dir;

    /** The error of reading bytes (a checkpoint file) within 5 s; it must be a CheckpointException. */
    private CheckpointException reject(String name, byte[] file) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, file);
        return rejectFile(f);
    }

    private static CheckpointException rejectFile(Path f) {
        CheckpointException[] e = new CheckpointException[1];
        Executable read = () -> e[0] = assertThrows(CheckpointException.class, () -> Checkpoints.read(f));
        assertTimeoutPreemptively(Duration.ofSeconds(5), read);
        assertEquals(f, e[0].file());
        assertFalse(e[0].getMessage().contains("\n"), e[0].getMessage());
        return e[0];
    }

    /** A zip checkpoint whose data.pkl is pickle. */
    private CheckpointException rejectPickle(String name, byte[] pickle) throws Exception {
        Path f = dir.resolve(name + ".pt");
        TorchFileWriter.writeZip(f, name, pickle, List.of());
        return rejectFile(f);
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }

    private static Object unpickle(byte[] b) throws Exception {
        return new Unpickler(new ByteArrayInputStream(b), Path.of("raw.pkl"), null, 0, b.length, new TorchAllowlist()).load();
    }

    // ---------------------------------------------------------------- recursion

    @Test
    void aListThatContainsItselfIsNeverHashed() throws Exception {
        PickleWriter key = new PickleWriter(2);      // d = {}; l = []; l.append(l); d[l] = None
        key.op('}').op(']').op('q').op(0).op('h').op(0).op('a').none().op('s').stop();
        assertMentions(rejectPickle("selfkey", key.bytes()), "selfkey.pt!selfkey/data.pkl", "at byte 10", "SETITEM",
                "unhashable");
        PickleWriter member = new PickleWriter(2);   // s = set(); s.add(l)
        member.op(0x8f).mark().op(']').op('q').op(0).op('h').op(0).op('a').op(0x90).stop();
        assertMentions(rejectPickle("selfset", member.bytes()), "ADDITEMS", "unhashable");
        PickleWriter inTuple = new PickleWriter(2);  // (l,) with l = [l]: built, never hashed
        inTuple.op(']').op('q').op(0).op('h').op(0).op('a').op(0x85).stop();
        assertInstanceOf(Tuple.class, unpickle(inTuple.bytes()));
        PickleWriter dict = new PickleWriter(2);     // a tuple holding a list is unhashable too
        dict.op('}').mark().op(']').op(0x85).none().op('u').stop();
        assertMentions(rejectPickle("tuplekey", dict.bytes()), "SETITEMS", "unhashable");
    }

    @Test
    void aCycleThroughAListAndATupleReachesAnErrorMessageAsItsSize() throws Exception {
        PickleWriter w = new PickleWriter(2);        // l = []; t = (l,); l.append(t); persistent_load(l)
        w.op(']').op('q').op(0).op('h').op(0).op(0x85).op('a').op('Q').stop();
        assertMentions(rejectPickle("cycle", w.bytes()), "BINPERSID", "got a list of 1 items");
    }

    @Test
    void hundredThousandNestedListsTuplesOrMarks() throws Exception {
        int n = 100_000;
        ByteArrayOutputStream lists = new ByteArrayOutputStream();
        lists.writeBytes(new byte[]{(byte) 0x80, 2});
        for (int i = 0; i < n; i++) lists.write(']');
        for (int i = 1; i < n; i++) lists.write('a');
        lists.write('.');
        assertInstanceOf(ArrayList.class, unpickle(lists.toByteArray()), "a deep list is built, and never walked");
        byte[] inTuple = java.util.Arrays.copyOf(lists.toByteArray(), lists.size() + 1);
        inTuple[inTuple.length - 2] = (byte) 0x85;   // ... then put into a tuple: built, never hashed
        inTuple[inTuple.length - 1] = '.';
        assertInstanceOf(Tuple.class, unpickle(inTuple));
        assertMentions(rejectPickle("lists", lists.toByteArray()), "holds a ArrayList, expected a state_dict");

        PickleWriter tuples = new PickleWriter(2);
        tuples.op('}').op(')');
        for (int i = 0; i < n; i++) tuples.op(0x85);
        tuples.none().op('s').stop();
        assertMentions(rejectPickle("tuples", tuples.bytes()), "at byte 103", "TUPLE1", "tuples nested deeper than 100");

        PickleWriter marks = new PickleWriter(2);
        for (int i = 0; i < n; i++) marks.mark();
        assertMentions(rejectPickle("marks", marks.stop().bytes()), "MARKs nested deeper than 256");
    }

    // ---------------------------------------------------------------- memo expansion

    @Test
    void sixtyLevelsOfAMemoEntryUsedTwiceStopAtTheExpansionLimit() throws Exception {
        PickleWriter w = new PickleWriter(2);        // t0 = (); t(k+1) = (tk, tk); {t60: None}
        w.op('}').op(')');
        for (int level = 0; level < 60; level++) w.op('q').op(level).op('h').op(level).op(0x86);
        w.none().op('s').stop();
        assertMentions(rejectPickle("memobomb", w.bytes()), "TUPLE2", "expands to more than 1048576 values");
    }

    @Test
    void twoEqualButDistinctMemoDagsStopAtTheExpansionLimit() throws Exception {
        // a(k+1) = (ak, bk), b(k+1) = (bk, ak): every level equal in value, distinct in identity, so
        // comparing a60 with b60 would take 2^60 steps; the tuples are refused long before.
        PickleWriter w = new PickleWriter(2);
        w.op('}').op(')').op('q').op(0).op(')').op('q').op(1);
        for (int k = 0; k < 60; k++) {
            int a = 2 * k, b = 2 * k + 1;
            w.op('h').op(a).op('h').op(b).op(0x86).op('r').raw(le(4).putInt(a + 2).array()).op('0');
            w.op('h').op(b).op('h').op(a).op(0x86).op('r').raw(le(4).putInt(b + 2).array()).op('0');
        }
        w.op('0').op('0').stop();
        assertMentions(rejectPickle("dagbomb", w.bytes()), "expands to more than 1048576 values");
    }

    @Test
    void memoLongsAndDeclaredLengthsAreBounded() throws Exception {
        PickleWriter memo = new PickleWriter(2);
        memo.none();
        for (int i = 0; i <= Unpickler.MAX_MEMO; i++) memo.op('r').raw(le(4).putInt(i).array());
        assertMentions(assertThrows(CheckpointException.class, () -> unpickle(memo.stop().bytes())),
                "more than 4194304 memo entries");
        PickleWriter big = new PickleWriter(2);
        big.op(0x8b).raw(le(4).putInt(2000).array()).raw(new byte[2000]).stop();
        assertMentions(assertThrows(CheckpointException.class, () -> unpickle(big.bytes())), "LONG4", "an int of 2000 bytes");
    }

    // ---------------------------------------------------------------- declared sizes

    private static final Storage SMALL = Storage.floats("0", new float[24]);

    @Test
    void aStrideZeroViewLargerThanItsStorageIsRefusedBeforeAllocating() throws Exception {
        List<Tensor> t = List.of(new Tensor("w", SMALL, 0, new int[]{Integer.MAX_VALUE - 8}, new long[]{0}));
        Path f = dir.resolve("stride0.pt");
        TorchFileWriter.writeZip(f, "stride0", TorchFileWriter.zipPickle(2, t, null, Map.of()), List.of(SMALL));
        assertMentions(rejectFile(f), "tensor 'w'", "has 2147483639 elements, more than the 24 its storage holds");
    }

    private static byte[] validPickle() {
        return TorchFileWriter.zipPickle(2, List.of(Tensor.contiguous("w", SMALL, 24)), null, Map.of());
    }

    @Test
    void aDeflatedEntryThatInflatesBeyondItsDeclaredSizeStopsThere() throws Exception {
        byte[] zeros = new byte[64 << 20];
        byte[] zip = new CraftedZip().lying("bomb/data.pkl", zeros, true, 300L, null, false).bytes();
        assertTrue(zip.length < 100_000, "a 64 MB bomb in " + zip.length + " bytes");
        assertMentions(reject("bomb.pt", zip), "bomb.pt!bomb/data.pkl", "holds more than the 300 bytes it declares");
    }

    @Test
    void aTerabyteEntryIsRefusedFromTheDirectory() throws Exception {
        byte[] zip = new CraftedZip().lying("tb/data.pkl", validPickle(), true, 1L << 40, null, true)
                .stored("tb/data/0", SMALL.data()).bytes();
        assertMentions(reject("tb.pt", zip), "tb.pt!tb/data.pkl", "declares 1099511627776 bytes from",
                "more than deflate can expand");
        byte[] stored = new CraftedZip().lying("st/data.pkl", validPickle(), false, 1L << 40, null, true).bytes();
        assertMentions(reject("st.pt", stored), "stored (not compressed) with");
    }

    @Test
    void aDeclaredSizeBeyondTheBudgetIsRefused() throws Exception {
        byte[] zip = new CraftedZip().deflated("b/data.pkl", validPickle()).deflated("b/data/0", new byte[96 + 4096]).bytes();
        Path f = dir.resolve("budget.pt");
        Files.write(f, zip);
        var e = assertThrows(CheckpointException.class, () -> TorchZipReader.read(f, new ReadBudget(2048)));
        assertMentions(e, "budget.pt!b/data/0", "declares 4192 bytes, more than one file may hold in memory here");
    }

    @Test
    void wrongCrcAndBrokenDirectoriesAreNamed() throws Exception {
        byte[] good = new CraftedZip().stored("c/data.pkl", validPickle()).stored("c/data/0", SMALL.data()).bytes();
        assertEquals(24, Checkpoints.read(Files.write(dir.resolve("good.pt"), good)).tensors().get("w").data().length);
        byte[] crc = new CraftedZip().stored("c/data.pkl", validPickle()).lying("c/data/0", SMALL.data(), false, null,
                0x12345678L, false).bytes();
        assertMentions(reject("crc.pt", crc), "crc.pt!c/data/0", "CRC-32 of the data is", "directory says 12345678");
        byte[] comment = good.clone();
        comment[comment.length - 2] = 5;             // the end record claims a comment the file does not have
        assertMentions(reject("comment.pt", comment), "not a valid zip archive", "ends at byte " + good.length);
        byte[] many = good.clone();
        ByteBuffer.wrap(many).order(ByteOrder.LITTLE_ENDIAN).putShort(many.length - 12, (short) 60000)
                .putShort(many.length - 14, (short) 60000);
        assertMentions(reject("many.pt", many), "many.pt: ");
    }

    // ---------------------------------------------------------------- non-finite weights

    @Test
    void nonFiniteWeightsWarnOrAreRefused() throws Exception {
        Linear fc = new Linear(new Init(CpuBackend.reference(), new Rng(1)), 2, 1);
        Path f = dir.resolve("nan.safetensors");
        Safetensors.write(f, Map.of("weight", new HostArray(new int[]{1, 2}, new float[]{Float.NaN, 1}),
                "bias", new HostArray(new int[]{1}, new float[]{Float.POSITIVE_INFINITY})), Map.of());
        Checkpoint c = Checkpoints.read(f);
        List<String> warnings = new ArrayList<>();
        Checkpoints.loadInto(fc, c, Checkpoints.NonFinite.WARN, warnings::add);
        assertEquals(1, warnings.size());
        assertMentions(new Exception(warnings.getFirst()), "warning: " + f, "2 tensors hold NaN or infinite values",
                "weight (1 of 2)", "bias (1 of 1)", "archrepair.nonFiniteWeights=error");
        var e = assertThrows(CheckpointException.class,
                () -> Checkpoints.loadInto(fc, c, Checkpoints.NonFinite.ERROR, warnings::add));
        assertMentions(e, f.toString(), "refused");
    }

    @Test
    void theNonFinitePolicyComesFromTheProperty() {
        String before = System.getProperty("archrepair.nonFiniteWeights");
        try {
            System.setProperty("archrepair.nonFiniteWeights", "Error");
            assertEquals(Checkpoints.NonFinite.ERROR, Checkpoints.NonFinite.fromEnvironment());
            System.setProperty("archrepair.nonFiniteWeights", "warn");
            assertEquals(Checkpoints.NonFinite.WARN, Checkpoints.NonFinite.fromEnvironment());
            System.setProperty("archrepair.nonFiniteWeights", "maybe");
            var e = assertThrows(IllegalArgumentException.class, Checkpoints.NonFinite::fromEnvironment);
            assertEquals("system property archrepair.nonFiniteWeights is 'maybe', expected warn or error", e.getMessage());
        } finally {
            if (before == null) System.clearProperty("archrepair.nonFiniteWeights");
            else System.setProperty("archrepair.nonFiniteWeights", before);
        }
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
