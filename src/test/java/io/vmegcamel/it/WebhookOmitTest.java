package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.StoredEvent;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.sandbox.WebhookAttempt;
import io.vmegcamel.vmeg.VmegPaths;
import java.util.Properties;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * VMEG's webhooks arrive without {@code pipelineKey} and {@code event} (the schema requires only {@code data}),
 * each delivered twice: one stored event per task, typed from {@code data.taskType}, and the task delivered.
 */
class WebhookOmitTest extends BundleTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.sandbox.webhook-omit", "pipelineKey,event");
        p.setProperty("vmeg.sandbox.webhook-duplicates", "1");
        p.setProperty("vmeg.reconcile.after", "1h"); // the webhook alone must do it
        return p;
    }

    @Test
    void webhooksWithoutPipelineKeyOrEventAreDeduplicatedAndDeliver() {
        drop("sample.mp4", "demo.mp4");

        awaitFile(env.archive().resolve("demo.mp4"));

        assertThat(env.outbox().resolve("demo/de-DE/demo.de-DE.mp4")).exists();
        Task task = ledger().tasks().forJob(ledger().jobs().recent(1).get(0).id()).get(0);
        assertThat(task.state()).isEqualTo(TaskState.DOWNLOADED);
        await().atMost(PATIENCE).until(() -> sandbox().webhookAttempts().size() == 2);
        assertThat(sandbox().webhookAttempts()).extracting(WebhookAttempt::status).containsExactly(200, 200);
        await().atMost(PATIENCE).until(() -> ledger().events().forTask(task.vmegTaskId()).stream()
                .allMatch(e -> e.state().equals(StoredEvent.PROCESSED))); // the archive move comes just before
        assertThat(ledger().events().forTask(task.vmegTaskId()))
                .extracting(StoredEvent::origin, StoredEvent::pipelineKey, StoredEvent::event, StoredEvent::state)
                .containsExactly(Tuple.tuple("webhook", "nokey:task:" + task.vmegTaskId() + ":finished",
                        "openapi-media-translation", StoredEvent.PROCESSED));
        assertThat(bodyOf(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE).get(0)).path("taskType").asText())
                .isEqualTo("vt");
        assertThat(calls("GET", VmegPaths.TASK_DETAIL)).isEmpty();
    }
}
