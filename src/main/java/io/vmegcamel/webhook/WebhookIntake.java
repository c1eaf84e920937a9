package io.vmegcamel.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.ledger.Events;
import io.vmegcamel.ledger.LedgerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's front door: verifies the signature on the raw bytes, stores the event (unique pipelineKey)
 * and only then answers 2xx, so an acknowledged event is never lost. Sets exchange property
 * {@link #EVENT_ID} for a newly stored event; processing happens off the request thread.
 *
 * <p>Answers: 200 accepted / duplicate; 400 not a VMEG event; 401 signature check failed;
 * 503 the ledger could not store it (VMEG retries).
 */
public final class WebhookIntake {

    public static final String EVENT_ID = "vmegEventId";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);

    private final SignatureVerifier verifier;
    private final Events events;
    private final ObjectMapper json;

    public WebhookIntake(SignatureVerifier verifier, Events events, ObjectMapper json) {
        this.verifier = verifier;
        this.events = events;
        this.json = json;
    }

    public void accept(Exchange exchange) {
        Message m = exchange.getMessage();
        byte[] body = Optional.ofNullable(m.getBody(byte[].class)).orElse(new byte[0]);
        SignatureVerifier.Result check = verifier.verify(m.getHeader("X-Timestamp", String.class),
                m.getHeader("X-Signature", String.class), body);
        if (!check.valid()) {
            LOG.warn("webhook refused (401): {}", check.problem());
            respond(m, 401, "error", check.problem());
            return;
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject() || !node.path("event").isTextual()
                || node.path("pipelineKey").asText("").isBlank() || !node.path("data").isObject()) {
            LOG.warn("webhook refused (400): signed, but not a VMEG event (needs event, pipelineKey and data)");
            respond(m, 400, "error", "not a VMEG webhook event: event, pipelineKey and data are required");
            return;
        }
        String pipelineKey = node.get("pipelineKey").asText();
        String event = node.get("event").asText();
        String vmegTaskId = node.path("data").path("taskId").asText(null);
        Optional<Long> id;
        try {
            id = events.insert(pipelineKey, event, vmegTaskId, "webhook", new String(body, StandardCharsets.UTF_8));
        } catch (LedgerException e) {
            LOG.error("webhook {} {} not stored, answering 503 so VMEG retries: {}", event, pipelineKey, e.getMessage());
            respond(m, 503, "error", "the event could not be stored; please retry");
            return;
        }
        if (id.isPresent()) {
            exchange.setProperty(EVENT_ID, id.get());
            LOG.info("webhook {} for task {} stored (pipelineKey {}, secret #{})", event, vmegTaskId, pipelineKey,
                    check.secretIndex() + 1);
            respond(m, 200, "status", "accepted");
        } else {
            LOG.info("webhook {} for task {}: duplicate delivery of pipelineKey {}, ignored", event, vmegTaskId,
                    pipelineKey);
            respond(m, 200, "status", "duplicate");
        }
    }

    private void respond(Message m, int status, String field, String value) {
        ObjectNode answer = json.createObjectNode().put(field, value);
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(answer.toString());
    }
}
