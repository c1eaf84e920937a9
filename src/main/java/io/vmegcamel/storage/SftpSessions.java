package io.vmegcamel.storage;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.file.remote.SftpOperations;

/**
 * A few SFTP sessions, each lent to one caller at a time: a JSch channel serves one request at a time, and a
 * download from {@code open()} holds its channel until its stream is closed. A session that failed is dropped, not
 * lent again; the next caller gets a new one (so a server that dropped the connection costs one failed call).
 */
final class SftpSessions implements AutoCloseable {

    /** Makes and connects a new session. */
    interface Connector {
        SftpOperations connect() throws IOException;
    }

    /** A session lent out; {@code reused} when it had served before (it may have died meanwhile). */
    record Lease(SftpOperations ops, boolean reused) {
    }

    private final Connector connector;
    private final Semaphore permits;
    private final int size;
    private final Duration wait;
    private final Deque<SftpOperations> idle = new ArrayDeque<>();
    private volatile boolean closed;

    SftpSessions(Connector connector, int size, Duration wait) {
        if (size < 1) {
            throw new IllegalArgumentException("SFTP sessions: at least 1, not " + size);
        }
        this.connector = connector;
        this.size = size;
        this.permits = new Semaphore(size, true);
        this.wait = wait;
    }

    Lease borrow() throws IOException {
        if (closed) {
            throw new IOException("SFTP store closed");
        }
        try {
            if (!permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("all " + size + " SFTP sessions stayed busy for " + wait.toSeconds()
                        + " s (is a stream from open() left unclosed?)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for an SFTP session", e);
        }
        try {
            SftpOperations ops;
            while ((ops = poll()) != null) {
                if (ops.isConnected()) {
                    return new Lease(ops, true);
                }
                disconnect(ops);
            }
            return new Lease(connector.connect(), false);
        } catch (IOException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Takes back a lent session: kept for the next caller when {@code healthy}, else disconnected. */
    void giveBack(SftpOperations ops, boolean healthy) {
        try {
            if (healthy && !closed) {
                synchronized (idle) {
                    idle.push(ops);
                }
            } else {
                disconnect(ops);
            }
        } finally {
            permits.release();
        }
    }

    /** After a dropped connection: the idle sessions most likely went with it. */
    void dropIdle() {
        SftpOperations ops;
        while ((ops = poll()) != null) {
            disconnect(ops);
        }
    }

    @Override
    public void close() {
        closed = true;
        dropIdle();
    }

    private SftpOperations poll() {
        synchronized (idle) {
            return idle.poll();
        }
    }

    private static void disconnect(SftpOperations ops) {
        try {
            ops.disconnect();
        } catch (RuntimeException e) {
            // the connection is being given up anyway
        }
    }
}
