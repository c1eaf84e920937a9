package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.vmeg.VmegPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A dropped file comes out dubbed: the whole flow against the built-in sandbox, as a user sees it. */
class EndToEndTest extends BundleTestSupport {

    @Test
    void aDroppedVideoComesOutDubbedInEveryTargetLanguage() throws Exception {
        dropSidecar("demo.mp4", "{\"targetLanguages\": [\"de-DE\", \"fr-FR\"], \"extraData\": {\"orderId\": \"ORD-42\"}}");
        drop("sample.mp4", "demo.mp4");
        byte[] source = sample("sample.mp4");
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(source));

        Path jobSummary = awaitFile(env.outbox().resolve("demo/job.json"));

        // the outbox: per language the dubbed video, subtitles, the raw result and a manifest
        for (String lang : List.of("de-DE", "fr-FR")) {
            Path dir = env.outbox().resolve("demo").resolve(lang);
            assertThat(list(dir)).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(
                    "demo." + lang + ".mp4", "demo." + lang + ".srt", "demo." + lang + ".vtt", "result.json",
                    "manifest.json");
            assertThat(Files.size(dir.resolve("demo." + lang + ".mp4"))).isEqualTo(source.length);
            assertThat(Files.readString(dir.resolve("demo." + lang + ".vtt"))).startsWith("WEBVTT\n\n00:00:00.000 --> ");
            assertThat(Files.readString(dir.resolve("demo." + lang + ".srt"))).startsWith("1\n00:00:00,000 --> ");
            JsonNode manifest = readJson(dir.resolve("manifest.json"));
            assertThat(manifest.path("status").asText()).isEqualTo("finished");
            assertThat(manifest.path("language").path("target").asText()).isEqualTo(lang);
            assertThat(manifest.path("source").path("md5").asText()).isEqualTo(md5);
            assertThat(manifest.path("extraData").path("orderId").asText()).isEqualTo("ORD-42");
            assertThat(manifest.path("files").get(0).path("name").asText()).isEqualTo("demo." + lang + ".mp4");
            assertThat(manifest.path("files").get(0).path("sha256").asText()).isEqualTo(
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source)));
        }
        JsonNode summary = readJson(jobSummary);
        assertThat(summary.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(summary.path("languages")).hasSize(2);

        // the source file is archived with its sidecar; nothing is left behind
        assertThat(list(env.archive())).extracting(p -> p.getFileName().toString())
                .containsExactly("demo.mp4", "demo.mp4.vmeg.json");
        assertThat(list(env.inbox())).isEmpty();
        assertThat(list(env.processing())).isEmpty();
        assertThat(list(env.failed())).isEmpty();

        // the ledger
        Job job = ledger().jobs().recent(10).get(0);
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.contentMd5()).isEqualTo(md5);
        assertThat(job.location()).isEqualTo(env.archive().resolve("demo.mp4").toString());
        List<Task> tasks = ledger().tasks().forJob(job.id());
        assertThat(tasks).extracting(Task::targetLanguage).containsExactlyInAnyOrder("de-DE", "fr-FR");
        assertThat(tasks).allSatisfy(t -> {
            assertThat(t.state()).isEqualTo(TaskState.DOWNLOADED);
            assertThat(t.vmegTaskId()).startsWith("t_");
        });

        // what VMEG received: one upload, one create-async per language with the ledger's key
        RecordedRequest gen = single(calls("POST", VmegPaths.GEN_UPLOAD_URL));
        assertThat(bodyOf(gen).toString()).isEqualTo("{\"fileHash\":\"" + md5 + "\",\"fileName\":\"demo.mp4\"}");
        assertThat(header(gen, "Authorization")).isEqualTo("Bearer sandbox-api-key");
        RecordedRequest put = single(sandbox().journal().stream().filter(r -> r.method().equals("PUT")).toList());
        assertThat(put.status()).isEqualTo(200);
        assertThat(header(put, "Content-Length")).isEqualTo(String.valueOf(source.length));
        assertThat(header(put, "Authorization")).isNull();
        assertThat(header(put, "Transfer-Encoding")).isNull();
        RecordedRequest complete = single(calls("POST", VmegPaths.UPLOAD_COMPLETE));
        assertThat(bodyOf(complete).path("fileHash").asText()).isEqualTo(md5);
        List<RecordedRequest> creates = calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE);
        assertThat(creates).hasSize(2);
        for (RecordedRequest create : creates) {
            JsonNode body = bodyOf(create);
            Task task = tasks.stream().filter(t -> t.targetLanguage().equals(body.path("language").path("target").asText()))
                    .findFirst().orElseThrow();
            assertThat(header(create, "X-Idempotency-Key")).isEqualTo(task.idempotencyKey());
            // VMEG's support reference: derived from the key, so a retry of this call carries the same one
            assertThat(create.rawQuery()).isEqualTo("req_id=" + task.idempotencyKey().substring(0, 32));
            assertThat(header(create, "Content-Type")).startsWith("application/json");
            assertThat(body.toString()).isEqualTo("{\"taskType\":\"vt\",\"source\":{\"materialId\":\""
                    + job.materialId() + "\"},\"language\":{\"source\":\"auto\",\"target\":\"" + task.targetLanguage()
                    + "\"},\"options\":{\"voiceClone\":{\"style\":\"emotional\",\"mode\":\"role\"}},"
                    + "\"extraData\":{\"orderId\":\"ORD-42\",\"vmegCamel\":{\"jobId\":\"" + job.id() + "\",\"taskRef\":\""
                    + task.id() + "\",\"file\":\"demo.mp4\"}}}");
            assertThat(create.status()).isEqualTo(200);
        }
    }

    @Test
    void aDroppedAudioFileComesOutDubbedWithTheDefaultSpec() throws Exception {
        drop("sample.m4a", "podcast.m4a");

        Path manifest = awaitFile(env.outbox().resolve("podcast/de-DE/manifest.json"));

        assertThat(readJson(manifest).path("taskType").asText()).isEqualTo("at");
        Path audio = env.outbox().resolve("podcast/de-DE/podcast.de-DE.m4a");
        assertThat(Files.size(audio)).isEqualTo(sample("sample.m4a").length);
        awaitFile(env.archive().resolve("podcast.m4a"));
        JsonNode create = bodyOf(single(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)));
        assertThat(create.path("taskType").asText()).isEqualTo("at");
        assertThat(create.path("language").path("target").asText()).isEqualTo("de-DE");
        assertThat(ledger().jobs().recent(1).get(0).state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void aSecondDropOfTheSameFileAndSpecCreatesNoSecondTask() throws Exception {
        drop("sample.mp4", "demo.mp4");
        awaitFile(env.outbox().resolve("demo/job.json"));
        awaitFile(env.archive().resolve("demo.mp4"));

        drop("sample.mp4", "demo.mp4");           // the same file again
        drop("sample.mp4", "copy-of-demo.mp4");   // the same content under another name

        JsonNode again = readJson(awaitFile(env.failed().resolve("demo.mp4.error.json")));
        JsonNode copy = readJson(awaitFile(env.failed().resolve("copy-of-demo.mp4.error.json")));
        for (JsonNode report : List.of(again, copy)) {
            assertThat(report.path("error").asText()).isEqualTo("DUPLICATE");
            assertThat(report.path("message").asText()).contains("nothing was charged again")
                    .contains("outbox/demo/");
        }
        awaitFile(env.failed().resolve("demo.mp4"));          // moved once its report is written
        awaitFile(env.failed().resolve("copy-of-demo.mp4"));
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).hasSize(1);
        assertThat(calls("POST", VmegPaths.GEN_UPLOAD_URL)).hasSize(1);
        assertThat(ledger().jobs().inState(JobState.DUPLICATE)).hasSize(2);
        assertThat(ledger().jobs().inState(JobState.COMPLETED)).hasSize(1);
    }

    @Test
    void addingALanguageBuysOnlyTheNewLanguage() throws Exception {
        drop("sample.mp4", "demo.mp4");
        awaitFile(env.archive().resolve("demo.mp4"));

        dropSidecar("demo-v2.mp4", "{\"targetLanguages\": [\"de-DE\", \"es-ES\"]}");
        drop("sample.mp4", "demo-v2.mp4");
        awaitFile(env.outbox().resolve("demo-v2/es-ES/manifest.json"));

        List<RecordedRequest> creates = calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE);
        assertThat(creates).extracting(r -> bodyOf(r).path("language").path("target").asText())
                .containsExactly("de-DE", "es-ES");
        assertThat(env.outbox().resolve("demo-v2/de-DE")).doesNotExist();
        // the material was known: VMEG's MD5 dedup answered, no second upload of the bytes
        assertThat(sandbox().journal().stream().filter(r -> r.method().equals("PUT"))).hasSize(1);
        await().atMost(PATIENCE).until(() -> Files.exists(env.archive().resolve("demo-v2.mp4")));
    }

    private static <T> T single(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}
