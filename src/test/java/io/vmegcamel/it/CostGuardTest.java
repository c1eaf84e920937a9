package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.app.JobCommands;
import io.vmegcamel.app.Settings;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.vmeg.VmegPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The cost guard: sample.mp4 lasts 3 s, one started minute, 60 credits per language. A job over the per-job cap
 * (100) or the day cap (100) is held: nothing is submitted until an operator releases it or gives up on it.
 */
class CostGuardTest extends BundleTestSupport {

    private static final long SAMPLE_MS = 3000;

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.cost.max-credits-per-job", "100");
        p.setProperty("vmeg.cost.max-credits-per-day", "100");
        return p;
    }

    @Test
    void aJobOverThePerJobCapIsHeldThenReleasedAndDelivered() throws Exception {
        dropInto("de-DE+fr-FR", "sample.mp4", "talk.mp4");
        JsonNode report = readJson(awaitFile(env.held().resolve("de-DE+fr-FR/talk.mp4.held.json")));
        awaitFile(env.held().resolve("de-DE+fr-FR/talk.mp4"));

        Job job = ledger().jobs().recent(1).get(0);
        assertThat(report.path("jobId").asText()).isEqualTo(job.id());
        assertThat(report.path("error").asText()).isEqualTo("COST_CAP");
        assertThat(report.path("cap").asText()).isEqualTo("per-job");
        assertThat(report.path("capCredits").asLong()).isEqualTo(100);
        assertThat(report.path("estimate").path("durationMs").asLong()).isEqualTo(SAMPLE_MS);
        assertThat(report.path("estimate").path("startedMinutes").asLong()).isEqualTo(1);
        assertThat(report.path("estimate").path("creditsPerLanguage").asLong()).isEqualTo(60);
        assertThat(report.path("estimate").path("estimatedCredits").asLong()).isEqualTo(120);
        assertThat(report.path("estimate").path("languages").toString()).isEqualTo("[\"de-DE\",\"fr-FR\"]");
        assertThat(report.path("message").asText()).isEqualTo("talk.mp4 was not submitted: the estimate of 120 "
                + "credits is over the per-job cap of 100 (vmeg.cost.max-credits-per-job). Nothing was bought.");
        assertThat(report.path("whatToDo").asText()).contains("jobs release " + job.id());
        // uploaded (the duration comes from VMEG's material), never submitted
        assertThat(calls("POST", VmegPaths.GEN_UPLOAD_URL)).hasSize(1);
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).isEmpty();
        assertThat(job.state()).isEqualTo(JobState.HELD);
        assertThat(ledger().tasks().forJob(job.id())).extracting(Task::state).containsOnly(TaskState.HELD).hasSize(2);
        assertThat(ledger().jobs().cost(job.id()).estimatedCredits()).isEqualTo(120);
        assertThat(env.inbox().resolve("de-DE+fr-FR/talk.mp4")).doesNotExist();

        assertThat(jobs("release", job.id())).isZero();
        awaitFile(env.archive().resolve("de-DE+fr-FR/talk.mp4"));

        List<RecordedRequest> creates = calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE);
        assertThat(creates).extracting(c -> bodyOf(c).path("language").path("target").asText())
                .containsExactlyInAnyOrder("de-DE", "fr-FR");
        assertThat(creates).extracting(RecordedRequest::status).containsOnly(200);
        assertThat(calls("POST", VmegPaths.GEN_UPLOAD_URL)).hasSize(1); // the material was kept
        assertThat(ledger().jobs().require(job.id()).state()).isEqualTo(JobState.COMPLETED);
        assertThat(ledger().tasks().forJob(job.id())).extracting(Task::state).containsOnly(TaskState.DOWNLOADED);
        assertThat(list(env.held().resolve("de-DE+fr-FR"))).isEmpty();

        // the estimate in the task manifests and the job summary
        JsonNode manifest = readJson(env.outbox().resolve("talk/de-DE/manifest.json"));
        assertThat(manifest.path("costEstimate").toString())
                .isEqualTo("{\"durationMs\":" + SAMPLE_MS + ",\"creditsPerLanguage\":60}");
        await().atMost(PATIENCE).until(() -> env.outbox().resolve("talk/job.json").toFile().exists());
        JsonNode summary = readJson(env.outbox().resolve("talk/job.json"));
        assertThat(summary.path("costEstimate").toString())
                .isEqualTo("{\"durationMs\":" + SAMPLE_MS + ",\"creditsPerLanguage\":60,\"estimatedCredits\":120}");
    }

    @Test
    void givingUpOnAHeldJobFailsItWithAReportAndBuysNothing() throws Exception {
        dropInto("de-DE+fr-FR", "sample.mp4", "talk.mp4");
        awaitFile(env.held().resolve("de-DE+fr-FR/talk.mp4.held.json"));
        awaitFile(env.held().resolve("de-DE+fr-FR/talk.mp4"));
        Job job = ledger().jobs().recent(1).get(0);

        assertThat(jobs("give-up", job.id())).isZero();

        JsonNode report = readJson(env.failed().resolve("de-DE+fr-FR/talk.mp4.error.json"));
        assertThat(env.failed().resolve("de-DE+fr-FR/talk.mp4")).exists();
        assertThat(report.path("error").asText()).isEqualTo("COST_CAP");
        assertThat(report.path("cap").asText()).isEqualTo("per-job");
        assertThat(report.path("capCredits").asLong()).isEqualTo(100);
        assertThat(report.path("estimate").path("estimatedCredits").asLong()).isEqualTo(120);
        assertThat(report.path("message").asText()).contains("an operator gave up on it");
        assertThat(list(env.held().resolve("de-DE+fr-FR"))).isEmpty();
        assertThat(ledger().jobs().require(job.id()).state()).isEqualTo(JobState.INGEST_FAILED);
        assertThat(ledger().tasks().forJob(job.id())).extracting(Task::state).containsOnly(TaskState.REJECTED);
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).isEmpty();
        // a second decision on the same job is refused
        assertThat(jobs("release", job.id())).isEqualTo(1);
    }

    @Test
    void theDayCapCountsTheTasksAlreadySubmittedToday() throws Exception {
        drop("sample.mp4", "first.mp4"); // de-DE: 60 credits, within both caps
        awaitFile(env.archive().resolve("first.mp4"));

        dropSidecar("second.mp4", "{\"targetLanguages\": [\"fr-FR\"]}");
        drop("sample.mp4", "second.mp4"); // fr-FR: 60 more, 120 today > 100
        JsonNode report = readJson(awaitFile(env.held().resolve("second.mp4.held.json")));
        awaitFile(env.held().resolve("second.mp4"));
        awaitFile(env.held().resolve("second.mp4.vmeg.json")); // the sidecar travels along

        assertThat(report.path("cap").asText()).isEqualTo("per-day");
        assertThat(report.path("capCredits").asLong()).isEqualTo(100);
        assertThat(report.path("creditsSubmittedToday").asLong()).isEqualTo(60);
        assertThat(report.path("estimate").path("estimatedCredits").asLong()).isEqualTo(60);
        // the second material came from VMEG's MD5 dedup, whose Material carries the duration too
        assertThat(calls("POST", VmegPaths.GEN_UPLOAD_URL)).hasSize(2);
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).extracting(
                c -> bodyOf(c).path("language").path("target").asText()).containsExactly("de-DE");
        Job second = ledger().jobs().recent(1).get(0);
        assertThat(second.fileName()).isEqualTo("second.mp4");
        assertThat(ledger().jobs().cost(second.id()).durationMs()).isEqualTo(SAMPLE_MS);
        assertThat(ledger().tasks().forJob(second.id())).extracting(Task::targetLanguage, Task::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("fr-FR", TaskState.HELD));

        // released: the operator's approval overrides the day cap
        assertThat(jobs("release", second.id())).isZero();
        awaitFile(env.archive().resolve("second.mp4"));
        awaitFile(env.archive().resolve("second.mp4.vmeg.json"));
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).extracting(
                c -> bodyOf(c).path("language").path("target").asText()).containsExactly("de-DE", "fr-FR");
    }

    @Test
    void aHeldFileDroppedAgainStaysItsHeldJobAndIsHeldAgain() throws Exception {
        dropInto("de-DE+fr-FR", "sample.mp4", "talk.mp4");
        awaitFile(env.held().resolve("de-DE+fr-FR/talk.mp4.held.json"));
        Path held = awaitFile(env.held().resolve("de-DE+fr-FR/talk.mp4"));
        Job job = ledger().jobs().recent(1).get(0);

        // e.g. a user moves it back by hand (or a crash came between the hold and the move)
        Files.delete(env.held().resolve("de-DE+fr-FR/talk.mp4.held.json"));
        Files.move(held, env.inbox().resolve("de-DE+fr-FR/talk.mp4"));
        JsonNode report = readJson(awaitFile(env.held().resolve("de-DE+fr-FR/talk.mp4.held.json")));
        awaitFile(env.held().resolve("de-DE+fr-FR/talk.mp4"));

        assertThat(report.path("jobId").asText()).isEqualTo(job.id());
        assertThat(ledger().jobs().recent(10)).extracting(Job::id, Job::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(job.id(), JobState.HELD));
        assertThat(ledger().tasks().forJob(job.id())).extracting(Task::state).containsOnly(TaskState.HELD).hasSize(2);
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).isEmpty();
        assertThat(calls("POST", VmegPaths.GEN_UPLOAD_URL)).hasSize(1); // its material is known
    }

    private int jobs(String... args) throws Exception {
        Settings settings = context.getRegistry().lookupByNameAndType("settings", Settings.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return new JobCommands(ledger(), settings, json, new PrintStream(out, true, StandardCharsets.UTF_8))
                .run(List.of(args));
    }
}
