package io.vmegcamel.vmeg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the bundle talks to VMEG: JSON calls to the Open API (Bearer auth, envelope check), streamed PUTs
 * to presigned storage URLs and streamed downloads of deliverables. Success is "HTTP 2xx and code 200";
 * anything else is a {@link VmegException}. Never logs the API key, and logs presigned URLs without their query.
 */
public final class VmegClient {

    private static final Logger LOG = LoggerFactory.getLogger(VmegClient.class);
    private static final String USER_AGENT = "vmeg-camel/0.1";

    private final URI baseUrl;
    private final String apiKey;
    private final ObjectMapper json;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Duration transferTimeout;

    public VmegClient(String baseUrl, String apiKey, ObjectMapper json, Duration connectTimeout,
                      Duration requestTimeout, Duration transferTimeout) {
        this.baseUrl = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        this.apiKey = apiKey;
        this.json = json;
        this.requestTimeout = requestTimeout;
        this.transferTimeout = transferTimeout;
        // HTTP/1.1: the JDK client would otherwise try an h2c upgrade on plain http.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** POST a JSON body with an idempotency key; returns {@code data} (may be a JSON null). */
    public JsonNode post(String path, String idempotencyKey, Object body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // req_id (VMEG's support reference) follows the key: the same for a retry of the same call, new otherwise
        String reqId = reqId(idempotencyKey);
        HttpRequest request = api(path, "?req_id=" + reqId).header("Content-Type", "application/json")
                .header("X-Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        return exchange("POST " + path + " (req_id " + reqId + ")", request);
    }

    /** GET with query parameters; returns {@code data}. */
    public JsonNode get(String path, Map<String, String> query) {
        String q = query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String reqId = reqId(UUID.randomUUID().toString());
        return exchange("GET " + path + " (req_id " + reqId + ")",
                api(path, "?" + (q.isEmpty() ? "" : q + "&") + "req_id=" + reqId).GET().build());
    }

    /**
     * Streams {@code length} bytes of {@code file} from {@code offset} to a presigned URL with an exact
     * Content-Length and no Authorization header (storage authenticates by the URL's signature).
     *
     * @return the ETag response header without quotes, or null
     */
    public String put(String presignedUrl, Path file, long offset, long length) {
        URI uri = URI.create(presignedUrl); // used verbatim: re-encoding the query would break its signature
        String operation = "PUT " + uri.getHost() + uri.getRawPath();
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> openRange(file, offset, length)), length);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(transferTimeout).header("User-Agent", USER_AGENT)
                .PUT(body).build();
        long started = System.nanoTime();
        HttpResponse<String> response = send(operation, request, HttpResponse.BodyHandlers.ofString());
        log(operation, response.statusCode(), null, started);
        if (response.statusCode() / 100 != 2) {
            throw new VmegException(operation, response.statusCode(), response.statusCode(), snippet(response.body()),
                    null, null);
        }
        return response.headers().firstValue("ETag").map(e -> e.replace("\"", "")).orElse(null);
    }

    /** A downloaded file: its size and SHA-256 (computed while streaming). */
    public record Downloaded(long sizeBytes, String sha256) {
    }

    /** Streams a deliverable to {@code target} (replaced atomically, never half-written). */
    public Downloaded download(String url, Path target) {
        URI uri = URI.create(url);
        String operation = "GET " + uri.getHost() + uri.getRawPath();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(transferTimeout).header("User-Agent", USER_AGENT)
                .GET().build();
        long started = System.nanoTime();
        HttpResponse<InputStream> response = send(operation, request, HttpResponse.BodyHandlers.ofInputStream());
        log(operation, response.statusCode(), null, started);
        // a part file of its own: two downloads of the same result never write into one another
        Path partial = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
        try (InputStream in = response.body()) {
            if (response.statusCode() / 100 != 2) {
                String text = new String(in.readNBytes(2048), StandardCharsets.UTF_8);
                throw new VmegException(operation, response.statusCode(), response.statusCode(), snippet(text), null,
                        null);
            }
            Files.createDirectories(target.getParent());
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long size = Files.copy(new DigestInputStream(in, sha256), partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Downloaded(size, HexFormat.of().formatHex(sha256.digest()));
        } catch (IOException e) {
            throw new VmegException(operation, 0, 0, e.toString(), null, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder api(String path, String query) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path + query)).timeout(requestTimeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT);
    }

    private JsonNode exchange(String operation, HttpRequest request) {
        long started = System.nanoTime();
        HttpResponse<byte[]> response = send(operation, request, HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        Duration retryAfter = response.headers().firstValue("Retry-After").map(VmegClient::parseRetryAfter)
                .orElse(null);
        JsonNode envelope = null;
        try {
            envelope = json.readTree(response.body());
        } catch (IOException e) {
            // not JSON: reported below with the HTTP status
        }
        boolean isEnvelope = envelope != null && envelope.isObject() && envelope.path("code").isInt();
        int code = isEnvelope ? envelope.get("code").asInt() : status;
        log(operation, status, isEnvelope ? code : null, started);
        if (status / 100 == 2 && isEnvelope && code == 200) {
            return envelope.path("data");
        }
        String message = isEnvelope ? envelope.path("message").asText("")
                : snippet(new String(response.body(), StandardCharsets.UTF_8));
        throw new VmegException(operation, status, code, message, retryAfter, null);
    }

    private <T> HttpResponse<T> send(String operation, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            LOG.warn("VMEG {} -> no answer: {}", operation, e.toString());
            throw new VmegException(operation, 0, 0, e.toString(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmegException(operation, 0, 0, "interrupted", null, e);
        }
    }

    /** {@code length} bytes of the file from {@code offset}, read straight from disk. */
    private static InputStream openRange(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return new FilterInputStream(Channels.newInputStream(channel)) {
                private long remaining = length;

                @Override
                public int read() throws IOException {
                    if (remaining <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    if (b >= 0) {
                        remaining--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    if (remaining <= 0) {
                        return -1;
                    }
                    int n = super.read(buffer, off, (int) Math.min(len, remaining));
                    if (n > 0) {
                        remaining -= n;
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 32 hex characters, VMEG's own req_id format, taken from the idempotency key (or a fresh UUID). */
    static String reqId(String seed) {
        String hex = seed.replace("-", "").toLowerCase(java.util.Locale.ROOT);
        return hex.matches("[0-9a-f]{32,}") ? hex.substring(0, 32) : IdempotencyKeys.sha256Hex(seed).substring(0, 32);
    }

    private static Duration parseRetryAfter(String value) {
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String snippet(String text) {
        String t = text == null ? "" : text.strip();
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }

    private static void log(String operation, int status, Integer code, long startedNanos) {
        long ms = (System.nanoTime() - startedNanos) / 1_000_000;
        if (status / 100 == 2 && (code == null || code == 200)) {
            LOG.info("VMEG {} -> {} ({} ms)", operation, status, ms);
        } else {
            LOG.warn("VMEG {} -> HTTP {}{} ({} ms)", operation, status, code == null ? "" : ", code " + code, ms);
        }
    }
}
