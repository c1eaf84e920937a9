package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.JobState;
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
 * The file was submitted, but the move to the processing folder fails (a file is in its place): the file is
 * quarantined in the inbox instead of being taken again at every poll, its job waits, and once the operator fixes
 * the folder and touches the file, the job resumes without buying anything again and completes.
 */
class QuarantineMoveTest extends BundleTestSupport {

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = super.useOverridePropertiesWithPropertiesComponent();
        try {
            Files.writeString(env.processing(), "not a folder");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    @Test
    void aSourceThatCannotBeMovedIsHeldAndResumesOnceTouched() throws Exception {
        Path file = drop("sample.mp4", "m.mp4");

        await().atMost(PATIENCE).until(() -> ledger().quarantine().find(file.toString()).isPresent());
        assertThat(ledger().quarantine().find(file.toString()).orElseThrow().reason()).contains("could not be moved");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                calls("POST", VmegPaths.GEN_UPLOAD_URL).size() == 1 && Files.exists(file));
        assertThat(ledger().jobs().recent(1).get(0).state()).isEqualTo(JobState.SUBMITTED);

        Files.delete(env.processing());
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(1)));
        awaitFile(env.archive().resolve("m.mp4")); // its own earlier, failed move does not take the name
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).extracting(RecordedRequest::status)
                .containsExactly(200);
        await().atMost(PATIENCE).until(() -> ledger().jobs().recent(1).get(0).state() == JobState.COMPLETED);
        assertThat(ledger().quarantine().find(file.toString())).isEmpty();
        assertThat(list(env.inbox())).isEmpty();
    }
}
