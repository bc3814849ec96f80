package org.archrepair.models.data;

/**
 * A callback for long work (downloads, decoding thousands of images): how much is done out of a
 * total, in the unit the caller documents (bytes, images). total is -1 when it is not known.
 * Library code reports through this and never prints; the command line draws the bar.
 *
 * <p>Not a cancellation mechanism, and not guaranteed to be called from the caller's thread.
 */
@FunctionalInterface
public interface Progress {
    Progress NONE = (done, total) -> {
    };

    void update(long done, long total);
}
