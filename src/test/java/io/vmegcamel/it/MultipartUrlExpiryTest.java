package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.vmeg.VmegPaths;
import java.io.IOException;
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
    private static ExternalVmeg vmeg;

    @BeforeAll
    static void startVmeg() throws IOException {
        vmeg = ExternalVmeg.start("expiry-key", "expiry-secret", c -> c.withUploadUrlTtl(Duration.ofSeconds(3)));
    }

    @AfterAll
    static void stopVmeg() {
        vmeg.close();
    }

    @Override
    protected Properties overrides() {
        Properties p = vmeg.bundleSettings();
        p.setProperty("vmeg.upload.multipart-threshold", String.valueOf(MIB));
        p.setProperty("vmeg.upload.min-part-size", "0"); // VMEG's recommended parts: the sandbox's 8 MiB
        return p;
    }

    @Test
    void aPartWhoseUrlIsAboutToExpireIsPresignedAgainJustBeforeItsPut() throws Exception {
        byte[] bytes = MultipartUploadTest.randomBytes(20 * MIB, 17);
        dropBytes("big.mp4", bytes);

        awaitFile(env.archive().resolve("big.mp4"));

        List<RecordedRequest> presigns = vmeg.posts(VmegPaths.MULTIPART_PRESIGN);
        assertThat(presigns).extracting(r -> bodyOf(r).path("partNumbers").toString())
                .containsExactlyInAnyOrder("[1,2,3]", "[1]", "[2]", "[3]");
        assertThat(bodyOf(presigns.get(0)).path("partNumbers").toString()).isEqualTo("[1,2,3]");
        List<RecordedRequest> puts = vmeg.server().journal().stream().filter(r -> r.method().equals("PUT")).toList();
        assertThat(puts).extracting(MultipartUploadTest::partNumber).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(puts).extracting(RecordedRequest::status).containsOnly(200);
        JsonNode complete = bodyOf(vmeg.posts(VmegPaths.MULTIPART_COMPLETE).get(0));
        assertThat(complete.path("parts")).hasSize(3);
        assertThat(env.outbox().resolve("big/de-DE/big.de-DE.mp4")).hasBinaryContent(bytes);
    }
}
