package org.archrepair.models;

import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.nn.Init;
import org.archrepair.engine.nn.Sequential;
import org.archrepair.kernels.cpu.CpuBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Exact parameter counts (weights and BN affine parameters), output shapes, and candidate blocks. */
class ModelsTest {
    private final Init init = new Init(CpuBackend.fast(2), new Rng(3));

    @ParameterizedTest(name = "{0}: {1} parameters")
    @CsvSource({
            "resnet20, 269722",
            "resnet32, 464154",
            "resnet18, 11173962",
            "resnet50, 23520842",
            "resnet101, 42512970",
            "densenet121, 6956298"})
    void parameterCounts(String name, long expected) {
        assertEquals(expected, Models.create(name, init, 10).parameterCount());
    }

    @ParameterizedTest(name = "{0} on {1}x{1}")
    @CsvSource({"resnet20, 32", "resnet18, 32", "resnet50, 32", "densenet121, 32", "resnet18, 64"})
    void outputShape(String name, int size) {
        Network net = Models.create(name, init, 10);
        net.eval();
        try (var ignored = Autograd.noGrad()) {
            Tensor x = Tensor.of(init.backend(), new Rng(1).normal(2 * 3 * size * size, 1f), 2, 3, size, size);
            assertArrayEquals(new int[]{2, 10}, net.forward(x).shape());
        }
    }

    @Test
    void resnet18StagesAndNeuronCounts() {
        List<CandidateBlock> blocks = Models.create("resnet18", init, 10).candidateBlocks();
        assertEquals(List.of("layer1", "layer2", "layer3", "layer4"), blocks.stream().map(CandidateBlock::name).toList());
        assertEquals(List.of(256, 640, 1280, 2560), blocks.stream().map(CandidateBlock::neuronCount).toList());
        assertEquals(List.of("layer2.0", "layer2.1"), blocks.get(1).units());
        assertEquals(new CandidateBlock.NeuronLayer("layer2.0.shortcut.0", "layer2.0.shortcut.1", 128),
                blocks.get(1).layers().get(2));
    }

    @Test
    void resnet50And101NeuronCountsMatchTheSpec() {
        assertEquals(List.of(1408, 3584, 10240, 11264),
                Models.create("resnet50", init, 10).candidateBlocks().stream().map(CandidateBlock::neuronCount).toList());
        assertEquals(36352, Models.create("resnet101", init, 10).candidateBlocks().get(2).neuronCount());
    }

    @Test
    void densenetPairsOfBottlenecks() {
        List<CandidateBlock> blocks = Models.create("densenet121", init, 10).candidateBlocks();
        assertEquals(29, blocks.size());
        assertTrue(blocks.stream().allMatch(b -> b.neuronCount() == 320));
        assertEquals("dense2.4-5", blocks.get(5).name());
    }

    @Test
    void resnet20NamesMatchThePretrainedFile() {
        var names = Models.create("resnet20", init, 10).stateDict().keySet();
        assertEquals(97, names.size());
        assertTrue(names.containsAll(List.of("conv1.weight", "bn1.running_var", "layer2.0.conv1.weight",
                "layer3.2.bn2.bias", "linear.weight", "linear.bias")));
        List<CandidateBlock> blocks = Models.create("resnet20", init, 10).candidateBlocks();
        assertEquals(List.of(96, 192, 384), blocks.stream().map(CandidateBlock::neuronCount).toList());
    }

    @ParameterizedTest(name = "{0}: replace {1}")
    @CsvSource({"resnet20, layer3", "resnet18, layer2", "densenet121, dense2.4-5"})
    void replacedBlockChangesLogitsAndStateTogether(String name, String blockName) {
        Network net = Models.create(name, init, 10);
        net.eval();
        Network other = Models.create(name, init.fork("other"), 10);
        CandidateBlock block = net.candidateBlock(blockName);
        String firstUnit = block.units().get(0);
        Tensor x = Tensor.of(init.backend(), new Rng(5).normal(2 * 3 * 32 * 32, 1f), 2, 3, 32, 32);
        try (var ignored = Autograd.noGrad()) {
            float[] before = net.forward(x).toFloatArray();
            // the block's own units regrouped under the block's name: the same logits
            Sequential same = new Sequential(block.units().stream().map(net::get).toList());
            net.replaceBlock(block, same);
            assertArrayEquals(before, net.forward(x).toFloatArray());
            assertSame(same, net.get(blockName));
            assertSame(same.at(0).get("conv1").parameters().get(0), net.stateDict().get(blockName + ".0.conv1.weight"));
            if (!firstUnit.equals(blockName + ".0")) assertFalse(net.stateDict().containsKey(firstUnit + ".conv1.weight"));
            // another network's units: both the forward pass and the state dict see them
            Sequential foreign = new Sequential(block.units().stream().map(other::get).toList());
            net.replaceBlock(block, foreign);
            assertFalse(java.util.Arrays.equals(before, net.forward(x).toFloatArray()));
            assertSame(foreign.at(0).get("conv1").parameters().get(0), net.stateDict().get(blockName + ".0.conv1.weight"));
            assertEquals(Models.create(name, init, 10).stateDict().size(), net.stateDict().size());
        }
    }

    @Test
    void unknownModelIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Models.create("vgg16", init, 10));
        assertTrue(e.getMessage().contains("vgg16") && e.getMessage().contains("resnet20"), e.getMessage());
    }
}
