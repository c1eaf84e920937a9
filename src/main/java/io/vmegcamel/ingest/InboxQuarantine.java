package io.vmegcamel.ingest;

import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.Quarantine.Held;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbox files whose failure could not even be reported (the failed folder is not writable, the disk is full, a
 * move fails). Without this they would stay in the inbox and be taken, fail and be logged again at every poll.
 * The file is held in the ledger (path, size, modification time) rather than moved to a quarantine folder: the
 * cause is usually that a folder cannot be written, so a move would likely fail too, and the file stays where its
 * owner put it. It is logged once, with what to do; the inbox consumer (this is its {@code filter}) skips it until
 * its size or modification time change (fixed, replaced, or just {@code touch}ed), then takes it again.
 */
public final class InboxQuarantine implements GenericFileFilter<File> {

    private static final Logger LOG = LoggerFactory.getLogger(InboxQuarantine.class);

    private final Ledger ledger;
    /** The ledger's rows, by path: the inbox is polled every second, file by file, without a query each. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    public InboxQuarantine(Ledger ledger) {
        this.ledger = ledger;
    }

    /** Reads the files the ledger holds; once it is open, before the inbox is first polled. */
    public void load() {
        ledger.quarantine().all().forEach(h -> held.put(h.path(), h));
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        if (file.isDirectory()) {
            return true;
        }
        String path = Path.of(file.getAbsoluteFilePath()).toAbsolutePath().normalize().toString();
        Held h = held.get(path);
        if (h == null) {
            return true;
        }
        if (h.sizeBytes() == file.getFileLength() && h.modifiedMillis() == file.getLastModified()) {
            return false;
        }
        ledger.quarantine().release(path);
        held.remove(path);
        LOG.info("{} changed since it was quarantined: taking it again", path);
        return true;
    }

    /** Forgets held files that are gone from the inbox. */
    public void forgetVanished() {
        for (Held h : ledger.quarantine().all()) {
            if (!Files.exists(Path.of(h.path()))) {
                ledger.quarantine().release(h.path());
                held.remove(h.path());
            }
        }
    }

    /** Holds the file until it changes, and says so once. Never throws: the caller is already failing. */
    public void hold(Path file, String why) {
        Path path = file.toAbsolutePath().normalize();
        try {
            long size = Files.size(path);
            long modified = Files.getLastModifiedTime(path).toMillis();
            Held h = held.get(path.toString());
            if (h != null && h.sizeBytes() == size && h.modifiedMillis() == modified) {
                return; // already held and said so
            }
            ledger.quarantine().hold(path.toString(), size, modified, why);
            held.put(path.toString(), new Held(path.toString(), size, modified, why));
            LOG.error("{} QUARANTINED: {}. It stays in the inbox and is not taken again until it changes. What to do: "
                    + "fix the cause (e.g. make the failed folder writable, free disk space), then touch the file "
                    + "(or drop it again) to have it taken again.", path, why);
        } catch (IOException | RuntimeException e) {
            LOG.error("{} could not be quarantined ({}); it will be taken again at the next poll: {}", path,
                    e.getMessage(), why);
        }
    }
}
