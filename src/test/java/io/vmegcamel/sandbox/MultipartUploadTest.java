package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MultipartUploadTest {

    private static final String MP = "assets/material/upload/multipart/";

    @TempDir
    static Path dir;
    @TempDir
    static Path smallPartsDir;
    static SandboxServer server;        // default 5 MiB minimum part size
    static SandboxServer smallParts;    // 1 KiB minimum part size
    static TestClient client;
    static TestClient smallClient;

    @BeforeAll
    static void start() {
        server = SandboxServer.start(SandboxConfig.defaults().withDataDir(dir));
        smallParts = SandboxServer.start(SandboxConfig.defaults().withDataDir(smallPartsDir).withMinPartSize(1024));
        client = new TestClient(server);
        smallClient = new TestClient(smallParts);
    }

    @AfterAll
    static void stop() {
        server.close();
        smallParts.close();
    }

    /** initiate + presign for parts 1..n; returns {initiate data, presign data}. */
    private static JsonNode[] begin(TestClient c, byte[] file, String name, int parts) {
        String hash = TestClient.md5(file);
        TestClient.Resp init = c.post(MP + "initiate", "{\"fileHash\":\"" + hash + "\",\"fileName\":\"" + name + "\"}");
        assertThat(init.status()).as(init.text()).isEqualTo(200);
        StringBuilder numbers = new StringBuilder();
        for (int i = 1; i <= parts; i++) {
            numbers.append(i == 1 ? "" : ",").append(i);
        }
        TestClient.Resp presign = c.post(MP + "presign-parts", ids(init.data(), hash, name)
                + ",\"partNumbers\":[" + numbers + "]}");
        assertThat(presign.status()).as(presign.text()).isEqualTo(200);
        return new JsonNode[]{init.data(), presign.data()};
    }

    private static String ids(JsonNode init, String hash, String name) {
        return "{\"materialId\":\"" + init.get("materialId").asText() + "\",\"uploadId\":\"" + init.get("uploadId").asText()
                + "\",\"fileHash\":\"" + hash + "\",\"fileName\":\"" + name + "\"";
    }

    private static String partsJson(List<Integer> numbers, List<String> eTags) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < numbers.size(); i++) {
            sb.append(i == 0 ? "" : ",").append("{\"partNumber\":").append(numbers.get(i)).append(",\"eTag\":\"")
                    .append(eTags.get(i).replace("\"", "\\\"")).append("\"}");
        }
        return sb.append("]").toString();
    }

    private static String url(JsonNode presign, int partNumber) {
        for (JsonNode u : presign.get("urls")) {
            if (u.get("partNumber").asInt() == partNumber) {
                return u.get("url").asText();
            }
        }
        throw new AssertionError("no url for part " + partNumber);
    }

    @Test
    void threePartsAreAssembledIntoOneMaterial() throws Exception {
        byte[] file = TestMedia.mp4(4_000, 640, 360, 5000);
        String hash = TestClient.md5(file);
        JsonNode[] started = begin(smallClient, file, "talk.mp4", 3);
        JsonNode init = started[0];
        assertThat(init.get("uploadId").asText()).matches("upl_[0-9a-f]+");
        assertThat(init.get("s3Uri").asText()).startsWith("s3://vmeg-sandbox/");
        assertThat(init.get("expiresInSeconds").asLong()).isEqualTo(3600);
        assertThat(init.get("recommendedPartSize").asLong()).isEqualTo(8L * 1024 * 1024);
        assertThat(started[1].get("urls")).hasSize(3);
        assertThat(started[1].get("expiresInSeconds").asLong()).isEqualTo(3600);

        int size = file.length / 3 + 1;
        String[] eTags = new String[3];
        for (int p = 1; p <= 3; p++) {
            byte[] part = Arrays.copyOfRange(file, (p - 1) * size, Math.min(p * size, file.length));
            TestClient.Resp put = smallClient.put(url(started[1], p), part);
            assertThat(put.status()).isEqualTo(200);
            assertThat(put.header("ETag")).isEqualTo("\"" + partTag(part) + "\"");
            eTags[p - 1] = put.header("ETag");
        }
        // quoted and unquoted eTags are both accepted
        TestClient.Resp done = smallClient.post(MP + "complete", ids(init, hash, "talk.mp4") + ",\"parts\":"
                + partsJson(List.of(1, 2, 3), List.of(eTags[0], eTags[1].replace("\"", ""), eTags[2])) + "}");
        assertThat(done.status()).as(done.text()).isEqualTo(200);
        JsonNode m = done.data();
        assertThat(m.get("materialId").asText()).isEqualTo(init.get("materialId").asText());
        assertThat(m.get("filesize").asLong()).isEqualTo(file.length);
        assertThat(m.get("fileHash").asText()).isEqualTo(hash);
        assertThat(m.get("duration").asLong()).isEqualTo(4000);
        assertThat(m.get("resolution").asText()).isEqualTo("640x360");
        assertThat(smallClient.fetch(m.get("addressUrl").asText()).body()).isEqualTo(file);
        // the parts are deleted off the answer path, right after it
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !Files.exists(smallPartsDir.resolve("parts").resolve(init.get("uploadId").asText())));
        // the upload is over: part URLs are dead
        assertThat(smallClient.put(url(started[1], 1), new byte[10]).text()).contains("NoSuchUpload");
    }

    private static final int PART = 8 * 1024 * 1024; // the recommended part size: such parts go to the assembly file

    /** Part n of a file cut into parts of {@code size} bytes. */
    private static byte[] part(byte[] file, int n, int size) {
        return Arrays.copyOfRange(file, (n - 1) * size, Math.min(n * size, file.length));
    }

    /** A part's ETag: its CRC-32C (8 hex digits) and its length (24), not an MD5 (the object's MD5 is checked). */
    private static String partTag(byte[] part) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(part);
        return String.format("%08x%024x", crc.getValue(), part.length);
    }

    private static Object inode(Path file) throws Exception {
        return Files.getAttribute(file, "unix:ino");
    }

    /**
     * Parts of the recommended size, or of one larger size a client chose (VMEG's docs call the recommendation a
     * suggestion: the upload's first part of at least that size fixes its slot size), are written to their places
     * in one file, in whatever order they come, and complete turns that file into the object (the same inode: its
     * bytes are not written a second time).
     */
    @ParameterizedTest
    @ValueSource(ints = {PART, 2 * PART})
    void partsOfOneSizeBecomeTheObjectWithoutACopy(int slot) throws Exception {
        byte[] file = TestMedia.mp4(9_000, 1280, 720, 2 * slot + 7_000);
        String hash = TestClient.md5(file);
        JsonNode[] started = begin(client, file, "long.mp4", 3);
        Path uploadDir = dir.resolve("parts").resolve(started[0].get("uploadId").asText());
        List<String> eTags = new java.util.ArrayList<>(List.of("", "", ""));
        for (int n : new int[]{3, 2, 1}) {
            byte[] part = part(file, n, slot);
            TestClient.Resp put = client.put(url(started[1], n), part);
            assertThat(put.status()).as(put.text()).isEqualTo(200);
            assertThat(put.header("ETag")).isEqualTo("\"" + partTag(part) + "\"");
            eTags.set(n - 1, put.header("ETag"));
        }
        // the two full parts went to the assembly file, the short last one to a file of its own
        try (var listing = Files.list(uploadDir)) {
            assertThat(listing.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("assembly", "1.in-assembly", "2.in-assembly", "3");
        }
        Object assembly = inode(uploadDir.resolve("assembly"));

        TestClient.Resp done = client.post(MP + "complete", ids(started[0], hash, "long.mp4") + ",\"parts\":"
                + partsJson(List.of(1, 2, 3), eTags) + "}");
        assertThat(done.status()).as(done.text()).isEqualTo(200);
        assertThat(done.data().get("filesize").asLong()).isEqualTo(file.length);
        assertThat(client.fetch(done.data().get("addressUrl").asText()).body()).isEqualTo(file);
        try (var objects = Files.walk(dir.resolve("objects"))) {
            Path object = objects.filter(f -> f.getFileName().toString().equals("long.mp4")
                    && f.startsWith(dir.resolve("objects").resolve("uploads").resolve(started[0].get("materialId")
                    .asText()))).findFirst().orElseThrow();
            assertThat(Files.readAllBytes(object)).isEqualTo(file);
            assertThat(inode(object)).isEqualTo(assembly);
        }
    }

    /**
     * A part already in the assembly file is not overwritten in place by a re-upload (one that failed halfway
     * would damage acknowledged bytes): the re-upload is a file of its own, and the latest upload of a part is
     * the one that counts. A complete whose MD5 does not match changes nothing, so the upload can still finish.
     */
    @Test
    void aReUploadedPartReplacesTheOneInTheAssemblyFile() {
        byte[] file = TestMedia.mp4(9_000, 1280, 720, 2 * PART + 9_000);
        String hash = TestClient.md5(file);
        JsonNode[] started = begin(client, file, "fixed.mp4", 3);
        String ids = ids(started[0], hash, "fixed.mp4");
        byte[] wrong = part(file, 2, PART).clone();
        wrong[PART / 2] ^= 1;
        String e1 = client.put(url(started[1], 1), part(file, 1, PART)).header("ETag");
        String bad = client.put(url(started[1], 2), wrong).header("ETag");
        String e3 = client.put(url(started[1], 3), part(file, 3, PART)).header("ETag");

        TestClient.Resp mismatch = client.post(MP + "complete", ids + ",\"parts\":"
                + partsJson(List.of(1, 2, 3), List.of(e1, bad, e3)) + "}");
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.message()).startsWith("fileHash does not match the uploaded bytes");

        String e2 = client.put(url(started[1], 2), part(file, 2, PART)).header("ETag");
        assertThat(Files.exists(dir.resolve("parts").resolve(started[0].get("uploadId").asText()).resolve("2")))
                .isTrue();
        TestClient.Resp stale = client.post(MP + "complete", ids + ",\"parts\":"
                + partsJson(List.of(1, 2, 3), List.of(e1, bad, e3)) + "}");
        assertThat(stale.message()).startsWith("InvalidPart: the eTag given for part 2");
        TestClient.Resp done = client.post(MP + "complete", ids + ",\"parts\":"
                + partsJson(List.of(1, 2, 3), List.of(e1, e2, e3)) + "}");
        assertThat(done.status()).as(done.text()).isEqualTo(200);
        assertThat(client.fetch(done.data().get("addressUrl").asText()).body()).isEqualTo(file);
    }

    @Test
    void completeRejectsOrderMismatchedETagsAndSmallParts() {
        byte[] file = new byte[3000];
        Arrays.fill(file, (byte) 7);
        String hash = TestClient.md5(file);
        JsonNode[] started = begin(client, file, "small.wav", 2);
        byte[] p1 = Arrays.copyOfRange(file, 0, 2000), p2 = Arrays.copyOfRange(file, 2000, 3000);
        String e1 = client.put(url(started[1], 1), p1).header("ETag");
        String e2 = client.put(url(started[1], 2), p2).header("ETag");
        String ids = ids(started[0], hash, "small.wav");

        TestClient.Resp order = client.post(MP + "complete", ids + ",\"parts\":" + partsJson(List.of(2, 1), List.of(e2, e1)) + "}");
        assertThat(order.status()).isEqualTo(400);
        assertThat(order.message()).startsWith("InvalidPartOrder").contains("part 1 follows part 2");

        TestClient.Resp dup = client.post(MP + "complete", ids + ",\"parts\":" + partsJson(List.of(1, 1), List.of(e1, e1)) + "}");
        assertThat(dup.message()).startsWith("InvalidPartOrder");

        TestClient.Resp badTag = client.post(MP + "complete", ids + ",\"parts\":" + partsJson(List.of(1, 2), List.of(e1, e1)) + "}");
        assertThat(badTag.status()).isEqualTo(400);
        assertThat(badTag.message()).startsWith("InvalidPart: the eTag given for part 2");

        TestClient.Resp missing = client.post(MP + "complete", ids + ",\"parts\":" + partsJson(List.of(1, 3), List.of(e1, e2)) + "}");
        assertThat(missing.message()).isEqualTo("InvalidPart: part 3 was not uploaded");

        TestClient.Resp small = client.post(MP + "complete", ids + ",\"parts\":" + partsJson(List.of(1, 2), List.of(e1, e2)) + "}");
        assertThat(small.status()).isEqualTo(400);
        assertThat(small.message()).isEqualTo("EntityTooSmall: part 1 is 2000 bytes; every part except the last must be"
                + " at least 5242880 bytes");

        TestClient.Resp empty = client.post(MP + "complete", ids + ",\"parts\":[]}");
        assertThat(empty.message()).isEqualTo("field 'parts' must have 1..10000 items (got 0)");

        // a single (last) part may be small, but then the MD5 of the assembly is not the file's
        TestClient.Resp wrongHash = client.post(MP + "complete", ids + ",\"parts\":" + partsJson(List.of(1), List.of(e1)) + "}");
        assertThat(wrongHash.status()).isEqualTo(400);
        assertThat(wrongHash.message()).startsWith("fileHash does not match the uploaded bytes");
    }

    @Test
    void presignChecksTheInitiatedFields() {
        byte[] file = TestMedia.wav(100);
        String hash = TestClient.md5(file);
        JsonNode init = begin(client, file, "p.wav", 1)[0];
        TestClient.Resp wrongName = client.post(MP + "presign-parts", ids(init, hash, "q.wav") + ",\"partNumbers\":[1]}");
        assertThat(wrongName.status()).isEqualTo(400);
        assertThat(wrongName.message()).contains("fileName \"q.wav\" does not match");
        TestClient.Resp zero = client.post(MP + "presign-parts", ids(init, hash, "p.wav") + ",\"partNumbers\":[0]}");
        assertThat(zero.message()).isEqualTo("field 'partNumbers[0]' must be within 1..10000 (got 0)");
        TestClient.Resp none = client.post(MP + "presign-parts", ids(init, hash, "p.wav") + ",\"partNumbers\":[]}");
        assertThat(none.message()).isEqualTo("field 'partNumbers' must have 1..10000 items (got 0)");
        TestClient.Resp unknown = client.post(MP + "presign-parts", ids(init, hash, "p.wav")
                .replace(init.get("uploadId").asText(), "upl_nope") + ",\"partNumbers\":[1]}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.message()).isEqualTo("multipart upload upl_nope not found");
    }

    @Test
    void abortDeletesPartsAndLaterCallsAre404() {
        byte[] file = TestMedia.wav(100);
        String hash = TestClient.md5(file);
        JsonNode[] started = begin(client, file, "abort.wav", 1);
        String uploadId = started[0].get("uploadId").asText();
        assertThat(client.put(url(started[1], 1), file).status()).isEqualTo(200);
        assertThat(Files.exists(dir.resolve("parts").resolve(uploadId).resolve("1"))).isTrue();

        TestClient.Resp abort = client.post(MP + "abort", ids(started[0], hash, "abort.wav") + "}");
        assertThat(abort.status()).isEqualTo(200);
        assertThat(abort.json().toString()).isEqualTo("{\"code\":200,\"message\":\"\",\"data\":null}");
        assertThat(Files.exists(dir.resolve("parts").resolve(uploadId))).isFalse();

        TestClient.Resp again = client.post(MP + "abort", ids(started[0], hash, "abort.wav") + "}");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.message()).isEqualTo("multipart upload " + uploadId + " not found (it was aborted)");
        TestClient.Resp presign = client.post(MP + "presign-parts", ids(started[0], hash, "abort.wav") + ",\"partNumbers\":[1]}");
        assertThat(presign.status()).isEqualTo(404);
        TestClient.Resp complete = client.post(MP + "complete", ids(started[0], hash, "abort.wav")
                + ",\"parts\":[{\"partNumber\":1,\"eTag\":\"" + hash + "\"}]}");
        assertThat(complete.status()).isEqualTo(404);
        TestClient.Resp put = client.put(url(started[1], 1), file);
        assertThat(put.status()).isEqualTo(404);
        assertThat(put.text()).contains("<Code>NoSuchUpload</Code>");
    }

    @Test
    void initiateDoesNotDedup() {
        byte[] file = TestMedia.wav(150);
        client.upload(file, "dedup.wav");
        TestClient.Resp init = client.post(MP + "initiate", "{\"fileHash\":\"" + TestClient.md5(file) + "\",\"fileName\":\"dedup.wav\"}");
        assertThat(init.data().has("material")).isFalse();
        assertThat(init.data().get("uploadId").asText()).startsWith("upl_");
    }
}
