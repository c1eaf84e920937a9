package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.vmeg.VmegPaths;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Above the multipart threshold the file goes up in presigned parts of VMEG's recommended size (8 MiB in the
 * sandbox), each streamed from disk with its exact length.
 */
class MultipartUploadTest extends BundleTestSupport {

    private static final int MIB = 1024 * 1024;

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.upload.multipart-threshold", String.valueOf(MIB));
        return p;
    }

    @Test
    void aLargeFileIsUploadedInPartsAndComesOutDubbed() throws Exception {
        byte[] bytes = new byte[20 * MIB];
        new Random(42).nextBytes(bytes);
        dropBytes("big.mp4", bytes);

        awaitFile(env.archive().resolve("big.mp4"));

        JsonNode initiate = bodyOf(calls("POST", VmegPaths.MULTIPART_INITIATE).get(0));
        assertThat(initiate.path("fileName").asText()).isEqualTo("big.mp4");
        List<RecordedRequest> presign = calls("POST", VmegPaths.MULTIPART_PRESIGN);
        assertThat(presign).hasSize(1);
        assertThat(bodyOf(presign.get(0)).path("partNumbers").toString()).isEqualTo("[1,2,3]");
        List<RecordedRequest> parts = sandbox().journal().stream().filter(r -> r.method().equals("PUT")).toList();
        assertThat(parts).extracting(r -> header(r, "Content-Length"))
                .containsExactly(String.valueOf(8 * MIB), String.valueOf(8 * MIB), String.valueOf(4 * MIB));
        assertThat(parts).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(header(r, "Authorization")).isNull();
        });
        JsonNode complete = bodyOf(calls("POST", VmegPaths.MULTIPART_COMPLETE).get(0));
        assertThat(complete.path("parts")).hasSize(3);
        assertThat(complete.path("parts").get(2).path("partNumber").asInt()).isEqualTo(3);
        assertThat(complete.path("parts").get(0).path("eTag").asText()).matches("[0-9a-f]{32}");
        assertThat(calls("POST", VmegPaths.GEN_UPLOAD_URL)).isEmpty();
        assertThat(Files.size(env.outbox().resolve("big/de-DE/big.de-DE.mp4"))).isEqualTo(bytes.length);
    }
}
