package io.vmegcamel.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the hidden part files ({@code .<name>.<unique>.part}) that a process killed while writing left behind
 * (a download, a result, manifest or summary, an error report). Runs once at start, before any route: then no
 * writer of this bundle is alive, so every part file in its folders belongs to a dead one (one bundle per folder
 * tree). Only the folders the bundle writes into are swept: never the inbox, where people copy files in under
 * such names.
 */
public final class PartFiles {

    private static final Logger LOG = LoggerFactory.getLogger(PartFiles.class);
    /** outbox/&lt;job&gt;/&lt;language&gt;/&lt;file&gt; is the deepest place a part file is written. */
    private static final int DEPTH = 3;

    private PartFiles() {
    }

    /** True for the bundle's part file names: hidden and ending in {@code .part}. */
    public static boolean isPartFile(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(".part");
    }

    /** Deletes every part file in {@code dirs} (missing folders are skipped); returns how many. */
    public static int removeLeftovers(List<Path> dirs) {
        int removed = 0;
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> parts;
            try (Stream<Path> files = Files.walk(dir, DEPTH)) {
                parts = files.filter(p -> isPartFile(p) && Files.isRegularFile(p)).toList();
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("could not look for part files left in {}: {}", dir, e.getMessage());
                continue;
            }
            for (Path part : parts) {
                try {
                    if (Files.deleteIfExists(part)) {
                        removed++;
                        LOG.info("removed {}, left by a write that a crash interrupted", dir.relativize(part));
                    }
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", part, e.getMessage());
                }
            }
        }
        return removed;
    }
}
