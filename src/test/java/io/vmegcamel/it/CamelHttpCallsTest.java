package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.vmeg.VmegPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every call to VMEG goes through camel-http (routes/vmeg-api.camel.yaml): what the sandbox receives, header by
 * header. Presigned PUTs (single and each multipart part) carry the exact Content-Length, no Authorization, no
 * Content-Type, nothing of the exchange, and the URL byte for byte (the sandbox checks its signature over the raw
 * path and query); API calls carry Bearer auth, a req_id and the idempotency key, and nothing else of the exchange.
 */
class CamelHttpCallsTest extends BundleTestSupport {

    private static final int MIB = 1024 * 1024;
    /** What camel-http (Apache HttpClient 5) itself adds to a PUT: nothing else may reach storage. */
    private static final List<String> PUT_HEADERS = List.of("accept-encoding", "connection", "content-length", "host",
            "user-agent");

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.upload.multipart-threshold", String.valueOf(3 * MIB));
        p.setProperty("vmeg.upload.min-part-size", String.valueOf(12 * MIB)); // above the sandbox's 8 MiB
        return p;
    }

    @Test
    void aSinglePresignedPutAndTheApiCallsCarryExactlyTheirHeaders() throws Exception {
        byte[] source = sample("sample.mp4");
        drop("sample.mp4", "demo.mp4");
        awaitFile(env.archive().resolve("demo.mp4"));

        RecordedRequest put = single(puts());
        assertThat(put.status()).isEqualTo(200); // signature over the raw path and query held: the URL was untouched
        assertThat(put.rawQuery()).contains("X-Amz-Credential=SANDBOX%2F").contains("%2Fus-east-1%2Fs3%2Faws4_request");
        assertThat(new TreeSet<>(put.headers().keySet())).containsExactlyElementsOf(PUT_HEADERS);
        assertThat(header(put, "Content-Length")).isEqualTo(String.valueOf(source.length));
        assertThat(header(put, "User-Agent")).isEqualTo("vmeg-camel/0.1");
        assertThat(put.bodySize()).isEqualTo(source.length);

        RecordedRequest gen = single(calls("POST", VmegPaths.GEN_UPLOAD_URL));
        assertThat(new TreeSet<>(gen.headers().keySet())).containsExactlyElementsOf(List.of("accept",
                "accept-encoding", "authorization", "connection", "content-length", "content-type", "host",
                "user-agent", "x-idempotency-key"));
        assertThat(header(gen, "Authorization")).isEqualTo("Bearer sandbox-api-key");
        assertThat(header(gen, "Content-Type")).isEqualTo("application/json");
        String key = header(gen, "X-Idempotency-Key");
        assertThat(gen.rawQuery()).isEqualTo("req_id=" + key.replace("-", "").substring(0, 32));

        // create-async carries the key the ledger committed for the task, and the req_id that follows from it
        Job job = ledger().jobs().recent(1).get(0);
        Task task = ledger().tasks().forJob(job.id()).get(0);
        RecordedRequest create = single(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE));
        assertThat(header(create, "X-Idempotency-Key")).isEqualTo(task.idempotencyKey());
        assertThat(create.rawQuery()).isEqualTo("req_id=" + task.idempotencyKey().substring(0, 32));
        assertThat(bodyOf(create).path("extraData").path("vmegCamel").path("taskRef").asText()).isEqualTo(task.id());
        assertThat(task.firstSentAt()).isNotNull();
        assertThat(task.firstSentAt()).isBeforeOrEqualTo(task.submittedAt());
    }

    @Test
    void eachMultipartPartIsExactlyItsByteRange() throws Exception {
        byte[] bytes = new byte[20 * MIB + 12345];
        new Random(7).nextBytes(bytes);
        dropBytes("big.mp4", bytes);
        awaitFile(env.archive().resolve("big.mp4"));

        List<RecordedRequest> parts = puts().stream() // parts go up in parallel: in any order
                .sorted(java.util.Comparator.comparingInt(MultipartUploadTest::partNumber)).toList();
        assertThat(parts).hasSize(2); // the sandbox recommends 8 MiB parts, vmeg.upload.min-part-size is 12 MiB
        long[] lengths = {12 * MIB, 8 * MIB + 12345};
        JsonNode complete = bodyOf(single(calls("POST", VmegPaths.MULTIPART_COMPLETE)));
        for (int i = 0; i < parts.size(); i++) {
            RecordedRequest part = parts.get(i);
            assertThat(part.status()).isEqualTo(200);
            assertThat(part.rawQuery()).contains("partNumber=" + (i + 1)).contains("X-Amz-Credential=SANDBOX%2F");
            assertThat(new TreeSet<>(part.headers().keySet())).containsExactlyElementsOf(PUT_HEADERS);
            assertThat(header(part, "Content-Length")).isEqualTo(String.valueOf(lengths[i]));
            assertThat(part.bodySize()).isEqualTo(lengths[i]);
            // the ETag storage answered is the tag of exactly this range, and complete carries it
            int from = i * 12 * MIB;
            String tag = MultipartUploadTest.sandboxPartTag(Arrays.copyOfRange(bytes, from, (int) (from + lengths[i])));
            assertThat(complete.path("parts").get(i).path("partNumber").asInt()).isEqualTo(i + 1);
            assertThat(complete.path("parts").get(i).path("eTag").asText()).isEqualTo(tag);
        }
        assertThat(calls("POST", VmegPaths.MULTIPART_ABORT)).isEmpty();
    }

    @Test
    void anMd5DedupHitEndsTheUpload() throws Exception {
        // VMEG already holds these bytes (uploaded by someone else); the ledger does not know it
        byte[] source = sample("sample.mp4");
        Path elsewhere = Files.createDirectories(env.root().resolve("elsewhere"))
                .resolve("other.mp4");
        Files.write(elsewhere, source);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(source));
        VmegTestClient vmeg = new VmegTestClient(sandbox().baseUrl());
        JsonNode gen = vmeg.post(VmegPaths.GEN_UPLOAD_URL, "dedup-setup-1",
                json.createObjectNode().put("fileHash", md5).put("fileName", "other.mp4"));
        vmeg.put(gen.path("uploadUrl").asText(), elsewhere);
        vmeg.post(VmegPaths.UPLOAD_COMPLETE, "dedup-setup-2", json.createObjectNode().put("fileHash", md5)
                .put("fileName", "other.mp4").put("s3Uri", gen.path("s3Uri").asText())
                .put("materialId", gen.path("materialId").asText()));
        sandbox().clearJournal();

        drop("sample.mp4", "demo.mp4");
        awaitFile(env.archive().resolve("demo.mp4"));

        assertThat(calls("POST", VmegPaths.GEN_UPLOAD_URL)).hasSize(1);
        assertThat(puts()).isEmpty();
        assertThat(calls("POST", VmegPaths.UPLOAD_COMPLETE)).isEmpty();
        Job job = ledger().jobs().recent(1).get(0);
        assertThat(job.materialId()).isEqualTo(gen.path("materialId").asText());
        assertThat(bodyOf(single(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE))).path("source")
                .path("materialId").asText()).isEqualTo(gen.path("materialId").asText());
    }

    @Test
    void aFailedMultipartUploadIsAborted() {
        sandbox().injectFault("POST", VmegPaths.MULTIPART_COMPLETE, 400, 400, "part list does not match", 1);
        byte[] bytes = new byte[4 * MIB];
        new Random(3).nextBytes(bytes);
        dropBytes("big.mp4", bytes);
        JsonNode report = readJson(awaitFile(env.failed().resolve("big.mp4.error.json")));

        assertThat(report.path("message").asText()).contains("part list does not match");
        RecordedRequest abort = single(calls("POST", VmegPaths.MULTIPART_ABORT));
        JsonNode complete = bodyOf(single(calls("POST", VmegPaths.MULTIPART_COMPLETE)));
        assertThat(abort.status()).isEqualTo(200);
        assertThat(bodyOf(abort).path("uploadId").asText()).isEqualTo(complete.path("uploadId").asText()).isNotBlank();
        assertThat(bodyOf(abort).path("materialId").asText()).isEqualTo(complete.path("materialId").asText());
    }

    private List<RecordedRequest> puts() {
        return sandbox().journal().stream().filter(r -> r.method().equals("PUT")).toList();
    }

    private static RecordedRequest single(List<RecordedRequest> requests) {
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }
}
