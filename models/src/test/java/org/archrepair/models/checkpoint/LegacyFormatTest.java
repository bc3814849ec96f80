package org.archrepair.models.checkpoint;

import org.archrepair.models.checkpoint.TorchFileWriter.Storage;
import org.archrepair.models.checkpoint.TorchFileWriter.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The legacy torch.save layout on synthetic files: key order, and truncation or garbage at every stage. */
class LegacyFormatTest {
    @TempDir
    Path dir;

    private static final List<Tensor> TENSORS = List.of(
            Tensor.contiguous("module.conv.weight", Storage.floats("9400", 1, 2, 3, 4, 5, 6), 2, 3),
            Tensor.contiguous("module.conv.bias", Storage.floats("9100", -1, -2), 2),
            Tensor.contiguous("module.fc.weight", Storage.floats("9700", 0.5f, 0.25f, 0.125f), 1, 3));

    private static byte[] file() {
        return TorchFileWriter.legacy(TENSORS, 88.5, List.of("9700", "9400", "9100"));   // not in state_dict order
    }

    private Path write(String name, byte[] b) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, b);
        return f;
    }

    @Test
    void readsStoragesByKeyNotByPosition() throws Exception {
        Checkpoint c = Checkpoints.read(write("ok.th", file()));
        assertEquals(Checkpoints.Format.TORCH_LEGACY, c.format());
        assertEquals(List.of("conv.weight", "conv.bias", "fc.weight"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, c.tensors().get("conv.weight").data());
        assertArrayEquals(new float[]{-1, -2}, c.tensors().get("conv.bias").data());
        assertArrayEquals(new float[]{0.5f, 0.25f, 0.125f}, c.tensors().get("fc.weight").data());
        assertEquals(88.5, (Double) c.extras().get("best_prec1"));
    }

    @Test
    void truncationInsideThePickleNamesFileAndOffset() throws Exception {
        byte[] b = file();
        Path f = write("cut-pickle.th", Arrays.copyOf(b, 200));
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(f));
        assertTrue(e.getMessage().contains("cut-pickle.th") && e.getMessage().contains("truncated")
                && e.getMessage().contains("ends at byte 200"), e.getMessage());
    }

    @Test
    void truncationInsideStorageDataNamesStorageAndOffset() throws Exception {
        byte[] b = file();
        Path f = write("cut-data.th", Arrays.copyOf(b, b.length - 5));
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(f));
        long lastStart = b.length - 8L;   // the data of the last storage ("9100", 2 floats) starts 8 bytes before the end
        assertTrue(e.getMessage().contains("cut-data.th") && e.getMessage().contains("storage '9100' at byte " + lastStart)
                && e.getMessage().contains("ends at byte " + (b.length - 5)), e.getMessage());
    }

    @Test
    void absurdElementCountIsTruncationNotOverflow() throws Exception {
        long absurd = Long.MAX_VALUE / 2;   // times 4 bytes would wrap past 2^63
        List<Tensor> t = List.of(Tensor.contiguous("module.conv.bias", new Storage("9100", "FloatStorage", absurd, new byte[8]), 2));
        byte[] b = TorchFileWriter.legacy(t, 1.0, List.of("9100"));
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(write("absurd.th", b)));
        assertTrue(e.getMessage().contains("absurd.th: truncated: storage '9100' at byte " + (b.length - 8L)
                + " needs " + absurd + " elements of 4 bytes"), e.getMessage());
    }

    @Test
    void trailingBytesAreAnError() throws Exception {
        byte[] b = Arrays.copyOf(file(), file().length + 3);
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(write("extra.th", b)));
        assertTrue(e.getMessage().contains("3 unexpected bytes after the last storage"), e.getMessage());
    }

    @Test
    void storageCountDisagreeingWithItsIdIsAnError() throws Exception {
        byte[] b = file();
        int countAt = b.length - (8 + 2 * 4) - (8 + 6 * 4) - (8 + 3 * 4);   // first storage ("9700") count field
        b[countAt] = 4;
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(write("count.th", b)));
        assertTrue(e.getMessage().contains("at byte " + countAt) && e.getMessage().contains("'9700' has 4 elements"),
                e.getMessage());
    }

    @Test
    void unknownBytesAreNotACheckpoint() throws Exception {
        Path f = write("junk.bin", "hello, not a checkpoint".getBytes());
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(f));
        assertTrue(e.getMessage().contains("junk.bin: unknown checkpoint format"), e.getMessage());
    }
}
