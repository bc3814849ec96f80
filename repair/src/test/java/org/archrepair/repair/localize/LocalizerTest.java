package org.archrepair.repair.localize;

import org.archrepair.models.CandidateBlock;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The reweighting of Eq. 6, the threshold and the block vote on a hand-computed case. */
class LocalizerTest {
    /** Block A: one conv of 2 neurons; block B: two convs of 1 and 2 neurons. Flat order a0 a1 | b0 c0 c1. */
    static NeuronLayout layout() {
        return new NeuronLayout(List.of(
                new CandidateBlock("A", List.of("A.0"), List.of(new CandidateBlock.NeuronLayer("A.0.conv1", "A.0.bn1", 2))),
                new CandidateBlock("B", List.of("B.0"), List.of(new CandidateBlock.NeuronLayer("B.0.conv1", "B.0.bn1", 1),
                        new CandidateBlock.NeuronLayer("B.0.conv2", "B.0.bn2", 2)))));
    }

    @Test
    void layoutMapsFlatIndices() {
        NeuronLayout l = layout();
        assertEquals(5, l.size());
        assertEquals(List.of(0, 0, 1, 1, 1), java.util.stream.IntStream.range(0, 5).map(l::blockOf).boxed().toList());
        assertEquals(List.of(0, 1, 0, 0, 1), java.util.stream.IntStream.range(0, 5).map(l::channelOf).boxed().toList());
        assertEquals(2, l.layerOf(4));
        assertThrows(IllegalArgumentException.class, () -> new NeuronLayout(List.of()));
    }

    @Test
    void reweightingThresholdAndVote() {
        // Tarantula scores (all neurons: 4 failed, 4 passed examples):
        //   a0: af 4 ap 0 -> 1;  a1: af 2 ap 2 -> 0.5;  b0: af 3 ap 1 -> 0.75;  c0: af 1 ap 3 -> 0.25;  c1: af 0 -> 0
        Spectrum[] sp = {new Spectrum(4, 0, 0, 4), new Spectrum(2, 2, 2, 2), new Spectrum(3, 1, 1, 3),
                new Spectrum(1, 3, 3, 1), new Spectrum(0, 4, 4, 0)};
        // gradients: G_A = (1 + 3) / 2 = 2, G_B = (2 + 8 + 2) / 3 = 4, G-bar = 3;
        // |g - 3| = 2, 0, 1, 5, 1; max 5 -> s-hat = 1*2/5, 0, 0.75*1/5, 0.25*5/5, 0 = 0.4, 0, 0.15, 0.25, 0
        double[] g = {1, 3, 2, 8, 2};
        Localization loc = Localizer.score(layout(), sp, g, Suspiciousness.TARANTULA, 2, List.of(1, 2, 3));
        assertEquals(3, loc.meanGradient(), 1e-12);
        assertEquals(2, loc.block("A").meanGradient(), 1e-12);
        assertEquals(4, loc.block("B").meanGradient(), 1e-12);
        double[] expected = {0.4, 0, 0.15, 0.25, 0};
        for (int j = 0; j < 5; j++) assertEquals(expected[j], loc.neurons().get(j).sHat(), 1e-12, "neuron " + j);
        // top-1 of s-hat: a0 (0.4) -> A; top-2: a0, c0 -> 1 : 1, tie broken by the sum 0.4 > 0.25 -> A;
        // top-3: a0, c0, b0 -> A 1, B 2 -> B
        assertEquals(List.of(1, 1, 1), loc.block("A").vulnerableSHat());
        assertEquals(List.of(0, 1, 2), loc.block("B").vulnerableSHat());
        assertEquals("A", loc.choiceAt(0, true));
        assertEquals("A", loc.choiceAt(1, true));
        assertEquals("B", loc.choiceAt(2, true));
        assertEquals("A", loc.chosen());
        // S alone: top-2 = a0 (1), b0 (0.75) -> 1 : 1, sums 1 vs 0.75 -> A; top-3 adds a1 (0.5) -> A
        assertEquals(List.of(1, 1, 2), loc.block("A").vulnerableS());
        assertEquals("A", loc.spectrumChoice());
        assertEquals("B", loc.gradientChoice());
        assertEquals("A.0.conv1", loc.neurons().get(1).layer());
        assertEquals(1, loc.neurons().get(4).channel());
    }

    @Test
    void tiesAtTheThresholdAreAllVulnerable() {
        Spectrum same = new Spectrum(2, 2, 2, 2);
        Spectrum[] sp = {same, same, same, same, same};
        double[] g = {1, 1, 5, 5, 5};        // G_A 1, G_B 5, G-bar 3: every |g - 3| = 2 -> s-hat 0.5 everywhere
        Localization loc = Localizer.score(layout(), sp, g, Suspiciousness.TARANTULA, 1, List.of(1));
        assertEquals(List.of(2), loc.block("A").vulnerableSHat());
        assertEquals(List.of(3), loc.block("B").vulnerableSHat());
        assertEquals("B", loc.chosen());
    }

    @Test
    void equalGradientsLeaveNoReweightedScore() {
        Spectrum[] sp = {new Spectrum(4, 0, 0, 4), new Spectrum(1, 3, 3, 1), new Spectrum(1, 3, 3, 1),
                new Spectrum(1, 3, 3, 1), new Spectrum(1, 3, 3, 1)};
        Localization loc = Localizer.score(layout(), sp, new double[]{2, 2, 2, 2, 2}, Suspiciousness.TARANTULA, 1,
                List.of(1));
        assertTrue(loc.neurons().stream().allMatch(n -> n.sHat() == 0));
    }

    @Test
    void kthLargest() {
        assertEquals(3, Localizer.kthLargest(new double[]{1, 5, 3, 2}, 2));
        assertEquals(1, Localizer.kthLargest(new double[]{1, 5, 3, 2}, 10));
    }
}
