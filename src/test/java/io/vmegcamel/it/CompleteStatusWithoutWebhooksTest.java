package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.StoredEvent;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.vmeg.VmegPaths;
import java.util.Properties;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * A VMEG that sends no webhooks and whose tasks/detail says {@code complete} instead of {@code finished}: the
 * reconciler reads the word as finished and the task is delivered.
 */
class CompleteStatusWithoutWebhooksTest extends BundleTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.sandbox.webhooks-enabled", "false");
        p.setProperty("vmeg.sandbox.finished-status-word", "complete");
        p.setProperty("vmeg.reconcile.after", "1s");
        p.setProperty("vmeg.reconcile.interval-ms", "300");
        return p;
    }

    @Test
    void statusCompleteWithWebhooksOffIsDeliveredThroughTheReconciler() {
        drop("sample.mp4", "demo.mp4");

        awaitFile(env.archive().resolve("demo.mp4"));

        assertThat(env.outbox().resolve("demo/de-DE/demo.de-DE.mp4")).exists();
        Task task = ledger().tasks().forJob(ledger().jobs().recent(1).get(0).id()).get(0);
        assertThat(task.state()).isEqualTo(TaskState.DOWNLOADED);
        assertThat(sandbox().task(task.vmegTaskId()).orElseThrow().path("status").asText()).isEqualTo("complete");
        await().atMost(PATIENCE).until(() -> ledger().events().forTask(task.vmegTaskId()).stream()
                .allMatch(e -> e.state().equals(StoredEvent.PROCESSED))); // the archive move comes just before
        assertThat(ledger().events().forTask(task.vmegTaskId()))
                .extracting(StoredEvent::origin, StoredEvent::pipelineKey, StoredEvent::state)
                .containsExactly(Tuple.tuple("poll", "poll:" + task.vmegTaskId() + ":complete", StoredEvent.PROCESSED));
        assertThat(calls("GET", VmegPaths.TASK_DETAIL)).isNotEmpty();
        assertThat(sandbox().webhookAttempts()).isEmpty();
        assertThat(readJson(env.outbox().resolve("demo/de-DE/manifest.json")).path("status").asText())
                .isEqualTo("finished");
    }
}
