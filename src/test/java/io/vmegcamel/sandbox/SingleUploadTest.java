package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SingleUploadTest extends OneSandboxPerClass {

    private static final String GEN = "assets/material/upload/gen-upload-url";
    private static final String COMPLETE = "assets/material/upload/complete";

    private static JsonNode gen(byte[] bytes, String name) {
        TestClient.Resp r = client.post(GEN, "{\"fileHash\":\"" + TestClient.md5(bytes) + "\",\"fileName\":\"" + name + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.data();
    }

    private static String completeBody(JsonNode gen, String name, String hash) {
        return "{\"s3Uri\":\"" + gen.get("s3Uri").asText() + "\",\"fileName\":\"" + name + "\",\"materialId\":\""
                + gen.get("materialId").asText() + "\",\"fileHash\":\"" + hash + "\"}";
    }

    @Test
    void uploadRegistersTheMaterialAndASecondGenUploadUrlDedups() {
        byte[] mp4 = TestMedia.mp4(61_500, 1280, 720, 5000);
        String hash = TestClient.md5(mp4);
        JsonNode gen = gen(mp4, "promo en.mp4");
        String materialId = gen.get("materialId").asText();
        assertThat(materialId).matches("m_[0-9a-f]{24}");
        assertThat(gen.get("s3Uri").asText()).isEqualTo("s3://vmeg-sandbox/uploads/" + materialId + "/promo_en.mp4");
        String url = gen.get("uploadUrl").asText();
        assertThat(url).startsWith(server.baseUrl() + "/storage/uploads/" + materialId + "/promo_en.mp4?")
                .contains("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Credential=SANDBOX%2F", "%2Fus-east-1%2Fs3%2Faws4_request",
                        "X-Amz-Expires=3600", "X-Amz-SignedHeaders=host", "X-Amz-Signature=");

        TestClient.Resp put = client.put(url, mp4);
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.header("ETag")).isEqualTo("\"" + hash + "\"");
        RecordedRequest recorded = server.journal().stream().filter(r -> r.method().equals("PUT")).reduce((a, b) -> b).get();
        assertThat(recorded.bodySize()).isEqualTo(mp4.length);
        assertThat(recorded.body()).isEmpty();
        assertThat(recorded.status()).isEqualTo(200);

        TestClient.Resp done = client.post(COMPLETE, completeBody(gen, "promo en.mp4", hash));
        assertThat(done.status()).as(done.text()).isEqualTo(200);
        JsonNode m = done.data();
        assertThat(m.get("materialId").asText()).isEqualTo(materialId);
        assertThat(m.get("category").asText()).isEqualTo("video");
        assertThat(m.get("name").asText()).isEqualTo("promo en.mp4");
        assertThat(m.get("filesize").asLong()).isEqualTo(mp4.length);
        assertThat(m.get("fileHash").asText()).isEqualTo(hash);
        assertThat(m.get("duration").asLong()).isEqualTo(61_500);
        assertThat(m.get("resolution").asText()).isEqualTo("1280x720");
        assertThat(m.get("mimeType").asText()).isEqualTo("video/mp4");
        assertThat(m.get("audioUrl").asText()).isEmpty();
        assertThat(m.get("createTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        TestClient.Resp cdn = client.fetch(m.get("addressUrl").asText());
        assertThat(cdn.status()).isEqualTo(200);
        assertThat(cdn.body()).isEqualTo(mp4);
        assertThat(client.fetch(m.get("thumbnailUrl").asText()).header("Content-Type")).isEqualTo("image/png");

        // completing again with the same data returns the material again
        TestClient.Resp again = client.post(COMPLETE, completeBody(gen, "promo en.mp4", hash));
        assertThat(again.data().get("materialId").asText()).isEqualTo(materialId);

        JsonNode dedup = gen(mp4, "other-name.mp4");
        assertThat(dedup.get("uploadUrl").asText()).isEmpty();
        assertThat(dedup.get("material").get("materialId").asText()).isEqualTo(materialId);
        assertThat(dedup.has("materialId")).isFalse();

        TestClient.Resp list = client.get("assets/material/list?currentPage=1&pageSize=20");
        assertThat(list.data().get("total").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(list.data().get("records").findValuesAsText("materialId")).contains(materialId);

        // logical delete: gone from the list and from dedup
        assertThat(client.post("assets/material/delete", "{\"materialId\":\"" + materialId + "\"}").data().isNull()).isTrue();
        assertThat(client.get("assets/material/list").data().get("records").findValuesAsText("materialId"))
                .doesNotContain(materialId);
        assertThat(gen(mp4, "promo en.mp4").get("uploadUrl").asText()).isNotEmpty();
        TestClient.Resp deleteAgain = client.post("assets/material/delete", "{\"materialId\":\"" + materialId + "\"}");
        assertThat(deleteAgain.status()).isEqualTo(404);
        assertThat(deleteAgain.message()).isEqualTo("material " + materialId + " not found");
    }

    @Test
    void aLargeBodyIsStreamedToDiskWithTheRightMd5() throws Exception {
        int mdat = 24 * 1024 * 1024 + 7;
        byte[] big = TestMedia.mp4(95_000, 3840, 2160, mdat);
        byte[] noise = new byte[mdat];
        new java.util.Random(42).nextBytes(noise);
        System.arraycopy(noise, 0, big, big.length - mdat, mdat); // random mdat payload, headers intact
        JsonNode m = client.upload(big, "big.mp4");
        assertThat(m.get("filesize").asLong()).isEqualTo(big.length);
        assertThat(m.get("fileHash").asText()).isEqualTo(TestClient.md5(big));
        assertThat(m.get("duration").asLong()).isEqualTo(95_000);
        assertThat(m.get("resolution").asText()).isEqualTo("3840x2160");
        Path stored = dir.resolve("objects").resolve("uploads").resolve(m.get("materialId").asText()).resolve("big.mp4");
        assertThat(java.nio.file.Files.size(stored)).isEqualTo(big.length);
        assertThat(java.nio.file.Files.list(dir.resolve("tmp")).count()).isZero();
    }

    @Test
    void genUploadUrlValidatesHashAndFileName() {
        TestClient.Resp noExt = client.post(GEN, "{\"fileHash\":\"" + "a".repeat(32) + "\",\"fileName\":\"video\"}");
        assertThat(noExt.status()).isEqualTo(400);
        assertThat(noExt.message()).contains("fileName").contains("extension");
        TestClient.Resp pdf = client.post(GEN, "{\"fileHash\":\"" + "a".repeat(32) + "\",\"fileName\":\"doc.pdf\"}");
        assertThat(pdf.status()).isEqualTo(400);
        assertThat(pdf.message()).startsWith("unsupported file extension '.pdf'").contains("mp4", "wav");
        TestClient.Resp upper = client.post(GEN, "{\"fileHash\":\"" + "A".repeat(32) + "\",\"fileName\":\"a.mp4\"}");
        assertThat(upper.status()).isEqualTo(400);
        assertThat(upper.message()).contains("32 lowercase hex");
        TestClient.Resp missing = client.post(GEN, "{\"fileName\":\"a.mp4\"}");
        assertThat(missing.message()).isEqualTo("field 'fileHash' is required");
    }

    @Test
    void putWithAuthorizationHeaderIsRejected() {
        byte[] bytes = TestMedia.wav(500);
        String url = gen(bytes, "auth.wav").get("uploadUrl").asText();
        TestClient.Resp r = client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TestClient.KEY)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Content-Type")).isEqualTo("application/xml");
        assertThat(r.text()).contains("<Code>InvalidArgument</Code>", "Only one auth mechanism allowed");
    }

    @Test
    void putWithTamperedOrReEncodedQueryIsRejected() {
        byte[] bytes = TestMedia.wav(400);
        String url = gen(bytes, "tamper.wav").get("uploadUrl").asText();
        TestClient.Resp decoded = client.put(url.replace("%2F", "/"), bytes);
        assertThat(decoded.status()).isEqualTo(403);
        assertThat(decoded.text()).contains("<Code>SignatureDoesNotMatch</Code>");
        TestClient.Resp lower = client.put(url.replace("%2F", "%2f"), bytes);
        assertThat(lower.status()).isEqualTo(403);
        TestClient.Resp longer = client.put(url.replace("X-Amz-Expires=3600", "X-Amz-Expires=86400"), bytes);
        assertThat(longer.status()).isEqualTo(403);
        assertThat(longer.text()).contains("SignatureDoesNotMatch");
        TestClient.Resp otherKey = client.put(url.replace("tamper.wav", "other.wav"), bytes);
        assertThat(otherKey.status()).isEqualTo(403);
        assertThat(client.put(url, bytes).status()).isEqualTo(200);
    }

    @Test
    void putExpectingContinueGetsItOnlyWhenItsHeadersPass() throws Exception {
        byte[] bytes = TestMedia.wav(300);
        URI url = URI.create(gen(bytes, "continue.wav").get("uploadUrl").asText());
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(5000);
            // a query that no longer matches its signature: the 403 at once, without 100 Continue, no body needed
            String tampered = url.getRawQuery().replace("X-Amz-Expires=3600", "X-Amz-Expires=86400");
            sendHeaders(socket, url.getRawPath() + "?" + tampered, bytes.length);
            assertThat(readHead(socket)).startsWith("HTTP/1.1 403 ");
        }
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(5000); // curl waits 1 s for the 100 and then sends anyway; we never send unasked
            sendHeaders(socket, url.getRawPath() + "?" + url.getRawQuery(), bytes.length);
            assertThat(readHead(socket)).startsWith("HTTP/1.1 100 Continue");
            socket.getOutputStream().write(bytes);
            String head = readHead(socket);
            assertThat(head).startsWith("HTTP/1.1 200 ").contains("\"" + TestClient.md5(bytes) + "\"");
        }
    }

    private static void sendHeaders(Socket socket, String pathAndQuery, int length) throws IOException {
        socket.getOutputStream().write(("PUT " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                + length + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** One response's status line and headers (up to the blank line); the body, if any, is left unread. */
    private static String readHead(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void putWithoutContentLengthIs411() {
        byte[] bytes = TestMedia.wav(300);
        String url = gen(bytes, "chunked.wav").get("uploadUrl").asText();
        TestClient.Resp r = client.send(HttpRequest.newBuilder(URI.create(url))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
        assertThat(r.status()).isEqualTo(411);
        assertThat(r.text()).contains("<Code>MissingContentLength</Code>");
    }

    @Test
    void completeChecksReservationUploadAndHash() {
        byte[] bytes = TestMedia.wav(700);
        String hash = TestClient.md5(bytes);
        JsonNode gen = gen(bytes, "c.wav");

        TestClient.Resp notUploaded = client.post(COMPLETE, completeBody(gen, "c.wav", hash));
        assertThat(notUploaded.status()).isEqualTo(400);
        assertThat(notUploaded.message()).isEqualTo("no object uploaded at " + gen.get("s3Uri").asText());

        byte[] other = TestMedia.wav(800);
        assertThat(client.put(gen.get("uploadUrl").asText(), other).status()).isEqualTo(200);
        TestClient.Resp wrongBytes = client.post(COMPLETE, completeBody(gen, "c.wav", hash));
        assertThat(wrongBytes.status()).isEqualTo(400);
        assertThat(wrongBytes.message()).startsWith("fileHash does not match the uploaded bytes");

        TestClient.Resp wrongHash = client.post(COMPLETE, completeBody(gen, "c.wav", TestClient.md5(other)));
        assertThat(wrongHash.status()).isEqualTo(400);
        assertThat(wrongHash.message()).startsWith("fileHash does not match the fileHash given to gen-upload-url");

        TestClient.Resp unknown = client.post(COMPLETE, completeBody(gen, "c.wav", hash).replace(
                gen.get("materialId").asText(), "m_000000000000000000000000"));
        assertThat(unknown.status()).isEqualTo(404);

        TestClient.Resp otherUri = client.post(COMPLETE, completeBody(gen, "c.wav", hash).replace("s3://vmeg-sandbox/", "s3://x/"));
        assertThat(otherUri.status()).isEqualTo(400);
        assertThat(otherUri.message()).startsWith("s3Uri does not match");

        assertThat(client.put(gen.get("uploadUrl").asText(), bytes).status()).isEqualTo(200);
        TestClient.Resp ok = client.post(COMPLETE, completeBody(gen, "c.wav", hash));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.data().get("category").asText()).isEqualTo("audio");
        assertThat(ok.data().get("duration").asLong()).isEqualTo(700);
        assertThat(ok.data().get("resolution").asText()).isEmpty();
        assertThat(ok.data().get("thumbnailUrl").asText()).isEmpty();
        // the registered object can no longer be replaced through the old URL
        assertThat(client.put(gen.get("uploadUrl").asText(), other).status()).isEqualTo(403);
    }

    @Test
    void expiredUploadUrlIsRejected(@TempDir Path other) {
        try (SandboxServer shortLived = SandboxServer.start(SandboxConfig.defaults().withDataDir(other)
                .withUploadUrlTtl(Duration.ofSeconds(1)))) {
            TestClient c = new TestClient(shortLived);
            byte[] bytes = TestMedia.wav(200);
            TestClient.Resp gen = c.post(GEN, "{\"fileHash\":\"" + TestClient.md5(bytes) + "\",\"fileName\":\"e.wav\"}");
            String url = gen.data().get("uploadUrl").asText();
            assertThat(url).contains("X-Amz-Expires=1&");
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> c.put(url, bytes).status() == 403);
            TestClient.Resp expired = c.put(url, bytes);
            assertThat(expired.text()).contains("<Code>AccessDenied</Code>", "<Message>Request has expired</Message>");
            List<Integer> statuses = shortLived.journal().stream().filter(r -> r.method().equals("PUT"))
                    .map(RecordedRequest::status).distinct().toList();
            assertThat(statuses).endsWith(403);
        }
    }
}
