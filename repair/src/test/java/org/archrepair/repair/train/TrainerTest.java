package org.archrepair.repair.train;

import org.archrepair.engine.Rng;
import org.archrepair.engine.io.Json;
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
import java.util.List;

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
        assertEquals(1, EpochRecord.listFromJson(Json.parse(Files.readString(Trainer.sibling(split, ".history.json")))).size(),
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
}
