package io.vmegcamel.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.delivery.FileNames;
import io.vmegcamel.ingest.FailureReport;
import io.vmegcamel.ingest.RejectedFileException.Reason;
import io.vmegcamel.ledger.RemoteLedger;
import io.vmegcamel.storage.RemoteStore.RemoteObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes new objects from a remote inbox (S3 or SFTP) into the local spool, where the local ingest takes them as
 * dropped files. For each object: stream it to a part file, then claim it with a server-side move to the processing
 * place beside the inbox (so it is taken once, whatever happens next), record that in the ledger, and put it into
 * the local inbox with its marker ({@link SpoolMarker}) and sidecar. A crash after the claim leaves the object in the
 * remote processing place with no local copy: {@link #repair()} takes it again from there.
 * <p>
 * A file still being written is not taken: an object is taken only once its size and version have not changed for
 * the stability window (S3 objects appear whole, so they are taken at once), and names ending in .part, .tmp,
 * .filepart or .crdownload are never taken (upload under such a name, then rename).
 */
public final class RemoteInbox {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteInbox.class);
    private static final Pattern SKIPPED = Pattern.compile(
            ".*\\.(part|tmp|filepart|crdownload)$|.*\\.vmeg\\.json$|.*\\.error\\.json$|.*\\.held\\.json$|(^|.*/)\\..*");
    private static final Set<String> PLACES = Set.of(StorageLocation.PROCESSING, StorageLocation.ARCHIVE,
            StorageLocation.FAILED, StorageLocation.HELD);

    private final RemoteStore store;
    private final StorageLocation inbox;
    private final Path localInbox;
    private final Path staging;
    private final SpoolMarker markers;
    private final RemoteLedger ledger;
    private final ObjectMapper json;
    private final Duration stableFor;
    private final SpoolBudget budget;
    private final Clock clock;
    /** key -> (tag, first seen with that tag): the stability check. */
    private final Map<String, Map.Entry<String, Instant>> seen = new HashMap<>();

    public RemoteInbox(RemoteStore store, StorageLocation inbox, Path localInbox, Path staging, SpoolMarker markers,
            RemoteLedger ledger, ObjectMapper json, Duration stableFor, SpoolBudget budget, Clock clock) {
        this.store = store;
        this.inbox = inbox;
        this.localInbox = localInbox;
        this.staging = staging;
        this.markers = markers;
        this.ledger = ledger;
        this.json = json;
        this.stableFor = stableFor;
        this.budget = budget;
        this.clock = clock;
    }

    /** One poll of the remote inbox; returns how many objects were taken. */
    public synchronized int poll() throws IOException {
        List<RemoteObject> objects = store.list(inbox.folder());
        Set<String> present = new HashSet<>();
        int taken = 0;
        long spooled = budget.used(); // once per poll: the copies taken below are added as they come
        for (RemoteObject o : objects) {
            String rel = o.key().substring(inbox.folder().length());
            present.add(o.key());
            if (!eligible(rel) || ledger.taken(store.uri(o.key()), o.tag()) || !stable(o)) {
                continue;
            }
            if (!budget.hasRoomFor(spooled, o.size())) {
                LOG.info("remote inbox: the local spool is full ({} bytes); {} waits", spooled, store.uri(o.key()));
                break;
            }
            try {
                if (take(o, rel)) {
                    taken++;
                    spooled += o.size();
                }
            } catch (IOException | UncheckedIOException e) {
                LOG.error("remote inbox: {} not taken, retried at the next poll: {}", store.uri(o.key()),
                        e.getMessage());
            }
        }
        seen.keySet().retainAll(present);
        return taken;
    }

    /**
     * Objects in the remote processing place that no local file stands for (a crash between the claim and the
     * spool): spooled again, so no taken object is stranded.
     */
    public synchronized int repair() throws IOException {
        String processing = inbox.sibling(StorageLocation.PROCESSING);
        Set<String> known = markers.remoteKeys();
        long spooled = budget.used();
        int repaired = 0;
        for (RemoteObject o : store.list(processing)) {
            String rel = o.key().substring(processing.length());
            if (known.contains(o.key()) || !eligible(rel) || !budget.hasRoomFor(spooled, o.size())) {
                continue;
            }
            LOG.warn("remote inbox: {} was taken but has no local copy (a crash?); spooling it again",
                    store.uri(o.key()));
            try (InputStream in = store.open(o.key())) {
                Path part = spool(in, o);
                arrive(part, rel, o.key(), o.key(), sidecar(o.key()));
                repaired++;
                spooled += o.size();
            }
        }
        return repaired;
    }

    private boolean take(RemoteObject o, String rel) throws IOException {
        if (o.size() == 0) {
            refuse(o, rel, Reason.EMPTY_FILE, "the object is empty (0 bytes)",
                    "Upload the complete file to the inbox again.");
            return false;
        }
        Path part;
        try (InputStream in = store.open(o.key())) {
            part = spool(in, o);
        } catch (IOException e) {
            if (store.stat(o.key()).isEmpty()) {
                vanished(o, rel);
            } else {
                refuse(o, rel, Reason.SOURCE_UNREADABLE, "the object could not be read: " + e.getMessage(),
                        "Let the bundle's credentials read it, then upload it to the inbox again.");
            }
            return false;
        }
        String target = free(inbox.sibling(StorageLocation.PROCESSING) + rel);
        try {
            if (!store.move(o.key(), target)) {
                Files.deleteIfExists(part);
                vanished(o, rel);
                return false;
            }
        } catch (RemoteStore.PartialMoveException e) {
            // taken (the copy is in processing), but it would be taken again at every poll: the ledger remembers
            ledger.markTaken(store.uri(o.key()), o.tag(), "TAKEN_NOT_REMOVED");
            report(inbox.folder() + rel, FailureReport.of(json, name(rel), Reason.SOURCE_NOT_MOVED,
                    e.getMessage() + ". It is being processed from " + store.uri(target) + ".",
                    "Delete it from the inbox by hand (or let the bundle's credentials delete objects there); "
                            + "it will not be taken again."));
        } catch (IOException e) {
            Files.deleteIfExists(part);
            refuse(o, rel, Reason.SOURCE_NOT_MOVED, "the object could not be moved to " + store.uri(target) + ": "
                            + e.getMessage(),
                    "Let the bundle's credentials move objects from the inbox to the processing place beside it, "
                            + "then touch or upload the file again: a changed object is taken again.");
            return false;
        }
        ledger.markTaken(store.uri(o.key()), o.tag(), "TAKEN");
        String sidecar = takeSidecar(o.key(), target);
        arrive(part, rel, o.key(), target, sidecar);
        LOG.info("remote inbox: {} taken ({} bytes), now at {}", store.uri(o.key()), o.size(), store.uri(target));
        return true;
    }

    /** Streams the object into a part file in the staging folder; checks every byte arrived. */
    private Path spool(InputStream in, RemoteObject o) throws IOException {
        Files.createDirectories(staging);
        Path part = staging.resolve("." + UUID.randomUUID() + ".part"); // hidden: PartFiles clears leftovers at start
        long n;
        try (OutputStream out = Files.newOutputStream(part)) {
            n = in.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        if (n != o.size()) {
            Files.deleteIfExists(part);
            throw new IOException(store.uri(o.key()) + ": " + n + " bytes read, " + o.size() + " expected");
        }
        return part;
    }

    /** The sidecar {@code <name>.vmeg.json} next to the object, moved along; its text, or null. */
    private String takeSidecar(String key, String target) throws IOException {
        String text = sidecar(key);
        if (text != null) {
            store.move(key + ".vmeg.json", target + ".vmeg.json");
        }
        return text;
    }

    private String sidecar(String key) throws IOException {
        if (store.stat(key + ".vmeg.json").isEmpty()) {
            return null;
        }
        try (InputStream in = store.open(key + ".vmeg.json")) {
            return new String(in.readNBytes(1024 * 1024), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Marker and sidecar first, then the media by an atomic rename: the local ingest sees the file whole. */
    private void arrive(Path part, String rel, String origin, String at, String sidecarText) throws IOException {
        Path wanted = localInbox.resolve(rel);
        Files.createDirectories(wanted.getParent());
        // never over a local copy still being ingested (a rename would replace it): another free name
        Path local = FileNames.uniqueTarget(wanted.getParent(), wanted.getFileName().toString(),
                p -> Files.exists(SpoolMarker.of(p)));
        markers.write(local, origin, at);
        if (sidecarText != null) {
            Files.writeString(local.resolveSibling(local.getFileName() + ".vmeg.json"), sidecarText);
        }
        Files.move(part, local, StandardCopyOption.ATOMIC_MOVE);
    }

    private void vanished(RemoteObject o, String rel) throws IOException {
        report(inbox.sibling(StorageLocation.FAILED) + rel, FailureReport.of(json, name(rel), Reason.SOURCE_VANISHED,
                store.uri(o.key()) + " disappeared while it was being taken (deleted or moved by someone else)",
                "Nothing was uploaded or bought. If it was not meant to go, upload it again."));
    }

    /**
     * The object goes to the failed place beside the inbox with its report, as a bad local file does; when it
     * cannot be moved there (e.g. it cannot be read, so not copied either), it stays in the inbox and the report
     * says so. Either way this version of it is not taken again.
     */
    private void refuse(RemoteObject o, String rel, Reason reason, String message, String whatToDo)
            throws IOException {
        String target = free(inbox.sibling(StorageLocation.FAILED) + rel);
        String where;
        try {
            where = store.move(o.key(), target) ? "It was moved to " + store.uri(target) + "."
                    : "It is gone from the inbox.";
        } catch (IOException e) {
            target = inbox.sibling(StorageLocation.FAILED) + rel;
            where = "It stays in the inbox (" + e.getMessage() + ").";
        }
        report(target, FailureReport.of(json, name(rel), reason, message + ". " + where,
                whatToDo + " Nothing was uploaded or bought."));
        ledger.markTaken(store.uri(o.key()), o.tag(), reason.name());
        LOG.warn("remote inbox: {} refused ({}): {} {}", store.uri(o.key()), reason, message, where);
    }

    /** {@code <key>.error.json} on the remote storage. */
    private void report(String key, FailureReport report) throws IOException {
        report.json().put("source", store.uri(key));
        store.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(report.json()), key + ".error.json");
    }

    /** The key, or the first of "name-2.ext", "name-3.ext", ... that is free (as local places name them). */
    private String free(String key) throws IOException {
        if (store.stat(key).isEmpty()) {
            return key;
        }
        int slash = key.lastIndexOf('/') + 1;
        int dot = key.lastIndexOf('.');
        String base = dot > slash ? key.substring(0, dot) : key;
        String ext = dot > slash ? key.substring(dot) : "";
        for (int i = 2; ; i++) {
            String candidate = base + "-" + i + ext;
            if (store.stat(candidate).isEmpty()) {
                return candidate;
            }
        }
    }

    /** inbox/<file> or inbox/<folder>/<file> (the folder names the spec, as locally), never a place or a report. */
    private boolean eligible(String rel) {
        if (rel.isEmpty() || SKIPPED.matcher(rel).matches()) {
            return false;
        }
        String[] parts = rel.split("/");
        boolean atRoot = inbox.folder().isEmpty() || inbox.folder().equals("/"); // places are folders in it then
        return parts.length <= 2 && !(atRoot && parts.length == 2 && PLACES.contains(parts[0]));
    }

    private boolean stable(RemoteObject o) {
        if (store.objectsAppearWhole()) {
            return true;
        }
        Instant now = clock.instant();
        Map.Entry<String, Instant> last = seen.get(o.key());
        if (last == null || !last.getKey().equals(o.tag())) {
            seen.put(o.key(), Map.entry(o.tag(), now));
            return false;
        }
        return !now.isBefore(last.getValue().plus(stableFor));
    }

    private static String name(String rel) {
        return rel.substring(rel.lastIndexOf('/') + 1);
    }
}
