package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmegcamel.ledger.StoredEvent;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.vmeg.VmegPaths;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** VMEG cannot reach the webhook (wrong public URL): the reconciler finds the finished task with tasks/detail. */
class MissingWebhookTest extends BundleTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.public-url", "http://127.0.0.1:9"); // nothing listens there: every webhook fails
        p.setProperty("vmeg.reconcile.after", "1s");
        p.setProperty("vmeg.reconcile.interval-ms", "300");
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
}
