package org.archrepair.models.data;

/**
 * Which part of a dataset: TRAIN, or TEST (CIFAR-10's {@code test_batch}; Tiny-ImageNet's labelled
 * {@code val} folder, since its own test folder has no labels).
 */
public enum Split {
    TRAIN, TEST;

    public String lower() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
