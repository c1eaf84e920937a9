package io.vmegcamel.sandbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** setDownloadFault: what a client reading a CDN URL observes on the wire. */
class DownloadFaultTest extends OneSandboxPerClass {

    static byte[] media;
    static String url;

    @BeforeAll
    static void upload() {
        media = TestMedia.wav(2_000);
        url = client.upload(media, "download-me.wav").get("addressUrl").asText();
    }

    @AfterEach
    void restore() {
        server.setDownloadFault(SandboxServer.DownloadFault.none());
    }

    /** What came over a raw HTTP/1.1 keep-alive connection: the head, the body bytes, and how the read ended. */
    record Wire(String head, byte[] body, boolean closedByServer) {
    }

    /** Sends one GET and reads until the server closes the connection or sends nothing for {@code quietMillis}. */
    static Wire rawGet(String absoluteUrl, int quietMillis) throws IOException {
        URI u = URI.create(absoluteUrl);
        try (Socket socket = new Socket(u.getHost(), u.getPort())) {
            socket.setSoTimeout(quietMillis);
            socket.getOutputStream().write(("GET " + u.getRawPath() + "?" + u.getRawQuery() + " HTTP/1.1\r\nHost: "
                    + u.getHost() + ":" + u.getPort() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[8192];
            boolean closed;
            try {
                int n;
                while ((n = in.read(buf)) != -1) {
                    all.write(buf, 0, n);
                }
                closed = true;
            } catch (SocketTimeoutException quiet) {
                closed = false;
            }
            byte[] bytes = all.toByteArray();
            int split = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(split).as("no complete response head").isNotNegative();
            return new Wire(new String(bytes, 0, split, StandardCharsets.US_ASCII),
                    Arrays.copyOfRange(bytes, split + 4, bytes.length), closed);
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void withoutAFaultTheWholeFileComesAndTheConnectionStaysOpen() throws IOException {
        Wire w = rawGet(url, 500);
        assertThat(w.head()).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("content-length: " + media.length);
        assertThat(w.body()).isEqualTo(media);
        assertThat(w.closedByServer()).isFalse();
    }

    @Test
    void stallAfterSendsTheHeadersAndThatManyBytesThenNothing() throws IOException {
        server.setDownloadFault(SandboxServer.DownloadFault.stallAfter(1000));
        Wire w = rawGet(url, 800);
        assertThat(w.head()).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("content-length: " + media.length)
                .containsIgnoringCase("content-type: audio/");
        assertThat(w.body()).isEqualTo(Arrays.copyOf(media, 1000));
        assertThat(w.closedByServer()).isFalse();

        assertThat(rawGet(url, 800).body()).hasSize(1000); // every GET stalls, not just the first
        server.setDownloadFault(SandboxServer.DownloadFault.stallAfter(0));
        Wire zero = rawGet(url, 800);
        assertThat(zero.head()).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("content-length: " + media.length);
        assertThat(zero.body()).isEmpty();
        assertThat(zero.closedByServer()).isFalse();

        server.setDownloadFault(SandboxServer.DownloadFault.none());
        assertThat(client.fetch(url).body()).isEqualTo(media); // nothing is held up meanwhile
    }

    @Test
    void truncateAfterClosesTheConnectionAfterThatManyBytes() throws IOException {
        server.setDownloadFault(SandboxServer.DownloadFault.truncateAfter(1234));
        Wire w = rawGet(url, 5_000);
        assertThat(w.head()).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("content-length: " + media.length);
        assertThat(w.body()).isEqualTo(Arrays.copyOf(media, 1234));
        assertThat(w.closedByServer()).isTrue();
        assertThatThrownBy(() -> client.fetch(url)).hasCauseInstanceOf(IOException.class);

        server.setDownloadFault(SandboxServer.DownloadFault.truncateAfter(media.length));
        assertThat(client.fetch(url).body()).isEqualTo(media);
    }

    @Test
    void redirectAnswers302ToOtherSignedUrlsOfTheSameObjectHopsTimesPerObject() throws Exception {
        String other = client.upload(TestMedia.wav(500), "other.wav").get("addressUrl").asText();
        server.setDownloadFault(SandboxServer.DownloadFault.redirect(2));
        HttpClient noFollow = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<byte[]> first = noFollow.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(first.statusCode()).isEqualTo(302);
        String hop1 = first.headers().firstValue("Location").orElseThrow();
        assertThat(hop1).isNotEqualTo(url).startsWith(url.substring(0, url.indexOf('?') + 1) + "Expires=");
        HttpResponse<byte[]> second = noFollow.send(HttpRequest.newBuilder(URI.create(hop1)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(second.statusCode()).isEqualTo(302);
        String hop2 = second.headers().firstValue("Location").orElseThrow();
        assertThat(hop2).isNotIn(url, hop1);
        HttpResponse<byte[]> served = noFollow.send(HttpRequest.newBuilder(URI.create(hop2)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(media);
        assertThat(client.fetch(url).status()).isEqualTo(200); // the original URL is still valid, now served

        // counted per object; a following client gets the file
        HttpClient follow = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<byte[]> followed = follow.send(HttpRequest.newBuilder(URI.create(other)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(followed.statusCode()).isEqualTo(200);
        assertThat(followed.body()).isEqualTo(TestMedia.wav(500));
        assertThat(server.journal().stream().filter(r -> r.method().equals("GET") && r.path().startsWith("/cdn/"))
                .map(RecordedRequest::status).toList()).endsWith(302, 302, 200);
    }

    @Test
    void headIsNeverAffected() throws Exception {
        server.setDownloadFault(SandboxServer.DownloadFault.redirect(3));
        TestClient.Resp head = client.send(HttpRequest.newBuilder(URI.create(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(media.length));
    }

    @Test
    void negativeArgumentsAreRejected() {
        assertThatThrownBy(() -> SandboxServer.DownloadFault.stallAfter(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SandboxServer.DownloadFault.redirect(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SandboxServer.DownloadFault.truncateAfter(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
