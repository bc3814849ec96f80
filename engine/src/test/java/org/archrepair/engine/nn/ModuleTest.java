package org.archrepair.engine.nn;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.io.HostArray;
import org.archrepair.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Names, state order, modes, freezing and hooks of modules. */
class ModuleTest {
    private final Init init = new Init(CpuBackend.reference(), new Rng(1));

    /** conv -> bn -> relu plus a nested Sequential, shaped like a residual unit. */
    static final class Unit extends Module {
        final Conv2d conv1;
        final BatchNorm2d bn1;
        final Sequential shortcut;

        Unit(Init init) {
            conv1 = child("conv1", new Conv2d(init, 3, 4, 3, 1, 1));
            bn1 = child("bn1", new BatchNorm2d(init, 4));
            shortcut = child("shortcut", new Sequential(new Conv2d(init, 3, 4, 1, 1, 0), new BatchNorm2d(init, 4)));
        }

        @Override
        protected Tensor compute(Tensor x) {
            return Ops.relu(Ops.add(bn1.forward(conv1.forward(x)), shortcut.forward(x)));
        }
    }

    @Test
    void stateDictHasPyTorchNamesAndOrder() {
        Sequential net = new Sequential(new Unit(init), new Unit(init));
        List<String> names = new ArrayList<>(net.stateDict().keySet());
        assertEquals(List.of("0.conv1.weight", "0.bn1.weight", "0.bn1.bias", "0.bn1.running_mean", "0.bn1.running_var",
                "0.shortcut.0.weight", "0.shortcut.1.weight", "0.shortcut.1.bias", "0.shortcut.1.running_mean",
                "0.shortcut.1.running_var"), names.subList(0, 10));
        assertEquals(20, names.size());
        assertEquals(2 * (4 * 3 * 9 + 4 + 4 + 4 * 3 + 4 + 4), net.parameterCount());
        assertSame(net.get("1.shortcut.1"), ((Unit) net.at(1)).shortcut.at(1));
        assertThrows(IllegalArgumentException.class, () -> net.get("1.nothing"));
    }

    @Test
    void defaultInitIsPyTorchs() {
        Conv2d conv = new Conv2d(init, 16, 8, 3, 1, 1, 1, 1, true);
        double bound = 1 / Math.sqrt(16 * 9);
        for (float v : conv.weight.toFloatArray()) assertTrue(Math.abs(v) <= bound);
        for (float v : conv.bias.toFloatArray()) assertTrue(Math.abs(v) <= bound);
        float[] w = conv.weight.toFloatArray();
        double var = 0;
        for (float v : w) var += v * v;
        // U(-b, b) has variance b^2 / 3
        assertEquals(bound * bound / 3, var / w.length, 0.15 * bound * bound / 3);
    }

    @Test
    void trainEvalFreezeAndHooks() {
        Unit u = new Unit(init);
        assertTrue(u.bn1.isTraining());
        u.eval();
        assertFalse(u.shortcut.at(1).isTraining());
        u.train(true);
        u.shortcut.freeze();
        assertEquals(3, u.trainableParameters().size());           // conv1.weight, bn1.weight, bn1.bias
        List<String> seen = new ArrayList<>();
        var handle = u.bn1.addForwardHook((m, in, out) -> seen.add(m + " " + java.util.Arrays.toString(out.shape())));
        Tensor x = Tensor.of(init.backend(), new Rng(2).normal(2 * 3 * 4 * 4, 1f), 2, 3, 4, 4);
        u.forward(x);
        handle.remove();
        u.forward(x);
        assertEquals(List.of("BatchNorm2d(4) [2, 4, 4, 4]"), seen);
        // frozen parameters get no gradient and autograd refuses them as targets
        var g = Autograd.grad(Ops.sum(u.forward(x)), u.trainableParameters());
        assertEquals(3, g.size());
        assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(Ops.sum(u.forward(x)), List.of(u.shortcut.parameters().get(0))));
    }

    @Test
    void replacedChildrenRunInTheirPlaceAndRenameTheState() {
        Init i2 = init.fork("seq");
        Sequential net = new Sequential(new Conv2d(i2, 3, 3, 1, 1, 0), new ReLU(), new Conv2d(i2, 3, 3, 1, 1, 0),
                new Conv2d(i2, 3, 2, 1, 1, 0));
        Tensor x = Tensor.of(init.backend(), new Rng(3).normal(2 * 3 * 2 * 2, 1f), 2, 3, 2, 2);
        float[] before = net.forward(x).toFloatArray();
        // the middle pair (relu, conv) becomes one identity: the output is conv3(conv0(x)) now
        net.replaceChildren(List.of("1", "2"), "1-2", new Identity());
        assertEquals(List.of("0", "1-2", "3"), List.copyOf(net.children().keySet()));
        assertEquals(List.of("0.weight", "3.weight"), List.copyOf(net.stateDict().keySet()));
        Tensor expected = net.at(3).forward(net.at(0).forward(x));
        assertArrayEquals(expected.toFloatArray(), net.forward(x).toFloatArray());
        assertFalse(java.util.Arrays.equals(before, net.forward(x).toFloatArray()));
        assertThrows(IllegalArgumentException.class, () -> net.replaceChildren(List.of("0", "3"), "x", new Identity()));
        assertThrows(IllegalArgumentException.class, () -> net.replaceChildren(List.of("0"), "3", new Identity()));
        assertThrows(IllegalArgumentException.class, () -> net.replaceChildren(List.of("0"), "a.b", new Identity()));
    }

    @Test
    void bnRunningStatsMoveOnlyInTraining() {
        BatchNorm2d bn = new BatchNorm2d(init, 2);
        Tensor x = Tensor.of(init.backend(), new float[]{1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 1, 2);
        bn.eval().forward(x);
        assertArrayEquals(new float[]{0, 0}, bn.runningMean.toFloatArray());
        bn.train(true).forward(x);
        assertArrayEquals(new float[]{0.1f * 3.5f, 0.1f * 5.5f}, bn.runningMean.toFloatArray(), 1e-6f);
    }

    @Test
    void stateLoadReportsEveryProblem() {
        Unit u = new Unit(init);
        Map<String, HostArray> state = StateDicts.toHost(u);
        state.remove("bn1.bias");
        state.put("extra.weight", new HostArray(new int[]{1}, new float[]{0}));
        state.put("conv1.weight", new HostArray(new int[]{4, 3, 1, 1}, new float[12]));
        Unit target = new Unit(init);
        Map<String, HostArray> before = StateDicts.toHost(target);
        StateDicts.Report report = StateDicts.check(target, state);
        assertEquals(List.of("bn1.bias"), report.missing());
        assertEquals(List.of("extra.weight"), report.unexpected());
        assertEquals(List.of("conv1.weight (model [4, 3, 3, 3], file [4, 3, 1, 1])"), report.mismatched());
        assertEquals(before, StateDicts.toHost(target), "check loads nothing");
        var e = assertThrows(IllegalArgumentException.class, () -> StateDicts.load(new Unit(init), state, true));
        assertTrue(e.getMessage().contains("missing: bn1.bias"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected: extra.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("conv1.weight (model [4, 3, 3, 3], file [4, 3, 1, 1])"), e.getMessage());
        Unit v = new Unit(init.fork("other"));
        assertTrue(StateDicts.load(v, StateDicts.toHost(u), true).clean());
        assertArrayEquals(u.conv1.weight.toFloatArray(), v.conv1.weight.toFloatArray());
    }
}
