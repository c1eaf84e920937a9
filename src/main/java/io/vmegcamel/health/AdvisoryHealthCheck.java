package io.vmegcamel.health;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A check operators read in {@code /observe/health} that is neither readiness nor liveness: what it reports (a
 * refused key, an unreachable storage) is not fixed by a restart, and the webhook must stay in service meanwhile.
 */
public abstract class AdvisoryHealthCheck extends AbstractHealthCheck {

    protected AdvisoryHealthCheck(String id) {
        super("vmeg", id);
    }

    @Override
    public final boolean isLiveness() {
        return false;
    }

    @Override
    public final boolean isReadiness() {
        return false;
    }
}
