package org.archrepair.repair.cli;

import org.archrepair.engine.Rng;
import org.archrepair.engine.nn.Init;
import org.archrepair.kernels.Backend;
import org.archrepair.models.Models;
import org.archrepair.models.Network;
import org.archrepair.models.checkpoint.Checkpoints;
import org.archrepair.models.data.Artifact;
import org.archrepair.models.data.Downloader;
import org.archrepair.models.data.Normalization;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model a command works on: the network with its weights loaded, where they came from and
 * their SHA-256 (reports record both, so a result can be traced to the exact file).
 */
record Subject(Network net, Normalization normalization, Path weights, String weightsSha256) {

    /** --weights, or for resnet20/32 on CIFAR-10 the published weights (cache, or downloaded). */
    static Path weightsFile(ModelOptions model, DataOptions data, Path weights) throws IOException {
        if (weights != null) {
            if (!Files.isRegularFile(weights)) throw new IOException("--weights " + weights + ": no such file");
            return weights;
        }
        if (!data.isCifar10()) throw new IllegalArgumentException("--weights is required for --dataset " + data.dataset);
        Artifact published = switch (model.model) {
            case "resnet20" -> Artifact.RESNET20_AKAMASTER;
            case "resnet32" -> Artifact.RESNET32_AKAMASTER;
            default -> throw new IllegalArgumentException("--weights is required for " + model.model
                    + " (published weights are known for resnet20 and resnet32)");
        };
        try (ProgressBar bar = new ProgressBar("download " + published.fileName(), published.size(), "B")) {
            return Downloader.fromEnvironment().fetch(published, (done, total) -> bar.set(done, total));
        }
    }

    /** Build model.model for classes and load the weights file into it. */
    static Subject load(ModelOptions model, Path weightsFile, int classes, Backend backend, long seed) throws IOException {
        Network net = Models.create(model.name(), new Init(backend, new Rng(seed).fork("init")), classes);
        Checkpoints.loadInto(net, weightsFile);
        return new Subject(net, model.normalization(), weightsFile, sha256(weightsFile));
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", net.name());
        m.put("weights", weights.toString());
        m.put("weights_sha256", weightsSha256);
        m.put("normalization", normalization.name());
        return m;
    }

    /** SHA-256 of a file's bytes, hex. */
    static String sha256(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) md.update(buf, 0, r);
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
