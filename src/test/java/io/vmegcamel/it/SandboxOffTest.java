package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.sandbox.SandboxConfig;
import io.vmegcamel.sandbox.SandboxServer;
import io.vmegcamel.vmeg.VmegPaths;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundle with its sandbox off, pointed by VMEG_BASE_URL at a separate server that speaks the documented API
 * (here a standalone sandbox process-alike, with its own key and secret): nothing sandbox-specific is needed.
 */
class SandboxOffTest extends BundleTestSupport {

    private static SandboxServer vmeg;
    private static int bundlePort;

    @BeforeAll
    static void startVmeg() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            bundlePort = s.getLocalPort();
        }
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-envs")), "vmeg-");
        vmeg = SandboxServer.start(SandboxConfig.defaults().withPort(0).withApiKey("live-key-7f3a")
                .withWebhookSecret("rotated-secret").withWebhookUrl("http://127.0.0.1:" + bundlePort + "/webhooks/vmeg")
                .withDataDir(data).withTaskDuration(java.time.Duration.ofMillis(300)));
    }

    @AfterAll
    static void stopVmeg() {
        vmeg.close();
    }

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.sandbox", "false");
        p.setProperty("vmeg.base-url", vmeg.baseUrl());
        p.setProperty("vmeg.api-key", "live-key-7f3a");
        p.setProperty("vmeg.webhook.secret", "previous-secret, rotated-secret");
        p.setProperty("vmeg.http-port", String.valueOf(bundlePort));
        p.setProperty("vmeg.public-url", "http://127.0.0.1:" + bundlePort);
        return p;
    }

    @Test
    void theBundleWorksAgainstAnyServerThatSpeaksTheApi() {
        vmeg.clearJournal();
        drop("sample.mp4", "demo.mp4");

        awaitFile(env.archive().resolve("demo.mp4"));

        assertThat(context.getRegistry().lookupByName("vmegSandbox")).isNull();
        assertThat(env.outbox().resolve("demo/de-DE/demo.de-DE.mp4")).exists();
        List<RecordedRequest> api = vmeg.journal().stream().filter(r -> r.path().startsWith("/openapi/")).toList();
        assertThat(api).extracting(RecordedRequest::path).containsExactly(VmegPaths.GEN_UPLOAD_URL,
                VmegPaths.UPLOAD_COMPLETE, VmegPaths.MEDIA_TRANSLATION_CREATE);
        assertThat(api).allSatisfy(r -> assertThat(header(r, "Authorization")).isEqualTo("Bearer live-key-7f3a"));
        // the webhook was signed with the second configured secret (rotation)
        assertThat(vmeg.webhookAttempts()).extracting(a -> a.status()).containsExactly(200);
    }

    @Test
    void healthSaysTheRealApiModeAndItsUrl() throws Exception {
        com.fasterxml.jackson.databind.JsonNode check = SandboxModeTest.vmegCheck(env, "?data=true");

        assertThat(check.path("status").asText()).isEqualTo("UP");
        assertThat(check.path("message").asText()).isEqualTo("mode: api");
        assertThat(check.path("data").path("mode").asText()).isEqualTo("api");
        assertThat(check.path("data").path("baseUrl").asText()).isEqualTo(vmeg.baseUrl());
    }
}
