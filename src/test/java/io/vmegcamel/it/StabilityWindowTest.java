package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * With a stability window far longer than the test (60 s): a file whose modification time is already older than
 * the window is taken at once, one written just now is not.
 */
class StabilityWindowTest extends BundleTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.ingest.stable-check-ms", "60000");
        p.setProperty("vmeg.ingest.stable-timeout-ms", "90000");
        return p;
    }

    @Test
    void anOldFileIsTakenAtOnceAndAFreshOneWaitsForTheWindow() throws Exception {
        drop("sample.m4a", "fresh.m4a"); // modified just now: must stay until the window has passed
        Path old = Files.write(env.root().resolve("old.mp4"), sample("sample.mp4"));
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3600)));
        Files.move(old, env.inbox().resolve("old.mp4")); // renamed into place: keeps its modification time

        awaitFile(env.processing().resolve("old.mp4"));
        assertThat(env.inbox().resolve("fresh.m4a")).exists();
    }
}
