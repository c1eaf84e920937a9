package io.vmegcamel.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobCost;
import io.vmegcamel.ledger.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The JSON files of the outbox: {@code outbox/<job>/<lang>/manifest.json} for each language and
 * {@code outbox/<job>/job.json} once the whole job has ended. Written atomically, so a watcher that reacts to
 * them never reads half a file.
 */
public final class Manifests {

    public static final String TASK_MANIFEST = "manifest.json";
    public static final String JOB_SUMMARY = "job.json";

    /** One file of a language folder. */
    public record Entry(String role, String name, long sizeBytes, String sha256) {
    }

    private final ObjectMapper json;
    private final Path outboxDir;
    private final Function<String, JobCost> costs;

    public Manifests(ObjectMapper json, Path outboxDir) {
        this(json, outboxDir, id -> JobCost.NONE);
    }

    /** {@code costs}: the cost guard's estimate of a job, shown in its manifests. */
    public Manifests(ObjectMapper json, Path outboxDir, Function<String, JobCost> costs) {
        this.json = json;
        this.outboxDir = outboxDir;
        this.costs = costs;
    }

    /** The cost guard's estimate ({@code costEstimate}), when the material's duration was known. */
    private void putEstimate(ObjectNode node, Job job, boolean perJob) {
        JobCost cost = costs.apply(job.id());
        if (cost.creditsPerLanguage() == null) {
            return;
        }
        ObjectNode e = node.putObject("costEstimate");
        e.put("durationMs", cost.durationMs());
        e.put("creditsPerLanguage", cost.creditsPerLanguage());
        if (perJob && cost.estimatedCredits() != null) {
            e.put("estimatedCredits", cost.estimatedCredits());
        }
    }

    /** The job's result folder in the local outbox. */
    public Path jobDir(Job job) {
        return outboxDir.resolve(job.outputName());
    }

    public Path languageDir(Job job, Task task) {
        return jobDir(job).resolve(task.targetLanguage());
    }

    public Path writeTask(Job job, Task task, String status, String error, List<Entry> files, JsonNode result) {
        ObjectNode m = json.createObjectNode();
        m.put("jobId", job.id());
        m.put("taskRef", task.id());
        m.put("vmegTaskId", task.vmegTaskId());
        m.put("taskType", task.vmegTaskType());
        m.put("status", status);
        if (error != null) {
            m.put("error", error);
        }
        ObjectNode source = m.putObject("source");
        source.put("fileName", job.fileName());
        source.put("sizeBytes", job.sizeBytes());
        source.put("md5", job.contentMd5());
        source.put("materialId", job.materialId());
        JsonNode spec = spec(job);
        ObjectNode language = m.putObject("language");
        language.put("source", spec.path("sourceLanguage").asText("auto"));
        language.put("target", task.targetLanguage());
        if (result != null && result.path("build").path("video").has("duration")) {
            m.put("durationSeconds", result.path("build").path("video").path("duration").asDouble());
        } else if (result != null && result.path("build").path("audio").has("duration")) {
            m.put("durationSeconds", result.path("build").path("audio").path("duration").asDouble());
        }
        ArrayNode list = m.putArray("files");
        for (Entry f : files) {
            list.addObject().put("role", f.role()).put("name", f.name()).put("sizeBytes", f.sizeBytes())
                    .put("sha256", f.sha256());
        }
        m.set("extraData", spec.path("extraData"));
        if (task.submittedAt() != null) {
            m.put("submittedAt", task.submittedAt().toString());
        }
        putEstimate(m, job, false);
        m.put("writtenAt", Instant.now().toString());
        return write(languageDir(job, task).resolve(TASK_MANIFEST), m);
    }

    public Path writeJobSummary(Job job, List<Task> tasks) {
        ObjectNode s = json.createObjectNode();
        s.put("jobId", job.id());
        s.put("file", job.fileName());
        s.put("state", job.state().name());
        s.put("sourceNowAt", job.location());
        s.put("md5", job.contentMd5());
        s.put("sizeBytes", job.sizeBytes());
        ArrayNode languages = s.putArray("languages");
        for (Task t : tasks) {
            ObjectNode l = languages.addObject();
            l.put("language", t.targetLanguage());
            l.put("state", t.state().name());
            l.put("vmegTaskId", t.vmegTaskId());
            if (t.state().isSuccess()) {
                l.put("folder", t.targetLanguage() + "/");
            }
            if (t.error() != null) {
                l.put("error", t.error());
            }
        }
        s.set("extraData", spec(job).path("extraData"));
        putEstimate(s, job, true);
        s.put("createdAt", job.createdAt().toString());
        s.put("finishedAt", Instant.now().toString());
        return write(outboxDir.resolve(job.outputName()).resolve(JOB_SUMMARY), s);
    }

    private JsonNode spec(Job job) {
        try {
            return json.readTree(job.specJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path write(Path target, JsonNode node) {
        return JsonFiles.write(json, target, node);
    }
}
