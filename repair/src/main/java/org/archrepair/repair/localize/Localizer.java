package org.archrepair.repair.localize;

import org.archrepair.kernels.Backend;
import org.archrepair.models.CandidateBlock;
import org.archrepair.models.Network;
import org.archrepair.models.data.BatchLoader;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Normalization;
import org.archrepair.engine.Rng;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Algorithm 1 of the paper, vulnerable block localization (ALGORITHM.md section 5):
 * <ol>
 *   <li>suspiciousness s_j of every neuron from its spectrum over D_repair (Eq. 5);</li>
 *   <li>gradients g_j on D_fail; block means G_i; their mean G-bar (of the blocks, not of all neurons);</li>
 *   <li>ŝ_j = s_j |g_j - G-bar| / max_k |g_k - G-bar| (Eq. 6; all 0 when every |g_k - G-bar| is 0);</li>
 *   <li>vulnerable: ŝ_j >= ε_k, the k-th largest ŝ (ties admitted, so a count may exceed k);</li>
 *   <li>the block with the most vulnerable neurons; ties go to the larger sum of ŝ, then to the
 *       earlier block.</li>
 * </ol>
 * {@link #score} is the pure arithmetic of steps 2-5 (tested on hand-computed cases);
 * {@link #run} adds the two passes over the model.
 */
public final class Localizer {
    /** The thresholds of the paper's Table 6. */
    public static final List<Integer> TABLE6_KS = List.of(10, 20, 30, 40, 50, 75, 100, 150);

    /** measure and k of the choice; ks for the table; batch sizes of the two passes. */
    public record Config(Suspiciousness measure, int k, List<Integer> ks, int spectrumBatch, int gradientBatch) {
        public Config {
            if (k < 1) throw new IllegalArgumentException("--top-k must be >= 1, got " + k);
            ks = ks.contains(k) ? List.copyOf(ks) : append(ks, k);
            if (spectrumBatch < 1 || gradientBatch < 1) throw new IllegalArgumentException("batch sizes must be >= 1");
        }

        public static Config defaults() {
            return new Config(Suspiciousness.TARANTULA, 50, TABLE6_KS, 256, 128);
        }

        private static List<Integer> append(List<Integer> ks, int k) {
            List<Integer> out = new ArrayList<>(ks);
            out.add(k);
            out.sort(null);
            return out;
        }
    }

    /** Progress of the two passes: (phase, images done in this call). */
    public interface Progress {
        void advance(String phase, int images);
    }

    private Localizer() {
    }

    /** A localization and the seconds of its two passes over the model. */
    public record Timed(Localization localization, double spectrumSeconds, double gradientSeconds) {
    }

    /**
     * Localize on net: spectra over spectrumSet (D_fail with a sample of D_t), gradients over
     * failures (D_fail). Both passes in eval mode; the model is left as it was.
     */
    public static Timed run(Network net, Backend backend, ImageDataset spectrumSet, ImageDataset failures,
                                   Normalization normalization, Config config, Progress progress) {
        NeuronLayout layout = new NeuronLayout(net.candidateBlocks());
        Rng rng = new Rng(0);                   // eval loaders neither shuffle nor augment: no randomness is drawn
        BatchLoader spectrumLoader = new BatchLoader(spectrumSet,
                BatchLoader.Config.eval(config.spectrumBatch(), normalization), rng);
        long t0 = System.nanoTime();
        Spectrum[] spectra = SpectrumPass.run(net, layout, backend, spectrumLoader, n -> progress.advance("spectrum", n));
        long t1 = System.nanoTime();
        int gradBatch = GradientPass.batchSize(net, layout, config.gradientBatch());
        BatchLoader failureLoader = new BatchLoader(failures, BatchLoader.Config.eval(gradBatch, normalization), rng);
        double[] g = GradientPass.run(net, layout, backend, failureLoader, n -> progress.advance("gradient", n));
        return new Timed(score(layout, spectra, g, config.measure(), config.k(), config.ks()), (t1 - t0) / 1e9,
                (System.nanoTime() - t1) / 1e9);
    }

    /** Steps 1-5 on given spectra and gradients (flat neuron order of layout). */
    public static Localization score(NeuronLayout layout, Spectrum[] spectra, double[] g, Suspiciousness measure, int k,
                                     List<Integer> ks) {
        int n = layout.size();
        if (spectra.length != n || g.length != n)
            throw new IllegalArgumentException(n + " neurons, " + spectra.length + " spectra, " + g.length + " gradients");
        List<CandidateBlock> blocks = layout.blocks();
        double[] s = new double[n];
        for (int j = 0; j < n; j++) s[j] = measure.score(spectra[j]);
        double[] blockMean = new double[blocks.size()];
        int[] blockSize = new int[blocks.size()];
        for (int j = 0; j < n; j++) {
            blockMean[layout.blockOf(j)] += g[j];
            blockSize[layout.blockOf(j)]++;
        }
        double gBar = 0;
        for (int b = 0; b < blocks.size(); b++) gBar += (blockMean[b] /= blockSize[b]) / blocks.size();
        double maxDev = 0;
        for (double v : g) maxDev = Math.max(maxDev, Math.abs(v - gBar));
        double[] sHat = new double[n];
        for (int j = 0; j < n; j++) sHat[j] = maxDev == 0 ? 0 : s[j] * Math.abs(g[j] - gBar) / maxDev;

        List<Localization.Neuron> neurons = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            NeuronLayout.Layer l = layout.layers().get(layout.layerOf(j));
            neurons.add(new Localization.Neuron(blocks.get(l.block()).name(), l.layer().conv(), j - l.offset(), spectra[j],
                    s[j], g[j], sHat[j]));
        }
        List<Localization.Block> out = new ArrayList<>();
        for (int b = 0; b < blocks.size(); b++) {
            List<Integer> cs = new ArrayList<>(), ch = new ArrayList<>();
            List<Double> ss = new ArrayList<>(), sh = new ArrayList<>();
            for (int kk : ks) {
                double epsS = kthLargest(s, kk), epsH = kthLargest(sHat, kk);
                int countS = 0, countH = 0;
                double sumS = 0, sumH = 0;
                for (int j = 0; j < n; j++) {
                    if (layout.blockOf(j) != b) continue;
                    if (s[j] >= epsS) { countS++; sumS += s[j]; }
                    if (sHat[j] >= epsH) { countH++; sumH += sHat[j]; }
                }
                cs.add(countS);
                ch.add(countH);
                ss.add(sumS);
                sh.add(sumH);
            }
            out.add(new Localization.Block(blocks.get(b).name(), blockSize[b], blockMean[b], cs, ch, ss, sh));
        }
        int best = 0;
        for (int b = 1; b < blocks.size(); b++) if (blockMean[b] > blockMean[best]) best = b;
        Localization partial = new Localization(measure, k, ks, neurons, out, gBar, null, null, blocks.get(best).name());
        int t = ks.indexOf(k);
        return new Localization(measure, k, ks, neurons, out, gBar, partial.choiceAt(t, true), partial.choiceAt(t, false),
                blocks.get(best).name());
    }

    /** ε_k: the k-th largest value (the smallest when k exceeds the count). */
    static double kthLargest(double[] v, int k) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, sorted.length - Math.min(k, sorted.length))];
    }
}
