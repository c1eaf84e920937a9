package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.StoredEvent;
import io.vmegcamel.ledger.TaskState;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A result link outside vmeg.download.allowed-hosts is never requested: the event fails for good (not retried)
 * with a message naming the setting.
 */
class DownloadRefusalTest extends DownloadTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.download.allowed-hosts", "cdn.vmeg.example,*.cloudfront.net");
        return p;
    }

    @Test
    void aHostOutsideTheAllowlistIsRefusedAndNotRetried() {
        drop("sample.mp4", "demo.mp4");

        await().atMost(PATIENCE).until(() -> eventIs(StoredEvent.FAILED));
        StoredEvent failed = finalEvent().orElseThrow();
        assertThat(failed.error()).matches("result link http://127\\.0\\.0\\.1:\\d+/cdn/deliverables/t_\\w+/"
                + "dubbed\\.mp4 refused: host 127\\.0\\.0\\.1 is not in vmeg\\.download\\.allowed-hosts "
                + "\\(cdn\\.vmeg\\.example,\\*\\.cloudfront\\.net\\)");
        assertThat(failed.attempts()).isEqualTo(10); // vmeg.events.max-attempts: used up, the sweeper leaves it

        // the sweeper looks every 500 ms and retries failed events after 1 s: nothing happens any more
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() ->
                finalEvent().orElseThrow().attempts() == 10 && eventIs(StoredEvent.FAILED));
        assertThat(videoGets()).isEmpty();
        assertThat(names(languageDir("demo", "de-DE"))).isEmpty();
        assertThat(ledger().tasks().require(task().orElseThrow().id()).state()).isEqualTo(TaskState.FINISHED);
    }
}
