package io.vmegcamel.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.it.BundleTestSupport;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.StoredEvent;
import io.vmegcamel.ledger.Task;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Not part of the test suite (the name does not end in Test): run by bench/downstream.sh. Measures
 * (1) the latency from webhook intake (the finished webhook stored in the ledger) to the signed task.finished
 * event received by a local HTTP receiver, over FILES source files, and (2) events dispatched per second to that
 * receiver, for EVENTS events committed at once.
 */
class DownstreamBenchmark extends BundleTestSupport {

    static final int FILES = Integer.getInteger("bench.files", 20);
    static final int EVENTS = Integer.getInteger("bench.events", 3000);
    static final Receiver RECEIVER = new Receiver().start();

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.downstream.endpoints", RECEIVER.url("/bench"));
        p.setProperty("vmeg.downstream.secret", "whsec_" + Base64.getEncoder().encodeToString(
                "bench-secret-0123456789ab".getBytes(StandardCharsets.UTF_8)));
        p.setProperty("vmeg.downstream.poll-ms", System.getProperty("bench.poll-ms", "100"));
        p.setProperty("vmeg.downstream.batch", System.getProperty("bench.batch", "500"));
        p.setProperty("vmeg.downstream.threads", System.getProperty("bench.threads", "8"));
        return p;
    }

    @AfterAll
    static void stop() {
        RECEIVER.close();
    }

    @Test
    void measure() throws Exception {
        // (1) latency: webhook stored -> event received
        for (int i = 0; i < FILES; i++) {
            // distinct content: identical files would be one job (DUPLICATE)
            byte[] media = new byte[64 * 1024];
            new java.util.Random(i).nextBytes(media);
            dropBytes("bench-" + i + ".mp4", media);
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> RECEIVER.requests.size() >= 2 * FILES);
        List<Long> latencies = new ArrayList<>();
        for (Receiver.Request r : RECEIVER.requests) {
            JsonNode ce = json.readTree(r.body());
            if (!ce.path("type").asText().equals(EventTypes.TASK_FINISHED)) {
                continue;
            }
            Instant intake = ledger().events().forTask(ce.path("data").path("vmegTaskId").asText()).stream()
                    .filter(e -> e.body().contains("\"finished\"")).map(StoredEvent::receivedAt).min(Instant::compareTo)
                    .orElseThrow();
            latencies.add(Duration.between(intake, r.arrivedAt()).toMillis());
        }
        Collections.sort(latencies);

        // (2) throughput: EVENTS events committed at once, until the receiver has them all
        Job job = ledger().jobs().recent(1).get(0);
        Task task = ledger().tasks().forJob(job.id()).get(0);
        int before = RECEIVER.requests.size();
        long t0 = System.nanoTime();
        ledger().jdbc().inTransaction(() -> {
            for (int i = 0; i < EVENTS; i++) {
                Outbox.taskFinished(ledger(), task.id());
            }
            return null;
        });
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> RECEIVER.requests.size() >= before + EVENTS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(RECEIVER.requests.size()).isEqualTo(before + EVENTS);

        String result = String.format("files=%d task.finished latency from webhook intake to delivery (ms): "
                        + "p50=%d p99=%d max=%d (n=%d)%nthroughput: %d events in %.2f s = %.0f events/s "
                        + "(poll-ms=%s batch=%s threads=%s)%n", FILES, pct(latencies, 50), pct(latencies, 99),
                latencies.get(latencies.size() - 1), latencies.size(), EVENTS, seconds, EVENTS / seconds,
                System.getProperty("bench.poll-ms", "100"), System.getProperty("bench.batch", "500"),
                System.getProperty("bench.threads", "8"));
        System.out.print(result);
        Files.writeString(Path.of("target", "bench-downstream.txt"), result);
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
