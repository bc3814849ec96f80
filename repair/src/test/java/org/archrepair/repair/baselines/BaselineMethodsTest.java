package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;
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
import org.archrepair.repair.method.Budget;
import org.archrepair.repair.method.EpochLog;
import org.archrepair.repair.method.Outcome;
import org.archrepair.repair.method.RepairContext;
import org.archrepair.repair.method.RepairMethod;
import org.archrepair.repair.train.TrainerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every published method end to end on a tiny synthetic task (ResNet-20 with random weights, 8x8
 * color images, 4 classes): it runs, stays within the budget, changes only what it should, and a
 * run killed after every epoch (generation, reduced model) and resumed gives the same bits as one
 * that was not.
 */
class BaselineMethodsTest {
    static final Backend BE = CpuBackend.fast(2);
    /** 2 "search" + 2 fine-tuning epochs: every method may spend 4 epochs. */
    static final Budget BUDGET = new Budget(0, 2, 1, 2, 5, 16, 0.02, 5e-4, 5, 3e-3);

    @TempDir
    Path dir;

    record Setup(Network net, RepairData data, Localization loc) {
    }

    /** As RepairMethodTest: the failures are whatever a fixed rule calls wrong, so every class has some. */
    static Setup setup() {
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

    static RepairContext context(Setup s, Path where, boolean resume, int stopAfter) {
        return new RepairContext(s.net(), BE, s.data(), s.data().split(), Normalization.unit(3), s.loc(), BUDGET, 7, where,
                resume, "test", stopAfter, RepairContext.Listener.QUIET);
    }

    private static Map<String, HostArray> changed(Map<String, HostArray> before, Map<String, HostArray> after) {
        Map<String, HostArray> out = new java.util.LinkedHashMap<>();
        before.forEach((k, v) -> {
            if (!Arrays.equals(v.data(), after.get(k).data())) out.put(k, after.get(k));
        });
        return out;
    }

    /** Run once straight, once killed after every unit of work and resumed in a fresh model: same bits, same history. */
    private Outcome straightAndKilled(Supplier<RepairMethod> method, int expectedKills) throws IOException {
        Setup whole = setup();
        Outcome o = method.get().repair(context(whole, dir.resolve("whole"), false, 0));
        Map<String, HostArray> expected = StateDicts.toHost(whole.net());
        Path pieces = dir.resolve("pieces");
        int kills = 0;
        Outcome last = null;
        while (last == null) {
            Setup s = setup();
            try {
                last = method.get().repair(context(s, pieces, kills > 0, 1));
                for (String k : expected.keySet())
                    assertArrayEquals(expected.get(k).data(), StateDicts.toHost(s.net()).get(k).data(), k);
            } catch (RepairContext.Stopped e) {
                kills++;
            }
        }
        assertEquals(expectedKills, kills, "one kill per completed unit but the last");
        assertEquals(o.history().stream().map(EpochLog::valLoss).toList(), last.history().stream().map(EpochLog::valLoss).toList());
        return o;
    }

    private static void networkLevel(Outcome o, Map<String, HostArray> before, Network net) {
        assertTrue(o.history().size() <= BUDGET.totalEpochs(), o.history().size() + " epochs");
        assertFalse(changed(before, StateDicts.toHost(net)).isEmpty(), "the network trained");
        assertTrue(net.parameters().stream().allMatch(org.archrepair.engine.Tensor::requiresGrad), "thawed afterwards");
    }

    @Test
    void senseiResumesToTheSameBitsAndTrainsTheNetwork() throws IOException {
        Outcome o = straightAndKilled(() -> new SenseiMethod(false, true), BUDGET.totalEpochs() - 1);
        assertEquals("retrain", o.history().getFirst().phase());
        Setup s = setup();
        Map<String, HostArray> before = StateDicts.toHost(s.net());
        networkLevel(new SenseiMethod(true, false).repair(context(s, dir.resolve("filters"), false, 0)), before, s.net());
    }

    @Test
    void fewShotAndDeepRepairTrainTheNetworkWithinTheBudget() throws IOException {
        for (RepairMethod m : List.of(new FewShotMethod(), new DeepRepairMethod())) {
            Setup s = setup();
            Map<String, HostArray> before = StateDicts.toHost(s.net());
            networkLevel(m.repair(context(s, dir.resolve(m.name()), false, 0)), before, s.net());
        }
    }

    @Test
    void deepRepairResumesToTheSameBits() throws IOException {
        straightAndKilled(DeepRepairMethod::new, BUDGET.totalEpochs() - 1);
    }

    @Test
    void modeTrainsTheNetworkAndRecordsItsLayer() throws IOException {
        Setup s = setup();
        Map<String, HostArray> before = StateDicts.toHost(s.net());
        Outcome o = new ModeMethod(0.05, 0.5).repair(context(s, dir.resolve("mode"), false, 0));
        networkLevel(o, before, s.net());
        assertTrue(o.target().contains("layer"), o.target());
    }

    @Test
    void apricotResumesToTheSameBits() throws IOException {
        // 3 reduced models then 2 rounds: killed after the first two models (the third goes on into the rounds) and
        // after the first round
        Outcome o = straightAndKilled(() -> new ApricotMethod(ApricotMethod.Sign.INTUITIVE, 3), 3);
        assertTrue(o.history().size() <= ApricotMethod.rounds(BUDGET.totalEpochs()));
    }

    @Test
    void arachneChangesOnlyTheLocalizedWeightsOfTheLastLayer() throws IOException {
        Setup s = setup();
        Map<String, HostArray> before = StateDicts.toHost(s.net());
        Outcome o = new ArachneMethod(null, 12, 6).repair(context(s, dir.resolve("arachne"), false, 0));
        assertTrue(o.history().size() <= 6);
        Map<String, HostArray> changed = changed(before, StateDicts.toHost(s.net()));
        assertEquals(List.of("linear.weight"), List.copyOf(changed.keySet()), "only the head's weights");
    }

    @Test
    void arachneResumesToTheSameBits() throws IOException {
        straightAndKilled(() -> new ArachneMethod(null, 8, 4), 3);
    }

    @Test
    void arachneOnAConvLayerChangesOnlyThatLayer() throws IOException {
        Setup s = setup();
        Map<String, HostArray> before = StateDicts.toHost(s.net());
        new ArachneMethod("layer3.2.conv2", 6, 2).repair(context(s, dir.resolve("conv"), false, 0));
        Map<String, HostArray> changed = changed(before, StateDicts.toHost(s.net()));
        assertTrue(changed.keySet().stream().allMatch("layer3.2.conv2.weight"::equals), changed.keySet().toString());
    }
}
