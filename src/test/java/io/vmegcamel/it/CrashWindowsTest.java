package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.Jdbc;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Ledger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The two crash windows between a ledger commit and the file work it calls for, built as a {@code kill -9} leaves
 * them (ledger rows and folders), then repaired: at start (the state exists before the bundle boots) and
 * periodically (the state appears while it runs).
 */
class CrashWindowsTest extends BundleTestSupport {

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = super.useOverridePropertiesWithPropertiesComponent();
        // before the bundle boots: what the last run left behind
        try (Ledger ledger = Ledger.open(p.getProperty("vmeg.ledger.url"), "sa", "", 2)) {
            movedButNotRecorded(ledger);
            finishedButNotMoved(ledger);
            submittedButNotMoved(ledger);
            movedButNotWaiting(ledger);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.repair.interval-ms", "300");
        return p;
    }

    /**
     * (a) The inbox consumer moved a.mp4 to processing/, the process died before the move was recorded. An earlier
     * kill during a second download of its result and during a JSON write left part files next to the result.
     */
    private void movedButNotRecorded(Ledger ledger) throws IOException {
        Path inbox = Files.createDirectories(env.inbox()).resolve("a.mp4");
        Path processing = Files.createDirectories(env.processing()).resolve("a.mp4");
        Files.write(processing, sample("sample.mp4"));
        Path lang = Files.createDirectories(env.outbox().resolve("a/de-DE"));
        Files.write(lang.resolve("a.de-DE.mp4"), sample("sample.mp4"));
        Files.write(lang.resolve(".a.de-DE.mp4.0dede7e4-5b1c-4f57-9d0e-3c1f2a6b7e80.part"), new byte[4096]);
        Files.write(lang.resolve(".result.json.118f01d2-2c6a-4c1b-8e44-9a0f6d3b5c21.part"), new byte[0]);
        Files.write(env.outbox().resolve("a/.job.json.7e75c2d5-93b0-4a5e-b1f4-2d8c6e0a9f13.part"), new byte[0]);
        Files.writeString(env.inbox().resolve("a.mp4.vmeg.json"), "{\"targetLanguages\":[\"de-DE\"]}");
        job(ledger, "job-a", "a", inbox, JobState.SUBMITTED);
        task(ledger, "task-a", "job-a", "DOWNLOADED");
        ledger.jobs().setMovingTo("job-a", processing.toString());
    }

    /** (b) b.mp4's job ended FAILED (one language failed); the process died before the source, report, summary. */
    private void finishedButNotMoved(Ledger ledger) throws IOException {
        Path processing = Files.createDirectories(env.processing()).resolve("b.mp4");
        Files.write(processing, sample("sample.mp4"));
        Files.writeString(env.processing().resolve("b.mp4.vmeg.json"), "{\"targetLanguages\":[\"de-DE\",\"fr-FR\"]}");
        job(ledger, "job-b", "b", processing, JobState.FAILED);
        task(ledger, "task-b1", "job-b", "DOWNLOADED");
        task(ledger, "task-b2", "job-b", "FAILED");
        ledger.jobs().setMovingTo("job-b", env.failed().resolve("b.mp4").toString());
    }

    /**
     * (d) All of d.mp4's tasks were submitted and its move to processing/d.mp4 recorded, but the process died before
     * the inbox consumer moved the file (it is still in the inbox); the results were delivered by the next run,
     * which died too. The inbox consumer takes the file again and resumes the job.
     */
    private void submittedButNotMoved(Ledger ledger) throws IOException {
        Path inbox = Files.createDirectories(env.inbox()).resolve("d.mp4");
        Files.write(inbox, sample("sample.mp4"));
        Files.writeString(env.inbox().resolve("d.mp4.vmeg.json"), "{\"targetLanguages\":[\"de-DE\"]}");
        String md5 = md5(sample("sample.mp4"));
        ledger.jobs().insert(new Job("job-d", "d.mp4", "d", inbox.toString(), 17, md5, "video",
                "{\"targetLanguages\":[\"de-DE\"],\"sourceLanguage\":\"auto\",\"taskType\":\"vt\","
                        + "\"options\":{\"voiceClone\":{\"style\":\"emotional\",\"mode\":\"role\"}},\"extraData\":{}}",
                "sidecar", "d".repeat(64), "m_job-d", JobState.SUBMITTED, null,
                null, null));
        ledger.jdbc().update("INSERT INTO task (id, job_id, target_language, content_md5, spec_hash, attempt, "
                        + "idempotency_key, state, vmeg_task_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                "task-d", "job-d", "de-DE", md5, "d".repeat(64), 0, "key-task-d", "DOWNLOADED", "t_task-d", Jdbc.now(),
                Jdbc.now());
        ledger.jobs().setMovingTo("job-d", env.processing().resolve("d.mp4").toString());
    }

    /**
     * (e) e.mp4's move to processing/ is confirmed, but a build that committed the move and the job's PROCESSING
     * state separately died in between: the job still says SUBMITTED, its only result is delivered.
     */
    private void movedButNotWaiting(Ledger ledger) throws IOException {
        Path processing = Files.createDirectories(env.processing()).resolve("e.mp4");
        Files.write(processing, sample("sample.mp4"));
        Files.writeString(env.processing().resolve("e.mp4.vmeg.json"), "{\"targetLanguages\":[\"de-DE\"]}");
        job(ledger, "job-e", "e", processing, JobState.SUBMITTED);
        task(ledger, "task-e", "job-e", "DOWNLOADED");
    }

    @Test
    void bothWindowsAreRepairedAtStartAndAJobLeftUnfinishedIsFinishedWhileRunning() throws Exception {
        // repaired before the routes started: (a) on to archive (its only task was delivered), sidecar along
        awaitFile(env.archive().resolve("a.mp4"));
        assertThat(env.archive().resolve("a.mp4.vmeg.json")).hasContent("{\"targetLanguages\":[\"de-DE\"]}");
        Job a = ledger().jobs().require("job-a");
        assertThat(a.state()).isEqualTo(JobState.COMPLETED);
        assertThat(a.location()).isEqualTo(env.archive().resolve("a.mp4").toString());
        assertThat(ledger().jobs().movingTo("job-a")).isEmpty();
        assertThat(readJson(env.outbox().resolve("a/job.json")).path("state").asText()).isEqualTo("COMPLETED");
        // the dead writers' part files are gone, the result next to them is untouched
        assertThat(list(env.outbox().resolve("a"))).containsExactly(env.outbox().resolve("a/de-DE"),
                env.outbox().resolve("a/job.json"));
        assertThat(list(env.outbox().resolve("a/de-DE"))).containsExactly(env.outbox().resolve("a/de-DE/a.de-DE.mp4"));
        assertThat(env.outbox().resolve("a/de-DE/a.de-DE.mp4")).hasBinaryContent(sample("sample.mp4"));

        // (b) source, sidecar and report in failed/, summary written, move confirmed
        assertThat(env.failed().resolve("b.mp4")).exists();
        assertThat(env.failed().resolve("b.mp4.vmeg.json")).exists();
        assertThat(readJson(env.failed().resolve("b.mp4.error.json")).path("error").asText()).isEqualTo("TASK_FAILED");
        Job b = ledger().jobs().require("job-b");
        assertThat(b.state()).isEqualTo(JobState.FAILED);
        assertThat(b.location()).isEqualTo(env.failed().resolve("b.mp4").toString());
        assertThat(b.errorJson()).contains("TASK_FAILED");
        assertThat(ledger().jobs().movingTo("job-b")).isEmpty();
        assertThat(readJson(env.outbox().resolve("b/job.json")).path("state").asText()).isEqualTo("FAILED");

        // (d) resumed from the inbox, through processing/d.mp4 (its own recorded target) to archive/d.mp4: no
        // other file ever held either name, so no "-2"
        await().atMost(PATIENCE).until(() -> ledger().jobs().require("job-d").state() == JobState.COMPLETED);
        awaitFile(env.archive().resolve("d.mp4.vmeg.json"));
        assertThat(env.archive().resolve("d.mp4")).hasBinaryContent(sample("sample.mp4"));
        assertThat(env.archive().resolve("d.mp4.vmeg.json")).hasContent("{\"targetLanguages\":[\"de-DE\"]}");
        assertThat(ledger().jobs().require("job-d").location()).isEqualTo(env.archive().resolve("d.mp4").toString());
        assertThat(ledger().jobs().movingTo("job-d")).isEmpty();

        // (e) waits for its results at start, finds them in, and is finished
        Job e = ledger().jobs().require("job-e");
        assertThat(e.state()).isEqualTo(JobState.COMPLETED);
        assertThat(e.location()).isEqualTo(env.archive().resolve("e.mp4").toString());
        assertThat(env.archive().resolve("e.mp4.vmeg.json")).hasContent("{\"targetLanguages\":[\"de-DE\"]}");
        assertThat(list(env.archive())).containsExactly(env.archive().resolve("a.mp4"),
                env.archive().resolve("a.mp4.vmeg.json"), env.archive().resolve("d.mp4"),
                env.archive().resolve("d.mp4.vmeg.json"), env.archive().resolve("e.mp4"),
                env.archive().resolve("e.mp4.vmeg.json"));
        assertThat(list(env.processing())).isEmpty();
        assertThat(list(env.inbox())).isEmpty();

        // while running: c.mp4's last task was delivered but the job was never finished; archive/ already holds
        // an unrelated c.mp4.vmeg.json, so the source takes the next free name with its sidecar
        Files.writeString(env.archive().resolve("c.mp4.vmeg.json"), "{}");
        Path processing = env.processing().resolve("c.mp4");
        Files.write(processing, sample("sample.mp4"));
        Files.writeString(env.processing().resolve("c.mp4.vmeg.json"), "{\"targetLanguages\":[\"de-DE\"]}");
        job(ledger(), "job-c", "c", processing, JobState.PROCESSING);
        task(ledger(), "task-c", "job-c", "DOWNLOADED");
        await().atMost(PATIENCE).until(() -> ledger().jobs().require("job-c").state() == JobState.COMPLETED);
        assertThat(env.archive().resolve("c-2.mp4")).exists();
        assertThat(env.archive().resolve("c-2.mp4.vmeg.json")).hasContent("{\"targetLanguages\":[\"de-DE\"]}");
        assertThat(env.archive().resolve("c.mp4.vmeg.json")).hasContent("{}");
        assertThat(ledger().jobs().require("job-c").location()).isEqualTo(env.archive().resolve("c-2.mp4").toString());
        assertThat(list(env.processing())).isEmpty();
    }

    private static void job(Ledger ledger, String id, String name, Path location, JobState state) throws IOException {
        String md5 = String.format("%32s", id).replace(' ', '0');
        ledger.jobs().insert(new Job(id, name + ".mp4", name, location.toString(), 17, md5, "video", "{}", "sidecar",
                "a".repeat(64), "m_" + id, state, null, null, null));
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Raw SQL, not the Task record: the crashed state needs only these columns. */
    private static void task(Ledger ledger, String id, String jobId, String state) {
        String md5 = String.format("%32s", jobId).replace(' ', '0');
        ledger.jdbc().update("INSERT INTO task (id, job_id, target_language, content_md5, spec_hash, attempt, "
                        + "idempotency_key, state, vmeg_task_id, error, created_at, updated_at) "
                        + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                id, jobId, id.endsWith("2") ? "fr-FR" : "de-DE", md5, "a".repeat(64), 0, "key-" + id, state, "t_" + id,
                state.equals("FAILED") ? "VMEG failed it" : null, Jdbc.now(), Jdbc.now());
    }
}
