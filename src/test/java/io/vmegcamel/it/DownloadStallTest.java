package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.StoredEvent;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.sandbox.SandboxServer.DownloadFault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The CDN stops sending in the middle of a body, or closes the connection early. */
class DownloadStallTest extends DownloadTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.http.read-timeout", "1s");
        return p;
    }

    @Test
    void aStalledDownloadTimesOutLeavesNoPartFileAndIsDeliveredOnceTheCdnRecovers() throws Exception {
        sandbox().setDownloadFault(DownloadFault.stallAfter(1000));
        drop("sample.mp4", "demo.mp4");

        // the GET and its two quick retries each stall after 1000 bytes and are dropped after 1 s of silence
        await().atMost(PATIENCE).until(() -> eventIs(StoredEvent.FAILED));
        StoredEvent failed = finalEvent().orElseThrow();
        assertThat(failed.error()).matches("VMEG GET 127\\.0\\.0\\.1/cdn/deliverables/t_\\w+/dubbed\\.mp4: "
                + "no answer \\(no data for 1s \\(vmeg\\.http\\.read-timeout\\) after 1000 bytes\\)");
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(videoGets()).hasSize(3);
        Path dir = languageDir("demo", "de-DE");
        assertThat(names(dir)).isEmpty(); // no part file, no half video
        assertThat(ledger().tasks().require(task().orElseThrow().id()).state()).isEqualTo(TaskState.FINISHED);

        // the CDN recovers: the sweeper runs the event again and the file arrives whole
        sandbox().setDownloadFault(DownloadFault.none());
        awaitFile(env.archive().resolve("demo.mp4"));
        assertThat(Files.readAllBytes(dir.resolve("demo.de-DE.mp4"))).isEqualTo(sample("sample.mp4"));
        assertThat(names(dir)).containsExactlyInAnyOrder("demo.de-DE.mp4", "demo.de-DE.srt", "demo.de-DE.vtt",
                "result.json", "manifest.json");
        StoredEvent done = finalEvent().orElseThrow();
        assertThat(done.state()).isEqualTo(StoredEvent.PROCESSED);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(videoGets()).hasSize(4);
        assertThat(ledger().tasks().require(task().orElseThrow().id()).state()).isEqualTo(TaskState.DOWNLOADED);
    }

    @Test
    void aTruncatedBodyIsASizeMismatchLeavesNoFileAndIsRetried() throws Exception {
        int size = sample("sample.mp4").length;
        sandbox().setDownloadFault(DownloadFault.truncateAfter(1000));
        drop("sample.mp4", "demo.mp4");

        await().atMost(PATIENCE).until(() -> eventIs(StoredEvent.FAILED));
        assertThat(finalEvent().orElseThrow().error()).matches("VMEG GET 127\\.0\\.0\\.1/cdn/deliverables/t_\\w+/"
                + "dubbed\\.mp4: no answer \\(body cut off after 1000 bytes, the result says " + size
                + ": Premature end of Content-Length delimited message body \\(expected: " + size
                + "; received: 1000\\)\\)");
        assertThat(videoGets()).hasSize(3);
        Path dir = languageDir("demo", "de-DE");
        assertThat(names(dir)).isEmpty();

        sandbox().setDownloadFault(DownloadFault.none());
        awaitFile(env.archive().resolve("demo.mp4"));
        assertThat(Files.readAllBytes(dir.resolve("demo.de-DE.mp4"))).isEqualTo(sample("sample.mp4"));
        assertThat(names(dir)).containsExactlyInAnyOrder("demo.de-DE.mp4", "demo.de-DE.srt", "demo.de-DE.vtt",
                "result.json", "manifest.json");
        assertThat(finalEvent().orElseThrow().attempts()).isEqualTo(2);
    }
}
