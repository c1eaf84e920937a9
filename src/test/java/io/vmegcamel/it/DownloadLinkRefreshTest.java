package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.StoredEvent;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.sandbox.SandboxServer.DownloadFault;
import io.vmegcamel.vmeg.VmegPaths;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The first download fails; by the time the sweeper runs the event again, the links of the stored webhook have
 * expired (403): fresh ones come from tasks/detail and the file is delivered.
 */
class DownloadLinkRefreshTest extends DownloadTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        // a link lives at most ttl + 1 s (the sandbox rounds Expires up to a second); the retry comes at least
        // retry-after after the failed attempt, which is after the link was issued: so the retry always finds it
        // expired, however slow the machine, while the first attempt has 2 s to start
        p.setProperty("vmeg.sandbox.deliverable-ttl", "2s");
        p.setProperty("vmeg.events.retry-after", "4s");
        return p;
    }

    @Test
    void anExpiredLinkIsRefreshedThroughTasksDetail() throws Exception {
        sandbox().setDownloadFault(DownloadFault.truncateAfter(1000));
        drop("sample.mp4", "demo.mp4");
        await().atMost(PATIENCE).until(() -> eventIs(StoredEvent.FAILED));
        int detailCallsBefore = calls("GET", VmegPaths.TASK_DETAIL).size();

        sandbox().setDownloadFault(DownloadFault.none());
        awaitFile(env.archive().resolve("demo.mp4"));
        assertThat(Files.readAllBytes(languageDir("demo", "de-DE").resolve("demo.de-DE.mp4")))
                .isEqualTo(sample("sample.mp4"));
        // the sweeper's run: the stored link is refused as expired, tasks/detail, the fresh link is served
        List<RecordedRequest> gets = videoGets();
        assertThat(gets.subList(gets.size() - 2, gets.size())).extracting(RecordedRequest::status)
                .containsExactly(403, 200);
        assertThat(calls("GET", VmegPaths.TASK_DETAIL)).hasSize(detailCallsBefore + 1);
        assertThat(finalEvent().orElseThrow().attempts()).isEqualTo(2);
    }
}
