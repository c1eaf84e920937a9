package io.vmegcamel.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/**
 * Test-side calls to the sandbox, to set up a state by hand (what a crashed run left, a task deleted at VMEG).
 * Not the bundle's way of calling VMEG: that is routes/vmeg-api.camel.yaml.
 */
final class VmegTestClient {

    private final String baseUrl;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    VmegTestClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** POST with the sandbox key; returns {@code data}, fails on anything but HTTP 200 and code 200. */
    JsonNode post(String path, String idempotencyKey, Object body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("Authorization", "Bearer sandbox-api-key").header("Content-Type", "application/json")
                    .header("X-Idempotency-Key", idempotencyKey)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode envelope = json.readTree(response.body());
            if (response.statusCode() != 200 || envelope.path("code").asInt() != 200) {
                throw new IllegalStateException("POST " + path + " -> " + response.statusCode() + " " + envelope);
            }
            return envelope.path("data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** PUTs a whole file to a presigned URL. */
    void put(String url, Path file) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("PUT -> " + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
