package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.ingest.ContentDigest;
import io.vmegcamel.ingest.JobSpec;
import io.vmegcamel.ingest.JobSpecs;
import io.vmegcamel.ingest.MediaKind;
import io.vmegcamel.ledger.History;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.vmeg.IdempotencyKeys;
import io.vmegcamel.vmeg.VmegPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The bundle crashed after create-async reached VMEG but before the answer was recorded: the ledger holds the
 * task in SUBMITTING, VMEG holds the task. Dropping the file again resends the same key, VMEG answers 409, and
 * the task learns its VMEG taskId from the webhook's extraData: one task, paid once, delivered.
 */
class CrashRecoveryTest extends BundleTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        // long enough for the re-drop to reach create-async before VMEG's webhook arrives
        p.setProperty("vmeg.sandbox.task-duration", "2s");
        return p;
    }

    @Test
    void aLostCreateAsyncAnswerNeverBuysTheTaskTwice() throws Exception {
        // the state a crash left: file registered, material uploaded, task intent committed, call sent
        Path file = Files.createDirectories(env.root().resolve("staging")).resolve("demo.mp4");
        Files.write(file, sample("sample.mp4"));
        String md5 = ContentDigest.md5(file).md5Hex();
        JobSpec spec = new JobSpecs(json, List.of("de-DE"), "auto",
                "{\"voiceClone\":{\"style\":\"emotional\",\"mode\":\"role\"}}").resolve(file, MediaKind.VIDEO).spec();
        VmegTestClient vmeg = new VmegTestClient(sandbox().baseUrl());
        JsonNode gen = vmeg.post(VmegPaths.GEN_UPLOAD_URL, IdempotencyKeys.fresh(),
                json.createObjectNode().put("fileHash", md5).put("fileName", "demo.mp4"));
        vmeg.put(gen.path("uploadUrl").asText(), file);
        vmeg.post(VmegPaths.UPLOAD_COMPLETE, IdempotencyKeys.fresh(), json.createObjectNode().put("fileHash", md5)
                .put("fileName", "demo.mp4").put("s3Uri", gen.path("s3Uri").asText())
                .put("materialId", gen.path("materialId").asText()));
        String materialId = gen.path("materialId").asText();

        Path inboxPath = env.inbox().resolve("demo.mp4");
        Job job = new Job("job-crashed", "demo.mp4", "demo", inboxPath.toString(), Files.size(file), md5, "video",
                spec.toJson(json).toString(), "defaults", spec.taskSpecHash(json), materialId, JobState.UPLOADED, null,
                null, null);
        ledger().jobs().insert(job);
        String key = IdempotencyKeys.forTask(md5, spec.taskSpecHash(json), "de-DE", 0);
        ledger().tasks().insert(new Task("task-crashed", job.id(), "de-DE", md5, job.specHash(), 0, key,
                TaskState.SUBMITTING, null, null, null, null, null, null, null, null));
        ObjectNode create = json.createObjectNode().put("taskType", "vt");
        create.putObject("source").put("materialId", materialId);
        create.putObject("language").put("source", "auto").put("target", "de-DE");
        create.set("options", spec.options());
        create.putObject("extraData").putObject("vmegCamel").put("jobId", job.id()).put("taskRef", "task-crashed");
        String vmegTaskId = vmeg.post(VmegPaths.MEDIA_TRANSLATION_CREATE, key, create).path("taskId").asText();
        sandbox().clearJournal();

        // after the restart, the file is still in the inbox
        Files.move(file, inboxPath);
        awaitFile(env.archive().resolve("demo.mp4"));
        awaitJobEnd(job.id());

        List<RecordedRequest> creates = calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE);
        assertThat(creates).extracting(RecordedRequest::status).containsExactly(409);
        assertThat(header(creates.get(0), "X-Idempotency-Key")).isEqualTo(key);
        assertThat(calls("POST", VmegPaths.GEN_UPLOAD_URL)).isEmpty(); // the material was known: no new upload
        Task task = ledger().tasks().require("task-crashed");
        assertThat(task.state()).isEqualTo(TaskState.DOWNLOADED);
        assertThat(task.vmegTaskId()).isEqualTo(vmegTaskId);
        assertThat(ledger().jobs().require(job.id()).state()).isEqualTo(JobState.COMPLETED);
        assertThat(env.outbox().resolve("demo/de-DE/demo.de-DE.mp4")).exists();
        assertThat(ledger().history().forJob(job.id())).extracting(History.Entry::what)
                .contains("RESUMED", "SUBMIT 409", "SUBMITTED", "FINISHED", "DOWNLOADED", "COMPLETED");
    }
}
