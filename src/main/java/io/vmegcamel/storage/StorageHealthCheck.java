package io.vmegcamel.storage;

import io.vmegcamel.health.AdvisoryHealthCheck;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * {@code vmeg-storage} in {@code /observe/health}: DOWN with the storage's own words while the remote inbox cannot
 * be read (refused host key, wrong credentials, no such bucket, ...). Advisory: the webhook keeps working, and a
 * restart does not fix a host key.
 */
public final class StorageHealthCheck extends AdvisoryHealthCheck {

    private final RemoteStorage storage;

    public StorageHealthCheck(RemoteStorage storage) {
        super("vmeg-storage");
        this.storage = storage;
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
