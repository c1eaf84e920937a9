package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.ledger.StoredEvent;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.sandbox.SandboxServer.DownloadFault;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The CDN answers a result link with redirects to other signed links of the same file. */
class DownloadRedirectTest extends DownloadTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.events.retry-after", "60s"); // a failed event stays failed while the test looks at it
        return p;
    }

    @Test
    void aRedirectChainIsFollowedAndTheFileIsByteExact() throws Exception {
        sandbox().setDownloadFault(DownloadFault.redirect(3));
        drop("sample.mp4", "demo.mp4");
        awaitFile(env.archive().resolve("demo.mp4"));

        Path dir = languageDir("demo", "de-DE");
        byte[] source = sample("sample.mp4");
        assertThat(Files.readAllBytes(dir.resolve("demo.de-DE.mp4"))).isEqualTo(source);
        assertThat(names(dir)).containsExactlyInAnyOrder("demo.de-DE.mp4", "demo.de-DE.srt", "demo.de-DE.vtt",
                "result.json", "manifest.json");
        JsonNode manifest = readJson(dir.resolve("manifest.json"));
        assertThat(manifest.path("files").get(0).path("sha256").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source)));

        // three 302s, then the file; the first GET used VMEG's link byte for byte, each hop a new signed link
        List<RecordedRequest> gets = videoGets();
        assertThat(gets).extracting(RecordedRequest::status).containsExactly(302, 302, 302, 200);
        URI link = URI.create(readJson(dir.resolve("result.json")).path("build").path("video").path("url").asText());
        assertThat(gets.get(0).path()).isEqualTo(link.getRawPath());
        assertThat(gets.get(0).rawQuery()).isEqualTo(link.getRawQuery());
        assertThat(gets).extracting(RecordedRequest::rawQuery).doesNotHaveDuplicates();
        assertThat(finalEvent().orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    void tooManyRedirectsAreAClearErrorAndNothingIsWritten() {
        sandbox().setDownloadFault(DownloadFault.redirect(6));
        drop("sample.mp4", "demo.mp4");

        await().atMost(PATIENCE).until(() -> eventIs(StoredEvent.FAILED));
        assertThat(finalEvent().orElseThrow().error()).matches("VMEG GET 127\\.0\\.0\\.1/cdn/deliverables/t_\\w+/"
                + "dubbed\\.mp4: HTTP 302, code 302, \"more than 5 redirects \\(vmeg\\.download\\.max-redirects\\): "
                + "the CDN keeps redirecting\"");
        // the link and five redirects were followed, the sixth redirect was not; a redirect is not retried at once
        assertThat(videoGets()).extracting(RecordedRequest::status).containsExactly(302, 302, 302, 302, 302, 302);
        assertThat(names(languageDir("demo", "de-DE"))).isEmpty();
        assertThat(ledger().tasks().require(task().orElseThrow().id()).state()).isEqualTo(TaskState.FINISHED);
        assertThat(list(env.archive())).isEmpty();
    }
}
