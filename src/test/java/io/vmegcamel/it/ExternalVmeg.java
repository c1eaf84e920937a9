package io.vmegcamel.it;

import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.sandbox.SandboxConfig;
import io.vmegcamel.sandbox.SandboxServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * A VMEG apart from the bundle under test, which reaches it over {@code vmeg.base-url} with its own sandbox off: a
 * sandbox server on a free port, with its own data folder, sending its webhooks to a port reserved for the bundle.
 * Tasks take 300 ms unless {@code config} says otherwise.
 */
final class ExternalVmeg implements AutoCloseable {

    private final SandboxServer server;
    private final int bundlePort;
    private final String apiKey;
    private final String secret;

    private ExternalVmeg(SandboxServer server, int bundlePort, String apiKey, String secret) {
        this.server = server;
        this.bundlePort = bundlePort;
        this.apiKey = apiKey;
        this.secret = secret;
    }

    static ExternalVmeg start(String apiKey, String secret, UnaryOperator<SandboxConfig> config) throws IOException {
        int bundlePort;
        try (ServerSocket s = new ServerSocket(0)) {
            bundlePort = s.getLocalPort();
        }
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-envs")), "vmeg-");
        SandboxServer server = SandboxServer.start(config.apply(SandboxConfig.defaults().withPort(0).withApiKey(apiKey)
                .withWebhookSecret(secret).withWebhookUrl("http://127.0.0.1:" + bundlePort + "/webhooks/vmeg")
                .withDataDir(data).withTaskDuration(Duration.ofMillis(300))));
        return new ExternalVmeg(server, bundlePort, apiKey, secret);
    }

    SandboxServer server() {
        return server;
    }

    /** The POSTs this VMEG received on {@code path}, in order. */
    List<RecordedRequest> posts(String path) {
        return server.journal().stream().filter(r -> r.method().equals("POST") && r.path().equals(path)).toList();
    }

    /** The bundle's settings to use this VMEG: its sandbox off, this URL, key and secret, the reserved port. */
    Properties bundleSettings() {
        Properties p = new Properties();
        p.setProperty("vmeg.sandbox", "false");
        p.setProperty("vmeg.base-url", server.baseUrl());
        p.setProperty("vmeg.api-key", apiKey);
        p.setProperty("vmeg.webhook.secret", secret);
        p.setProperty("vmeg.http-port", String.valueOf(bundlePort));
        p.setProperty("vmeg.public-url", "http://127.0.0.1:" + bundlePort);
        return p;
    }

    @Override
    public void close() {
        server.close();
    }
}
