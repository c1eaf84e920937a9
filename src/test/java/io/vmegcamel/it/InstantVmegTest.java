package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmegcamel.ledger.JobState;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * VMEG answers instantly: the webhook and the download usually finish before the file consumer has moved the
 * source to processing/. The job must still complete, exactly once, with the source archived.
 */
class InstantVmegTest extends BundleTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.sandbox.task-duration", "0ms");
        return p;
    }

    @Test
    void resultsThatArriveBeforeTheFileIsMovedStillCompleteTheJob() {
        dropSidecar("demo.mp4", "{\"targetLanguages\": [\"de-DE\", \"fr-FR\", \"es-ES\"]}");
        drop("sample.mp4", "demo.mp4");

        awaitFile(env.archive().resolve("demo.mp4"));
        String jobId = ledger().jobs().recent(1).get(0).id();
        awaitJobEnd(jobId);

        assertThat(list(env.processing())).isEmpty();
        assertThat(ledger().jobs().require(jobId).state()).isEqualTo(JobState.COMPLETED);
        assertThat(ledger().history().forJob(jobId))
                .filteredOn(e -> e.what().equals("COMPLETED")).hasSize(1);
        for (String lang : new String[] {"de-DE", "fr-FR", "es-ES"}) {
            assertThat(env.outbox().resolve("demo/" + lang + "/demo." + lang + ".mp4")).exists();
        }
    }
}
