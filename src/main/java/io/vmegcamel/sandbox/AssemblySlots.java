package io.vmegcamel.sandbox;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which parts of each multipart upload are being written into its assembly file right now. Each part's slot has
 * one writer at a time, and none is handed out once complete has begun to turn the file into the object: a part
 * written then would land in the finished object.
 */
final class AssemblySlots {

    private final Map<String, Set<Integer>> writing = new HashMap<>();
    private final Set<String> closed = new HashSet<>();

    /** True if the caller may write part n into the upload's assembly file; it must {@link #release} it after. */
    synchronized boolean claim(String uploadId, int n) {
        return !closed.contains(uploadId) && writing.computeIfAbsent(uploadId, k -> new HashSet<>()).add(n);
    }

    synchronized void release(String uploadId, int n) {
        Set<Integer> w = writing.get(uploadId);
        if (w != null && w.remove(n) && w.isEmpty()) {
            writing.remove(uploadId);
        }
    }

    /** Hands out no more slots of the upload; false (and nothing closed) while a part is still being written. */
    synchronized boolean close(String uploadId) {
        if (writing.containsKey(uploadId)) {
            return false;
        }
        return closed.add(uploadId);
    }

    /** The upload takes parts into its assembly file again (complete found other bytes than announced). */
    synchronized void reopen(String uploadId) {
        closed.remove(uploadId);
    }

    synchronized void forget(String uploadId) {
        writing.remove(uploadId);
        closed.remove(uploadId);
    }
}
