package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.vmeg.VmegPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A file the ledger holds in quarantine from an earlier run stays held after the restart: the held files are read
 * once the ledger is open, before the inbox is first polled.
 */
class QuarantineRestartTest extends BundleTestSupport {

    private Path held;

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = super.useOverridePropertiesWithPropertiesComponent();
        try { // the earlier run: the file sits in the inbox, held in the ledger
            held = Files.createDirectories(env.inbox()).resolve("held.mp4");
            Files.write(held, sample("sample.mp4"));
            try (Ledger ledger = Ledger.open(p.getProperty("vmeg.ledger.url"), "sa", "", 2)) {
                ledger.quarantine().hold(held.toString(), Files.size(held),
                        Files.getLastModifiedTime(held).toMillis(), "the failed folder could not be written");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    @Test
    void aFileHeldBeforeTheRestartIsNotTakenAgain() {
        // the inbox is polled: a file beside it (other content) goes through
        Path other = drop("sample.m4a", "other.m4a");

        await().atMost(PATIENCE).until(() -> Files.notExists(other)
                && calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE).size() == 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> Files.exists(held)
                && calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE).size() == 1);
        assertThat(ledger().quarantine().find(held.toString())).isPresent();
    }
}
