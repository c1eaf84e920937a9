package io.vmegcamel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmegcamel.ingest.MaterialUploader;
import io.vmegcamel.sandbox.SandboxConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every class holding a secret prints everything else but not the secret (the application's {@code Settings}:
 * {@code SettingsTest}).
 */
class NoSecretInToStringTest {

    @Test
    void anUploadInProgressHidesItsPresignedUrl() {
        MaterialUploader.Upload upload = new MaterialUploader.Upload(
                "https://bucket.example/k?X-Amz-Credential=AKIA1&X-Amz-Signature=5ec7e7", "s3://bucket/k", "m_1",
                "upl_2", 5_242_880, List.of());

        assertThat(upload.toString()).isEqualTo("Upload[uploadUrl=***, s3Uri=s3://bucket/k, materialId=m_1, "
                + "uploadId=upl_2, partSize=5242880, parts=[]]").doesNotContain("X-Amz-Signature", "5ec7e7");
        assertThat(new MaterialUploader.Upload(null, null, "m_1", "u", 1, List.of()).toString())
                .startsWith("Upload[uploadUrl=null, ");
    }

    @Test
    void theSandboxConfigHidesItsKeyAndSecret() {
        SandboxConfig config = SandboxConfig.defaults().withApiKey("live-KEY-1a2b").withWebhookSecret("whsec-3c4d")
                .withWebhookUrl("http://127.0.0.1:8080/webhooks/vmeg").withDataDir(Path.of("/tmp/sb"));

        assertThat(config.toString()).doesNotContain("live-KEY-1a2b", "whsec-3c4d")
                .contains("webhookUrl=http://127.0.0.1:8080/webhooks/vmeg", "dataDir=/tmp/sb", "port=0");
    }
}
