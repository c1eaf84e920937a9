package io.vmegcamel.sandbox;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Materials, single-upload reservations and multipart sessions. All access is synchronized on this store. */
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

    private final Map<String, Reservation> reservations = new HashMap<>();
    private final Map<String, Multipart> uploads = new HashMap<>();
    private final Map<String, Material> materials = new LinkedHashMap<>();

    /** Reserves a new materialId and the object key its bytes go to. */
    synchronized Reservation reserve(String fileHash, String fileName) {
        String id = Ids.materialId();
        String key = "uploads/" + id + "/" + safeName(fileName);
        Reservation r = new Reservation(id, fileHash, fileName, key, "s3://" + BUCKET + "/" + key);
        reservations.put(id, r);
        return r;
    }

    synchronized Reservation reservation(String materialId) {
        return reservations.get(materialId);
    }

    synchronized Multipart startMultipart(String fileHash, String fileName) {
        Multipart m = new Multipart(Ids.uploadId(), reserve(fileHash, fileName));
        uploads.put(m.uploadId, m);
        return m;
    }

    synchronized Multipart multipart(String uploadId) {
        return uploads.get(uploadId);
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
    synchronized Material registerIfAbsent(Material m) {
        return materials.computeIfAbsent(m.materialId, k -> m);
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

    /** Keeps ASCII letters, digits, dot, dash and underscore so keys never need URL encoding. */
    static String safeName(String fileName) {
        String s = fileName.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.startsWith(".") ? "_" + s : s;
    }
}
