package io.vmegcamel.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Materials, single-upload reservations and multipart sessions. All access is synchronized on this store; every
 * mutation is reported to {@code onChange} (outside the lock) so that it reaches the saved state.
 */
final class MaterialStore {

    static final String BUCKET = "vmeg-sandbox";

    record Reservation(String materialId, String fileHash, String fileName, String key, String s3Uri) {
    }

    enum State { OPEN, COMPLETED, ABORTED }

    static final class Multipart {
        final String uploadId;
        final Reservation target;
        volatile State state = State.OPEN;

        Multipart(String uploadId, Reservation target) {
            this.uploadId = uploadId;
            this.target = target;
        }
    }

    /** Everything this store holds, in insertion order, for {@link SandboxState}. */
    record Snapshot(List<Reservation> reservations, List<Multipart> uploads, List<Material> materials) {
    }

    private final Map<String, Reservation> reservations = new LinkedHashMap<>();
    private final Map<String, Multipart> uploads = new LinkedHashMap<>();
    private final Map<String, Material> materials = new LinkedHashMap<>();
    private final Runnable onChange;

    MaterialStore(Runnable onChange) {
        this.onChange = onChange;
    }

    /** Reserves a new materialId and the object key its bytes go to. */
    Reservation reserve(String fileHash, String fileName) {
        Reservation r;
        synchronized (this) {
            r = newReservation(fileHash, fileName);
        }
        onChange.run();
        return r;
    }

    private Reservation newReservation(String fileHash, String fileName) {
        String id = Ids.materialId();
        String key = "uploads/" + id + "/" + safeName(fileName);
        Reservation r = new Reservation(id, fileHash, fileName, key, "s3://" + BUCKET + "/" + key);
        reservations.put(id, r);
        return r;
    }

    synchronized Reservation reservation(String materialId) {
        return reservations.get(materialId);
    }

    Multipart startMultipart(String fileHash, String fileName) {
        Multipart m;
        synchronized (this) {
            m = new Multipart(Ids.uploadId(), newReservation(fileHash, fileName));
            uploads.put(m.uploadId, m);
        }
        onChange.run();
        return m;
    }

    synchronized Multipart multipart(String uploadId) {
        return uploads.get(uploadId);
    }

    /** Ends a multipart upload (completed or aborted). */
    void end(Multipart m, State state) {
        m.state = state;
        onChange.run();
    }

    /** The newest registered, not deleted material with that MD5. */
    synchronized Material byHash(String fileHash) {
        Material found = null;
        for (Material m : materials.values()) {
            if (!m.deleted && m.fileHash.equals(fileHash)) {
                found = m;
            }
        }
        return found;
    }

    /** Any registered material with that id, deleted or not. */
    synchronized Material registered(String materialId) {
        return materials.get(materialId);
    }

    /** A registered, not deleted material or null. */
    synchronized Material active(String materialId) {
        Material m = materials.get(materialId);
        return m == null || m.deleted ? null : m;
    }

    /** Registers m unless that materialId is already registered; returns the registered one. */
    Material registerIfAbsent(Material m) {
        Material registered;
        synchronized (this) {
            registered = materials.computeIfAbsent(m.materialId, k -> m);
        }
        onChange.run();
        return registered;
    }

    /** Logical delete: the bytes stay, the material disappears from list, dedup and tasks. */
    void delete(Material m) {
        m.deleted = true;
        m.updateTime = Instant.now();
        onChange.run();
    }

    /** Not deleted materials, newest first. */
    synchronized List<Material> list() {
        List<Material> out = new ArrayList<>();
        for (Material m : materials.values()) {
            if (!m.deleted) {
                out.add(m);
            }
        }
        Collections.reverse(out);
        return out;
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(List.copyOf(reservations.values()), List.copyOf(uploads.values()),
                List.copyOf(materials.values()));
    }

    /** Puts back what was saved before a restart (no change is reported). */
    synchronized void restore(Snapshot saved) {
        saved.reservations().forEach(r -> reservations.put(r.materialId(), r));
        saved.uploads().forEach(u -> uploads.put(u.uploadId, u));
        saved.materials().forEach(m -> materials.put(m.materialId, m));
    }

    /** Keeps ASCII letters, digits, dot, dash and underscore so keys never need URL encoding. */
    static String safeName(String fileName) {
        String s = fileName.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.startsWith(".") ? "_" + s : s;
    }
}
