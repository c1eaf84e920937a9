package io.vmegcamel.webhook;

import io.vmegcamel.ledger.Events.NewEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook intake's durable store. A verified event is appended to a journal file and only then answered 2xx; a
 * mover thread carries the journaled events into the ledger, many per transaction, and hands each newly stored one
 * to processing. Why not one ledger commit per request (or per handful, as group commit did): an H2 commit writes a
 * chunk, about 2 ms of CPU whatever its size, and that held a burst to a tenth of a bare route's rate
 * (bench/RESULTS.md). An append is a write into the page cache: like H2's own commit it survives {@code kill -9}
 * (neither forces the disk).
 *
 * <p>The mover takes what is journaled as soon as appends pause ({@code quiet}), at the latest after
 * {@code maxLag} or once {@value #MOVE_BATCH} events wait, so a burst goes into the ledger in a few large
 * transactions while a lone event goes at once. Each move closes the current segment file ({@code <seq>.journal});
 * the segment is deleted once its events are committed. Segments a crash left are moved first at start: events
 * already stored are duplicates and dropped, and a torn last record belonged to a request that was never answered.
 * While the ledger fails, events stay journaled and the mover retries; only when the unmoved events pass
 * {@value #MAX_UNMOVED_BYTES} bytes, or the journal cannot be written, is a delivery refused (503: VMEG retries).
 *
 * <p>A duplicate (same pipelineKey) is journaled like any event and dropped when it reaches the ledger: the answer
 * cannot tell it without a ledger read per request. One process per journal folder: the folder is locked.
 */
public final class EventJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventJournal.class);
    static final int MOVE_BATCH = 5_000;
    static final long MAX_UNMOVED_BYTES = 32L * 1024 * 1024;
    private static final int TRANSACTION = 1_000;
    private static final String SUFFIX = ".journal";

    /** The ledger's insert: one result per event, empty for a duplicate ({@code Events.insertAll}). */
    private final Function<List<NewEvent>, List<Optional<Long>>> store;
    private final Consumer<Long> stored;
    private final Path dir;
    private final long quietNanos;
    private final long maxLagNanos;
    private final Object lock = new Object();
    private final Thread mover;
    private FileChannel lockChannel;
    private FileLock dirLock;
    private List<Path> leftovers = List.of();
    // guarded by lock
    private List<NewEvent> pending = new ArrayList<>();
    private long pendingBytes;
    private final List<Path> closedSegments = new ArrayList<>(); // hold pending events, deleted after the move
    private FileChannel segment;
    private Path segmentPath;
    private long nextSeq;
    private long unmovedBytes;
    private long firstPendingAt;
    private volatile long lastAppend = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
    private volatile boolean closing;
    /** When the next caller of awaitQuiet may go on its deadline during a flood (System.nanoTime). */
    private final AtomicLong floodPass = new AtomicLong(System.nanoTime());

    /**
     * @param stored called with the id of each event newly stored as {@code RECEIVED} (to be processed)
     */
    public EventJournal(Path dir, Function<List<NewEvent>, List<Optional<Long>>> store, Consumer<Long> stored,
            Duration quiet, Duration maxLag) {
        this.dir = dir;
        this.store = store;
        this.stored = stored;
        this.quietNanos = quiet.toNanos();
        this.maxLagNanos = maxLag.toNanos();
        this.mover = new Thread(this::move, "vmeg-webhook-journal");
        mover.setDaemon(true);
    }

    /** Locks the folder and starts the mover, which first moves what an earlier run left. */
    public void start() throws IOException {
        Files.createDirectories(dir);
        lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            dirLock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            dirLock = null;
        }
        if (dirLock == null) {
            lockChannel.close();
            throw new IllegalStateException("the webhook journal " + dir + " is in use by another process: give each "
                    + "instance its own vmeg.data-dir");
        }
        leftovers = segments();
        nextSeq = leftovers.stream().mapToLong(EventJournal::seqOf).max().orElse(0) + 1;
        mover.start();
    }

    /**
     * Journals the event; when this returns, the event survives a crash and will reach the ledger.
     *
     * @throws JournalRefusedException when it is not journaled (the caller answers 503)
     */
    public void append(NewEvent event) {
        byte[] record = Records.encode(event);
        synchronized (lock) {
            if (closing) {
                throw new JournalRefusedException("the webhook journal is closed", null);
            }
            if (unmovedBytes + record.length > MAX_UNMOVED_BYTES) {
                throw new JournalRefusedException(unmovedBytes + " bytes of events are not in the ledger yet", null);
            }
            try {
                if (segment == null) {
                    segmentPath = dir.resolve(String.format("%016d%s", nextSeq++, SUFFIX));
                    segment = FileChannel.open(segmentPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                }
                ByteBuffer buffer = ByteBuffer.wrap(record);
                while (buffer.hasRemaining()) {
                    segment.write(buffer);
                }
            } catch (IOException e) {
                closeSegment(); // the next append starts a new segment after whatever was torn here
                throw new JournalRefusedException("the webhook journal could not be written: " + e.getMessage(), e);
            }
            if (pending.isEmpty()) {
                firstPendingAt = System.nanoTime();
            }
            pending.add(event);
            pendingBytes += record.length;
            unmovedBytes += record.length;
            lastAppend = System.nanoTime();
            // wake the mover only when it waits without a deadline (nothing was pending) or a full batch is due:
            // otherwise it wakes by itself when its quiet or lag deadline passes. A wake-up per request made it
            // contend for this lock with every request of a burst.
            if (pending.size() == 1 || pending.size() == MOVE_BATCH) {
                lock.notifyAll();
            }
        }
    }

    /**
     * Waits until no event has been journaled for {@code quietMillis}, at most {@code maxMillis}. Work that competes
     * for the CPU and the ledger (processing stored events) calls this first, so that during a burst the requests
     * being answered go first and that work takes the pauses. When the wait ends at {@code maxMillis} during a
     * flood, one caller in all goes per {@code maxMillis}, not one per waiting thread: processing keeps moving
     * without taking the ten processors' share of the CPU from intake.
     */
    public void awaitQuiet(long quietMillis, long maxMillis) throws InterruptedException {
        long quiet = TimeUnit.MILLISECONDS.toNanos(quietMillis);
        long max = TimeUnit.MILLISECONDS.toNanos(maxMillis);
        long deadline = System.nanoTime() + max;
        while (true) {
            long now = System.nanoTime();
            long untilQuiet = quiet - (now - lastAppend);
            if (untilQuiet <= 0) {
                return;
            }
            long untilPass = deadline - now;
            if (untilPass <= 0) {
                long next = floodPass.get();
                untilPass = next - now;
                if (untilPass <= 0 && floodPass.compareAndSet(next, now + max)) {
                    return;
                }
            }
            TimeUnit.NANOSECONDS.sleep(Math.max(1, Math.min(untilQuiet, untilPass)));
        }
    }

    private void move() {
        for (Path leftover : leftovers) {
            if (!moveLeftover(leftover)) {
                return; // closing while the ledger fails: the segments stay for the next start
            }
        }
        while (true) {
            List<NewEvent> batch;
            long bytes;
            List<Path> done;
            synchronized (lock) {
                try {
                    while (!due()) {
                        if (closing && pending.isEmpty()) {
                            return;
                        }
                        lock.wait(waitMillis());
                    }
                } catch (InterruptedException e) {
                    return;
                }
                batch = pending;
                bytes = pendingBytes;
                pending = new ArrayList<>();
                pendingBytes = 0;
                closeSegment();
                done = List.copyOf(closedSegments);
                closedSegments.clear();
            }
            if (!storeAll(batch, bytes, done, false)) {
                return;
            }
        }
    }

    /** Whether the pending events go now: appends paused, the oldest waited maxLag, enough of them, or closing. */
    private boolean due() {
        if (pending.isEmpty()) {
            return false;
        }
        long now = System.nanoTime();
        return closing || pending.size() >= MOVE_BATCH || now - lastAppend >= quietNanos
                || now - firstPendingAt >= maxLagNanos;
    }

    private long waitMillis() {
        if (pending.isEmpty()) {
            return 0; // until an append or close wakes the mover
        }
        long now = System.nanoTime();
        long next = Math.min(quietNanos - (now - lastAppend), maxLagNanos - (now - firstPendingAt));
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(next) + 1);
    }

    private boolean moveLeftover(Path leftover) {
        List<NewEvent> events;
        try {
            events = Records.read(leftover);
        } catch (IOException e) {
            LOG.error("webhook journal {} could not be read, kept for the next start: {}", leftover, e.getMessage());
            return true;
        }
        LOG.info("webhook journal: moving {} events an earlier run left in {}", events.size(), leftover.getFileName());
        long bytes;
        try {
            bytes = Files.size(leftover);
        } catch (IOException e) {
            bytes = 0;
        }
        synchronized (lock) {
            unmovedBytes += bytes;
        }
        return storeAll(events, bytes, List.of(leftover), true);
    }

    /**
     * Stores the events in transactions of {@value #TRANSACTION}, hands the new ones over, then deletes their
     * segments. A failure is retried until it works (events already committed come back as duplicates); false when
     * closing cut the retries short. After a crash, events the ledger holds already are expected: not logged as
     * VMEG's duplicates.
     */
    private boolean storeAll(List<NewEvent> events, long bytes, List<Path> segmentFiles, boolean leftover) {
        int duplicates = 0;
        for (int from = 0; from < events.size(); from += TRANSACTION) {
            List<NewEvent> chunk = events.subList(from, Math.min(events.size(), from + TRANSACTION));
            List<Optional<Long>> ids = storeRetrying(chunk);
            if (ids == null) {
                return false;
            }
            for (int i = 0; i < chunk.size(); i++) {
                NewEvent e = chunk.get(i);
                if (ids.get(i).isEmpty()) {
                    duplicates++;
                    if (!leftover) {
                        LOG.info("webhook {} for task {}: duplicate delivery of pipelineKey {}, dropped", e.event(),
                                e.vmegTaskId(), e.pipelineKey());
                    }
                } else if (e.error() == null) {
                    handOver(ids.get(i).get());
                }
            }
        }
        synchronized (lock) {
            unmovedBytes -= bytes;
        }
        for (Path segmentFile : segmentFiles) {
            try {
                Files.deleteIfExists(segmentFile);
            } catch (IOException e) {
                LOG.warn("webhook journal {} could not be deleted (its events are stored; moved again they are "
                        + "duplicates): {}", segmentFile, e.getMessage());
            }
        }
        LOG.debug("webhook journal: {} events into the ledger, {} of them duplicates", events.size(), duplicates);
        return true;
    }

    /** A hand-over that fails leaves the event RECEIVED in the ledger, where the sweeper finds it. */
    private void handOver(long id) {
        try {
            stored.accept(id);
        } catch (RuntimeException e) {
            LOG.warn("stored webhook event {} not handed to processing now ({}); the sweeper will run it", id,
                    e.getMessage());
        }
    }

    private List<Optional<Long>> storeRetrying(List<NewEvent> chunk) {
        long backoff = 100;
        while (true) {
            try {
                return store.apply(chunk);
            } catch (RuntimeException e) {
                if (closing) {
                    LOG.error("webhook journal: {} events are not in the ledger at shutdown; they stay journaled "
                            + "and are moved at the next start: {}", chunk.size(), e.getMessage());
                    return null;
                }
                LOG.error("webhook journal: {} events could not be stored in the ledger, retrying in {} ms: {}",
                        chunk.size(), backoff, e.getMessage());
                try {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
                    synchronized (lock) { // an append may notify too: only close() ends this wait early, for a last try
                        for (long left; !closing && (left = until - System.nanoTime()) > 0; ) {
                            lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                        }
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private void closeSegment() {
        if (segment != null) {
            try {
                segment.close();
            } catch (IOException e) {
                LOG.warn("webhook journal {} could not be closed: {}", segmentPath, e.getMessage());
            }
            closedSegments.add(segmentPath);
        }
        segment = null;
        segmentPath = null;
    }

    private List<Path> segments() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long seqOf(Path segment) {
        String name = segment.getFileName().toString();
        try {
            return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Events being journaled or moved (for tests). */
    long unmovedBytes() {
        synchronized (lock) {
            return unmovedBytes;
        }
    }

    /** Refuses new events, moves what is journaled (unless the ledger fails: then it stays), stops the mover. */
    @Override
    public void close() throws Exception {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        if (mover.isAlive()) {
            mover.join(30_000);
        }
        synchronized (lock) {
            closeSegment();
        }
        if (dirLock != null) {
            dirLock.release();
            lockChannel.close();
            dirLock = null;
        }
    }

    /** A delivery the journal did not take: not acknowledged, so VMEG sends it again. */
    public static final class JournalRefusedException extends RuntimeException {
        JournalRefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * One record per event: length and CRC-32 of the payload, then the payload, the event's seven fields, each a
     * length ({@code -1} for null) and UTF-8 bytes.
     */
    static final class Records {

        private Records() {
        }

        static byte[] encode(NewEvent e) {
            String[] fields = {e.pipelineKey(), e.event(), e.vmegTaskId(), e.origin(), e.body(), e.state(), e.error()};
            byte[][] bytes = new byte[fields.length][];
            int size = 0;
            for (int i = 0; i < fields.length; i++) {
                bytes[i] = fields[i] == null ? null : fields[i].getBytes(StandardCharsets.UTF_8);
                size += 4 + (bytes[i] == null ? 0 : bytes[i].length);
            }
            ByteBuffer out = ByteBuffer.allocate(8 + size);
            out.putInt(size).putInt(0);
            for (byte[] b : bytes) {
                out.putInt(b == null ? -1 : b.length);
                if (b != null) {
                    out.put(b);
                }
            }
            CRC32 crc = new CRC32();
            crc.update(out.array(), 8, size);
            out.putInt(4, (int) crc.getValue());
            return out.array();
        }

        /** The segment's events up to the first torn or damaged record. */
        static List<NewEvent> read(Path segment) throws IOException {
            ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(segment));
            List<NewEvent> events = new ArrayList<>();
            while (in.remaining() >= 8) {
                int size = in.getInt();
                int crc = in.getInt();
                if (size < 0 || size > in.remaining()) {
                    break;
                }
                CRC32 check = new CRC32();
                check.update(in.array(), in.position(), size);
                if ((int) check.getValue() != crc) {
                    break;
                }
                String[] f = new String[7];
                for (int i = 0; i < f.length; i++) {
                    int n = in.getInt();
                    if (n >= 0) {
                        f[i] = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
                        in.position(in.position() + n);
                    }
                }
                events.add(new NewEvent(f[0], f[1], f[2], f[3], f[4], f[5], f[6]));
            }
            return events;
        }
    }
}
