package io.vmegcamel.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.vmeg.VmegException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;

/**
 * TEMPORARY (issue 6): the deliverable download of the former {@code VmegClient}, kept only until
 * {@link Deliverables} downloads over camel-http (branch {@code downloads}). Its tasks/detail lookup already goes
 * through the {@code direct:vmeg-get} route. Delete this class when Deliverables no longer uses it.
 */
public final class LegacyDownload {

    /** A downloaded file: its size and SHA-256 (computed while streaming). */
    public record Downloaded(long sizeBytes, String sha256) {
    }

    private final ProducerTemplate routes;
    private final HttpClient http;
    private final Duration transferTimeout;

    public LegacyDownload(ProducerTemplate routes, Duration connectTimeout, Duration transferTimeout) {
        this.routes = routes;
        this.transferTimeout = transferTimeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** GET through {@code direct:vmeg-get}; returns {@code data}. */
    public JsonNode get(String path, Map<String, String> query) {
        String q = query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            return routes.requestBodyAndHeaders("direct:vmeg-get", null, Map.of("VmegPath", path, "VmegQuery", q),
                    JsonNode.class);
        } catch (CamelExecutionException e) {
            VmegException vmeg = VmegException.in(e);
            throw vmeg != null ? vmeg : e;
        }
    }

    /** Streams a deliverable to {@code target} (replaced atomically, never half-written). */
    public Downloaded download(String url, Path target) {
        URI uri = URI.create(url);
        String operation = "GET " + uri.getHost() + uri.getRawPath();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(transferTimeout).GET().build();
        Path partial = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    String text = new String(in.readNBytes(2048), StandardCharsets.UTF_8);
                    throw new VmegException(operation, response.statusCode(), response.statusCode(), text.strip(),
                            null, null);
                }
                Files.createDirectories(target.getParent());
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                long size = Files.copy(new DigestInputStream(in, sha256), partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return new Downloaded(size, HexFormat.of().formatHex(sha256.digest()));
            }
        } catch (IOException e) {
            throw new VmegException(operation, 0, 0, e.toString(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmegException(operation, 0, 0, "interrupted", null, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
