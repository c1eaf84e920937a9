package io.vmegcamel.storage;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * {@code vmeg-storage} in {@code /observe/health}: DOWN with the storage's own words while a remote inbox or outbox
 * cannot be reached (refused host key, wrong credentials, no such bucket, ...). Neither readiness nor liveness: the
 * webhook keeps working, and a restart does not fix a host key.
 */
public final class StorageHealthCheck extends AbstractHealthCheck {

    private final RemoteStorage storage;

    public StorageHealthCheck(RemoteStorage storage) {
        super("vmeg", "vmeg-storage");
        this.storage = storage;
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
        String problem = storage.problem();
        if (problem == null) {
            builder.up();
        } else {
            builder.message(problem).down();
        }
    }
}
