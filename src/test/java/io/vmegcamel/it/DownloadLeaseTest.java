package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.StoredEvent;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.sandbox.SandboxServer.DownloadFault;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A download that lasts far longer than the event lease (here: a 1 s lease, a body that stays silent for up to
 * 4 s) is never claimed a second time by the sweeper: the lease is renewed while the download runs.
 */
class DownloadLeaseTest extends DownloadTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.events.lease", "1s");
        p.setProperty("vmeg.http.read-timeout", "4s");
        return p;
    }

    @Test
    void aLiveDownloadLongerThanTheLeaseIsNotClaimedTwice() throws Exception {
        sandbox().setDownloadFault(DownloadFault.stallAfter(1000));
        drop("sample.mp4", "demo.mp4");
        await().atMost(PATIENCE).until(() -> videoGets().size() == 1);

        // three leases long, with the sweeper looking every 500 ms: still one processor, one GET
        await().during(Duration.ofMillis(3000)).atMost(Duration.ofMillis(3900)).until(() ->
                videoGets().size() == 1 && finalEvent().map(e -> e.state().equals(StoredEvent.PROCESSING)
                        && e.attempts() == 1).orElse(false));

        // the stalled GET times out; its retry (same claim) gets the whole file
        sandbox().setDownloadFault(DownloadFault.none());
        awaitFile(env.archive().resolve("demo.mp4"));
        assertThat(Files.readAllBytes(languageDir("demo", "de-DE").resolve("demo.de-DE.mp4")))
                .isEqualTo(sample("sample.mp4"));
        StoredEvent done = finalEvent().orElseThrow();
        assertThat(done.state()).isEqualTo(StoredEvent.PROCESSED);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(videoGets()).hasSize(2);
        assertThat(ledger().history().forJob(task().orElseThrow().jobId())).extracting(e -> e.what())
                .containsOnlyOnce("DOWNLOADED");
        assertThat(ledger().tasks().require(task().orElseThrow().id()).state()).isEqualTo(TaskState.DOWNLOADED);
    }
}
