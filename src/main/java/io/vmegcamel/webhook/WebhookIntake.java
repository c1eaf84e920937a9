package io.vmegcamel.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.ledger.Events.NewEvent;
import io.vmegcamel.ledger.StoredEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's front door: verifies the signature on the raw bytes, journals the event ({@link EventJournal}, from
 * where it reaches the ledger once per pipelineKey, or per key derived when VMEG sent none: {@link EventIdentity})
 * and only then answers 2xx, so an acknowledged event is never lost. Processing happens off the request thread,
 * once the event is in the ledger. An event whose type cannot be told is stored as IGNORED.
 *
 * <p>Answers: 200 accepted; 400 not a VMEG event (not a JSON object with a {@code data} object); 401 signature
 * check failed; 503 the journal could not take it (VMEG retries). The answer carries none of the request's
 * headers (the signature among them).
 */
public final class WebhookIntake implements Processor {

    public static final String EVENT_ID = "vmegEventId";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);

    private final SignatureVerifier verifier;
    private final EventJournal journal;
    private final ObjectMapper json;

    public WebhookIntake(SignatureVerifier verifier, EventJournal journal, ObjectMapper json) {
        this.verifier = verifier;
        this.journal = journal;
        this.json = json;
    }

    /** A Processor rather than a bean method: no method lookup and parameter binding on every delivery. */
    @Override
    public void process(Exchange exchange) {
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
        if (node == null || !node.isObject() || !node.path("data").isObject()) {
            LOG.warn("webhook refused (400): signed, but not a VMEG event (not a JSON object with a data object)");
            respond(m, 400, "error", "not a VMEG webhook event: a JSON object with a data object is required");
            return;
        }
        EventIdentity ev = EventIdentity.of(node, body);
        String note = ev.derivation().isEmpty() ? "" : " (" + ev.derivation() + ")";
        try {
            journal.append(new NewEvent(ev.pipelineKey(), ev.event(), ev.vmegTaskId(), "webhook",
                    new String(body, StandardCharsets.UTF_8),
                    ev.ignoredBecause() == null ? StoredEvent.RECEIVED : StoredEvent.IGNORED, ev.ignoredBecause()));
        } catch (EventJournal.JournalRefusedException e) { // a full disk, a ledger far behind, or shutting down
            LOG.error("webhook {} {} not stored, answering 503 so VMEG retries: {}", ev.event(), ev.pipelineKey(),
                    e.getMessage());
            respond(m, 503, "error", "the event could not be stored; please retry");
            return;
        }
        if (ev.ignoredBecause() == null) {
            // DEBUG: a burst brings thousands a second; the processing logs what each event changed
            LOG.debug("webhook {} for task {} journaled (pipelineKey {}, secret #{}){}", ev.event(), ev.vmegTaskId(),
                    ev.pipelineKey(), check.secretIndex() + 1, note);
        } else {
            LOG.warn("webhook for task {} stored as {} and ignored: {}", ev.vmegTaskId(), ev.pipelineKey(),
                    ev.ignoredBecause());
        }
        respond(m, 200, "status", "accepted");
    }

    private void respond(Message m, int status, String field, String value) {
        ObjectNode answer = json.createObjectNode().put(field, value);
        m.getHeaders().clear(); // never echo the request's headers (its signature among them) in the answer
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(answer.toString());
    }
}
