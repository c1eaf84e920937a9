package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.TaskState;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** VMEG fails one language: the others are delivered, the source lands in failed/ with the reason. */
class TaskFailureTest extends BundleTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.sandbox.fail-task-when", "lang:fr-FR");
        return p;
    }

    @Test
    void aFailedLanguageIsReportedAndTheOthersAreDelivered() {
        dropSidecar("demo.mp4", "{\"targetLanguages\": [\"de-DE\", \"fr-FR\"]}");
        drop("sample.mp4", "demo.mp4");

        JsonNode report = readJson(awaitFile(env.failed().resolve("demo.mp4.error.json")));

        assertThat(report.path("error").asText()).isEqualTo("TASK_FAILED");
        assertThat(report.path("message").asText()).startsWith("VMEG could not produce fr-FR");
        assertThat(report.path("whatToDo").asText()).startsWith("The other languages are in "
                + env.outbox().resolve("demo") + "/.");
        assertThat(env.failed().resolve("demo.mp4")).exists();
        assertThat(env.failed().resolve("demo.mp4.vmeg.json")).exists();
        assertThat(env.archive()).doesNotExist();
        assertThat(env.outbox().resolve("demo/de-DE/demo.de-DE.mp4")).exists();
        JsonNode failedManifest = readJson(env.outbox().resolve("demo/fr-FR/manifest.json"));
        assertThat(failedManifest.path("status").asText()).isEqualTo("failed");
        assertThat(failedManifest.path("error").asText()).startsWith("VMEG: task failed (code ");
        assertThat(readJson(env.outbox().resolve("demo/job.json")).path("state").asText()).isEqualTo("FAILED");

        Job job = ledger().jobs().recent(1).get(0);
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(ledger().tasks().forJob(job.id())).extracting(t -> t.targetLanguage() + "=" + t.state())
                .containsExactlyInAnyOrder("de-DE=" + TaskState.DOWNLOADED, "fr-FR=" + TaskState.FAILED);
    }
}
