package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole flow with the inbox and the outbox on a real S3 API (moto_server): issue 8. */
class S3StorageTest extends BundleTestSupport {

    private static final java.util.concurrent.atomic.AtomicInteger BUCKETS = new java.util.concurrent.atomic.AtomicInteger();
    private static MotoS3 s3;
    /** A bucket per test: nothing one test leaves behind is seen by another. */
    private String bucket;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = MotoS3.start(Path.of("target", "moto"));
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Override
    protected Properties overrides() {
        bucket = "media-" + BUCKETS.incrementAndGet();
        s3.bucket(bucket);
        Properties p = new Properties();
        p.setProperty("vmeg.inbox", "s3://" + bucket + "/drop/inbox");
        p.setProperty("vmeg.outbox", "s3://" + bucket + "/results");
        p.setProperty("vmeg.s3.endpoint", s3.endpoint());
        p.setProperty("vmeg.s3.region", "us-east-1");
        p.setProperty("vmeg.target-languages", "de-DE,es-ES");
        p.setProperty("vmeg.sandbox.fail-task-when", "lang:fr-FR");
        p.setProperty("vmeg.downstream.endpoints", "file:" + env.root().resolve("events"));
        p.setProperty("vmeg.storage.poll-ms", "200");
        p.setProperty("vmeg.storage.follow-ms", "200");
        return p;
    }

    @Test
    void aDroppedObjectIsDubbedIntoTheOutboxBucketAndArchivedBesideTheInbox() {
        byte[] media = sample("sample.mp4");
        s3.put(bucket, "drop/inbox/mon film é.mp4", media);

        await().atMost(PATIENCE).until(() -> s3.exists(bucket, "drop/archive/mon film é.mp4")
                && s3.keys(bucket, "drop/processing/").isEmpty()); // copy, then delete
        Job job = ledger().jobs().recent(1).get(0);
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(s3.get(bucket, "drop/archive/mon film é.mp4")).isEqualTo(media);
        assertThat(s3.keys(bucket, "drop/inbox/")).isEmpty();
        assertThat(s3.keys(bucket, "drop/processing/")).isEmpty();
        // one task per language, each bought once
        assertThat(ledger().tasks().forJob(job.id())).hasSize(2);
        assertThat(calls("POST", "/openapi/v1/task/media-translation/create-async")).hasSize(2);
        for (String lang : List.of("de-DE", "es-ES")) {
            String dir = "results/" + job.outputName() + "/" + lang + "/";
            assertThat(s3.get(bucket, dir + job.outputName() + "." + lang + ".mp4")).isEqualTo(media);
            assertThat(s3.keys(bucket, dir)).contains(dir + "manifest.json", dir + "result.json");
        }
        await().atMost(PATIENCE).until(() -> s3.exists(bucket, "results/" + job.outputName() + "/job.json"));
        // the spool keeps nothing of a finished job but the small JSON files of the outbox
        await().atMost(PATIENCE).until(() -> spooled().isEmpty());
        // events name the files where the customer finds them
        JsonNode completed = await().atMost(PATIENCE).until(() -> event("job.completed"), e -> e != null);
        assertThat(completed.path("data").findValuesAsText("path"))
                .allMatch(path -> path.startsWith("s3://" + bucket + "/results/" + job.outputName() + "/"))
                .contains("s3://" + bucket + "/results/" + job.outputName() + "/de-DE/" + job.outputName()
                        + ".de-DE.mp4", "s3://" + bucket + "/results/" + job.outputName() + "/es-ES/"
                        + job.outputName() + ".es-ES.mp4");
        assertThat(completed.path("data").path("outbox").asText())
                .isEqualTo("s3://" + bucket + "/results/" + job.outputName());
    }

    @Test
    void aFailedLanguageSendsTheObjectToTheFailedPlaceWithItsReport() throws Exception {
        s3.put(bucket, "drop/inbox/demo.mp4.vmeg.json", "{\"targetLanguages\":[\"de-DE\",\"fr-FR\"]}"
                .getBytes(StandardCharsets.UTF_8));
        s3.put(bucket, "drop/inbox/demo.mp4", sample("sample.mp4"));

        await().atMost(PATIENCE).until(() -> s3.exists(bucket, "drop/failed/demo.mp4.error.json"));
        JsonNode report = json.readTree(s3.get(bucket, "drop/failed/demo.mp4.error.json"));
        assertThat(report.path("error").asText()).isEqualTo("TASK_FAILED");
        assertThat(report.path("message").asText()).startsWith("VMEG could not produce fr-FR");
        assertThat(report.path("whatToDo").asText()).startsWith("The other languages are in s3://" + bucket
                + "/results/demo/.");
        assertThat(s3.get(bucket, "drop/failed/demo.mp4")).isEqualTo(sample("sample.mp4"));
        assertThat(s3.exists(bucket, "drop/failed/demo.mp4.vmeg.json")).isTrue();
        assertThat(s3.get(bucket, "results/demo/de-DE/demo.de-DE.mp4")).isEqualTo(sample("sample.mp4"));
        await().atMost(PATIENCE).until(() -> s3.exists(bucket, "results/demo/fr-FR/manifest.json"));
        assertThat(json.readTree(s3.get(bucket, "results/demo/fr-FR/manifest.json")).path("status").asText())
                .isEqualTo("failed");
        await().atMost(PATIENCE).until(() -> spooled().isEmpty());
    }

    @Test
    void anObjectClaimedBeforeACrashButNeverSpooledIsProcessed() {
        // what a kill -9 between the claim (the move to processing) and the spool leaves behind
        s3.put(bucket, "drop/processing/late.mp4", sample("sample.mp4"));

        // a move on S3 is a copy, then a delete: the original goes a moment after the copy is there
        await().atMost(PATIENCE).until(() -> s3.exists(bucket, "drop/archive/late.mp4")
                && s3.keys(bucket, "drop/processing/").isEmpty());
        assertThat(calls("POST", "/openapi/v1/task/media-translation/create-async")).hasSize(2);
    }

    /** The first event of that type the file endpoint wrote, or null. */
    private JsonNode event(String type) throws Exception {
        Path dir = env.root().resolve("events");
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode e = json.readTree(f.toFile());
                if (e.path("type").asText().endsWith("." + type)) {
                    return e;
                }
            }
        }
        return null;
    }

    @Test
    void anEmptyObjectGetsAReportBesideTheInboxAndIsNotTakenAgain() throws Exception {
        s3.put(bucket, "drop/inbox/empty.mp4", new byte[0]);

        await().atMost(PATIENCE).until(() -> s3.exists(bucket, "drop/failed/empty.mp4.error.json"));
        assertThat(s3.keys(bucket, "drop/")).containsExactly("drop/failed/empty.mp4", "drop/failed/empty.mp4.error.json");
        JsonNode report = json.readTree(new String(s3.get(bucket, "drop/failed/empty.mp4.error.json"),
                StandardCharsets.UTF_8));
        assertThat(report.path("error").asText()).isEqualTo("EMPTY_FILE");
        assertThat(report.path("whatToDo").asText()).isNotBlank();
        assertThat(ledger().jobs().recent(10)).isEmpty();
        assertThat(calls("POST", "/openapi/v1/assets/material/upload/gen-upload-url")).isEmpty();
    }

    @Test
    void aSidecarTravelsWithItsObjectAndSetsTheLanguages() {
        s3.put(bucket, "drop/inbox/talk.mp4.vmeg.json", "{\"targetLanguages\":[\"es-ES\"]}".getBytes(
                StandardCharsets.UTF_8));
        s3.put(bucket, "drop/inbox/talk.mp4", sample("sample.mp4"));

        await().atMost(PATIENCE).until(() -> s3.exists(bucket, "drop/archive/talk.mp4"));
        assertThat(s3.exists(bucket, "drop/archive/talk.mp4.vmeg.json")).isTrue();
        Job job = ledger().jobs().recent(1).get(0);
        assertThat(ledger().tasks().forJob(job.id())).extracting(t -> t.targetLanguage()).containsExactly("es-ES");
    }

    private List<Path> spooled() throws Exception {
        Path spool = env.root().resolve("data").resolve("spool");
        try (var files = Files.walk(spool)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".json"))
                    .toList();
        }
    }
}
