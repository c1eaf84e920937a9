package io.vmegcamel.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.delivery.JsonFiles;
import io.vmegcamel.ingest.RejectedFileException.Reason;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.vmeg.VmegException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The {@code <file>.error.json} written next to a file in the failed folder: what went wrong, in words a user
 * can act on, what VMEG said, and where each target language stands (so a re-drop's effect is predictable).
 */
public final class FailureReport {

    private final ObjectNode node;

    private FailureReport(ObjectNode node) {
        this.node = node;
    }

    public static FailureReport of(ObjectMapper json, String fileName, Reason reason, String message, String whatToDo) {
        ObjectNode node = json.createObjectNode();
        node.put("file", fileName);
        node.put("failedAt", Instant.now().toString());
        node.put("error", reason.name());
        node.put("message", message);
        node.put("whatToDo", whatToDo);
        return new FailureReport(node);
    }

    /** Classifies any exception the ingest flow can end with. */
    public static FailureReport of(ObjectMapper json, String fileName, Throwable failure) {
        if (failure instanceof RejectedFileException r) {
            return of(json, fileName, r.reason(), r.getMessage(), r.whatToDo());
        }
        VmegException vmeg = VmegException.in(failure);
        if (vmeg != null) {
            FailureReport report = vmeg.isDefinitive()
                    ? of(json, fileName, Reason.VMEG_REJECTED, vmeg.getMessage(), whatToDo(vmeg))
                    : of(json, fileName, Reason.VMEG_UNAVAILABLE, vmeg.getMessage() + " (retries exhausted)",
                            "VMEG could not be reached or failed on its side. Drop the file again later: languages "
                                    + "already submitted are not submitted again.");
            ObjectNode v = report.node.putObject("vmeg");
            v.put("operation", vmeg.operation());
            v.put("httpStatus", vmeg.httpStatus());
            v.put("code", vmeg.code());
            v.put("message", vmeg.vmegMessage());
            return report;
        }
        return of(json, fileName, Reason.INTERNAL_ERROR, failure.toString(),
                "This is a problem of the bundle or of its disk/database, not of your file; the log has the details. "
                        + "Drop the file again once it is fixed: languages already submitted are not submitted again.");
    }

    public FailureReport job(String jobId, List<Task> tasks) {
        node.put("jobId", jobId);
        ArrayNode languages = node.putArray("languages");
        for (Task t : tasks) {
            ObjectNode l = languages.addObject();
            l.put("language", t.targetLanguage());
            l.put("state", t.state().name());
            l.put("taskRef", t.id());
            if (t.firstSentAt() != null) {
                l.put("firstSentAt", t.firstSentAt().toString());
            }
            if (t.vmegTaskId() != null) {
                l.put("vmegTaskId", t.vmegTaskId());
            }
            if (t.error() != null) {
                l.put("error", t.error());
            }
        }
        return this;
    }

    public String reason() {
        return node.path("error").asText();
    }

    public ObjectNode json() {
        return node;
    }

    /** Writes {@code <file>.error.json} next to {@code file}. */
    public Path writeNextTo(Path file, ObjectMapper json) {
        return JsonFiles.write(json, file.resolveSibling(file.getFileName() + ".error.json"), node);
    }

    private static String whatToDo(VmegException e) {
        int status = e.httpStatus() == 0 ? e.code() : e.httpStatus();
        return switch (status) {
            case 401, 403 -> "VMEG refused the API key. Check VMEG_API_KEY (keys are on "
                    + "https://www.vmeg.ai/open-api-setting), restart, then drop the file again.";
            case 402 -> "Not enough VMEG credits. Top up, then drop the file again: languages already submitted are "
                    + "not submitted again.";
            case 413 -> "VMEG says the file or request is too large. Shorten or compress the media and drop it again.";
            default -> "VMEG refused the request (see vmeg.message). Fix the job spec (sidecar <file>.vmeg.json or the "
                    + "defaults) accordingly and drop the file again; nothing was charged for refused languages.";
        };
    }
}
