package org.archrepair.models.checkpoint;

import org.archrepair.models.checkpoint.TorchFileWriter.Storage;
import org.archrepair.models.checkpoint.TorchFileWriter.Tensor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test-only: the checkpoint side of the fuzz suite ({@code org.archrepair.models.fuzz}): seed files
 * built here in the test phase (valid checkpoints as torch writes them, and the hostile shapes of
 * issue 13 in small sizes), and the package-private entry points the suite calls.
 */
public final class CheckpointFuzz {
    private CheckpointFuzz() {
    }

    private static final Storage BIG = Storage.floats("0", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

    private static List<Tensor> tensors() {
        ByteBuffer h = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-2f)).putShort(Float.floatToFloat16(0.25f));
        Storage half = new Storage("3", "HalfStorage", 3, h.array());
        Storage dbl = new Storage("4", "DoubleStorage", 2,
                ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(-3).array());
        Storage lng = new Storage("6", "LongStorage", 1, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(7).array());
        return List.of(
                Tensor.contiguous("module.features.weight", BIG, 3, 4),
                new Tensor("module.features.t", BIG, 0, new int[]{4, 3}, new long[]{1, 4}),
                new Tensor("module.features.row", BIG, 5, new int[]{2, 3}, new long[]{4, 1}),
                new Tensor("module.bn.weight", half, 0, new int[]{3}, new long[]{1}),
                new Tensor("module.bn.bias", dbl, 0, new int[]{2}, new long[]{1}),
                new Tensor("module.bn.num_batches_tracked", lng, 0, new int[]{}, new long[]{}));
    }

    /** data.pkl of a valid state dict in protocol 2 and 4, bare or wrapped; and the hostile pickles. */
    public static List<byte[]> pickleSeeds() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(TorchFileWriter.zipPickle(2, tensors(), null, Map.of()));
        seeds.add(TorchFileWriter.zipPickle(4, tensors(), "state_dict", Map.of("best_prec1", 91.5)));
        seeds.add(TorchFileWriter.zipPickle(2, tensors().subList(0, 1), "net", Map.of("acc", 95.0, "epoch", 199.0)));
        seeds.addAll(hostilePickles());
        return seeds;
    }

    /** The crash classes of issue 13 as pickles of a few hundred bytes (sizes kept small for speed). */
    static List<byte[]> hostilePickles() {
        List<byte[]> out = new ArrayList<>();
        PickleWriter selfKey = new PickleWriter(2);
        selfKey.op('}').op(']').op('q').op(0).op('h').op(0).op('a').none().op('s').stop();
        out.add(selfKey.bytes());
        PickleWriter cycle = new PickleWriter(2);
        cycle.op(']').op('q').op(0).op('h').op(0).op(0x85).op('a').op('Q').stop();
        out.add(cycle.bytes());
        PickleWriter tuples = new PickleWriter(2);
        tuples.op('}').op(')');
        for (int i = 0; i < 200; i++) tuples.op(0x85);
        out.add(tuples.none().op('s').stop().bytes());
        ByteArrayOutputStream lists = new ByteArrayOutputStream();
        lists.writeBytes(new byte[]{(byte) 0x80, 2});
        for (int i = 0; i < 300; i++) lists.write(']');
        for (int i = 1; i < 300; i++) lists.write('a');
        lists.write('.');
        out.add(lists.toByteArray());
        PickleWriter marks = new PickleWriter(2);
        for (int i = 0; i < 300; i++) marks.mark();
        out.add(marks.stop().bytes());
        PickleWriter memo = new PickleWriter(2);
        memo.op('}').op(')');
        for (int level = 0; level < 25; level++) memo.op('q').op(level).op('h').op(level).op(0x86);
        out.add(memo.none().op('s').stop().bytes());
        PickleWriter set = new PickleWriter(4);
        set.op(0x8f).mark().str("a").integer(1).real(2.5).bool(true).none().op(0x90).stop();
        out.add(set.bytes());
        PickleWriter huge = new PickleWriter(2);
        TorchFileWriter.tensorV2(huge, new Tensor("w", BIG, 0, new int[]{Integer.MAX_VALUE - 8}, new long[]{0}));
        out.add(huge.stop().bytes());
        PickleWriter eval = new PickleWriter(2);
        eval.global("builtins", "eval").str("1").tuple(1).reduce().stop();
        out.add(eval.bytes());
        return out;
    }

    /** A pickle wrapped in a zip checkpoint with the storages of the valid seeds. */
    public static byte[] zipWithPickle(byte[] pickle) {
        return TorchFileWriter.zipBytes("archive", pickle, TorchFileWriter.storagesOf(tensors()), "little");
    }

    /** Zip checkpoints: valid (stored, deflated, big-endian) and with lying directories. */
    public static List<byte[]> zipSeeds() {
        List<byte[]> seeds = new ArrayList<>();
        byte[] pkl = TorchFileWriter.zipPickle(2, tensors(), null, Map.of());
        seeds.add(zipWithPickle(pkl));
        seeds.add(TorchFileWriter.zipBytes("p4", TorchFileWriter.zipPickle(4, tensors(), "state_dict", Map.of("acc", 1.0)),
                TorchFileWriter.storagesOf(tensors()), "little"));
        CraftedZip deflated = new CraftedZip().deflated("d/data.pkl", pkl).deflated("d/byteorder", "little".getBytes());
        for (Storage s : TorchFileWriter.storagesOf(tensors())) deflated.deflated("d/data/" + s.key(), s.data());
        seeds.add(deflated.bytes());
        seeds.add(new CraftedZip().lying("l/data.pkl", pkl, true, 300L, null, false).bytes());
        seeds.add(new CraftedZip().lying("l/data.pkl", pkl, true, 1L << 40, null, true).bytes());
        seeds.add(new CraftedZip().stored("c/data.pkl", pkl).lying("c/data/0", BIG.data(), false, null, 7L, false).bytes());
        seeds.add(new CraftedZip().lying("b/data.pkl", new byte[4 << 20], true, 400L, null, false).bytes());
        return seeds;
    }

    /** Legacy torch.save files. */
    public static List<byte[]> legacySeeds() {
        List<Tensor> t = tensors().subList(0, 3);
        return List.of(TorchFileWriter.legacy(t, 88.5, List.of("0")),
                TorchFileWriter.legacy(List.of(Tensor.contiguous("fc.weight", Storage.floats("94", 1, 2), 2)), 1,
                        List.of("94")));
    }

    /** Run the allowlisted unpickler over a file's bytes, as the readers do. */
    public static Object unpickle(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        return new Unpickler(new ByteArrayInputStream(b), file, null, 0, b.length, new TorchAllowlist()).load();
    }
}
