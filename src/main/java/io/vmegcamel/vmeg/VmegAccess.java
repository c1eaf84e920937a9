package io.vmegcamel.vmeg;

import java.time.Instant;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether VMEG lets the bundle submit: a 401 (the key is refused) or a 402 (out of credits) pauses ingest — the
 * inbox consumer takes no file ({@code InboxGate}), files wait in the inbox, none is failed — until the
 * {@code vmeg-access-probe} route sees VMEG accept again. A 401 is probed with a free call (tasks/list); VMEG offers
 * no free way to ask for credits, so a 402 pause ends once per probe interval and the oldest waiting file's
 * create-async is the probe.
 */
public final class VmegAccess {

    public enum State { OK, KEY_REFUSED, OUT_OF_CREDITS }

    private static final Logger LOG = LoggerFactory.getLogger(VmegAccess.class);

    private volatile State state = State.OK;
    private volatile String reason;
    private volatile Instant since;

    /** True when the failure is VMEG refusing our key or our credits (not this file). */
    public boolean isPause(Exchange exchange) {
        return stateFor(VmegException.in(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class))) != State.OK
                || stateFor(VmegException.in(exchange.getException())) != State.OK;
    }

    /** Pauses ingest; the failing exchange leaves its file in the inbox (the error policy does not handle it). */
    public void pause(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        VmegException e = VmegException.in(failure);
        State next = stateFor(e);
        if (next == State.OK) {
            return;
        }
        boolean changed = state != next;
        reason = (next == State.KEY_REFUSED
                ? "VMEG refuses the API key (check VMEG_API_KEY); "
                : "VMEG says the account is out of credits (top up); ")
                + "files wait in the inbox. VMEG said: " + e.getMessage();
        since = Instant.now();
        state = next;
        if (changed) {
            LOG.error("Ingest paused: {}", reason);
        }
    }

    public boolean isPaused() {
        return state != State.OK;
    }

    public State state() {
        return state;
    }

    public String reason() {
        return reason;
    }

    public Instant since() {
        return since;
    }

    /** The probe saw VMEG accept (or, for credits, it is time to try a file again): ingest resumes. */
    public void resume() {
        if (state == State.OK) {
            return;
        }
        LOG.warn("Ingest resumes: {}", state == State.KEY_REFUSED ? "VMEG accepts the API key again"
                : "trying the oldest waiting file (credits may have been topped up)");
        state = State.OK;
        reason = null;
        since = null;
    }

    private static State stateFor(VmegException e) {
        if (e == null) {
            return State.OK;
        }
        if (e.httpStatus() == 401 || e.code() == 401) {
            return State.KEY_REFUSED;
        }
        if (e.httpStatus() == 402 || e.code() == 402) {
            return State.OUT_OF_CREDITS;
        }
        return State.OK;
    }
}
