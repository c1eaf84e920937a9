package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.Quarantine;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.vmeg.VmegPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A file whose failure cannot be reported (the failed folder cannot be created: a file is in its place) is
 * quarantined once instead of being taken, refused and logged again at every poll; once it changes it is taken
 * again.
 */
class QuarantineTest extends BundleTestSupport {

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = super.useOverridePropertiesWithPropertiesComponent();
        try {
            Files.writeString(env.failed(), "not a folder"); // tests run as root: permissions would not stop us
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    @Test
    void aFileWhoseFailureCannotBeReportedIsHeldUntilItChanges() throws Exception {
        // VMEG refuses create-async (a documented 422): the file must go to failed/, which cannot be written
        sandbox().injectFault("POST", VmegPaths.MEDIA_TRANSLATION_CREATE, 422, 422, "unprocessable media", 1);
        Path file = drop("sample.mp4", "q.mp4");

        await().atMost(PATIENCE).until(() -> ledger().quarantine().find(file.toString()).isPresent());
        Quarantine.Held held = ledger().quarantine().find(file.toString()).orElseThrow();
        assertThat(held.reason()).contains("could not be reported").contains("422");
        assertThat(held.sizeBytes()).isEqualTo(Files.size(file));

        // held: not taken again, poll after poll (every 100 ms here)
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE).size() == 1 && Files.exists(file));

        // the operator fixes the cause and touches the file: it is taken again and goes through
        Files.delete(env.failed());
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(1)));
        awaitFile(env.archive().resolve("q.mp4"));
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).extracting(RecordedRequest::status)
                .containsExactly(422, 200);
        assertThat(ledger().quarantine().find(file.toString())).isEmpty();
        assertThat(list(env.inbox())).isEmpty();
    }
}
