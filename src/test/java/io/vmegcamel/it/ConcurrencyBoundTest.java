package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vmegcamel.ingest.JobSpec;
import io.vmegcamel.ingest.JobSpecs;
import io.vmegcamel.ingest.MediaKind;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.vmeg.IdempotencyKeys;
import io.vmegcamel.vmeg.VmegPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Uploads and create-async calls are bounded (vmeg.concurrency.uploads / .submissions) whoever asks: here six
 * callers at once, as a concurrent ingest (issue 9) would. A stub VMEG holds every call for a while and counts how
 * many are in flight at the same time.
 */
class ConcurrencyBoundTest extends BundleTestSupport {

    private static final Map<String, AtomicInteger> IN_FLIGHT = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> MAX = new ConcurrentHashMap<>();
    private static final HttpServer STUB = stub();

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.base-url", "http://127.0.0.1:" + STUB.getAddress().getPort());
        p.setProperty("vmeg.concurrency.uploads", "2");
        p.setProperty("vmeg.concurrency.submissions", "3");
        return p;
    }

    @AfterAll
    static void stopStub() {
        STUB.stop(0);
    }

    @Test
    void atMostTheConfiguredNumberOfUploadsAndSubmissionsRunAtOnce() {
        List<String> jobs = new ArrayList<>();
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(job("up-" + i, null));
            String withMaterial = job("sub-" + i, "m_" + i);
            tasks.add(task(withMaterial));
        }
        ProducerTemplate template = context.createProducerTemplate();
        List<CompletableFuture<Exchange>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String jobId = jobs.get(i);
            String taskId = tasks.get(i);
            calls.add(template.asyncSend("direct:upload", e -> e.setProperty("vmegJobId", jobId)));
            calls.add(template.asyncSend("direct:submit", e -> e.setProperty("vmegTaskIds", List.of(taskId))));
        }
        calls.forEach(CompletableFuture::join);

        assertThat(IN_FLIGHT.get(VmegPaths.GEN_UPLOAD_URL).get()).isZero();
        assertThat(MAX.get(VmegPaths.GEN_UPLOAD_URL).get()).isEqualTo(2);
        assertThat(MAX.get(VmegPaths.MEDIA_TRANSLATION_CREATE).get()).isEqualTo(3);
        assertThat(tasks).allSatisfy(t -> assertThat(ledger().tasks().require(t).state()).isEqualTo(TaskState.REJECTED));
    }

    private String job(String id, String materialId) {
        Path file = env.root().resolve(id + ".mp4");
        JobSpec spec = new JobSpecs(json, List.of("de-DE"), "auto", "{}").resolve(file, MediaKind.VIDEO).spec();
        String md5 = IdempotencyKeys.sha256Hex(id).substring(0, 32);
        ledger().jobs().insert(new Job(id, id + ".mp4", id, file.toString(), 1000, md5, "video",
                spec.toJson(json).toString(), "defaults", spec.taskSpecHash(json), materialId,
                materialId == null ? JobState.RECEIVED : JobState.UPLOADED, null, null, null));
        return id;
    }

    private String task(String jobId) {
        Job job = ledger().jobs().require(jobId);
        String key = IdempotencyKeys.forTask(job.contentMd5(), job.specHash(), "de-DE", 0);
        ledger().tasks().insert(new Task("task-" + jobId, jobId, "de-DE", job.contentMd5(), job.specHash(), 0, key,
                TaskState.PENDING, null, null, null, null, null, null, null, null));
        return "task-" + jobId;
    }

    /** Holds each call 400 ms, then refuses it (400), counting the calls in flight per path. */
    private static HttpServer stub() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            for (String path : List.of(VmegPaths.GEN_UPLOAD_URL, VmegPaths.MEDIA_TRANSLATION_CREATE)) {
                IN_FLIGHT.put(path, new AtomicInteger());
                MAX.put(path, new AtomicInteger());
                server.createContext(path, exchange -> {
                    int now = IN_FLIGHT.get(path).incrementAndGet();
                    MAX.get(path).accumulateAndGet(now, Math::max);
                    try {
                        exchange.getRequestBody().readAllBytes();
                        Thread.sleep(400);
                        byte[] body = "{\"code\":400,\"message\":\"refused by the stub\",\"data\":null}"
                                .getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders().add("Content-Type", "application/json");
                        exchange.sendResponseHeaders(400, body.length);
                        exchange.getResponseBody().write(body);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        IN_FLIGHT.get(path).decrementAndGet();
                        exchange.close();
                    }
                });
            }
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
