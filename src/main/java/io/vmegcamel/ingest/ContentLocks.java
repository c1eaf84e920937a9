package io.vmegcamel.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * One ingest per content at a time. Files are ingested concurrently, but two drops of the same bytes must not plan
 * and buy side by side: the second waits until the first has been submitted (or failed) and moved, then sees its
 * tasks in the ledger and buys nothing twice. A semaphore, not a lock: the exchange may end on another thread. An
 * entry lives only while someone holds or waits for it.
 */
final class ContentLocks {

    private static final class Entry {
        final Semaphore semaphore = new Semaphore(1);
        int users;
    }

    private final Map<String, Entry> locks = new HashMap<>();

    void acquire(String md5) throws InterruptedException {
        Entry e;
        synchronized (locks) {
            e = locks.computeIfAbsent(md5, k -> new Entry());
            e.users++;
        }
        try {
            e.semaphore.acquire();
        } catch (InterruptedException ex) {
            leave(md5, e, false);
            throw ex;
        }
    }

    void release(String md5) {
        synchronized (locks) {
            Entry e = locks.get(md5);
            if (e != null) {
                leave(md5, e, true);
            }
        }
    }

    private void leave(String md5, Entry e, boolean held) {
        synchronized (locks) {
            if (held) {
                e.semaphore.release();
            }
            if (--e.users == 0) {
                locks.remove(md5);
            }
        }
    }
}
