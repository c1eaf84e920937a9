package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.ledger.Jdbc;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Work that waits past its window shows on the management port: the health check {@code vmeg-stuck-work} names each
 * kind with its count (and is DOWN, without touching readiness or liveness), and the gauge {@code vmeg_stuck_work}
 * carries the same counts. Fresh work of the same kinds is not counted.
 */
class StuckWorkTest extends BundleTestSupport {

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.repair.interval-ms", "3600000"); // the repair would finish the unfinished job
        return p;
    }

    @Test
    void eachKindOfStuckWorkIsCountedOnHealthAndMetrics() throws Exception {
        job("j-processing", JobState.PROCESSING, Duration.ofMinutes(20));
        task("t-done", "j-processing", "DOWNLOADED", Duration.ofMinutes(20));
        job("j-stalled", JobState.UPLOADED, Duration.ofHours(4));
        job("j-fresh", JobState.UPLOADED, Duration.ZERO);
        task("t-submitting", "j-fresh", "SUBMITTING", Duration.ofHours(1));
        task("t-submitting-fresh", "j-fresh", "SUBMITTING", Duration.ZERO);
        task("t-silent", "j-fresh", "SUBMITTED", Duration.ofHours(7));
        event("pk-exhausted", 10);
        event("pk-retrying", 3);
        ledger().quarantine().hold(env.inbox().resolve("held.mp4").toString(), 1, 1, "test");

        // readiness and liveness do not depend on it
        await().atMost(PATIENCE).until(() -> get("/observe/health/ready").statusCode() == 200);
        assertThat(get("/observe/health/live").statusCode()).isEqualTo(200);

        HttpResponse<String> health = get("/observe/health?data=true"); // data=true: the checks' details
        assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
        JsonNode check = null;
        for (JsonNode c : json.readTree(health.body()).path("checks")) {
            if (c.path("name").asText().equals("vmeg-stuck-work")) {
                check = c;
            }
        }
        assertThat(check).as(health.body()).isNotNull();
        assertThat(check.path("status").asText()).isEqualTo("DOWN");
        assertThat(check.path("message").asText()).startsWith("stuck work: ").contains("eventsExhausted=1");
        JsonNode details = check.path("data");
        for (String kind : new String[] {"tasksSubmittingUnconfirmed", "tasksSubmittedSilent", "eventsExhausted",
                "jobsProcessingUnfinished", "jobsIngestStalled", "filesQuarantined"}) {
            assertThat(details.path(kind).asText()).as(kind + " in " + details).isEqualTo("1");
        }

        String metrics = get("/observe/metrics").body();
        assertThat(metrics).contains("vmeg_stuck_work{kind=\"tasksSubmittingUnconfirmed\"} 1.0",
                "vmeg_stuck_work{kind=\"tasksSubmittedSilent\"} 1.0", "vmeg_stuck_work{kind=\"eventsExhausted\"} 1.0",
                "vmeg_stuck_work{kind=\"jobsProcessingUnfinished\"} 1.0",
                "vmeg_stuck_work{kind=\"jobsIngestStalled\"} 1.0", "vmeg_stuck_work{kind=\"filesQuarantined\"} 1.0");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.managementPort() + path)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private void job(String id, JobState state, Duration age) {
        String md5 = String.format("%32s", id).replace(' ', '0');
        ledger().jobs().insert(new Job(id, id + ".mp4", id, env.processing().resolve(id + ".mp4").toString(), 17, md5,
                "video", "{}", "defaults", "a".repeat(64), "m_" + id, state, null, null, null));
        ledger().jdbc().update("UPDATE job SET updated_at = ? WHERE id = ?", ago(age), id);
    }

    private void task(String id, String jobId, String state, Duration age) {
        ledger().jdbc().update("INSERT INTO task (id, job_id, target_language, content_md5, spec_hash, attempt, "
                        + "idempotency_key, state, vmeg_task_id, submitted_at, created_at, updated_at) "
                        + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", id, jobId, "de-DE", String.format("%32s", id)
                        .replace(' ', '0'), "a".repeat(64), 0, "key-" + id, state, "t_" + id, ago(age), ago(age),
                ago(age));
    }

    private void event(String pipelineKey, int attempts) {
        ledger().jdbc().update("INSERT INTO webhook_event (pipeline_key, event, vmeg_task_id, origin, body, state, "
                + "attempts, received_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)", pipelineKey,
                "openapi-media-translation", "t_other", "webhook", "{}", "FAILED", attempts, Jdbc.now(), Jdbc.now());
    }

    private static OffsetDateTime ago(Duration age) {
        return Jdbc.now().minus(age);
    }
}
