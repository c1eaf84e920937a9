package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.StoredEvent;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.sandbox.WebhookAttempt;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** VMEG delivers the same event several times and a stale "running" event after the final one. */
class UnreliableDeliveryTest extends BundleTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.sandbox.webhook-duplicates", "2");
        p.setProperty("vmeg.sandbox.webhook-out-of-order", "true");
        return p;
    }

    @Test
    void duplicatesAreDroppedAndALateRunningEventChangesNothing() {
        drop("sample.mp4", "demo.mp4");
        awaitFile(env.archive().resolve("demo.mp4"));
        Task task = ledger().tasks().forJob(ledger().jobs().recent(1).get(0).id()).get(0);

        // three deliveries of the final event and one stale event, all answered 2xx
        await().atMost(PATIENCE).until(() -> sandbox().webhookAttempts().size() >= 4);
        List<WebhookAttempt> attempts = sandbox().webhookAttempts();
        assertThat(attempts).allMatch(a -> a.status() == 200);
        await().atMost(PATIENCE).until(() -> ledger().events().forTask(task.vmegTaskId()).stream()
                .allMatch(e -> e.state().equals(StoredEvent.PROCESSED)) && ledger().events().count() == 2);

        // one stored event per pipelineKey: the final one and the stale one; one download
        assertThat(ledger().events().forTask(task.vmegTaskId())).hasSize(2);
        assertThat(ledger().tasks().require(task.id()).state()).isEqualTo(TaskState.DOWNLOADED);
        assertThat(sandbox().journal().stream().filter(r -> r.path().startsWith("/cdn/") && r.path().endsWith(".mp4")))
                .hasSize(1);
        assertThat(ledger().history().forJob(task.jobId())).extracting(e -> e.what())
                .containsOnlyOnce("DOWNLOADED").contains("VMEG running");
    }
}
