package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.vmeg.VmegPaths;
import java.io.IOException;
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

    private static ExternalVmeg vmeg;

    @BeforeAll
    static void startVmeg() throws IOException {
        vmeg = ExternalVmeg.start("live-key-7f3a", "rotated-secret", c -> c);
    }

    @AfterAll
    static void stopVmeg() {
        vmeg.close();
    }

    @Override
    protected Properties overrides() {
        Properties p = vmeg.bundleSettings();
        p.setProperty("vmeg.webhook.secret", "previous-secret, rotated-secret");
        return p;
    }

    @Test
    void theBundleWorksAgainstAnyServerThatSpeaksTheApi() {
        vmeg.server().clearJournal();
        drop("sample.mp4", "demo.mp4");

        awaitFile(env.archive().resolve("demo.mp4"));

        assertThat(context.getRegistry().lookupByName("vmegSandbox")).isNull();
        assertThat(env.outbox().resolve("demo/de-DE/demo.de-DE.mp4")).exists();
        List<RecordedRequest> api = vmeg.server().journal().stream().filter(r -> r.path().startsWith("/openapi/"))
                .toList();
        assertThat(api).extracting(RecordedRequest::path).containsExactly(VmegPaths.GEN_UPLOAD_URL,
                VmegPaths.UPLOAD_COMPLETE, VmegPaths.MEDIA_TRANSLATION_CREATE);
        assertThat(api).allSatisfy(r -> assertThat(header(r, "Authorization")).isEqualTo("Bearer live-key-7f3a"));
        // the webhook was signed with the second configured secret (rotation)
        assertThat(vmeg.server().webhookAttempts()).extracting(a -> a.status()).containsExactly(200);
    }

    @Test
    void healthSaysTheRealApiModeAndItsUrl() throws Exception {
        com.fasterxml.jackson.databind.JsonNode check = SandboxModeTest.vmegCheck(env, "?data=true");

        assertThat(check.path("status").asText()).isEqualTo("UP");
        assertThat(check.path("message").asText()).isEqualTo("mode: api");
        assertThat(check.path("data").path("mode").asText()).isEqualTo("api");
        assertThat(check.path("data").path("baseUrl").asText()).isEqualTo(vmeg.server().baseUrl());
    }
}
