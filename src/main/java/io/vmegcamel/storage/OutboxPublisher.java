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
 * the periodic sweep publishes what else appears (job summaries, manifests of failed tasks) and catches up after a
 * crash. Once a task's folder is published, its media and subtitles leave the local disk; the small JSON files
 * stay, for the events.
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

    /** Publishes the folder, then frees the local disk of everything but the JSON files. */
    @Override
    public void folder(Path dir) {
        for (Path f : files(dir, 1)) {
            try {
                if (!ledger.published(f.toString(), Files.getLastModifiedTime(f).toMillis())) {
                    publish(f);
                }
                if (!f.getFileName().toString().endsWith(".json")) {
                    Files.delete(f);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot publish " + f + ": " + e.getMessage(), e);
            }
        }
    }

    /** Publishes every local outbox file not published yet; returns how many. */
    public synchronized int sweep() {
        int n = 0;
        for (Path f : files(localOutbox, 3)) {
            try {
                if (!ledger.published(f.toString(), Files.getLastModifiedTime(f).toMillis())) {
                    publish(f);
                    n++;
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("remote outbox: {} not published, retried at the next pass: {}", f, e.getMessage());
            }
        }
        return n;
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
