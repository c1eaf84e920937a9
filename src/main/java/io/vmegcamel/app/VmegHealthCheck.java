package io.vmegcamel.app;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Health check {@code vmeg} (on the management port's {@code /observe/health}): which VMEG this bundle talks to,
 * {@code mode: sandbox} (the built-in emulation; nothing is really dubbed) or {@code mode: api} in the check's
 * message, and with {@code ?data=true} as details {@code mode} and {@code baseUrl}.
 */
public final class VmegHealthCheck extends AbstractHealthCheck {

    public static final String ID = "vmeg";

    private final boolean sandbox;
    private final String baseUrl;

    public VmegHealthCheck(boolean sandbox, String baseUrl) {
        super("vmeg-camel", ID);
        this.sandbox = sandbox;
        this.baseUrl = baseUrl;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String mode = sandbox ? "sandbox" : "api";
        builder.detail("mode", mode).detail("baseUrl", baseUrl);
        // no URL in the message: Camel's health endpoint escapes its slashes twice
        builder.message("mode: " + mode + (sandbox
                ? " (the built-in VMEG sandbox: no real VMEG, nothing really dubbed; VMEG_SANDBOX=false for the real one)"
                : ""));
        builder.up();
    }
}
