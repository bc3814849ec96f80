package org.archrepair.models.checkpoint;

import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.io.Safetensors;
import org.archrepair.engine.nn.Module;
import org.archrepair.engine.nn.StateDicts;
import org.archrepair.models.TestData;
import org.archrepair.models.checkpoint.TorchFileWriter.Storage;
import org.archrepair.models.checkpoint.TorchFileWriter.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The facade: format detection, strict loading into a module, and safetensors export. */
class CheckpointsTest {
    @TempDir
    Path dir;

    @Test
    void safetensorsRoundTripThroughAModule() throws Exception {
        Module a = new TinyNets.Tiny(TinyNets.init(1)), b = new TinyNets.Tiny(TinyNets.init(2));
        Path f = dir.resolve("tiny.safetensors");
        Checkpoints.save(a, f, Map.of("seed", "1", "model", "tiny"));
        assertEquals(Checkpoints.Format.SAFETENSORS, Checkpoints.detect(f));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "no temp file left beside the checkpoint");
        }
        Checkpoint c = Checkpoints.loadInto(b, f);
        assertEquals("tiny", c.extras().get("model"));
        assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                "fc.weight", "fc.bias"), List.copyOf(c.tensors().keySet()));
        Map<String, HostArray> ha = StateDicts.toHost(a), hb = StateDicts.toHost(b);
        assertEquals(ha, hb, "every value restored bit for bit");
        assertEquals(ha, Safetensors.read(f).tensors(), "plain safetensors readers see PyTorch names");
    }

    @Test
    void mismatchListsMissingExtraAndShapesAndLeavesTheModelAlone() throws Exception {
        Module m = new TinyNets.Tiny(TinyNets.init(3));
        Map<String, HostArray> before = StateDicts.toHost(m);
        Map<String, HostArray> wrong = new LinkedHashMap<>(before);
        wrong.remove("bn1.running_var");
        wrong.put("fc.weight", new HostArray(new int[]{4, 2}, new float[8]));
        wrong.put("head.weight", new HostArray(new int[]{1}, new float[1]));
        wrong.put("conv1.weight", new HostArray(new int[]{4, 3, 3, 3}, new float[108]));
        Path f = dir.resolve("wrong.safetensors");
        Safetensors.write(f, wrong, Map.of());
        CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class, () -> Checkpoints.loadInto(m, f));
        String msg = e.getMessage();
        assertTrue(msg.contains("wrong.safetensors"), msg);
        assertTrue(msg.contains("1 missing: bn1.running_var"), msg);
        assertTrue(msg.contains("1 unexpected: head.weight"), msg);
        assertTrue(msg.contains("fc.weight (model [2, 4], file [4, 2])"), msg);
        assertEquals(f, e.file());
        assertEquals(List.of("bn1.running_var"), e.report().missing());
        assertEquals(before, StateDicts.toHost(m), "nothing loaded on mismatch");
    }

    @Test
    void zipCheckpointWithDataParallelNamesLoadsIntoTheModule() throws Exception {
        Module src = new TinyNets.Tiny(TinyNets.init(4));
        List<Tensor> tensors = new java.util.ArrayList<>();
        int key = 0;
        for (Map.Entry<String, HostArray> e : StateDicts.toHost(src).entrySet()) {
            Storage s = Storage.floats(String.valueOf(key++), e.getValue().data());
            tensors.add(Tensor.contiguous("module." + e.getKey(), s, e.getValue().shape()));
        }
        Path f = dir.resolve("net.pth");
        TorchFileWriter.writeZip(f, "net", TorchFileWriter.zipPickle(2, tensors, "net", Map.of("acc", 90.0)),
                TorchFileWriter.storagesOf(tensors));
        Module dst = new TinyNets.Tiny(TinyNets.init(5));
        Checkpoints.loadInto(dst, f);
        assertEquals(StateDicts.toHost(src), StateDicts.toHost(dst));
    }

    @Test
    void realResnet20LoadsIntoItsSkeleton() throws Exception {
        Path f = TestData.require("pretrained/resnet20-12fca82f.th");
        Module net = new TinyNets.ResNetSkeleton(TinyNets.init(6), 3);
        Checkpoint c = Checkpoints.loadInto(net, f);
        Map<String, HostArray> loaded = StateDicts.toHost(net);
        assertEquals(c.tensors(), loaded);
        // spot values decoded independently with CPython's pickle + struct from the same file
        float[] conv1 = loaded.get("conv1.weight").data();
        assertEquals(-0.13818146288394928f, conv1[0]);
        assertEquals(0.3087101876735687f, conv1[conv1.length - 1]);
        float[] var = loaded.get("layer3.2.bn2.running_var").data();
        assertEquals(0.3016022741794586f, var[0]);
        assertEquals(0.17508132755756378f, var[63]);
        assertArrayEquals(new int[]{10}, loaded.get("linear.bias").shape());
        assertEquals(0.19355906546115875f, loaded.get("linear.bias").data()[0]);
        assertEquals(-0.27025941014289856f, loaded.get("linear.bias").data()[9]);
    }

    @Test
    void realResnet32DoesNotFitResnet20() throws Exception {
        Path f = TestData.require("pretrained/resnet32-d509ac18.th");
        Module net = new TinyNets.ResNetSkeleton(TinyNets.init(7), 3);
        CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class, () -> Checkpoints.loadInto(net, f));
        assertTrue(e.getMessage().contains("60 unexpected: layer1.3.conv1.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("resnet32-d509ac18.th"), e.getMessage());
    }
}
