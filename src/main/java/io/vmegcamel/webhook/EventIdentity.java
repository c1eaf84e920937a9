package io.vmegcamel.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a webhook is filed in the ledger: the key it is deduplicated on and its event type. VMEG's schema requires
 * only {@code data}, so both are derived when VMEG leaves them out (see {@code docs/vmeg-contract.md}).
 *
 * <p>Keys: a real {@code pipelineKey} is stored as sent. Keys made by the bundle start with a reserved prefix
 * ({@code nokey:} here, {@code poll:} in the reconciler); a real key that happens to start with a reserved prefix
 * is stored as {@code vmeg:<key>}, so the two sets can never meet. A key too long for the column
 * ({@value #MAX_KEY} chars) is stored as its SHA-256. An event type or task id too long for its column cannot be
 * VMEG's (the event is kept as {@link #UNKNOWN} and ignored, the task id only in the stored body).
 *
 * @param pipelineKey    the ledger's deduplication key
 * @param event          the event type (sent, or inferred); {@link #UNKNOWN} when neither is possible
 * @param vmegTaskId     {@code data.taskId}, if any
 * @param derivation     how key and type were obtained, for the log; empty when VMEG sent both
 * @param ignoredBecause why the event cannot concern any task of this bundle, or null
 */
record EventIdentity(String pipelineKey, String event, String vmegTaskId, String derivation, String ignoredBecause) {

    static final String UNKNOWN = "unknown";
    static final String DERIVED = "nokey:";
    static final int MAX_KEY = 128;
    /** Column sizes of {@code webhook_event.event} and {@code vmeg_task_id}. */
    static final int MAX_EVENT = 64;
    static final int MAX_TASK_ID = 128;
    private static final String ESCAPED = "vmeg:";
    private static final List<String> RESERVED = List.of(DERIVED, "poll:", ESCAPED);
    private static final Map<String, String> EVENT_BY_TASK_TYPE = Map.of(
            "vt", EventCorrelator.MEDIA_TRANSLATION,
            "at", EventCorrelator.MEDIA_TRANSLATION,
            "tts", "openapi-tts",
            "texttranslation", "openapi-translate",
            "clonevoice", "openapi-clone-voice");

    /** @param envelope the parsed body, an object with a {@code data} object; {@code raw} its signed bytes */
    static EventIdentity of(JsonNode envelope, byte[] raw) {
        JsonNode data = envelope.path("data");
        String taskId = text(data.path("taskId"));
        StringBuilder derivation = new StringBuilder();
        String key = key(envelope, taskId, raw, derivation);
        String event = text(envelope.path("event"));
        String ignored = null;
        if (event != null && event.length() > MAX_EVENT) {
            ignored = "event '" + event.substring(0, 40) + "…' is no known type (over " + MAX_EVENT + " characters)";
            event = UNKNOWN;
        } else if (event == null) {
            String taskType = text(data.path("taskType"));
            event = taskType == null ? null : EVENT_BY_TASK_TYPE.get(taskType.toLowerCase(Locale.ROOT));
            if (event != null) {
                derivation.append("; no event, inferred ").append(event).append(" from data.taskType ").append(taskType);
            } else if (text(envelope.path("extraData").path("vmegCamel").path("taskRef")) != null) {
                // only this bundle's media-translation tasks carry extraData.vmegCamel.taskRef
                event = EventCorrelator.MEDIA_TRANSLATION;
                derivation.append("; no event, taken as ").append(event).append(" from extraData.vmegCamel");
            } else {
                event = UNKNOWN;
                ignored = "no event, and data.taskType " + (taskType == null ? "is missing" : "'" + taskType
                        + "' names no known product") + ": the type cannot be told";
            }
        }
        return new EventIdentity(key, event, taskId != null && taskId.length() <= MAX_TASK_ID ? taskId : null,
                derivation.indexOf("; ") == 0 ? derivation.substring(2) : derivation.toString(), ignored);
    }

    private static String key(JsonNode envelope, String taskId, byte[] raw, StringBuilder derivation) {
        String sent = text(envelope.path("pipelineKey"));
        if (sent != null) {
            return storedKey(sent);
        }
        String status = Objects.toString(text(envelope.path("data").path("status")), "").toLowerCase(Locale.ROOT);
        String byTask = taskId == null ? null : DERIVED + "task:" + taskId + ":" + status;
        if (byTask != null && byTask.length() <= MAX_KEY) {
            derivation.append("no pipelineKey, deduplicated on taskId and status");
            return byTask;
        }
        derivation.append("no pipelineKey, deduplicated on the body's SHA-256");
        return DERIVED + "body:" + sha256(raw);
    }

    /** A real pipelineKey as stored: unchanged, unless it could be mistaken for a key the bundle made. */
    static String storedKey(String sent) {
        String key = RESERVED.stream().anyMatch(sent::startsWith) ? ESCAPED + sent : sent;
        return key.length() <= MAX_KEY ? key : ESCAPED + "sha256:" + sha256(sent.getBytes(StandardCharsets.UTF_8));
    }

    /** A scalar's text, or null when missing, not a scalar, or blank. */
    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
