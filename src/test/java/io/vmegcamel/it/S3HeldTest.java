package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.vmeg.VmegPaths;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cost guard on a remote inbox: the held object and its report land in the held place beside the inbox. */
class S3HeldTest extends BundleTestSupport {

    private static MotoS3 s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = MotoS3.start(Path.of("target", "moto-held"));
        s3.bucket("held-test");
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.inbox", "s3://held-test/in");
        p.setProperty("vmeg.s3.endpoint", s3.endpoint());
        p.setProperty("vmeg.cost.max-credits-per-job", "1");
        p.setProperty("vmeg.storage.poll-ms", "200");
        p.setProperty("vmeg.storage.follow-ms", "200");
        return p;
    }

    @Test
    void aJobOverTheCapIsHeldBesideTheInboxWithItsReport() throws Exception {
        s3.put("held-test", "in/pricey.mp4", sample("sample.mp4"));

        await().atMost(PATIENCE).until(() -> s3.exists("held-test", "held/pricey.mp4.held.json"));
        assertThat(s3.get("held-test", "held/pricey.mp4")).isEqualTo(sample("sample.mp4"));
        JsonNode report = json.readTree(s3.get("held-test", "held/pricey.mp4.held.json"));
        assertThat(report.path("error").asText()).isEqualTo("COST_CAP");
        assertThat(report.path("capCredits").asLong()).isEqualTo(1);
        assertThat(s3.keys("held-test", "in/")).isEmpty();
        assertThat(s3.keys("held-test", "processing/")).isEmpty();
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).isEmpty();
    }
}
