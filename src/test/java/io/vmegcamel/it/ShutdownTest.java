package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.vmeg.VmegPaths;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The bundle stops while a file is being ingested: the file stays in the inbox, its job waits to be resumed. */
class ShutdownTest extends BundleTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.retry.delay-ms", "5000"); // the ingest sits in a retry when the stop comes
        p.setProperty("vmeg.retry.max-redeliveries", "5");
        return p;
    }

    @Test
    void aStopDuringIngestLeavesTheFileInTheInbox() throws Exception {
        sandbox().injectFault("POST", VmegPaths.MEDIA_TRANSLATION_CREATE, 503, 503, "maintenance", 10);
        drop("sample.mp4", "demo.mp4");
        await().atMost(PATIENCE).until(() -> !calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE).isEmpty());
        String ledgerUrl = context.resolvePropertyPlaceholders("{{vmeg.ledger.url}}");

        context.stop();

        assertThat(env.inbox().resolve("demo.mp4")).exists();
        assertThat(list(env.failed())).isEmpty();
        assertThat(list(env.processing())).isEmpty();
        try (Ledger ledger = Ledger.open(ledgerUrl, "sa", "", 1)) {
            Job job = ledger.jobs().recent(1).get(0);
            assertThat(job.state()).isEqualTo(JobState.UPLOADED);
            assertThat(ledger.tasks().forJob(job.id()).get(0).state()).isEqualTo(TaskState.SUBMITTING);
        }
    }
}
