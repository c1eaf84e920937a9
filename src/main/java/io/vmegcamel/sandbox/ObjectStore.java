package io.vmegcamel.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Files below the data dir plus what the sandbox knows about them (size, ETag). Layout:
 * {@code objects/<key>} uploaded objects, {@code parts/<uploadId>/} multipart parts, {@code tmp/} incoming PUTs,
 * {@code thumbnails/}, {@code deliverables/<taskId>/} task outputs. Only objects, thumbnails and deliverables are
 * reachable through the CDN route.
 *
 * <p>Each upload has a slot size: the length of its first part of at least VMEG's recommended part size (a client
 * may choose larger parts: the recommendation is a suggestion, and VMEG never learns the file's size). A part of
 * exactly that size is written straight to its place in {@code parts/<uploadId>/assembly}, part n at (n - 1) slots,
 * with a marker {@code <n>.in-assembly} (its ETag and the slot size) once all of it is there. Complete then turns
 * that file into the object: the object's bytes are written once, as a real S3 completes without copying. Any other
 * part (another size, a re-upload of a part already in the file, a part written while its slot is busy) is a file of
 * its own, {@code parts/<uploadId>/<n>}, and complete copies.
 */
final class ObjectStore {

    /**
     * Bytes {@code offset..offset+size} of a file (only a part in an assembly file starts past 0) and their ETag: an
     * object's MD5, a part's {@link PartTags tag}.
     */
    record StoredObject(Path file, long offset, long size, String etag) {
        StoredObject(Path file, long size, String etag) {
            this(file, 0, size, etag);
        }
    }

    /** What complete found: the MD5 of the listed parts, and the object if it was the announced one. */
    record Assembled(StoredObject object, String md5) {
    }

    private static final Set<String> CDN_ROOTS = Set.of("objects", "thumbnails", "deliverables");

    /** Object key -> what is known of its bytes; upload id -> part number -> the same, for {@link SandboxState}. */
    record Snapshot(Map<String, StoredObject> objects, Map<String, Map<Integer, StoredObject>> parts) {
    }

    private final Path root;
    private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, StoredObject>> parts = new ConcurrentHashMap<>();
    private final Set<String> sealed = ConcurrentHashMap.newKeySet();
    private final AssemblySlots slots = new AssemblySlots();
    private final AssemblyHashes hashes = new AssemblyHashes(this::partInAssembly);
    private final long assemblyPartSize;
    /** Upload id -> its slot size, fixed by its first part that claimed a slot (or by its parts in the file). */
    private final Map<String, Long> slotSizes = new ConcurrentHashMap<>();
    private final Runnable onChange;

    ObjectStore(Path root, long assemblyPartSize, Runnable onChange) {
        this.assemblyPartSize = assemblyPartSize;
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

    Path assemblyPath(String uploadId) {
        return root.resolve("parts").resolve(uploadId).resolve("assembly");
    }

    private Path assemblyMarker(String uploadId, int partNumber) {
        return root.resolve("parts").resolve(uploadId).resolve(partNumber + ".in-assembly");
    }

    /** Where part n starts in an assembly file whose parts are each one slot long. */
    static long assemblyOffset(int partNumber, long slot) {
        return (partNumber - 1) * slot;
    }

    /** Part n of an upload, one slot long at its place in the upload's assembly file. */
    StoredObject assemblySlot(String uploadId, int partNumber, long slot, String etag) {
        return new StoredObject(assemblyPath(uploadId), assemblyOffset(partNumber, slot), slot, etag);
    }

    boolean inAssembly(String uploadId, StoredObject part) {
        return part.file().equals(assemblyPath(uploadId));
    }

    private StoredObject partInAssembly(String uploadId, int partNumber) {
        StoredObject o = parts.getOrDefault(uploadId, Map.of()).get(partNumber);
        return o != null && inAssembly(uploadId, o) ? o : null;
    }

    /**
     * True if a part of this length may be written into the upload's assembly file now, at (n - 1) times its
     * length; the caller then ends with {@link #keepAssemblyPart} or {@link #releaseAssemblySlot}. A part already
     * there is not overwritten in place: a re-upload that fails halfway must leave the acknowledged bytes as they were.
     */
    boolean claimAssemblySlot(String uploadId, int partNumber, long length) {
        if (length < assemblyPartSize || length != slotSize(uploadId, length) || !slots.claim(uploadId, partNumber)) {
            return false;
        }
        StoredObject there = parts.getOrDefault(uploadId, Map.of()).get(partNumber);
        if (there != null && inAssembly(uploadId, there)) {
            slots.release(uploadId, partNumber);
            return false;
        }
        return true;
    }

    /** The upload's slot size: that of its parts in the assembly file, else {@code length} from now on. */
    private long slotSize(String uploadId, long length) {
        return slotSizes.computeIfAbsent(uploadId, id -> parts.getOrDefault(id, Map.of()).values().stream()
                .filter(o -> inAssembly(id, o)).mapToLong(StoredObject::size).findAny().orElse(length));
    }

    void releaseAssemblySlot(String uploadId, int partNumber) {
        slots.release(uploadId, partNumber);
    }

    /**
     * Blocking: records a part of {@code slot} bytes (its claimed length) now all in the assembly file (the marker
     * makes it survive a kill).
     */
    StoredObject keepAssemblyPart(String uploadId, int partNumber, long slot, String etag) throws IOException {
        try {
            Path marker = assemblyMarker(uploadId, partNumber);
            Path tmp = marker.resolveSibling(marker.getFileName() + ".tmp");
            Files.writeString(tmp, etag + " " + slot);
            Files.move(tmp, marker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(partPath(uploadId, partNumber)); // an older upload of the same part
            StoredObject o = assemblySlot(uploadId, partNumber, slot, etag);
            putPart(uploadId, partNumber, o);
            return o;
        } finally {
            slots.release(uploadId, partNumber);
        }
    }

    /** Blocking: records a part received into a file of its own, now at {@link #partPath}. */
    void keepPartFile(String uploadId, int partNumber, StoredObject o) throws IOException {
        Files.deleteIfExists(assemblyMarker(uploadId, partNumber)); // an older upload of the same part
        putPart(uploadId, partNumber, o);
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
        hashes.record(uploadId, partNumber,
                () -> parts.computeIfAbsent(uploadId, k -> new ConcurrentHashMap<>()).put(partNumber, o));
        onChange.run();
    }

    Map<Integer, StoredObject> parts(String uploadId) {
        return new TreeMap<>(parts.getOrDefault(uploadId, Map.of()));
    }

    /** Blocking: removes the part files and their records. */
    void deleteParts(String uploadId) {
        parts.remove(uploadId);
        slotSizes.remove(uploadId);
        slots.forget(uploadId);
        hashes.forget(uploadId);
        onChange.run();
        deleteTree(root.resolve("parts").resolve(uploadId));
    }

    /**
     * Blocking: the object made of the listed parts (ascending), stored under the key only if its MD5 is the
     * expected one; otherwise nothing changes. Parts 1..k-1 all in the assembly file: the file becomes the object
     * (the last part copied behind them if it is a file of its own). Else the parts are copied into a new file.
     */
    Assembled assemble(String uploadId, List<Integer> partNumbers, String key, String expectedMd5)
            throws IOException {
        Map<Integer, StoredObject> have = parts(uploadId);
        List<StoredObject> listed = partNumbers.stream().map(have::get).toList();
        int k = listed.size();
        boolean inPlace = partNumbers.get(k - 1) == k && (k > 1 || inAssembly(uploadId, listed.get(0)));
        for (int i = 0; i < k - 1 && inPlace; i++) {
            inPlace = partNumbers.get(i) == i + 1 && inAssembly(uploadId, listed.get(i));
        }
        if (!inPlace || !slots.close(uploadId)) {
            hashes.forget(uploadId);
            return assembleByCopy(listed, key, expectedMd5);
        }
        Assembled a;
        try {
            a = assembleInPlace(uploadId, listed, key, expectedMd5);
        } catch (IOException | RuntimeException e) {
            slots.reopen(uploadId);
            throw e;
        }
        if (a.object() == null) {
            slots.reopen(uploadId); // the upload stays open for corrected parts
        }
        return a;
    }

    private Assembled assembleInPlace(String uploadId, List<StoredObject> listed, String key, String expectedMd5)
            throws IOException {
        Path assembly = assemblyPath(uploadId);
        int k = listed.size();
        StoredObject last = listed.get(k - 1);
        long slot = listed.get(0).size(); // parts 1..k-1 are all in the file, each one slot long
        long lastAt = assemblyOffset(k, slot);
        AssemblyHashes.Taken hashed = hashes.take(uploadId, k); // parts 1..through, hashed as they arrived
        MessageDigest md5 = hashed.md5();
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        try (FileChannel out = FileChannel.open(assembly, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            try (FileChannel in = FileChannel.open(last.file(), StandardOpenOption.READ)) {
                if (hashed.through() < k) {
                    long from = assemblyOffset(hashed.through() + 1, slot);
                    hash(out, from, lastAt - from, md5, buf);
                    hash(in, last.offset(), last.size(), md5, buf);
                }
                String found = Ids.toHex(md5.digest());
                if (!found.equals(expectedMd5)) {
                    return new Assembled(null, found);
                }
                if (!inAssembly(uploadId, last)) {
                    for (long done = 0; done < last.size(); ) {
                        done += in.transferTo(last.offset() + done, last.size() - done, out.position(lastAt + done));
                    }
                }
            }
            out.truncate(lastAt + last.size());
        }
        return new Assembled(store(key, assembly, lastAt + last.size(), expectedMd5), expectedMd5);
    }

    private Assembled assembleByCopy(List<StoredObject> listed, String key, String expectedMd5) throws IOException {
        Path tmp = tmpFile();
        MessageDigest md5 = Ids.md5();
        long size = 0;
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(tmp)) {
            for (StoredObject part : listed) {
                try (InputStream in = Files.newInputStream(part.file())) {
                    in.skipNBytes(part.offset());
                    for (long left = part.size(); left > 0; ) {
                        int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (r < 0) {
                            throw new IOException("part file " + part.file() + " ends early");
                        }
                        md5.update(buf, 0, r);
                        out.write(buf, 0, r);
                        left -= r;
                    }
                }
                size += part.size();
            }
        }
        String found = Ids.toHex(md5.digest());
        if (!found.equals(expectedMd5)) {
            Files.delete(tmp);
            return new Assembled(null, found);
        }
        return new Assembled(store(key, tmp, size, found), found);
    }

    private StoredObject store(String key, Path from, long size, String md5) throws IOException {
        Path target = objectPath(key);
        Files.createDirectories(target.getParent());
        Files.move(from, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        StoredObject o = new StoredObject(target, size, md5);
        putObject(key, o);
        return o;
    }

    static void hash(FileChannel ch, long from, long length, MessageDigest md5, ByteBuffer buf)
            throws IOException {
        for (long pos = from, end = from + length; pos < end; ) {
            buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new IOException("part bytes end early in " + ch);
            }
            md5.update(buf.flip());
            pos += r;
        }
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
     * Blocking, at load: takes on the parts of an open upload that the saved state does not list (a part file is
     * moved into place, and an assembly marker written, only once the part's whole body was received, so each is a
     * complete part). Returns how many; nothing is reported as a change until the next write.
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
                boolean marker = name.endsWith(".in-assembly");
                String number = marker ? name.substring(0, name.length() - ".in-assembly".length()) : name;
                if (!number.matches("[1-9][0-9]{0,4}") || !Files.isRegularFile(f)) {
                    continue;
                }
                int n = Integer.parseInt(number);
                Map<Integer, StoredObject> known = parts.computeIfAbsent(uploadId, k -> new ConcurrentHashMap<>());
                if (known.containsKey(n)) {
                    continue;
                }
                StoredObject part = marker ? assemblyPart(uploadId, n, Files.readString(f).trim().split(" "))
                        : new StoredObject(f, Files.size(f), PartTags.ofFile(f));
                if (part != null) {
                    known.put(n, part);
                    recovered++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the parts of upload " + uploadId + " in " + dir, e);
        }
        return recovered;
    }

    /**
     * The part a marker ({@code <etag> <slot size>}; a sandbox before slot sizes wrote the ETag alone, and its slot
     * was the recommended size) names, or null if the marker or the assembly file is not whole.
     */
    private StoredObject assemblyPart(String uploadId, int n, String[] marker) {
        String etag = marker[0];
        boolean wellFormed = marker.length == 1 || marker.length == 2 && marker[1].matches("[1-9][0-9]{0,11}");
        if (!wellFormed || !etag.matches("[0-9a-f]{32}")) {
            return null;
        }
        long slot = marker.length == 2 ? Long.parseLong(marker[1]) : assemblyPartSize;
        StoredObject o = assemblySlot(uploadId, n, slot, etag);
        return intact(o) ? o : null;
    }

    private static boolean intact(StoredObject o) {
        try {
            if (!Files.isRegularFile(o.file())) {
                return false;
            }
            long size = Files.size(o.file());
            return o.file().getFileName().toString().equals("assembly") ? size >= o.offset() + o.size()
                    : size == o.size();
        } catch (IOException e) {
            return false;
        }
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
