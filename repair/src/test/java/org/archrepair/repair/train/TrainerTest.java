package org.archrepair.repair.train;

import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.io.JsonFormat;
import org.archrepair.engine.io.Safetensors;
import org.archrepair.engine.nn.Init;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.cpu.CpuBackend;
import org.archrepair.models.Models;
import org.archrepair.models.Network;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Normalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Training on a tiny synthetic set: it learns, it checkpoints, and a resumed run is the same run. */
public class TrainerTest {
    @TempDir
    Path dir;

    /** 3 x 8 x 8 noise images whose class is the brightest channel (red, green, blue) or none: crop/flip-proof. */
    public static ImageDataset colors(int n, long seed) {
        Rng rng = new Rng(seed);
        byte[] px = new byte[n * 192];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(4);
            for (int c = 0; c < 3; c++)
                for (int j = 0; j < 64; j++)
                    px[i * 192 + c * 64 + j] = (byte) ((c == labels[i] ? 150 : 30) + rng.nextInt(80));
        }
        return new ImageDataset("colors", px, labels, List.of("red", "green", "blue", "dark"), 3, 8, 8);
    }

    private List<EpochRecord> train(Path out, int epochs, boolean resume, Network net, Backend be) throws IOException {
        TrainConfig cfg = new TrainConfig("resnet20", 3, 16, 0.05, 0.9, 5e-4, false, 0, 42);
        Trainer t = new Trainer(net, be, colors(96, 1), colors(64, 2), Normalization.unit(3), cfg, out);
        return t.runEpochs(resume, epochs, new Trainer.Listener() {
            public void batch(int e, int i, int n, int size, float loss) {
                assertTrue(Float.isFinite(loss));
            }

            public void epoch(EpochRecord r) {
            }
        });
    }

    private Network net(Backend be) {
        return Models.create("resnet20", new Init(be, new Rng(42).fork("init")), 4);
    }

    @Test
    void resumedRunIsBitwiseTheUninterruptedRun() throws IOException {
        Backend be = CpuBackend.fast(2);
        Path straight = dir.resolve("straight.safetensors"), split = dir.resolve("split.safetensors");
        List<EpochRecord> full = train(straight, 3, false, net(be), be);
        assertEquals(3, full.size());
        train(split, 1, false, net(be), be);                       // stop after epoch 1 ...
        assertEquals(1, EpochRecord.listFromJson(JsonFormat.read(Files.readString(Trainer.sibling(split, ".history.json")))).size(),
                "history written after the epoch");
        assertTrue(Files.size(Trainer.sibling(split, ".curve.png")) > 0, "learning curve written after the epoch");
        List<EpochRecord> resumed = train(split, 3, true, net(be), be);   // ... and resume in a fresh model
        assertEquals(3, resumed.size());
        assertEquals(full.get(2).trainLoss(), resumed.get(2).trainLoss());
        assertEquals(Safetensors.read(straight).tensors(), Safetensors.read(split).tensors());
        assertTrue(Files.exists(Trainer.sibling(split, ".resume.safetensors")));
        assertTrue(full.get(2).testAccuracy() > 0.5, "learns the task: " + full);
    }

    @Test
    void resumeWithoutStateOrWithOtherSettingsFails() throws IOException {
        Backend be = CpuBackend.fast(2);
        Path out = dir.resolve("m.safetensors");
        var e = assertThrows(IOException.class, () -> train(out, 1, true, net(be), be));
        assertTrue(e.getMessage().contains("no resume file"), e.getMessage());
        train(out, 1, false, net(be), be);
        Trainer other = new Trainer(net(be), be, colors(96, 1), colors(64, 2), Normalization.unit(3),
                new TrainConfig("resnet20", 3, 16, 0.1, 0.9, 5e-4, false, 0, 42), out);
        var e2 = assertThrows(IOException.class, () -> other.run(true, null));
        assertTrue(e2.getMessage().contains("was trained with"), e2.getMessage());
        Trainer otherData = new Trainer(net(be), be, colors(96, 1), colors(64, 2), Normalization.AKAMASTER,
                new TrainConfig("resnet20", 3, 16, 0.05, 0.9, 5e-4, false, 0, 42), out);
        var e3 = assertThrows(IOException.class, () -> otherData.run(true, null));
        assertTrue(e3.getMessage().contains("was trained on colors, normalization unit"), e3.getMessage());
    }

    /**
     * Rewrite the resume file of out with one metadata entry changed (null: removed), or the last
     * weights (the classifier's bias) replaced by what change makes of them.
     */
    private static void tamper(Path out, String key, String value, java.util.function.UnaryOperator<HostArray> change)
            throws IOException {
        Path resume = Trainer.sibling(out, ".resume.safetensors");
        Safetensors.Contents c = Safetensors.read(resume);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        if (key != null) {
            if (value == null) meta.remove(key);
            else meta.put(key, value);
        }
        Map<String, HostArray> tensors = new LinkedHashMap<>(c.tensors());
        if (change != null) tensors.replace(LAST, change.apply(tensors.get(LAST)));
        Safetensors.write(resume, tensors, meta);
    }

    private static final String LAST = "linear.bias";

    @Test
    void theResumeFileIsCheckedLikeAnyInput() throws IOException {
        Backend be = CpuBackend.fast(2);
        Path out = dir.resolve("r.safetensors"), resume = Trainer.sibling(out, ".resume.safetensors");
        train(out, 1, false, net(be), be);
        byte[] good = Files.readAllBytes(resume);
        String[][] cases = {
                {"epoch", "-2", "metadata 'epoch' is '-2', expected the number of completed epochs, 0..3"},
                {"epoch", "x1", "metadata 'epoch' is 'x1'"},
                {"epoch", null, "metadata 'epoch' is missing"},
                {"epoch", "5", "metadata 'epoch' is 5, more than the 3 epochs of this run"},
                {"epoch", "2", "metadata 'history' has 1 epochs, 'epoch' says 2"},
                {"history", "[{\"epoch\": \"one\"}]", "metadata 'history': history entry 1: 'epoch' is \"one\""},
                {"history", "{}", "metadata 'history': history is not a list"},
                {"history", "[1]", "history entry 1: is 1, not an object"},
                {"history", "[", "metadata 'history': JSON: "},
                {"history", null, "metadata 'history' is missing"},
                {"config", null, "metadata 'config' is missing"},
                {"config", "{\"model\": NaN}", "metadata 'config': JSON: "},
                {"format", "something/2", "it is not a training state (metadata format 'something/2'"}};
        for (String[] c : cases) {
            Files.write(resume, good);
            tamper(out, c[0], c[1], null);
            IOException e = assertThrows(IOException.class, () -> train(out, 3, true, net(be), be), c[0] + "=" + c[1]);
            assertTrue(e.getMessage().startsWith("--resume: " + resume) && e.getMessage().contains(c[2]), e.getMessage());
            for (String leak : new String[]{"For input string", "ClassCastException", "NullPointerException", "null"})
                assertFalse(e.getMessage().contains(leak), e.getMessage());
        }
        Files.write(resume, good);
        tamper(out, null, null, b -> new HostArray(b.shape(), new float[]{0, Float.NaN, 0, 0}));
        IOException nan = assertThrows(IOException.class, () -> train(out, 3, true, net(be), be));
        assertTrue(nan.getMessage().contains("tensor '" + LAST + "' holds 1 NaN or infinite values"), nan.getMessage());
        Files.write(resume, good);
        tamper(out, null, null, b -> new HostArray(new int[]{5}, new float[5]));
        IOException shape = assertThrows(IOException.class, () -> train(out, 3, true, net(be), be));
        assertTrue(shape.getMessage().contains("does not fit the model: 1 mismatched: " + LAST), shape.getMessage());
    }

    @Test
    void aNonFiniteLossStopsAtItsStepAndKeepsTheLastCheckpoint() throws IOException {
        Backend be = CpuBackend.fast(2);
        Path out = dir.resolve("nan.safetensors"), resume = Trainer.sibling(out, ".resume.safetensors");
        Path history = Trainer.sibling(out, ".history.json");
        train(out, 1, false, net(be), be);
        byte[] weights = Files.readAllBytes(out), state = Files.readAllBytes(resume), log = Files.readAllBytes(history);
        Network net = net(be);
        TrainConfig cfg = new TrainConfig("resnet20", 3, 16, 0.05, 0.9, 5e-4, false, 0, 42);
        Trainer t = new Trainer(net, be, colors(96, 1), colors(64, 2), Normalization.unit(3), cfg, out);
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> t.run(true, new Trainer.Listener() {
            public void batch(int epoch, int index, int batches, int size, float loss) {
                if (epoch == 1 && index == 2) {   // poison the classifier after step 3 of epoch 2 (a ReLU would hide NaN
                    Tensor w = net.parameters().getLast();   // in earlier layers: max(NaN, 0) is 0 in our kernels)
                    float[] nan = new float[(int) w.numel()];
                    java.util.Arrays.fill(nan, Float.NaN);
                    w.copyFrom(nan);
                }
            }

            public void epoch(EpochRecord r) {
            }
        }));
        assertEquals(2, e.epoch());
        assertEquals(4, e.step());
        assertEquals(resume, e.lastGood());
        assertEquals("training: the loss is NaN at epoch 2, step 4; the last good checkpoint is " + resume
                + ", left as it was (a smaller learning rate or gradient clipping usually helps)", e.getMessage());
        assertArrayEquals(weights, Files.readAllBytes(out), "weights of epoch 1 untouched");
        assertArrayEquals(state, Files.readAllBytes(resume), "resume file of epoch 1 untouched");
        assertArrayEquals(log, Files.readAllBytes(history), "history untouched");
        var first = assertThrows(NonFiniteLossException.class,
                () -> NonFiniteLossException.check("search", Float.POSITIVE_INFINITY, 1, 1, null));
        assertTrue(first.getMessage().startsWith("search: the loss is Infinity at epoch 1, step 1; no checkpoint was "
                + "written before it"), first.getMessage());
    }
}
