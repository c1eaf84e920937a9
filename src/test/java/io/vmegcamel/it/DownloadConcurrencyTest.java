package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.sandbox.SandboxServer.DownloadFault;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** vmeg.concurrency.downloads bounds how many deliverables download at the same time. */
class DownloadConcurrencyTest extends DownloadTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.concurrency.downloads", "1");
        p.setProperty("vmeg.http.read-timeout", "3s");
        return p;
    }

    @Test
    void oneDownloadAtATime() throws Exception {
        sandbox().setDownloadFault(DownloadFault.stallAfter(1000));
        dropSidecar("demo.mp4", "{\"targetLanguages\": [\"de-DE\", \"fr-FR\"]}");
        drop("sample.mp4", "demo.mp4");

        // both tasks finished at VMEG, both events being processed; the second download waits for the first
        await().atMost(PATIENCE).until(() -> ledger().jobs().recent(1).stream().findFirst()
                .map(job -> ledger().tasks().forJob(job.id())).filter(tasks -> tasks.size() == 2
                        && tasks.stream().allMatch(t -> t.state() == TaskState.FINISHED)).isPresent()
                && videoGets().size() == 1);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(2500)).until(() -> videoGets().size() == 1);

        sandbox().setDownloadFault(DownloadFault.none());
        awaitFile(env.archive().resolve("demo.mp4"));
        for (String lang : List.of("de-DE", "fr-FR")) {
            assertThat(Files.readAllBytes(languageDir("demo", lang).resolve("demo." + lang + ".mp4")))
                    .isEqualTo(sample("sample.mp4"));
        }
        List<Task> tasks = ledger().tasks().forJob(task().orElseThrow().jobId());
        assertThat(tasks).extracting(Task::state).containsOnly(TaskState.DOWNLOADED);
    }
}
