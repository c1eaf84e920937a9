package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.ledger.StoredEvent;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.vmeg.IdempotencyKeys;
import io.vmegcamel.vmeg.VmegPaths;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * VMEG cannot reach the webhook (wrong public URL): the reconciler asks tasks/detail, finishes the task VMEG
 * reports finished, and fails the one VMEG no longer knows.
 */
class MissingWebhookTest extends BundleTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.public-url", "http://127.0.0.1:9"); // nothing listens there: every webhook fails
        p.setProperty("vmeg.reconcile.after", "1s");
        p.setProperty("vmeg.reconcile.interval-ms", "300");
        p.setProperty("vmeg.sandbox.task-duration", "1500ms");
        return p;
    }

    @Test
    void aTaskWhoseWebhookNeverComesIsFinishedByPolling() {
        drop("sample.mp4", "demo.mp4");

        awaitFile(env.archive().resolve("demo.mp4"));

        assertThat(env.outbox().resolve("demo/de-DE/demo.de-DE.mp4")).exists();
        Task task = ledger().tasks().forJob(ledger().jobs().recent(1).get(0).id()).get(0);
        assertThat(task.state()).isEqualTo(TaskState.DOWNLOADED);
        List<StoredEvent> events = ledger().events().forTask(task.vmegTaskId());
        assertThat(events).extracting(StoredEvent::origin, StoredEvent::pipelineKey).containsExactly(
                org.assertj.core.groups.Tuple.tuple("poll", "poll:" + task.vmegTaskId() + ":finished"));
        assertThat(calls("GET", VmegPaths.TASK_DETAIL)).isNotEmpty();
        assertThat(sandbox().webhookAttempts()).isNotEmpty().allMatch(a -> a.status() == -1);
    }

    @Test
    void aTaskVmegNoLongerKnowsEndsFailedWithAClearReason() {
        drop("sample.mp4", "demo.mp4");
        await().atMost(PATIENCE).until(() -> !ledger().jobs().recent(1).isEmpty()
                && ledger().tasks().forJob(ledger().jobs().recent(1).get(0).id()).stream()
                .anyMatch(t -> t.vmegTaskId() != null));
        Task task = ledger().tasks().forJob(ledger().jobs().recent(1).get(0).id()).get(0);
        VmegTestClient vmeg = new VmegTestClient(sandbox().baseUrl());
        vmeg.post("/openapi/v1/tasks/delete", IdempotencyKeys.fresh(),
                json.createObjectNode().put("taskId", task.vmegTaskId()));

        JsonNode report = readJson(awaitFile(env.failed().resolve("demo.mp4.error.json")));

        assertThat(report.path("error").asText()).isEqualTo("TASK_FAILED");
        assertThat(report.path("languages").get(0).path("error").asText())
                .contains("VMEG does not know this task any more");
        assertThat(ledger().tasks().require(task.id()).state()).isEqualTo(TaskState.FAILED);
        assertThat(readJson(env.outbox().resolve("demo/de-DE/manifest.json")).path("status").asText())
                .isEqualTo("failed");
    }
}
