package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.StoredEvent;
import io.vmegcamel.ledger.TaskState;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A result larger than vmeg.download.max-bytes is refused before any byte is requested, and not retried. */
class DownloadSizeCapTest extends DownloadTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.download.max-bytes", "1000");
        return p;
    }

    @Test
    void aResultOverTheSizeCapIsRefused() {
        int size = sample("sample.mp4").length;
        drop("sample.mp4", "demo.mp4");

        await().atMost(PATIENCE).until(() -> eventIs(StoredEvent.FAILED));
        StoredEvent failed = finalEvent().orElseThrow();
        String taskRef = task().orElseThrow().id();
        assertThat(failed.error()).matches("video of task " + taskRef + " -> demo\\.de-DE\\.mp4 "
                + "\\(http://127\\.0\\.0\\.1:\\d+/cdn/deliverables/t_\\w+/dubbed\\.mp4\\) refused: " + size
                + " bytes announced, more than vmeg\\.download\\.max-bytes \\(1000\\)");
        assertThat(failed.attempts()).isEqualTo(10);
        assertThat(videoGets()).isEmpty();
        assertThat(names(languageDir("demo", "de-DE"))).isEmpty();
        assertThat(ledger().tasks().require(taskRef).state()).isEqualTo(TaskState.FINISHED);
    }
}
