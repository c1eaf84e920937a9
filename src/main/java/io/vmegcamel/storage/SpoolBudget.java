package io.vmegcamel.storage;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bounds the local spool of a remote inbox: a new object is taken only while the spooled copies (files with a
 * {@link SpoolMarker}) plus the object fit in {@code maxBytes}. One object larger than the whole budget is still
 * taken when the spool is empty, so nothing waits forever.
 */
public final class SpoolBudget {

    private final SpoolMarker markers;
    private final long maxBytes;

    public SpoolBudget(SpoolMarker markers, long maxBytes) {
        this.markers = markers;
        this.maxBytes = maxBytes;
    }

    public boolean hasRoomFor(long size) {
        long used = used();
        return used == 0 || used + size <= maxBytes;
    }

    long used() {
        long sum = 0;
        for (SpoolMarker.Entry e : markers.all()) {
            try {
                sum += Files.isRegularFile(e.media()) ? Files.size(e.media()) : 0;
            } catch (java.io.IOException ignored) {
                // gone meanwhile: takes no room
            }
        }
        return sum;
    }

    @Override
    public String toString() {
        return used() + " of " + maxBytes + " bytes";
    }
}
