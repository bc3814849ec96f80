package org.archrepair.models.checkpoint;

import org.archrepair.engine.io.HostArray;
import org.archrepair.models.checkpoint.TorchFileWriter.Storage;
import org.archrepair.models.checkpoint.TorchFileWriter.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The torch 1.6+ zip format, on files written in the test the way torch 2.x writes them (the test
 * writer's data.pkl is byte-identical to CPython's pickler for the same objects): strides, storage
 * offsets, shared storages, dtypes, wrappers, name normalization and broken files.
 */
class TorchZipTest {
    @TempDir
    Path dir;

    private static final Storage BIG = Storage.floats("0", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

    private List<Tensor> mixed() {
        Storage half = new Storage("3", "HalfStorage", 3, le(6, b -> {
            b.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-2f)).putShort(Float.floatToFloat16(0.25f));
        }));
        Storage dbl = new Storage("4", "DoubleStorage", 2, le(16, b -> b.putDouble(0.1).putDouble(-3.0)));
        Storage bf = new Storage("5", "BFloat16Storage", 1, le(2, b -> b.putShort((short) (Float.floatToIntBits(2.5f) >>> 16))));
        Storage lng = new Storage("6", "LongStorage", 1, le(8, b -> b.putLong(12345)));
        return List.of(
                Tensor.contiguous("module.features.weight", BIG, 3, 4),
                new Tensor("module.features.t", BIG, 0, new int[]{4, 3}, new long[]{1, 4}),     // transposed view
                new Tensor("module.features.row", BIG, 5, new int[]{2, 3}, new long[]{4, 1}),   // offset 5, row stride 4
                new Tensor("module.bn.weight", half, 0, new int[]{3}, new long[]{1}),
                new Tensor("module.bn.bias", dbl, 0, new int[]{2}, new long[]{1}),
                new Tensor("module.bn.scale", bf, 0, new int[]{}, new long[]{}),
                new Tensor("module.bn.num_batches_tracked", lng, 0, new int[]{}, new long[]{}),
                new Tensor("module.bn.count", lng, 0, new int[]{1}, new long[]{1}));
    }

    private static byte[] le(int n, java.util.function.Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        return b.array();
    }

    private Path zip(String name, byte[] pickle, List<Tensor> tensors) throws IOException {
        Path f = dir.resolve(name);
        TorchFileWriter.writeZip(f, name.replace(".pt", ""), pickle, TorchFileWriter.storagesOf(tensors));
        return f;
    }

    @Test
    void stridesOffsetsDtypesAndNames() throws Exception {
        List<Tensor> t = mixed();
        Path f = zip("mixed.pt", TorchFileWriter.zipPickle(2, t, null, Map.of()), t);
        assertEquals(Checkpoints.Format.TORCH_ZIP, Checkpoints.detect(f));
        Checkpoint c = Checkpoints.read(f);
        assertEquals(List.of("features.weight", "features.t", "features.row", "bn.weight", "bn.bias", "bn.scale",
                "bn.count"), List.copyOf(c.tensors().keySet()), "module. stripped, num_batches_tracked dropped, file order");
        HostArray w = c.tensors().get("features.weight");
        assertArrayEquals(new int[]{3, 4}, w.shape());
        assertArrayEquals(new float[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, w.data());
        assertArrayEquals(new float[]{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, c.tensors().get("features.t").data());
        assertArrayEquals(new float[]{5, 6, 7, 9, 10, 11}, c.tensors().get("features.row").data());
        assertArrayEquals(new float[]{1.5f, -2f, 0.25f}, c.tensors().get("bn.weight").data());
        assertArrayEquals(new float[]{0.1f, -3f}, c.tensors().get("bn.bias").data());
        HostArray scalar = c.tensors().get("bn.scale");
        assertArrayEquals(new int[]{}, scalar.shape());
        assertArrayEquals(new float[]{2.5f}, scalar.data());
        assertArrayEquals(new float[]{12345f}, c.tensors().get("bn.count").data());
    }

    @Test
    void wrappedInNetWithProtocol4() throws Exception {
        List<Tensor> t = List.of(Tensor.contiguous("module.fc.weight", BIG, 2, 6));
        Path f = zip("kuangliu.pt", TorchFileWriter.zipPickle(4, t, "net", Map.of("acc", 95.25, "epoch", 199.0)), t);
        Checkpoint c = Checkpoints.read(f);
        assertEquals(List.of("fc.weight"), List.copyOf(c.tensors().keySet()));
        assertEquals(95.25, (Double) c.extras().get("acc"));
        assertEquals(199.0, (Double) c.extras().get("epoch"));
    }

    @Test
    void wrappedInStateDictWithSeveralTensors() throws Exception {
        List<Tensor> t = mixed().subList(0, 3);
        Path f = zip("archive.pt", TorchFileWriter.zipPickle(2, t, "state_dict", Map.of("best_prec1", 91.5)), t);
        Checkpoint c = Checkpoints.read(f);
        assertEquals(3, c.tensors().size());
        assertEquals(91.5, (Double) c.extras().get("best_prec1"));
    }

    @Test
    void bigEndianStoragesFollowTheByteorderRecord() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN).putFloat(1.25f).putFloat(-7f).putFloat(3e-3f);
        Storage be = new Storage("0", "FloatStorage", 3, b.array());
        List<Tensor> t = List.of(Tensor.contiguous("w", be, 3));
        Path f = dir.resolve("be.pt");
        TorchFileWriter.writeZip(f, "be", TorchFileWriter.zipPickle(2, t, null, Map.of()), List.of(be), "big");
        assertArrayEquals(new float[]{1.25f, -7f, 3e-3f}, Checkpoints.read(f).tensors().get("w").data());
    }

    @Test
    void wholePickledModelIsRejectedWithAHint() throws Exception {
        PickleWriter w = new PickleWriter(2);
        w.global("models.resnet", "ResNet").tuple(0).reduce().stop();
        Path f = zip("model.pt", w.bytes(), List.of());
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(f));
        assertTrue(e.getMessage().contains("global models.resnet.ResNet is not allowed")
                && e.getMessage().contains("save and load model.state_dict() instead"), e.getMessage());
    }

    @Test
    void viewBeyondItsStorageIsRejected() throws Exception {
        List<Tensor> t = List.of(new Tensor("w", BIG, 6, new int[]{2, 4}, new long[]{4, 1}));   // reaches element 13 of 12
        Path f = zip("oob.pt", TorchFileWriter.zipPickle(2, t, null, Map.of()), t);
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(f));
        assertTrue(e.getMessage().contains("oob.pt") && e.getMessage().contains("tensor 'w'")
                && e.getMessage().contains("reaches element 13"), e.getMessage());
    }

    @Test
    void elementCountOrAddressBeyond2To63IsRejected() throws Exception {
        List<Tensor> big = List.of(new Tensor("w", BIG, 0, new int[]{65536, 65536, 65536, 65536}, new long[]{0, 0, 0, 0}));
        Path f = zip("huge.pt", TorchFileWriter.zipPickle(2, big, null, Map.of()), big);
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(f));
        assertTrue(e.getMessage().contains("huge.pt") && e.getMessage().contains("tensor 'w'")
                && e.getMessage().contains("addresses more than 2^63 elements"), e.getMessage());
        List<Tensor> far = List.of(new Tensor("w", BIG, 0, new int[]{3}, new long[]{1L << 62}));
        Path g = zip("far.pt", TorchFileWriter.zipPickle(2, far, null, Map.of()), far);
        IOException s = assertThrows(IOException.class, () -> Checkpoints.read(g));
        assertTrue(s.getMessage().contains("far.pt") && s.getMessage().contains("stride [4611686018427387904]")
                && s.getMessage().contains("addresses more than 2^63 elements"), s.getMessage());
    }

    @Test
    void missingStorageEntryIsNamed() throws Exception {
        List<Tensor> t = List.of(Tensor.contiguous("w", BIG, 12));
        Path f = dir.resolve("nodata.pt");
        TorchFileWriter.writeZip(f, "nodata", TorchFileWriter.zipPickle(2, t, null, Map.of()), List.of());
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(f));
        assertTrue(e.getMessage().contains("nodata/data/0 is missing"), e.getMessage());
    }

    @Test
    void truncatedZipNamesFileAndSize() throws Exception {
        List<Tensor> t = mixed();
        Path f = zip("cut.pt", TorchFileWriter.zipPickle(2, t, null, Map.of()), t);
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut-short.pt");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(cut));
        assertTrue(e.getMessage().contains("cut-short.pt") && e.getMessage().contains("ends at byte " + all.length / 2),
                e.getMessage());
    }

    @Test
    void truncatedPickleInsideZipNamesEntryAndOffset() throws Exception {
        List<Tensor> t = mixed();
        byte[] pkl = TorchFileWriter.zipPickle(2, t, null, Map.of());
        Path f = zip("short.pt", Arrays.copyOf(pkl, 100), t);
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(f));
        assertTrue(e.getMessage().contains("short.pt!short/data.pkl") && e.getMessage().contains("truncated")
                && e.getMessage().contains("ends at byte 100"), e.getMessage());
    }

    @Test
    void notATensorInStateDictIsNamed() throws Exception {
        PickleWriter w = new PickleWriter(2);
        w.emptyDict().str("fc.weight").str("oops").op('s').stop();
        Path f = zip("str.pt", w.bytes(), List.of());
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(f));
        assertTrue(e.getMessage().contains("'fc.weight' is a String, not a tensor"), e.getMessage());
    }
}
