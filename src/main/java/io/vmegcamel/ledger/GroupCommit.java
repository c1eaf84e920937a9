package io.vmegcamel.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Group commit: callers on many threads hand in one item each and wait; a single writer thread takes everything
 * queued (up to {@code maxBatch}), commits it with one call of {@code commit} (one transaction), then answers
 * every caller. No wait is added: a lone item is committed at once, and items only batch up while a commit runs,
 * so under load a commit's cost is shared instead of queued. A caller returns only after its item's transaction
 * committed, or gets the failure.
 *
 * <p>When a batch fails, its items are committed again one by one, so that one bad item cannot fail the others;
 * when the database itself fails, every item of the batch fails.
 */
public final class GroupCommit<T, R> implements AutoCloseable {

    private final Function<List<T>, List<R>> commit;
    private final int maxBatch;
    private final BlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
    private final Pending<T, R> stop = new Pending<>(null);
    private final Thread writer;
    private final AtomicInteger unanswered = new AtomicInteger();
    private final Object idle = new Object();
    private volatile long lastSubmit = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
    private volatile boolean closed;

    /** {@code commit} stores a list in one transaction and returns one result per item, in order. */
    public GroupCommit(String name, Function<List<T>, List<R>> commit, int maxBatch) {
        this.commit = commit;
        this.maxBatch = maxBatch;
        this.writer = new Thread(this::write, name);
        writer.setDaemon(true);
        writer.start();
    }

    /** Commits the item (with whatever else is waiting) and returns its result; throws what the commit threw. */
    public R submit(T item) {
        Pending<T, R> p = new Pending<>(item);
        lastSubmit = System.nanoTime();
        unanswered.incrementAndGet();
        p.result.whenComplete((r, e) -> {
            if (unanswered.decrementAndGet() == 0) {
                synchronized (idle) {
                    idle.notifyAll();
                }
            }
        });
        queue.add(p);
        if (closed && queue.remove(p)) {
            p.result.completeExceptionally(new IllegalStateException("the ledger writer is stopped"));
        }
        try {
            return p.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the ledger commit", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Waits until the callers have been quiet for {@code quietMillis} (none waiting for a commit, none arrived
     * since), at most {@code maxMillis}. Work that competes for the same database calls this first, so that during
     * a burst the callers (requests being answered) go first and that work takes the pauses; a short gap between
     * two commits of a burst is not a pause.
     */
    public void awaitQuiet(long quietMillis, long maxMillis) throws InterruptedException {
        long quiet = TimeUnit.MILLISECONDS.toNanos(quietMillis);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        synchronized (idle) {
            while (true) {
                long now = System.nanoTime();
                long sinceLast = now - lastSubmit;
                if ((unanswered.get() == 0 && sinceLast >= quiet) || now - deadline >= 0) {
                    return;
                }
                long wait = Math.min(deadline - now, unanswered.get() > 0 ? quiet : quiet - sinceLast);
                TimeUnit.NANOSECONDS.timedWait(idle, Math.max(wait, 1));
            }
        }
    }

    /** Items waiting for the next commit (for tests). */
    int queued() {
        return queue.size();
    }

    private void write() {
        List<Pending<T, R>> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, maxBatch - 1);
            boolean last = batch.remove(stop);
            commit(batch);
            batch.clear();
            if (last) {
                return;
            }
        }
    }

    private void commit(List<Pending<T, R>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<R> results;
        try {
            results = commit.apply(batch.stream().map(p -> p.item).toList());
        } catch (RuntimeException | Error e) {
            if (batch.size() == 1) {
                batch.get(0).result.completeExceptionally(e);
            } else {
                batch.forEach(p -> commit(List.of(p)));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result.complete(results.get(i));
        }
    }

    /** Commits what is queued, stops the writer; later submissions fail. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        queue.add(stop);
        writer.join(30_000);
        for (Pending<T, R> p; (p = queue.poll()) != null; ) {
            p.result.completeExceptionally(new IllegalStateException("the ledger writer is stopped"));
        }
    }

    private static final class Pending<T, R> {
        final T item;
        final CompletableFuture<R> result = new CompletableFuture<>();

        Pending(T item) {
            this.item = item;
        }
    }
}
