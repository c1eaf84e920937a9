package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.vmeg.VmegPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Files the flow cannot take end in the failed folder with an error report; nothing is lost or paid twice. */
class IngestFailuresTest extends BundleTestSupport {

    private JsonNode awaitFailure(String name) {
        JsonNode report = readJson(awaitFile(env.failed().resolve(name + ".error.json")));
        awaitFile(env.failed().resolve(name)); // the file consumer moves it once its report is written
        assertThat(env.inbox().resolve(name)).doesNotExist();
        assertThat(report.path("file").asText()).isEqualTo(name);
        assertThat(report.path("whatToDo").asText()).isNotBlank();
        return report;
    }

    @Test
    void aFileThatIsNotMediaIsRefusedWithoutCallingVmeg() {
        dropBytes("notes.txt", "hello".getBytes(StandardCharsets.UTF_8));
        JsonNode report = awaitFailure("notes.txt");
        assertThat(report.path("error").asText()).isEqualTo("UNSUPPORTED_FILE_TYPE");
        assertThat(report.path("message").asText()).contains("mp4").contains("m4a");
        assertThat(sandbox().journal()).isEmpty();
    }

    @Test
    void anEmptyFileIsRefused() {
        dropBytes("empty.mp4", new byte[0]);
        assertThat(awaitFailure("empty.mp4").path("error").asText()).isEqualTo("EMPTY_FILE");
        assertThat(sandbox().journal()).isEmpty();
    }

    @Test
    void aBadSidecarIsReportedAndTravelsWithItsFile() {
        dropSidecar("demo.mp4", "{\"targetLanguages\": [\"de-DE\", \"xx-XX\"], \"lipSync\": true}");
        drop("sample.mp4", "demo.mp4");
        JsonNode report = awaitFailure("demo.mp4");
        assertThat(report.path("error").asText()).isEqualTo("INVALID_SPEC");
        assertThat(report.path("message").asText()).startsWith("demo.mp4.vmeg.json: ").contains("lipSync");
        awaitFile(env.failed().resolve("demo.mp4.vmeg.json"));
        assertThat(env.inbox().resolve("demo.mp4.vmeg.json")).doesNotExist();
        assertThat(sandbox().journal()).isEmpty();
    }

    @Test
    void aRefusedCreateAsyncFailsTheFileAndADropAfterTheFixBuysItWithANewKey() throws Exception {
        sandbox().injectFault("POST", VmegPaths.MEDIA_TRANSLATION_CREATE, 422, 422, "media cannot be processed", 1);
        drop("sample.mp4", "demo.mp4");
        JsonNode report = awaitFailure("demo.mp4");

        assertThat(report.path("error").asText()).isEqualTo("VMEG_REJECTED");
        assertThat(report.path("vmeg").path("httpStatus").asInt()).isEqualTo(422);
        assertThat(report.path("languages").get(0).path("state").asText()).isEqualTo("REJECTED");
        Job failed = ledger().jobs().recent(1).get(0);
        assertThat(failed.state()).isEqualTo(JobState.INGEST_FAILED);

        moveBack("demo.mp4");
        awaitFile(env.archive().resolve("demo.mp4"));

        // the same job resumed: same outbox folder; a refused attempt cost nothing, so a new key was used
        assertThat(env.outbox().resolve("demo/de-DE/manifest.json")).exists();
        List<Task> tasks = ledger().tasks().forJob(failed.id());
        assertThat(tasks).extracting(Task::attempt, Task::state)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(0, TaskState.REJECTED),
                        org.assertj.core.groups.Tuple.tuple(1, TaskState.DOWNLOADED));
        List<RecordedRequest> creates = calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE);
        assertThat(creates).extracting(RecordedRequest::status).containsExactly(422, 200);
        assertThat(header(creates.get(0), "X-Idempotency-Key")).isNotEqualTo(header(creates.get(1), "X-Idempotency-Key"));
    }

    @Test
    void vmegServerErrorsAreRetriedWithTheSameIdempotencyKey() {
        sandbox().injectFault("POST", VmegPaths.MEDIA_TRANSLATION_CREATE, 500, 500, "internal error", 2);
        drop("sample.mp4", "demo.mp4");
        awaitFile(env.archive().resolve("demo.mp4"));

        List<RecordedRequest> creates = calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE);
        assertThat(creates).extracting(RecordedRequest::status).containsExactly(500, 500, 200);
        assertThat(creates).extracting(r -> header(r, "X-Idempotency-Key")).containsOnly(
                ledger().tasks().forJob(ledger().jobs().recent(1).get(0).id()).get(0).idempotencyKey());
        assertThat(sandbox().webhookAttempts()).hasSize(1);
    }

    @Test
    void whenVmegStaysDownTheFileFailsAndADropLaterResendsTheSameKey() {
        sandbox().injectFault("POST", VmegPaths.MEDIA_TRANSLATION_CREATE, 502, 502, "upstream timeout", 3);
        drop("sample.mp4", "demo.mp4");
        JsonNode report = awaitFailure("demo.mp4");
        assertThat(report.path("error").asText()).isEqualTo("VMEG_UNAVAILABLE");
        assertThat(report.path("vmeg").path("httpStatus").asInt()).isEqualTo(502);
        assertThat(report.path("languages").get(0).path("state").asText()).isEqualTo("SUBMITTING");

        moveBack("demo.mp4");
        awaitFile(env.archive().resolve("demo.mp4"));

        List<RecordedRequest> creates = calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE);
        assertThat(creates).extracting(RecordedRequest::status).containsExactly(502, 502, 502, 200);
        assertThat(creates).extracting(r -> header(r, "X-Idempotency-Key")).containsOnly(header(creates.get(0),
                "X-Idempotency-Key"));
        assertThat(env.outbox().resolve("demo/de-DE/demo.de-DE.mp4")).exists();
    }

    private void moveBack(String name) {
        try {
            Path target = env.inbox().resolve(name);
            Files.move(env.failed().resolve(name), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
