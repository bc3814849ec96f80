package org.archrepair.models.data;

import java.net.URI;

/**
 * A published file the project can download: the name it has in the cache, where it is published,
 * its SHA-256 (lower-case hex) and its size in bytes (-1 if not known). The constants are the
 * official CIFAR-10 binary archive and the akamaster pretrained ResNets.
 *
 * <p>The archive's SHA-256 is the one published for cifar-10-binary.tar.gz by several unrelated
 * loaders (GitHub ankane/torchvision-ruby lib/torchvision/datasets/cifar10.rb, the TFDS checksum
 * registry, a Julia BinDeps recipe); its size and MD5 (c32a1d4ab5d03f1284b67883e8d87530, from
 * the dataset's own page) are quoted together with it. The weights' hashes are the ones in
 * shared/data/pretrained/README.md, whose first 8 hex digits are in the published file names.
 */
public record Artifact(String fileName, URI url, String sha256, long size) {
    public static final Artifact CIFAR10_BINARY = new Artifact("cifar-10-binary.tar.gz",
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"),
            "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd", 170_052_171L);

    private static final String AKAMASTER = "https://raw.githubusercontent.com/akamaster/pytorch_resnet_cifar10/"
            + "d5489e8995e81e91ce6b1d69dcc98ad579b0b153/pretrained_models/";

    public static final Artifact RESNET20_AKAMASTER = new Artifact("resnet20-12fca82f.th",
            URI.create(AKAMASTER + "resnet20-12fca82f.th"),
            "12fca82f0bebc4135bf1f32f6e3710e61d5108578464b84fd6d7f5c1b04036c8", 1_099_231L);

    public static final Artifact RESNET32_AKAMASTER = new Artifact("resnet32-d509ac18.th",
            URI.create(AKAMASTER + "resnet32-d509ac18.th"),
            "d509ac1820d7f25398913559d7e81a13229b1e7adc5648e3bfa5e22dc137f850", 1_890_043L);

    public Artifact {
        if (fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\"))
            throw new IllegalArgumentException("artifact file name must be a plain name: '" + fileName + "'");
        if (!sha256.matches("[0-9a-f]{64}"))
            throw new IllegalArgumentException(fileName + ": SHA-256 must be 64 lower-case hex digits: " + sha256);
    }

    /** The same file from another address (a mirror, or a loopback server in tests). */
    public Artifact withUrl(URI other) {
        return new Artifact(fileName, other, sha256, size);
    }
}
