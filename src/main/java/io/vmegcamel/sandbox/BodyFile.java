package io.vmegcamel.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * A PUT body on its way into a file, chunk by chunk at its place, written by the storage's one writer thread.
 * Writes to one file from several threads at once (the parts of an upload going into its assembly file, or a
 * worker pool taking one body's chunks in turn) contend for the file's inode lock, and on the benchmark machine
 * that contention cost more CPU than the copies themselves (bench/RESULTS.md). The request is paused while more
 * than {@link #HIGH} bytes wait for the writer. Used on the request's event loop only.
 */
final class BodyFile {

    private static final long HIGH = 4L << 20;
    private static final long LOW = 1L << 20;

    private final WorkerExecutor writer;
    private final FileChannel channel;
    private final HttpServerRequest request;
    private long position;
    private long queued;
    private boolean paused;
    private Throwable failure;
    private Promise<Void> drained;
    private Future<Void> closed;

    private BodyFile(WorkerExecutor writer, FileChannel channel, long position, HttpServerRequest request) {
        this.writer = writer;
        this.channel = channel;
        this.position = position;
        this.request = request;
    }

    /** Opens {@code file} (creating its directory) for the body of {@code request}, written from {@code position}. */
    static Future<BodyFile> open(WorkerExecutor writer, Path file, long position, HttpServerRequest request,
                                 OpenOption... options) {
        return writer.executeBlocking(() -> {
            Files.createDirectories(file.getParent());
            return new BodyFile(writer, FileChannel.open(file, options), position, request);
        }, false);
    }

    void write(Buffer chunk) {
        ByteBuffer bytes = chunk.getByteBuf().nioBuffer();
        int length = bytes.remaining();
        long at = position;
        position += length;
        queued += length;
        if (queued > HIGH && !paused) {
            paused = true;
            request.pause();
        }
        writer.executeBlocking(() -> {
            for (long p = at; bytes.hasRemaining(); ) {
                p += channel.write(bytes, p);
            }
            return null;
        }, false).onComplete(written -> {
            queued -= length;
            if (written.failed() && failure == null) {
                failure = written.cause();
            }
            if (paused && queued <= LOW) {
                paused = false;
                request.resume();
            }
            if (queued == 0 && drained != null) {
                drained.tryComplete();
            }
        });
    }

    /** Once every chunk is written: closes the file; fails if a write failed. */
    Future<Void> close() {
        if (closed == null) {
            drained = Promise.promise();
            if (queued == 0) {
                drained.complete();
            }
            closed = drained.future()
                    .compose(x -> writer.executeBlocking(() -> {
                        channel.close();
                        return null;
                    }, false))
                    .compose(x -> failure == null ? Future.<Void>succeededFuture() : Future.failedFuture(failure));
        }
        return closed;
    }
}
