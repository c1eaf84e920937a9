package io.vmegcamel.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Files below the data dir plus what the sandbox knows about them (size, MD5). Layout:
 * {@code objects/<key>} uploaded objects, {@code parts/<uploadId>/<n>} multipart parts, {@code tmp/} incoming PUTs,
 * {@code thumbnails/}, {@code deliverables/<taskId>/} task outputs. Only objects, thumbnails and deliverables are
 * reachable through the CDN route.
 */
final class ObjectStore {

    record StoredObject(Path file, long size, String md5) {
    }

    private static final Set<String> CDN_ROOTS = Set.of("objects", "thumbnails", "deliverables");

    /** Object key -> what is known of its bytes; upload id -> part number -> the same, for {@link SandboxState}. */
    record Snapshot(Map<String, StoredObject> objects, Map<String, Map<Integer, StoredObject>> parts) {
    }

    private final Path root;
    private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, StoredObject>> parts = new ConcurrentHashMap<>();
    private final Set<String> sealed = ConcurrentHashMap.newKeySet();
    private final Runnable onChange;

    ObjectStore(Path root, Runnable onChange) {
        this.onChange = onChange;
        this.root = root.toAbsolutePath().normalize();
        try {
            for (String dir : List.of("objects", "parts", "tmp", "thumbnails", "deliverables")) {
                Files.createDirectories(this.root.resolve(dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create sandbox data dir " + this.root, e);
        }
    }

    Path root() {
        return root;
    }

    Path tmpFile() {
        return root.resolve("tmp").resolve(Ids.hex(12));
    }

    Path objectPath(String key) {
        return root.resolve("objects").resolve(key);
    }

    Path partPath(String uploadId, int partNumber) {
        return root.resolve("parts").resolve(uploadId).resolve(Integer.toString(partNumber));
    }

    void putObject(String key, StoredObject o) {
        objects.put(key, o);
        onChange.run();
    }

    StoredObject object(String key) {
        return objects.get(key);
    }

    /** A sealed key belongs to a registered material; its bytes may no longer be replaced. */
    void seal(String key) {
        sealed.add(key);
    }

    boolean isSealed(String key) {
        return sealed.contains(key);
    }

    void putPart(String uploadId, int partNumber, StoredObject o) {
        parts.computeIfAbsent(uploadId, k -> new ConcurrentHashMap<>()).put(partNumber, o);
        onChange.run();
    }

    Map<Integer, StoredObject> parts(String uploadId) {
        return new TreeMap<>(parts.getOrDefault(uploadId, Map.of()));
    }

    /** Blocking: removes the part files and their records. */
    void deleteParts(String uploadId) {
        parts.remove(uploadId);
        onChange.run();
        deleteTree(root.resolve("parts").resolve(uploadId));
    }

    /** Blocking: streams the listed parts into one object, computing its MD5 on the way. */
    StoredObject concatenate(String uploadId, List<Integer> partNumbers, String key) throws IOException {
        Map<Integer, StoredObject> have = parts(uploadId);
        Path tmp = tmpFile();
        MessageDigest md5 = Ids.md5();
        long size = 0;
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(tmp)) {
            for (int n : partNumbers) {
                try (InputStream in = Files.newInputStream(have.get(n).file())) {
                    for (int r; (r = in.read(buf)) > 0; ) {
                        md5.update(buf, 0, r);
                        out.write(buf, 0, r);
                        size += r;
                    }
                }
            }
        }
        Path target = objectPath(key);
        Files.createDirectories(target.getParent());
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        StoredObject o = new StoredObject(target, size, Ids.toHex(md5.digest()));
        putObject(key, o);
        return o;
    }

    Snapshot snapshot() {
        Map<String, Map<Integer, StoredObject>> p = new TreeMap<>();
        parts.forEach((id, m) -> p.put(id, new TreeMap<>(m)));
        return new Snapshot(new TreeMap<>(objects), p);
    }

    /**
     * Puts back what was saved before a restart, keeping only entries whose file is still there with the saved
     * size (no change is reported). Returns how many were dropped.
     */
    int restore(Snapshot saved) {
        int dropped = 0;
        for (Map.Entry<String, StoredObject> e : saved.objects().entrySet()) {
            if (intact(e.getValue())) {
                objects.put(e.getKey(), e.getValue());
            } else {
                dropped++;
            }
        }
        for (Map.Entry<String, Map<Integer, StoredObject>> u : saved.parts().entrySet()) {
            for (Map.Entry<Integer, StoredObject> e : u.getValue().entrySet()) {
                if (intact(e.getValue())) {
                    parts.computeIfAbsent(u.getKey(), k -> new ConcurrentHashMap<>()).put(e.getKey(), e.getValue());
                } else {
                    dropped++;
                }
            }
        }
        return dropped;
    }

    /**
     * Blocking, at load: takes on the part files of an open upload that the saved state does not list (a part file
     * is moved into place only once its whole body was received, so any file there is a complete part). Returns
     * how many; nothing is reported as a change until the next write.
     */
    int recoverParts(String uploadId) {
        Path dir = root.resolve("parts").resolve(uploadId);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int recovered = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (!name.matches("[1-9][0-9]{0,4}") || !Files.isRegularFile(f)) {
                    continue;
                }
                int n = Integer.parseInt(name);
                Map<Integer, StoredObject> known = parts.computeIfAbsent(uploadId, k -> new ConcurrentHashMap<>());
                if (!known.containsKey(n)) {
                    known.put(n, new StoredObject(f, Files.size(f), md5Of(f)));
                    recovered++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the parts of upload " + uploadId + " in " + dir, e);
        }
        return recovered;
    }

    private static boolean intact(StoredObject o) {
        try {
            return Files.isRegularFile(o.file()) && Files.size(o.file()) == o.size();
        } catch (IOException e) {
            return false;
        }
    }

    /** Blocking MD5 of an arbitrary file, streamed. */
    static String md5Of(Path file) throws IOException {
        MessageDigest md5 = Ids.md5();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r; (r = in.read(buf)) > 0; ) {
                md5.update(buf, 0, r);
            }
        }
        return Ids.toHex(md5.digest());
    }

    Path deliverableDir(String taskId) {
        return root.resolve("deliverables").resolve(taskId);
    }

    /** Path of a data-dir file relative to the root with '/' separators, as used in CDN URLs. */
    String relative(Path file) {
        return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** The file a CDN path points to, or null if it is outside the CDN roots or does not exist. */
    Path cdnFile(String relPath) {
        if (relPath.isEmpty() || relPath.contains("..") || relPath.contains("\\") || relPath.contains("%")) {
            return null;
        }
        Path p = root.resolve(relPath).normalize();
        if (!p.startsWith(root) || p.equals(root) || !CDN_ROOTS.contains(root.relativize(p).getName(0).toString())) {
            return null;
        }
        return Files.isRegularFile(p) ? p : null;
    }

    /** Blocking: hard-links (or copies, where links are not possible) a file. */
    static void linkOrCopy(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try {
            Files.createLink(target, source);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover file in the sandbox data dir is harmless
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
