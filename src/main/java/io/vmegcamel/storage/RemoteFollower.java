package io.vmegcamel.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.ledger.Ledger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the remote inbox storage show what the local spool did: a spooled file that the local ingest moved to
 * held, failed or archive has its remote object moved (on the server) to the place of the same name beside the
 * remote inbox, with its report ({@code .held.json}, {@code .error.json}) beside it. Once a file has reached failed
 * or archive on the remote storage, its local copy is deleted: the spool only holds work in flight. Each step is
 * idempotent, and the run is periodic, so a crash anywhere is caught up at the next run.
 */
public final class RemoteFollower {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteFollower.class);

    private final RemoteStore store;
    private final StorageLocation inbox;
    private final SpoolMarker markers;
    private final Ledger ledger;
    private final ObjectMapper json;
    /** local place -> remote place name (null: the remote processing place) */
    private final Map<Path, String> places;

    public RemoteFollower(RemoteStore store, StorageLocation inbox, SpoolMarker markers, Ledger ledger,
            ObjectMapper json, Map<Path, String> places) {
        this.store = store;
        this.inbox = inbox;
        this.markers = markers;
        this.ledger = ledger;
        this.json = json;
        this.places = places;
    }

    /** One pass; returns how many remote objects it moved or cleaned. */
    public synchronized int run() {
        Set<String> moving = new HashSet<>();
        ledger.jobs().withMoveUnderWay().forEach(j -> ledger.jobs().movingTo(j.id()).ifPresent(moving::add));
        int done = 0;
        for (SpoolMarker.Entry e : markers.all()) {
            try {
                if (follow(e, moving)) {
                    done++;
                }
            } catch (IOException | RuntimeException ex) {
                LOG.error("remote storage: {} could not follow its local copy {}, retried at the next pass: {}",
                        store.uri(e.at()), e.media(), ex.getMessage());
            }
        }
        return done;
    }

    private boolean follow(SpoolMarker.Entry e, Set<String> moving) throws IOException {
        if (!Files.isRegularFile(e.media()) || moving.contains(e.media().toString())) {
            return false; // the local ingest is moving it right now: next pass
        }
        Map.Entry<Path, String> place = placeOf(e.media());
        if (place == null) {
            return false;
        }
        String rel = place.getKey().relativize(e.media()).toString().replace('\\', '/');
        String name = place.getValue() == null ? StorageLocation.PROCESSING : place.getValue();
        String report = switch (name) {
            case StorageLocation.FAILED -> ".error.json";
            case StorageLocation.HELD -> ".held.json";
            default -> null;
        };
        Path localReport = report == null ? null : e.media().resolveSibling(e.media().getFileName() + report);
        if (localReport != null && !Files.isRegularFile(localReport)) {
            return false; // the report is written right after the move: next pass
        }
        String folder = inbox.sibling(name);
        boolean changed = false;
        String at = e.at();
        if (!at.startsWith(folder)) {
            String target = folder + rel;
            // the sidecar first: whoever sees the media at its new place finds its spec there too
            store.move(at + ".vmeg.json", target + ".vmeg.json");
            if (store.move(at, target)) {
                store.delete(at + ".held.json"); // a released job's old report
                store.delete(at + ".error.json");
                LOG.info("remote storage: {} -> {}", store.uri(at), store.uri(target));
            } else if (store.stat(target).isEmpty()) {
                LOG.warn("remote storage: {} is gone (removed by hand?); {} stays local only", store.uri(at),
                        e.media());
            }
            markers.write(e.media(), e.origin(), target);
            at = target;
            changed = true;
        }
        if (localReport != null) {
            store.upload(localReport, at + report);
        }
        if (name.equals(StorageLocation.FAILED) || name.equals(StorageLocation.ARCHIVE)) {
            // on the remote storage for good: the spooled copy goes
            Files.deleteIfExists(e.media().resolveSibling(e.media().getFileName() + ".vmeg.json"));
            if (localReport != null) {
                Files.deleteIfExists(localReport);
            }
            Files.deleteIfExists(e.media());
            Files.deleteIfExists(e.marker());
            changed = true;
        }
        return changed;
    }

    private Map.Entry<Path, String> placeOf(Path media) {
        Path abs = media.toAbsolutePath().normalize();
        for (Map.Entry<Path, String> p : places.entrySet()) {
            if (abs.startsWith(p.getKey().toAbsolutePath().normalize())) {
                return Map.entry(p.getKey().toAbsolutePath().normalize(), p.getValue() == null
                        ? StorageLocation.PROCESSING : p.getValue());
            }
        }
        return null;
    }
}
