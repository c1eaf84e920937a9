package io.vmegcamel.vmeg;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * {@code vmeg-access} in {@code /observe/health}: DOWN with the reason while VMEG refuses the key or the credits.
 * Neither readiness nor liveness: restarting does not fix a key or a balance, and the webhook must stay reachable
 * (results of tasks already bought keep coming in during the pause).
 */
public final class VmegAccessHealthCheck extends AbstractHealthCheck {

    private final VmegAccess access;

    public VmegAccessHealthCheck(VmegAccess access) {
        super("vmeg", "vmeg-access");
        this.access = access;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("state", access.state().name());
        if (access.isPaused()) {
            builder.detail("reason", access.reason()).detail("since", String.valueOf(access.since()));
            builder.message("ingest paused: " + access.reason()).down();
        } else {
            builder.up();
        }
    }
}
