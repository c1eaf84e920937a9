package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.sandbox.SandboxConfig;
import io.vmegcamel.sandbox.SandboxServer;
import io.vmegcamel.vmeg.VmegPaths;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Presigned part URLs expire ({@code expiresInSeconds}). Here VMEG gives them three seconds, no more than the margin
 * the bundle keeps (half a short lifetime, and a second for the signature date's resolution), so every part's URL
 * counts as expiring when its turn comes: each part is presigned again, alone, right before its PUT, and storage
 * never sees an expired URL.
 */
class MultipartUrlExpiryTest extends BundleTestSupport {

    private static final int MIB = 1024 * 1024;
    private static SandboxServer vmeg;
    private static int bundlePort;

    @BeforeAll
    static void startVmeg() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            bundlePort = s.getLocalPort();
        }
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-envs")), "vmeg-");
        vmeg = SandboxServer.start(SandboxConfig.defaults().withPort(0).withApiKey("expiry-key")
                .withWebhookSecret("expiry-secret").withWebhookUrl("http://127.0.0.1:" + bundlePort + "/webhooks/vmeg")
                .withDataDir(data).withTaskDuration(Duration.ofMillis(300)).withUploadUrlTtl(Duration.ofSeconds(3)));
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
        p.setProperty("vmeg.api-key", "expiry-key");
        p.setProperty("vmeg.webhook.secret", "expiry-secret");
        p.setProperty("vmeg.http-port", String.valueOf(bundlePort));
        p.setProperty("vmeg.public-url", "http://127.0.0.1:" + bundlePort);
        p.setProperty("vmeg.upload.multipart-threshold", String.valueOf(MIB));
        return p;
    }

    @Test
    void aPartWhoseUrlIsAboutToExpireIsPresignedAgainJustBeforeItsPut() throws Exception {
        byte[] bytes = MultipartUploadTest.randomBytes(20 * MIB, 17);
        dropBytes("big.mp4", bytes);

        awaitFile(env.archive().resolve("big.mp4"));

        List<RecordedRequest> presigns = calls(VmegPaths.MULTIPART_PRESIGN);
        assertThat(presigns).extracting(r -> bodyOf(r).path("partNumbers").toString())
                .containsExactlyInAnyOrder("[1,2,3]", "[1]", "[2]", "[3]");
        assertThat(bodyOf(presigns.get(0)).path("partNumbers").toString()).isEqualTo("[1,2,3]");
        List<RecordedRequest> puts = vmeg.journal().stream().filter(r -> r.method().equals("PUT")).toList();
        assertThat(puts).extracting(MultipartUploadTest::partNumber).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(puts).extracting(RecordedRequest::status).containsOnly(200);
        JsonNode complete = bodyOf(calls(VmegPaths.MULTIPART_COMPLETE).get(0));
        assertThat(complete.path("parts")).hasSize(3);
        assertThat(env.outbox().resolve("big/de-DE/big.de-DE.mp4")).hasBinaryContent(bytes);
    }

    private List<RecordedRequest> calls(String path) {
        return vmeg.journal().stream().filter(r -> r.method().equals("POST") && r.path().equals(path)).toList();
    }
}
