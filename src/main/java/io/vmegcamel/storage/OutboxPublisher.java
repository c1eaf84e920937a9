package io.vmegcamel.storage;

import io.vmegcamel.delivery.Publication;
import io.vmegcamel.ledger.RemoteLedger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the local outbox to a remote outbox (S3 or SFTP): same relative paths under the remote folder. A task's
 * folder is published before its "finished" state commits (so its event never names a file that is not there yet);
 * the periodic sweep publishes the JSON files that appear otherwise (job summaries, manifests of failed tasks).
 * Once a task's folder is published, its media and subtitles leave the local disk; the small JSON files stay, for
 * the events.
 */
public final class OutboxPublisher implements Publication {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);

    private final RemoteStore store;
    private final StorageLocation outbox;
    private final Path localOutbox;
    private final RemoteLedger ledger;

    public OutboxPublisher(RemoteStore store, StorageLocation outbox, Path localOutbox, RemoteLedger ledger) {
        this.store = store;
        this.outbox = outbox;
        this.localOutbox = localOutbox.toAbsolutePath().normalize();
        this.ledger = ledger;
    }

    /**
     * Publishes a task's folder, then frees the local disk of everything but the JSON files. Media and subtitles are
     * published here only (a download writes them, its task commits after this), so each is uploaded once; the
     * JSON files, which the sweep also publishes, go under the same lock as the sweep.
     */
    @Override
    public void folder(Path dir) {
        List<Path> files = files(dir, 1);
        for (Path f : files) {
            if (!isJson(f)) {
                publish(f);
                delete(f);
            }
        }
        synchronized (this) {
            for (Path f : files) {
                if (isJson(f) && Files.isRegularFile(f)) {
                    publishIfChanged(f);
                }
            }
        }
    }

    /**
     * Publishes the JSON files not published yet (job summaries, manifests of failed tasks, and whatever a crash
     * left unpublished); returns how many.
     */
    public synchronized int sweep() {
        int n = 0;
        for (Path f : files(localOutbox, 3)) {
            if (!isJson(f)) {
                continue; // media and subtitles belong to folder(), which their task's delivery runs again
            }
            try {
                if (publishIfChanged(f)) {
                    n++;
                }
            } catch (RuntimeException e) {
                LOG.error("remote outbox: {} not published, retried at the next pass: {}", f, e.getMessage());
            }
        }
        return n;
    }

    private boolean publishIfChanged(Path f) {
        try {
            if (ledger.published(f.toString(), Files.getLastModifiedTime(f).toMillis())) {
                return false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
        publish(f);
        return true;
    }

    private static boolean isJson(Path f) {
        return f.getFileName().toString().endsWith(".json");
    }

    private static void delete(Path f) {
        try {
            Files.delete(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + f + " once published: " + e.getMessage(), e);
        }
    }

    /** Where a local outbox path is published, for events and manifests. */
    @Override
    public String address(Path local) {
        return store.uri(key(local));
    }

    private void publish(Path file) {
        try {
            long modified = Files.getLastModifiedTime(file).toMillis();
            store.upload(file, key(file));
            ledger.markPublished(file.toString(), modified);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish " + file + " to " + address(file) + ": " + e.getMessage(), e);
        }
    }

    private String key(Path local) {
        return outbox.folder() + localOutbox.relativize(local.toAbsolutePath().normalize()).toString()
                .replace('\\', '/');
    }

    private static List<Path> files(Path dir, int depth) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir, depth)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return !n.startsWith(".") && !n.endsWith(".part") && !n.endsWith(".tmp");
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
