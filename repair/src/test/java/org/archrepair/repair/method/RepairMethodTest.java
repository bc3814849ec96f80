package org.archrepair.repair.method;

import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.nn.Init;
import org.archrepair.engine.nn.StateDicts;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.cpu.CpuBackend;
import org.archrepair.models.Models;
import org.archrepair.models.Network;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Normalization;
import org.archrepair.repair.data.FailureSet;
import org.archrepair.repair.data.RepairData;
import org.archrepair.repair.localize.Localization;
import org.archrepair.repair.localize.Localizer;
import org.archrepair.repair.localize.Suspiciousness;
import org.archrepair.repair.search.SearchSpace;
import org.archrepair.repair.train.TrainerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The repair loops on a tiny synthetic task: kill and resume give the same bits; each level trains only its target. */
class RepairMethodTest {
    private static final Backend BE = CpuBackend.fast(2);
    private static final Budget BUDGET = new Budget(0, 3, 1, 2, 5, 16, 0.02, 5e-4, 5, 3e-3);

    @TempDir
    Path dir;

    private record Setup(Network net, RepairData data, Localization loc) {
    }

    /** resnet20 (random weights) on 8x8 color images, 4 classes; the failures are whatever it gets wrong. */
    private static Setup setup() {
        Network net = Models.create("resnet20", new Init(BE, new Rng(42).fork("init")), 4);
        ImageDataset train = TrainerTest.colors(64, 1), source = TrainerTest.colors(48, 2);
        int[] predictions = new int[source.size()];
        for (int i = 0; i < predictions.length; i++) predictions[i] = (source.label(i) + (i % 3 == 0 ? 1 : 0)) % 4;
        FailureSet f = FailureSet.sample(source, predictions, 3, new Rng(1));
        RepairData data = RepairData.of(train, source, f, 0, new Rng(2));
        Localization loc = Localizer.run(net, BE, data.repairSet(), data.failures(), Normalization.unit(3),
                new Localizer.Config(Suspiciousness.TARANTULA, 20, List.of(10, 20), 32, 8), (p, n) -> { }).localization();
        return new Setup(net, data, loc);
    }

    private RepairContext context(Setup s, Path where, boolean resume, int stopAfter) {
        return new RepairContext(s.net(), BE, s.data(), s.data().split(), Normalization.unit(3), s.loc(), BUDGET, 7, where,
                resume, "test", stopAfter, RepairContext.Listener.QUIET);
    }

    private static RepairMethod archRepair() {
        return new ArchRepairMethod(new SearchSpace.Config(SearchSpace.Level.BLOCK, 2, true, 2), null, false);
    }

    @Test
    void killedAndResumedArchRepairIsBitwiseTheUninterruptedRun() throws IOException {
        Setup whole = setup();
        Outcome o = archRepair().repair(context(whole, dir.resolve("whole"), false, 0));
        Map<String, HostArray> expected = StateDicts.toHost(whole.net());
        assertEquals(5, o.history().size(), "3 search and 2 fine-tuning epochs");
        assertEquals(4, o.alphaHistory().size(), "the start and 3 epochs");

        // killed after every epoch: search 1 (warm-up) | search 2 | search 3 | fine-tune 1 | fine-tune 2
        Path pieces = dir.resolve("pieces");
        int kills = 0;
        Outcome last = null;
        while (last == null) {
            Setup s = setup();                    // a new process: the model from its weights file again
            try {
                last = archRepair().repair(context(s, pieces, kills > 0, 1));
                assertArrayEquals(flat(expected), flat(StateDicts.toHost(s.net())));
                assertEquals(expected.keySet(), StateDicts.toHost(s.net()).keySet());
            } catch (RepairContext.Stopped e) {
                kills++;
            }
        }
        assertEquals(4, kills);
        assertEquals(o.genotype(), last.genotype());
        assertEquals(o.alphaHistory().size(), last.alphaHistory().size(), "the alpha history survives the kills");
        assertEquals(o.history().stream().map(EpochLog::valLoss).toList(), last.history().stream().map(EpochLog::valLoss).toList());
    }

    private static float[] flat(Map<String, HostArray> state) {
        return state.values().stream().map(HostArray::data).reduce(new float[0], (a, b) -> {
            float[] c = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, c, a.length, b.length);
            return c;
        });
    }

    @Test
    void neuronLevelChangesOneFilterOnly() throws IOException {
        Setup s = setup();
        Map<String, HostArray> before = StateDicts.toHost(s.net());
        WeightOnlyMethod m = new WeightOnlyMethod(WeightOnlyMethod.Level.NEURON, null);
        Target t = m.target(context(s, dir, false, 0));
        m.repair(context(s, dir, false, 0));
        Map<String, HostArray> after = StateDicts.toHost(s.net());
        String weight = t.layer() + ".weight";
        for (String k : before.keySet())
            if (!k.equals(weight)) assertArrayEquals(before.get(k).data(), after.get(k).data(), k + " must not change");
        float[] w0 = before.get(weight).data(), w1 = after.get(weight).data();
        int per = w0.length / before.get(weight).shape()[0];
        for (int i = 0; i < w0.length; i++) {
            boolean inChannel = i / per == t.channel();
            if (!inChannel) assertEquals(w0[i], w1[i], "outside the neuron's filter, index " + i);
        }
        assertFalse(Arrays.equals(Arrays.copyOfRange(w0, t.channel() * per, (t.channel() + 1) * per),
                Arrays.copyOfRange(w1, t.channel() * per, (t.channel() + 1) * per)), "the neuron's filter trained");
    }

    @Test
    void blockLevelTrainsTheBlockOnly() throws IOException {
        Setup s = setup();
        Map<String, HostArray> before = StateDicts.toHost(s.net());
        WeightOnlyMethod m = new WeightOnlyMethod(WeightOnlyMethod.Level.BLOCK, null);
        String block = m.target(context(s, dir, false, 0)).block();
        Outcome o = m.repair(context(s, dir, false, 0));
        assertTrue(o.history().size() <= BUDGET.totalEpochs());
        Map<String, HostArray> after = StateDicts.toHost(s.net());
        int changedInside = 0;
        for (String k : before.keySet()) {
            boolean same = Arrays.equals(before.get(k).data(), after.get(k).data());
            if (k.startsWith(block + ".")) changedInside += same ? 0 : 1;
            else assertTrue(same, k + " is outside " + block + " and must not change");
        }
        assertTrue(changedInside > 0);
        assertTrue(s.net().parameters().stream().allMatch(Tensor::requiresGrad), "the network is thawed afterwards");
    }

    @Test
    void layerLevelArchRepairTrainsTheRelaxedLayerOnly() throws IOException {
        Setup s = setup();
        Map<String, HostArray> before = StateDicts.toHost(s.net());
        RepairMethod m = new ArchRepairMethod(new SearchSpace.Config(SearchSpace.Level.LAYER, 1, false, 2), null, false);
        Target t = m.target(context(s, dir, false, 0));
        String unit = t.layer().substring(0, t.layer().lastIndexOf('.'));
        String other = t.layer().endsWith("conv2") ? unit + ".conv1" : unit + ".conv2";
        m.repair(context(s, dir, false, 0));
        Map<String, HostArray> after = StateDicts.toHost(s.net());
        for (String k : before.keySet())
            if (!k.startsWith(unit + "."))
                assertArrayEquals(before.get(k).data(), after.get(k).data(), k + " is outside " + unit + " and must not change");
        float[] otherConv = before.get(other + ".weight").data();
        assertTrue(after.values().stream().anyMatch(v -> Arrays.equals(v.data(), otherConv)),
                other + ", in the relaxed unit but not the relaxed layer, keeps its weights");
        float[] target = before.get(t.layer() + ".weight").data();
        assertTrue(after.values().stream().noneMatch(v -> Arrays.equals(v.data(), target)), t.layer() + " was trained");
    }
}
