package io.vmegcamel.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.delivery.Manifests;
import io.vmegcamel.delivery.Publication;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the CloudEvents 1.0 JSON of an outbox event from the ledger and the outbox folder. {@code data} is the
 * task manifest ({@code outbox/<job>/<lang>/manifest.json}, with each file's absolute path) or the job summary
 * (every language with its state, VMEG task id and files). The schemas are in {@code schema/events/}.
 */
public final class CloudEvents {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    private final ObjectMapper json;
    private final Ledger ledger;
    private final Manifests manifests;
    private final String source;
    private final Publication publication;

    /**
     * @param manifests where the results and their manifests are written (the outbox)
     * @param publication where outbox paths are published: events name files where the customer finds them
     */
    public CloudEvents(ObjectMapper json, Ledger ledger, Manifests manifests, String source, Publication publication) {
        this.publication = publication;
        this.json = json;
        this.ledger = ledger;
        this.manifests = manifests;
        this.source = source;
    }

    public String build(OutboxStore.Event event) {
        ObjectNode ce = json.createObjectNode();
        ce.put("specversion", SPEC_VERSION);
        ce.put("id", event.id());
        ce.put("source", source);
        ce.put("type", event.type());
        ce.put("subject", event.subject());
        ce.put("time", event.occurredAt().toString());
        ce.put("datacontenttype", "application/json");
        Job job = ledger.jobs().require(event.jobId());
        ce.set("data", event.taskId() == null ? jobSummary(job) : taskManifest(job,
                ledger.tasks().require(event.taskId()), event.type().equals(EventTypes.TASK_FINISHED)));
        return ce.toString();
    }

    /** The manifest the bundle wrote next to the files, or (failed task, manifest not written yet) its equivalent. */
    private ObjectNode taskManifest(Job job, Task task, boolean finished) {
        Path dir = manifests.languageDir(job, task);
        ObjectNode m = finished ? readManifest(dir) : null;
        if (m == null) {
            m = json.createObjectNode();
            m.put("jobId", job.id());
            m.put("taskRef", task.id());
            m.put("vmegTaskId", task.vmegTaskId());
            m.put("taskType", task.vmegTaskType());
            m.put("status", finished ? "finished" : "failed");
            if (task.error() != null) {
                m.put("error", task.error());
            }
            ObjectNode src = m.putObject("source");
            src.put("fileName", job.fileName());
            src.put("sizeBytes", job.sizeBytes());
            src.put("md5", job.contentMd5());
            src.put("materialId", job.materialId());
            JsonNode spec = spec(job);
            m.putObject("language").put("source", spec.path("sourceLanguage").asText("auto"))
                    .put("target", task.targetLanguage());
            m.putArray("files");
            m.set("extraData", spec.path("extraData").isMissingNode() ? json.nullNode() : spec.path("extraData"));
        }
        m.put("state", task.state().name());
        m.put("folder", finished ? publication.address(dir) : null);
        for (JsonNode f : m.withArray("files")) {
            ((ObjectNode) f).put("path", publication.address(dir.resolve(f.path("name").asText())));
        }
        return m;
    }

    private ObjectNode jobSummary(Job job) {
        ObjectNode s = json.createObjectNode();
        s.put("jobId", job.id());
        s.put("file", job.fileName());
        s.put("state", job.state().name());
        s.put("md5", job.contentMd5());
        s.put("sizeBytes", job.sizeBytes());
        s.put("outbox", job.outputName() == null ? null : publication.address(manifests.jobDir(job)));
        ArrayNode languages = s.putArray("languages");
        for (Task t : ledger.tasks().currentForJob(job.id())) {
            ObjectNode l = languages.addObject();
            l.put("language", t.targetLanguage());
            l.put("state", t.state().name());
            l.put("taskRef", t.id());
            l.put("vmegTaskId", t.vmegTaskId());
            if (t.error() != null) {
                l.put("error", t.error());
            }
            ArrayNode files = l.putArray("files");
            if (t.state().isSuccess()) {
                Path dir = manifests.languageDir(job, t);
                l.put("folder", publication.address(dir));
                ObjectNode manifest = readManifest(dir);
                if (manifest != null) {
                    for (JsonNode f : manifest.withArray("files")) {
                        files.addObject().put("role", f.path("role").asText()).put("name", f.path("name").asText())
                                .put("path", publication.address(dir.resolve(f.path("name").asText())))
                                .put("sizeBytes", f.path("sizeBytes").asLong()).put("sha256", f.path("sha256").asText());
                    }
                }
            }
        }
        JsonNode extra = spec(job).path("extraData");
        s.set("extraData", extra.isMissingNode() ? json.nullNode() : extra);
        s.put("createdAt", job.createdAt().toString());
        s.put("finishedAt", job.updatedAt().toString());
        return s;
    }

    private ObjectNode readManifest(Path dir) {
        Path file = dir.resolve(Manifests.TASK_MANIFEST);
        try {
            return Files.isRegularFile(file) && json.readTree(file.toFile()) instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null; // unreadable: the event falls back to what the ledger knows
        }
    }

    private JsonNode spec(Job job) {
        try {
            return json.readTree(job.specJson());
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }
}
