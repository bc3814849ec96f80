package org.archrepair.repair.method;

import org.archrepair.models.CandidateBlock;
import org.archrepair.repair.localize.Localization;
import org.archrepair.repair.localize.Localizer;
import org.archrepair.repair.localize.NeuronLayout;
import org.archrepair.repair.localize.Spectrum;
import org.archrepair.repair.localize.Suspiciousness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The targets of the levels, on a localization computed by hand (LocalizerTest's case). */
class TargetTest {
    /** s-hat = a0 0.4, a1 0, b0 0.15, c0 0.25, c1 0 (LocalizerTest); k = 3: a0, c0, b0 are vulnerable. */
    private static Localization loc() {
        NeuronLayout layout = new NeuronLayout(List.of(
                new CandidateBlock("A", List.of("A.0"), List.of(new CandidateBlock.NeuronLayer("A.0.conv1", "A.0.bn1", 2))),
                new CandidateBlock("B", List.of("B.0"), List.of(new CandidateBlock.NeuronLayer("B.0.conv1", "B.0.bn1", 1),
                        new CandidateBlock.NeuronLayer("B.0.conv2", "B.0.bn2", 2)))));
        Spectrum[] sp = {new Spectrum(4, 0, 0, 4), new Spectrum(2, 2, 2, 2), new Spectrum(3, 1, 1, 3),
                new Spectrum(1, 3, 3, 1), new Spectrum(0, 4, 4, 0)};
        return Localizer.score(layout, sp, new double[]{1, 3, 2, 8, 2}, Suspiciousness.TARANTULA, 3, List.of(3));
    }

    @Test
    void eachLevelTargetsWhatTheLocalizationRanksFirst() {
        Localization loc = loc();
        assertEquals(new Target("neuron", "A", "A.0.conv1", 0), Target.neuron(loc));
        // one vulnerable neuron in each of A.0.conv1 (0.4), B.0.conv1 (0.15), B.0.conv2 (0.25): the larger sum wins
        assertEquals(new Target("layer", "A", "A.0.conv1", -1), Target.layer(loc));
        assertEquals(new Target("layer", "B", "B.0.conv2", -1), Target.layer(loc, "B"));
        assertEquals("B", loc.chosen());
        assertEquals(new Target("block", "B", null, -1), Target.block(loc));
        assertThrows(IllegalArgumentException.class, () -> Target.layer(loc, "C"));
    }
}
