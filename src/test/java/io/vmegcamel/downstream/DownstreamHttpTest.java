package io.vmegcamel.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.it.BundleTestSupport;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * One source file, two languages, VMEG fails fr-FR: every outcome reaches every HTTP receiver, the file endpoint
 * and the log as a signed CloudEvent, exactly once per id; a receiver that is down at first gets it once it is up;
 * a receiver that refuses (400) dead-letters it, and a replay delivers the same event.
 */
class DownstreamHttpTest extends BundleTestSupport {

    static final Receiver ALL = new Receiver().start();
    static final Receiver LATE = new Receiver();                 // down until the test starts it
    static final Receiver STRICT = new Receiver().start();
    static final String OLD_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "old-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    static final String NEW_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "new-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    static final Path FILES = tempDir();

    static {
        STRICT.status.set(400);
    }

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.sandbox.fail-task-when", "lang:fr-FR");
        p.setProperty("vmeg.downstream.endpoints", ALL.url("/hooks") + " [job.*]" + LATE.url("/jobs")
                + "\n  [task.finished]" + STRICT.url("/strict") + " file:" + FILES + " log:downstream-test");
        p.setProperty("vmeg.downstream.secret", OLD_SECRET + " " + NEW_SECRET);
        p.setProperty("vmeg.downstream.source", "urn:vmeg-camel:test");
        p.setProperty("vmeg.downstream.poll-ms", "200");
        p.setProperty("vmeg.downstream.retry-initial", "200ms");
        p.setProperty("vmeg.downstream.retry-max", "1s");
        return p;
    }

    @AfterAll
    static void stopReceivers() {
        ALL.close();
        LATE.close();
        STRICT.close();
    }

    @Test
    void everyOutcomeReachesEveryEndpointSignedOncePerId() throws Exception {
        dropSidecar("demo.mp4", "{\"targetLanguages\": [\"de-DE\", \"fr-FR\"], \"extraData\": {\"order\": \"PO-7\"}}");
        drop("sample.mp4", "demo.mp4");

        await().atMost(PATIENCE).until(() -> ALL.requests.size() >= 3);
        Job job = ledger().jobs().recent(1).get(0);
        Map<String, Task> tasks = ledger().tasks().forJob(job.id()).stream()
                .collect(Collectors.toMap(Task::targetLanguage, Function.identity()));
        Map<String, Receiver.Request> byType = ALL.requests.stream()
                .collect(Collectors.toMap(r -> parse(r).path("type").asText(), r -> r));
        assertThat(byType).containsOnlyKeys(EventTypes.TASK_FINISHED, EventTypes.TASK_FAILED, EventTypes.JOB_FAILED);

        long now = Instant.now().getEpochSecond();
        for (Receiver.Request r : ALL.requests) {
            JsonNode ce = parse(r);
            assertThat(EventSchemas.errors(ce)).as("schema of %s", ce.path("type")).isEmpty();
            assertThat(r.path()).isEqualTo("/hooks");
            assertThat(r.header("Content-Type")).isEqualTo("application/cloudevents+json");
            assertThat(r.header("webhook-id")).isEqualTo(ce.path("id").asText());
            // rotation: a receiver that knows only the new secret, or only the old one, accepts it
            assertThat(StandardWebhooks.verify(NEW_SECRET, r.header("webhook-id"), r.header("webhook-timestamp"),
                    r.header("webhook-signature"), r.body(), now)).isTrue();
            assertThat(StandardWebhooks.verify(OLD_SECRET, r.header("webhook-id"), r.header("webhook-timestamp"),
                    r.header("webhook-signature"), r.body(), now)).isTrue();
            assertThat(StandardWebhooks.verify("whsec_" + Base64.getEncoder().encodeToString(new byte[24]),
                    r.header("webhook-id"), r.header("webhook-timestamp"), r.header("webhook-signature"), r.body(),
                    now)).isFalse();
            assertThat(r.header("webhook-signature").split(" ")).hasSize(2);
            assertThat(ce.path("specversion").asText()).isEqualTo("1.0");
            assertThat(ce.path("source").asText()).isEqualTo("urn:vmeg-camel:test");
            assertThat(ce.path("subject").asText()).isEqualTo("demo.mp4");
            assertThat(ce.path("datacontenttype").asText()).isEqualTo("application/json");
        }

        JsonNode finished = parse(byType.get(EventTypes.TASK_FINISHED)).path("data");
        assertThat(finished.path("taskRef").asText()).isEqualTo(tasks.get("de-DE").id());
        assertThat(finished.path("vmegTaskId").asText()).isEqualTo(tasks.get("de-DE").vmegTaskId());
        assertThat(finished.path("language").path("target").asText()).isEqualTo("de-DE");
        assertThat(finished.path("extraData").path("order").asText()).isEqualTo("PO-7");
        assertThat(finished.path("folder").asText()).isEqualTo(env.outbox().resolve("demo/de-DE").toAbsolutePath()
                .normalize().toString());
        assertThat(finished.path("files")).isNotEmpty();
        for (JsonNode f : finished.path("files")) {
            assertThat(Path.of(f.path("path").asText())).exists().hasSize(f.path("sizeBytes").asLong());
        }

        JsonNode failed = parse(byType.get(EventTypes.TASK_FAILED)).path("data");
        assertThat(failed.path("taskRef").asText()).isEqualTo(tasks.get("fr-FR").id());
        assertThat(failed.path("vmegTaskId").asText()).isEqualTo(tasks.get("fr-FR").vmegTaskId());
        assertThat(failed.path("error").asText()).startsWith("VMEG: task failed (code ");
        assertThat(failed.path("files")).isEmpty();

        JsonNode jobEvent = parse(byType.get(EventTypes.JOB_FAILED));
        JsonNode summary = jobEvent.path("data");
        assertThat(summary.path("jobId").asText()).isEqualTo(job.id());
        assertThat(summary.path("extraData").path("order").asText()).isEqualTo("PO-7");
        Map<String, JsonNode> languages = stream(summary.path("languages"))
                .collect(Collectors.toMap(l -> l.path("language").asText(), l -> l));
        assertThat(languages).containsOnlyKeys("de-DE", "fr-FR");
        assertThat(languages.get("de-DE").path("state").asText()).isEqualTo("DOWNLOADED");
        assertThat(languages.get("de-DE").path("vmegTaskId").asText()).isEqualTo(tasks.get("de-DE").vmegTaskId());
        assertThat(languages.get("de-DE").path("files").size()).isEqualTo(finished.path("files").size());
        assertThat(languages.get("fr-FR").path("state").asText()).isEqualTo("FAILED");
        assertThat(languages.get("fr-FR").path("vmegTaskId").asText()).isEqualTo(tasks.get("fr-FR").vmegTaskId());

        // the aggregate is recorded once, after both languages ended
        List<OutboxStore.Event> recorded = new OutboxStore(ledger()).eventsOfJob(job.id());
        assertThat(recorded).extracting(OutboxStore.Event::type).hasSize(3).last().isEqualTo(EventTypes.JOB_FAILED);
        assertThat(recorded.get(2).occurredAt()).isAfterOrEqualTo(recorded.get(0).occurredAt())
                .isAfterOrEqualTo(recorded.get(1).occurredAt());
        assertThat(Instant.parse(jobEvent.path("time").asText())).isEqualTo(recorded.get(2).occurredAt());

        // the file endpoint: one file per event, named by its id, the same bytes as the HTTP body, no temp file
        await().atMost(PATIENCE).until(() -> list(FILES).size() == 3);
        for (Receiver.Request r : ALL.requests) {
            Path file = FILES.resolve(r.header("webhook-id") + ".json");
            assertThat(file).exists();
            assertThat(Files.readAllBytes(file)).isEqualTo(r.body());
        }

        // the receiver that was down: retried, nothing lost once it is up
        String jobEventId = jobEvent.path("id").asText();
        await().atMost(PATIENCE).until(() -> deliveryTo(jobEventId, "/jobs").attempts() >= 2);
        // waiting for the next attempt, or in it right now: not given up
        assertThat(deliveryTo(jobEventId, "/jobs").state()).isIn(OutboxStore.PENDING, OutboxStore.SENDING);
        assertThat(deliveryTo(jobEventId, "/jobs").lastError()).isNotBlank();
        LATE.start();
        await().atMost(PATIENCE).until(() -> deliveryTo(jobEventId, "/jobs").state().equals(OutboxStore.DELIVERED));
        assertThat(LATE.requests).hasSize(1);
        assertThat(LATE.requests.get(0).body()).isEqualTo(byType.get(EventTypes.JOB_FAILED).body());

        // the receiver that refuses: dead after 3 attempts, kept with the last error, then replayed
        String finishedId = parse(byType.get(EventTypes.TASK_FINISHED)).path("id").asText();
        await().atMost(PATIENCE).until(() -> deliveryTo(finishedId, "/strict").state().equals(OutboxStore.DEAD));
        assertThat(deliveryTo(finishedId, "/strict").attempts()).isEqualTo(3);
        assertThat(deliveryTo(finishedId, "/strict").lastError()).isEqualTo("HTTP 400 Bad Request");
        assertThat(STRICT.requests).hasSize(3).allSatisfy(r -> assertThat(r.header("webhook-id")).isEqualTo(finishedId));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventCommands commands = new EventCommands(ledger(), context.getRegistry()
                .lookupByNameAndType("downstream", Dispatcher.class).endpoints(), new PrintStream(out, true));
        assertThat(commands.run(List.of("dead"))).isZero();
        assertThat(out.toString()).contains(finishedId).contains("HTTP 400");
        STRICT.status.set(200);
        assertThat(commands.run(List.of("replay", finishedId))).isZero();
        assertThat(out.toString()).contains(finishedId + ": 1 delivery scheduled");
        await().atMost(PATIENCE).until(() -> deliveryTo(finishedId, "/strict").state().equals(OutboxStore.DELIVERED));
        assertThat(STRICT.requests).hasSize(4);
        assertThat(STRICT.requests.get(3).body()).isEqualTo(byType.get(EventTypes.TASK_FINISHED).body());
        assertThat(STRICT.requests.get(3).header("webhook-id")).isEqualTo(finishedId);

        // nothing was sent twice to the receivers that were up
        assertThat(ALL.requests).hasSize(3);
        assertThat(ALL.requests.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(3);
        assertThat(new OutboxStore(ledger()).deliveries(OutboxStore.DEAD, 10)).isEmpty();

        // a past event sent again on purpose: same id, same bytes, so receivers can drop the duplicate
        assertThat(commands.run(List.of("replay", "--all", finishedId))).isZero();
        assertThat(out.toString()).contains(finishedId + ": 4 deliveries scheduled");
        await().atMost(PATIENCE).until(() -> ALL.requests.size() == 4 && STRICT.requests.size() == 5);
        assertThat(ALL.requests.get(3).header("webhook-id")).isEqualTo(finishedId);
        assertThat(ALL.requests.get(3).body()).isEqualTo(byType.get(EventTypes.TASK_FINISHED).body());
        assertThat(commands.run(List.of("replay", "no-such-event"))).isEqualTo(1);

        // every delivery ends delivered: 3 to ALL, 1 job event to LATE, 1 task.finished to STRICT, 3 files, 3 logs
        OutboxStore store = new OutboxStore(ledger());
        await().atMost(PATIENCE).until(() -> recorded.stream().flatMap(e -> store.deliveriesOf(e.id()).stream())
                .allMatch(d -> d.state().equals(OutboxStore.DELIVERED)));
        assertThat(recorded.stream().flatMap(e -> store.deliveriesOf(e.id()).stream()))
                .extracting(d -> d.endpoint().startsWith("log:") ? "log" : d.endpoint().startsWith("file:") ? "file"
                        : d.endpoint().substring(d.endpoint().lastIndexOf('/')))
                .containsExactlyInAnyOrder("/hooks", "/hooks", "/hooks", "/jobs", "/strict", "file", "file", "file",
                        "log", "log", "log");
    }

    private OutboxStore.Delivery deliveryTo(String eventId, String path) {
        return new OutboxStore(ledger()).deliveriesOf(eventId).stream().filter(d -> d.endpoint().endsWith(path))
                .findFirst().orElseThrow();
    }

    private JsonNode parse(Receiver.Request r) {
        try {
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-envs")).toAbsolutePath(),
                    "downstream-files-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
