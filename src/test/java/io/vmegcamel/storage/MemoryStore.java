package io.vmegcamel.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A remote storage in memory that can misbehave as real servers do: unreadable keys, refused moves and deletes. */
final class MemoryStore implements RemoteStore {

    final Map<String, byte[]> objects = new TreeMap<>();
    final Map<String, Integer> versions = new ConcurrentHashMap<>();
    final Set<String> unreadable = ConcurrentHashMap.newKeySet();
    final Set<String> unmovable = ConcurrentHashMap.newKeySet();
    final Set<String> undeletable = ConcurrentHashMap.newKeySet();
    /** Keys deleted (by "someone else") right after they are opened. */
    final Set<String> vanishOnOpen = ConcurrentHashMap.newKeySet();
    private final boolean whole;

    MemoryStore(boolean objectsAppearWhole) {
        this.whole = objectsAppearWhole;
    }

    synchronized void put(String key, byte[] bytes) {
        objects.put(key, bytes);
        versions.merge(key, 1, Integer::sum);
    }

    @Override
    public synchronized List<RemoteObject> list(String folder) {
        List<RemoteObject> out = new ArrayList<>();
        objects.forEach((k, v) -> {
            if (k.startsWith(folder)) {
                out.add(new RemoteObject(k, v.length, "v" + versions.get(k) + ":" + v.length));
            }
        });
        return out;
    }

    @Override
    public synchronized Optional<RemoteObject> stat(String key) {
        byte[] v = objects.get(key);
        return v == null ? Optional.empty() : Optional.of(new RemoteObject(key, v.length, "v" + versions.get(key)
                + ":" + v.length));
    }

    @Override
    public synchronized InputStream open(String key) throws IOException {
        if (unreadable.contains(key)) {
            throw new IOException("cannot read " + uri(key) + ": 403 AccessDenied");
        }
        byte[] v = objects.get(key);
        if (v == null) {
            throw new IOException("cannot read " + uri(key) + ": 404 NoSuchKey");
        }
        if (vanishOnOpen.remove(key)) {
            objects.remove(key);
            return new ByteArrayInputStream(v, 0, v.length / 2); // the connection breaks half way
        }
        return new ByteArrayInputStream(v);
    }

    @Override
    public synchronized void upload(Path file, String key) throws IOException {
        put(key, Files.readAllBytes(file));
    }

    @Override
    public synchronized void write(byte[] bytes, String key) {
        put(key, bytes);
    }

    @Override
    public synchronized boolean move(String from, String to) throws IOException {
        if (!objects.containsKey(from)) {
            return false;
        }
        if (objects.containsKey(to)) {
            throw new IOException(uri(to) + " exists");
        }
        if (unmovable.contains(from)) {
            throw new IOException("cannot copy " + uri(from) + ": 403 AccessDenied");
        }
        put(to, objects.get(from));
        if (undeletable.contains(from)) {
            throw new PartialMoveException(uri(from) + " was copied to " + uri(to) + " but could not be deleted: "
                    + "403 AccessDenied", null);
        }
        objects.remove(from);
        return true;
    }

    @Override
    public synchronized void delete(String key) {
        objects.remove(key);
    }

    @Override
    public String uri(String key) {
        return "mem://" + key;
    }

    @Override
    public boolean objectsAppearWhole() {
        return whole;
    }

    @Override
    public void close() {
    }
}
