package io.vmegcamel.sandbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MD5 of each upload's assembly file from its start, taken on a background thread as parts 1, 2, … arrive, so
 * that complete hashes only what is left before it checks the announced {@code fileHash}. In memory only: after a
 * restart the next part hashes from part 1 again. Bytes of a part in the assembly file never change while it is
 * recorded there; a part recorded anew inside the hashed prefix starts the hash over.
 */
final class AssemblyHashes {

    private static final Logger LOG = LoggerFactory.getLogger(AssemblyHashes.class);

    /** Parts 1..through of the assembly file are in md5. */
    record Taken(MessageDigest md5, int through) {
    }

    /** Guarded by its monitor, which only the hashing thread and complete take: recording a part never waits. */
    private static final class Prefix {
        MessageDigest md5 = Ids.md5();
        int through;
        /** The lowest part number recorded since the hash last looked; one inside the prefix starts it over. */
        final AtomicInteger recordedFrom = new AtomicInteger(Integer.MAX_VALUE);
        volatile boolean taken;

        /** Starts over if a part inside the hashed prefix was recorded anew. */
        void checkRecorded() {
            if (recordedFrom.getAndSet(Integer.MAX_VALUE) <= through) {
                md5 = Ids.md5();
                through = 0;
            }
        }
    }

    private final Map<String, Prefix> prefixes = new ConcurrentHashMap<>();
    private final BiFunction<String, Integer, ObjectStore.StoredObject> inAssembly;
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "vmeg-sandbox-assembly-hash");
                t.setDaemon(true);
                return t;
            });

    /** Read buffer of the worker's one thread, made at its first part (most sandboxes never hash). */
    private ByteBuffer buf;

    /** @param inAssembly part n of an upload as recorded now, if it is in the assembly file, else null */
    AssemblyHashes(BiFunction<String, Integer, ObjectStore.StoredObject> inAssembly) {
        this.inAssembly = inAssembly;
    }

    /**
     * Records part n of the upload (in the assembly file or not) with {@code record}, then hashes on if it continues
     * the prefix. Noted before it is recorded, so that the hash never takes the new record for one it read before.
     */
    void record(String uploadId, int n, Runnable record) {
        Prefix p = prefixes.computeIfAbsent(uploadId, k -> new Prefix());
        p.recordedFrom.accumulateAndGet(n, Math::min);
        record.run();
        worker.execute(() -> advance(uploadId, p));
    }

    private void advance(String uploadId, Prefix p) {
        while (true) {
            synchronized (p) { // one part at a time, so that complete waits at most for one
                p.checkRecorded();
                ObjectStore.StoredObject next = p.taken ? null : inAssembly.apply(uploadId, p.through + 1);
                if (next == null) {
                    return;
                }
                if (buf == null) {
                    buf = ByteBuffer.allocate(1 << 20);
                }
                try (FileChannel ch = FileChannel.open(next.file(), StandardOpenOption.READ)) {
                    ObjectStore.hash(ch, next.offset(), next.size(), p.md5, buf);
                    p.through++;
                    p.checkRecorded(); // recorded anew while it was read: its bytes may be others
                } catch (IOException e) { // deleted under it (aborted, completed): complete hashes it all
                    LOG.debug("assembly hash of upload {} stopped: {}", uploadId, e.toString());
                    p.md5 = Ids.md5();
                    p.through = 0;
                    return;
                }
            }
        }
    }

    /**
     * Complete of parts 1..k has begun (no part is written into the assembly file any more): the hash so far, of
     * parts 1..through with through at most k; a prefix that went past k starts over.
     */
    Taken take(String uploadId, int k) {
        Prefix p = prefixes.remove(uploadId);
        if (p == null) {
            return new Taken(Ids.md5(), 0);
        }
        p.taken = true;
        synchronized (p) {
            p.checkRecorded();
            return p.through <= k ? new Taken(p.md5, p.through) : new Taken(Ids.md5(), 0);
        }
    }

    /** How many parts of the upload are hashed so far (0 if none or no hash under way). */
    int hashedThrough(String uploadId) {
        Prefix p = prefixes.get(uploadId);
        if (p == null) {
            return 0;
        }
        synchronized (p) {
            p.checkRecorded();
            return p.through;
        }
    }

    void forget(String uploadId) {
        Prefix p = prefixes.remove(uploadId);
        if (p != null) {
            p.taken = true;
        }
    }
}
