package io.vmegcamel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.sandbox.SandboxConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every class holding a secret prints everything else but not the secret (the application's {@code Settings}:
 * {@code SettingsTest}).
 */
class NoSecretInToStringTest {

    @Test
    void theSandboxConfigHidesItsKeyAndSecret() {
        SandboxConfig config = SandboxConfig.defaults().withApiKey("live-KEY-1a2b").withWebhookSecret("whsec-3c4d")
                .withWebhookUrl("http://127.0.0.1:8080/webhooks/vmeg").withDataDir(Path.of("/tmp/sb"))
                .withFinishedStatusWord("complete").withWebhookOmit(List.of("event"));

        assertThat(config.toString()).doesNotContain("live-KEY-1a2b", "whsec-3c4d")
                .startsWith("SandboxConfig[host=127.0.0.1, port=0, apiKey=***, "
                        + "webhookUrl=http://127.0.0.1:8080/webhooks/vmeg, webhookSecret=***, dataDir=/tmp/sb, ")
                .contains("credits=1000000", "minPartSize=5242880", "webhookMaxAttempts=8")
                .endsWith(", webhooksEnabled=true, finishedStatusWord=complete, webhookOmit=[event]]");
    }

    @Test
    void aRecordedRequestHidesTheBearerTokenAndUrlSignatures() {
        RecordedRequest api = new RecordedRequest("GET", "/openapi/v1/tasks/detail", "taskId=t_1",
                Map.of("authorization", List.of("Bearer live-KEY-1a2b"), "accept", List.of("*/*")), new byte[0], 0, 200);
        RecordedRequest put = new RecordedRequest("PUT", "/storage/k", "X-Amz-Date=1&X-Amz-Signature=5ec7e7&b=2",
                Map.of(), new byte[17], 17, 200);

        assertThat(api.toString()).isEqualTo("RecordedRequest[method=GET, path=/openapi/v1/tasks/detail, "
                + "rawQuery=taskId=t_1, headers={accept=[*/*], authorization=[Bearer ***]}, body=0 bytes, bodySize=0, "
                + "status=200]");
        assertThat(put.toString()).contains("rawQuery=X-Amz-Date=1&X-Amz-Signature=***&b=2", "body=17 bytes")
                .doesNotContain("5ec7e7");
    }
}
