package io.vmegcamel.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.it.BundleTestSupport;
import io.vmegcamel.ledger.Jdbc;
import io.vmegcamel.ledger.Ledger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger a {@code kill -9} leaves behind, written before the bundle boots: one event committed with its state
 * change but never routed (killed right after the commit), one whose delivery was being sent when the process died
 * (lease ended, receiver never answered). The restarted bundle delivers both, each once, with its original id; the
 * half-sent one carries exactly the bytes frozen before the crash.
 */
class DownstreamCrashRecoveryTest extends BundleTestSupport {

    static final Receiver RECEIVER = new Receiver().start();
    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "crash-secret-0123456789ab".getBytes(StandardCharsets.UTF_8));
    static final String JOB = "00000000-0000-0000-0000-00000000j0b1";
    static final String TASK = "00000000-0000-0000-0000-0000000task1";
    static final String UNROUTED = "11111111-1111-1111-1111-111111111111";
    static final String HALF_SENT = "22222222-2222-2222-2222-222222222222";
    static final String FROZEN_BODY = "{\"specversion\":\"1.0\",\"id\":\"" + HALF_SENT + "\",\"source\":\"urn:vmeg-camel:"
            + "before-crash\",\"type\":\"" + EventTypes.JOB_COMPLETED + "\",\"subject\":\"demo.mp4\",\"time\":"
            + "\"2026-01-01T00:00:00Z\",\"datacontenttype\":\"application/json\",\"data\":{\"jobId\":\"" + JOB + "\"}}";

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.downstream.endpoints", RECEIVER.url("/events"));
        p.setProperty("vmeg.downstream.secret", SECRET);
        p.setProperty("vmeg.downstream.poll-ms", "200");
        leaveWhatAKillLeaves();
        return p;
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Test
    void theRestartedBundleDeliversWhatTheCrashLeftBehind() throws Exception {
        await().atMost(PATIENCE).until(() -> RECEIVER.requests.size() >= 2
                && new OutboxStore(ledger()).deliveries(OutboxStore.DELIVERED, 10).size() == 2);

        assertThat(RECEIVER.requests).extracting(r -> r.header("webhook-id"))
                .containsExactlyInAnyOrder(UNROUTED, HALF_SENT);
        Receiver.Request halfSent = RECEIVER.requests.stream()
                .filter(r -> r.header("webhook-id").equals(HALF_SENT)).findFirst().orElseThrow();
        assertThat(halfSent.text()).isEqualTo(FROZEN_BODY);
        Receiver.Request unrouted = RECEIVER.requests.stream()
                .filter(r -> r.header("webhook-id").equals(UNROUTED)).findFirst().orElseThrow();
        JsonNode ce = json.readTree(unrouted.body());
        assertThat(EventSchemas.errors(ce)).isEmpty();
        assertThat(ce.path("type").asText()).isEqualTo(EventTypes.TASK_FINISHED);
        assertThat(ce.path("subject").asText()).isEqualTo("demo.mp4");
        assertThat(ce.path("data").path("files").get(0).path("path").asText())
                .isEqualTo(env.outbox().resolve("demo/de-DE/demo.de-DE.mp4").toAbsolutePath().normalize().toString());
        for (Receiver.Request r : RECEIVER.requests) {
            assertThat(StandardWebhooks.verify(SECRET, r.header("webhook-id"), r.header("webhook-timestamp"),
                    r.header("webhook-signature"), r.body(), Instant.now().getEpochSecond())).isTrue();
        }
        assertThat(new OutboxStore(ledger()).deliveriesOf(HALF_SENT)).singleElement()
                .satisfies(d -> assertThat(d.attempts()).isEqualTo(2));
        assertThat(new OutboxStore(ledger()).deliveriesOf(UNROUTED)).singleElement()
                .satisfies(d -> assertThat(d.attempts()).isEqualTo(1));
        assertThat(RECEIVER.requests).hasSize(2);
    }

    /** A completed one-language job whose two outcome events were caught by a kill at two different moments. */
    private void leaveWhatAKillLeaves() {
        try (Ledger ledger = Ledger.open("jdbc:h2:file:" + env.root().resolve("data").resolve("ledger"), "sa", "", 2)) {
            Path archived = Files.createDirectories(env.archive()).resolve("demo.mp4");
            Files.write(archived, sample("sample.mp4"));
            Path lang = Files.createDirectories(env.outbox().resolve("demo/de-DE"));
            Files.writeString(lang.resolve("demo.de-DE.mp4"), "dubbed");
            Files.writeString(lang.resolve("manifest.json"), "{\"jobId\":\"" + JOB + "\",\"taskRef\":\"" + TASK
                    + "\",\"vmegTaskId\":\"vmeg-1\",\"taskType\":\"video\",\"status\":\"finished\",\"source\":"
                    + "{\"fileName\":\"demo.mp4\"},\"language\":{\"source\":\"auto\",\"target\":\"de-DE\"},\"files\":"
                    + "[{\"role\":\"video\",\"name\":\"demo.de-DE.mp4\",\"sizeBytes\":6,\"sha256\":\""
                    + "0".repeat(64) + "\"}],\"extraData\":null}");
            Jdbc jdbc = ledger.jdbc();
            Instant t = Instant.now().minusSeconds(60);
            jdbc.update("INSERT INTO job (id, file_name, output_name, location, size_bytes, content_md5, media_kind, "
                    + "spec_json, spec_source, spec_hash, material_id, state, created_at, updated_at) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", JOB, "demo.mp4", "demo", archived.toString(), 70535L,
                    "0".repeat(32), "video", "{\"targetLanguages\":[\"de-DE\"]}", "defaults", "0".repeat(64), "mat-1",
                    "COMPLETED", t, t);
            jdbc.update("INSERT INTO task (id, job_id, target_language, content_md5, spec_hash, attempt, "
                    + "idempotency_key, state, vmeg_task_id, vmeg_task_type, created_at, updated_at) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", TASK, JOB, "de-DE", "0".repeat(32), "0".repeat(64), 1,
                    "key-1", "DOWNLOADED", "vmeg-1", "video", t, t);
            // killed right after the commit of FINISHED -> DOWNLOADED: the event exists, nothing else
            jdbc.update("INSERT INTO outbox_event (id, type, job_id, task_id, subject, occurred_at) "
                    + "VALUES (?,?,?,?,?,?)", UNROUTED, EventTypes.TASK_FINISHED, JOB, TASK, "demo.mp4", t);
            // killed while sending: routed, claimed (attempt 1), the lease has run out
            jdbc.update("INSERT INTO outbox_event (id, type, job_id, subject, occurred_at, body, routed_at) "
                    + "VALUES (?,?,?,?,?,?,?)", HALF_SENT, EventTypes.JOB_COMPLETED, JOB, "demo.mp4", t, FROZEN_BODY, t);
            Endpoint endpoint = Endpoint.parse(RECEIVER.url("/events"));
            jdbc.update("INSERT INTO outbox_delivery (event_id, endpoint_key, endpoint, state, attempts, "
                    + "next_attempt_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)", HALF_SENT, endpoint.key(),
                    endpoint.display(), OutboxStore.SENDING, 1, Instant.now().minusSeconds(1), t, t);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
