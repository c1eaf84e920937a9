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

    /** Whether an object of {@code size} fits next to {@code used} bytes of spooled copies. */
    public boolean hasRoomFor(long used, long size) {
        return used == 0 || used + size <= maxBytes;
    }

    /** The bytes the spooled copies take now (walks the local places: once per poll). */
    public long used() {
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

}
