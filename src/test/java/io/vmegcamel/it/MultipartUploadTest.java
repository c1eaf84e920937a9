package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.ledger.History;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.sandbox.SandboxServer;
import io.vmegcamel.vmeg.VmegPaths;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Above the multipart threshold the file goes up in presigned parts of VMEG's recommended size (8 MiB in the
 * sandbox), each streamed from disk with its exact length, at most {@code vmeg.upload.part-parallelism} (here 2)
 * at once. A part that gets no answer fails the upload for a retry that resumes the same upload with the missing
 * parts only; an upload VMEG no longer knows is replaced by a new one.
 */
class MultipartUploadTest extends BundleTestSupport {

    private static final int MIB = 1024 * 1024;
    private static final Pattern PART = Pattern.compile("(?:^|&)partNumber=(\\d+)(?:&|$)");
    private static final List<String> PUT_HEADERS = List.of("accept-encoding", "connection", "content-length", "host",
            "user-agent");

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.upload.multipart-threshold", String.valueOf(MIB));
        p.setProperty("vmeg.upload.min-part-size", "0"); // VMEG's recommended parts: the sandbox's 8 MiB
        p.setProperty("vmeg.upload.part-parallelism", "2");
        p.setProperty("vmeg.http.transfer-timeout", "3s"); // a stalled part is given up after this
        return p;
    }

    @Test
    void aLargeFileIsUploadedInParallelPartsAndComesOutDubbed() throws Exception {
        byte[] bytes = randomBytes(36 * MIB + 777, 42);
        dropBytes("big.mp4", bytes);

        awaitFile(env.archive().resolve("big.mp4"));

        JsonNode initiate = bodyOf(single(calls("POST", VmegPaths.MULTIPART_INITIATE)));
        assertThat(initiate.path("fileName").asText()).isEqualTo("big.mp4");
        assertThat(bodyOf(single(calls("POST", VmegPaths.MULTIPART_PRESIGN))).path("partNumbers").toString())
                .isEqualTo("[1,2,3,4,5]");
        List<RecordedRequest> parts = partPuts();
        assertThat(parts).extracting(MultipartUploadTest::partNumber).containsExactly(1, 2, 3, 4, 5);
        long[] lengths = {8 * MIB, 8 * MIB, 8 * MIB, 8 * MIB, 4 * MIB + 777};
        JsonNode complete = bodyOf(single(calls("POST", VmegPaths.MULTIPART_COMPLETE)));
        assertThat(complete.path("parts")).hasSize(5);
        for (int i = 0; i < parts.size(); i++) {
            RecordedRequest part = parts.get(i);
            assertThat(part.status()).isEqualTo(200);
            assertThat(new TreeSet<>(part.headers().keySet())).containsExactlyElementsOf(PUT_HEADERS);
            assertThat(header(part, "Content-Length")).isEqualTo(String.valueOf(lengths[i]));
            assertThat(part.bodySize()).isEqualTo(lengths[i]);
            assertThat(complete.path("parts").get(i).path("partNumber").asInt()).isEqualTo(i + 1);
            assertThat(complete.path("parts").get(i).path("eTag").asText())
                    .isEqualTo(sandboxPartTag(
                            Arrays.copyOfRange(bytes, i * 8 * MIB, (int) (i * 8L * MIB + lengths[i]))));
        }
        assertThat(complete.path("fileHash").asText()).isEqualTo(md5(bytes));
        assertThat(calls("POST", VmegPaths.GEN_UPLOAD_URL)).isEmpty();
        assertThat(calls("POST", VmegPaths.MULTIPART_ABORT)).isEmpty();
        assertThat(Files.size(env.outbox().resolve("big/de-DE/big.de-DE.mp4"))).isEqualTo(bytes.length);
        Job job = ledger().jobs().recent(1).get(0);
        assertThat(ledger().multiparts().find(job.id())).isEmpty(); // the ledger forgets a completed upload
        assertThat(ledger().multiparts().parts(job.id())).isEmpty();
    }

    @Test
    void partsGoUpTwoAtATimeAndAStalledPartIsResumedUnderTheSameUpload() throws Exception {
        sandbox().injectPartFault(1, SandboxServer.After.stall(), 1);
        sandbox().injectPartFault(2, SandboxServer.After.stall(), 1);
        byte[] bytes = randomBytes(36 * MIB, 5);
        dropBytes("big.mp4", bytes);

        // parts 1 and 2 are in flight together, neither answered; the bound keeps part 3 waiting for a thread
        await().atMost(PATIENCE).until(() -> partPuts().stream().filter(r -> r.status() == 0).count() == 2);
        assertThat(partPuts()).extracting(MultipartUploadTest::partNumber).containsExactly(1, 2);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> partPuts().size() == 2);

        // the stalled parts time out (no answer: retryable); the retry resumes the same upload, not aborted
        awaitFile(env.archive().resolve("big.mp4"));
        String uploadId = bodyOf(single(calls("POST", VmegPaths.MULTIPART_COMPLETE))).path("uploadId").asText();
        assertThat(calls("POST", VmegPaths.MULTIPART_INITIATE)).hasSize(1);
        assertThat(calls("POST", VmegPaths.MULTIPART_ABORT)).isEmpty();
        assertThat(calls("POST", VmegPaths.MULTIPART_PRESIGN)).allSatisfy(r ->
                assertThat(bodyOf(r).path("uploadId").asText()).isEqualTo(uploadId));
        List<RecordedRequest> stored = partPuts().stream().filter(r -> r.status() == 200).toList();
        assertThat(stored).extracting(MultipartUploadTest::partNumber).containsExactly(1, 2, 3, 4, 5);
        Job job = ledger().jobs().recent(1).get(0);
        assertThat(ledger().history().forJob(job.id())).extracting(History.Entry::detail)
                .anySatisfy(d -> assertThat(d).startsWith("multipart resume -> upload " + uploadId));
        assertThat(env.outbox().resolve("big/de-DE/big.de-DE.mp4")).hasBinaryContent(bytes);
    }

    @Test
    void aStalledPartDoesNotHoldBackTheOthers() throws Exception {
        sandbox().injectPartFault(3, SandboxServer.After.stall(), 1);
        byte[] bytes = randomBytes(36 * MIB, 13);
        dropBytes("big.mp4", bytes);

        // while part 3 waits for an answer, the other thread PUTs parts 4 and 5
        await().atMost(PATIENCE).until(() -> statuses(200).equals(List.of(1, 2, 4, 5))
                && statuses(0).equals(List.of(3)));

        awaitFile(env.archive().resolve("big.mp4"));
        List<RecordedRequest> presigns = calls("POST", VmegPaths.MULTIPART_PRESIGN);
        assertThat(presigns).extracting(r -> bodyOf(r).path("partNumbers").toString())
                .containsExactly("[1,2,3,4,5]", "[3]");
        assertThat(statuses(200)).containsExactly(1, 2, 3, 4, 5);
        assertThat(env.outbox().resolve("big/de-DE/big.de-DE.mp4")).hasBinaryContent(bytes);
    }

    @Test
    void aResumedUploadVmegNoLongerKnowsIsReplacedByANewOne() throws Exception {
        sandbox().injectPartFault(3, SandboxServer.After.stall(), 1);
        byte[] bytes = randomBytes(20 * MIB, 9);
        dropBytes("big.mp4", bytes);
        await().atMost(PATIENCE).until(() -> partPuts().stream().anyMatch(r -> partNumber(r) == 3));
        // when the retry resumes, VMEG says the upload is gone (expired, say)
        sandbox().injectFault("POST", VmegPaths.MULTIPART_PRESIGN, 404, 404, "multipart upload not found", 1);

        awaitFile(env.archive().resolve("big.mp4"));

        List<RecordedRequest> initiates = calls("POST", VmegPaths.MULTIPART_INITIATE);
        assertThat(initiates).hasSize(2);
        List<RecordedRequest> presigns = calls("POST", VmegPaths.MULTIPART_PRESIGN);
        assertThat(presigns).extracting(RecordedRequest::status).containsExactly(200, 404, 200);
        String first = bodyOf(presigns.get(0)).path("uploadId").asText();
        assertThat(bodyOf(presigns.get(1)).path("uploadId").asText()).isEqualTo(first);
        assertThat(bodyOf(presigns.get(1)).path("partNumbers").toString()).isEqualTo("[3]");
        JsonNode complete = bodyOf(single(calls("POST", VmegPaths.MULTIPART_COMPLETE)));
        assertThat(complete.path("uploadId").asText()).isNotEqualTo(first);
        assertThat(bodyOf(presigns.get(2)).path("partNumbers").toString()).isEqualTo("[1,2,3]");
        assertThat(complete.path("parts")).hasSize(3);
        assertThat(calls("POST", VmegPaths.MULTIPART_ABORT)).isEmpty();
        Job job = ledger().jobs().recent(1).get(0);
        assertThat(ledger().history().forJob(job.id())).extracting(History.Entry::detail)
                .anySatisfy(d -> assertThat(d).contains("unknown to VMEG"));
        assertThat(env.outbox().resolve("big/de-DE/big.de-DE.mp4")).hasBinaryContent(bytes);
    }

    /** Part numbers of the part PUTs answered with this status (0: no answer yet), in order. */
    private List<Integer> statuses(int status) {
        return partPuts().stream().filter(r -> r.status() == status).map(MultipartUploadTest::partNumber).toList();
    }

    /** The part PUTs storage received, by part number (they arrive in any order). */
    private List<RecordedRequest> partPuts() {
        return sandbox().journal().stream().filter(r -> r.method().equals("PUT"))
                .sorted(Comparator.comparingInt(MultipartUploadTest::partNumber)).toList();
    }

    static int partNumber(RecordedRequest put) {
        Matcher m = PART.matcher(put.rawQuery());
        assertThat(m.find()).as("partNumber in %s", put).isTrue();
        return Integer.parseInt(m.group(1));
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The ETag the sandbox's storage answers for a part: its CRC-32C and length, 32 hex digits. */
    static String sandboxPartTag(byte[] part) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(part);
        return String.format("%08x%024x", crc.getValue(), part.length);
    }

    static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private static RecordedRequest single(List<RecordedRequest> requests) {
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }
}
