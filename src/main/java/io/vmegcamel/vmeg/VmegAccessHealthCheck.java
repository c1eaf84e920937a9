package io.vmegcamel.vmeg;

import io.vmegcamel.health.AdvisoryHealthCheck;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * {@code vmeg-access} in {@code /observe/health}: DOWN with the reason while VMEG refuses the key or the credits.
 * Neither readiness nor liveness: restarting does not fix a key or a balance, and the webhook must stay reachable
 * (results of tasks already bought keep coming in during the pause).
 */
public final class VmegAccessHealthCheck extends AdvisoryHealthCheck {

    private final VmegAccess access;

    public VmegAccessHealthCheck(VmegAccess access) {
        super("vmeg-access");
        this.access = access;
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
