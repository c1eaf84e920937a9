package io.vmegcamel.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's storage writes each PUT body through one writer thread ({@link BodyFile}): a request is paused
 * while more than 4 MiB of it wait for that thread and resumed once at most 1 MiB does, and a failed write fails
 * the body's close, so the PUT is not answered as stored.
 */
class BodyFileTest {

    private static final int MIB = 1 << 20;

    private final Vertx vertx = Vertx.vertx();
    private final WorkerExecutor writer = vertx.createSharedWorkerExecutor("body-file-test-writer", 1);
    private final Context loop = vertx.getOrCreateContext();
    private final List<String> flow = new CopyOnWriteArrayList<>();
    private final HttpServerRequest request = (HttpServerRequest) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {HttpServerRequest.class}, (proxy, method, args) -> {
                flow.add(method.getName());
                return proxy;
            });

    @AfterEach
    void close() throws Exception {
        writer.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBodyWaitingForTheWriterPausesItsRequestUntilTheWriterCatchesUp() throws Exception {
        Path file = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-envs")), "body-")
                .resolve("sub/object");
        BodyFile body = onLoop(() -> BodyFile.open(writer, file, 0, request, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE_NEW));
        CountDownLatch gate = new CountDownLatch(1);
        writer.executeBlocking(() -> gate.await(30, TimeUnit.SECONDS), false); // the writer is busy elsewhere
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) {
            byte[] chunk = new byte[MIB];
            Arrays.fill(chunk, (byte) ('a' + i));
            sent.write(chunk);
            onLoop(() -> {
                body.write(Buffer.buffer(chunk));
                return Future.succeededFuture(flow.size());
            });
            assertThat(flow).as("after %d MiB waiting", i + 1).isEqualTo(i < 4 ? List.of() : List.of("pause"));
        }

        gate.countDown();
        await().atMost(30, TimeUnit.SECONDS).until(() -> flow.equals(List.of("pause", "resume")));
        onLoop(body::close);
        assertThat(Files.readAllBytes(file)).isEqualTo(sent.toByteArray());
    }

    @Test
    void aFailedWriteFailsTheClose() throws Exception {
        Path file = Files.createTempFile(Files.createDirectories(Path.of("target", "test-envs")), "body-", "");
        BodyFile body = onLoop(() -> BodyFile.open(writer, file, 0, request, StandardOpenOption.READ));
        onLoop(() -> {
            body.write(Buffer.buffer("never stored"));
            return Future.succeededFuture();
        });
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        loop.runOnContext(x -> body.close().onComplete(r -> closed.complete(r.cause())));
        assertThat(closed.get(30, TimeUnit.SECONDS)).isInstanceOf(NonWritableChannelException.class);
        assertThat(Files.size(file)).isZero();
    }

    /** Runs {@code action} on the event loop, as the storage handler does, and waits for its result. */
    private <T> T onLoop(Supplier<Future<T>> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.runOnContext(x -> action.get().onComplete(r -> {
            if (r.succeeded()) {
                result.complete(r.result());
            } else {
                result.completeExceptionally(r.cause());
            }
        }));
        return result.get(30, TimeUnit.SECONDS);
    }
}
