package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

/** Test-side HTTP helper talking to a sandbox on 127.0.0.1. */
final class TestClient {

    static final String KEY = "sandbox-api-key";
    static final ObjectMapper MAPPER = new ObjectMapper();

    record Resp(int status, HttpHeaders headers, byte[] body) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(new String(body, StandardCharsets.UTF_8), e);
            }
        }

        int code() {
            return json().get("code").asInt();
        }

        String message() {
            return json().get("message").asText();
        }

        JsonNode data() {
            return json().get("data");
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private final SandboxServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    TestClient(SandboxServer server) {
        this.server = server;
    }

    /** POST JSON with the right key and a fresh idempotency key. */
    Resp post(String path, String json) {
        return post(path, json, "k-" + UUID.randomUUID());
    }

    Resp post(String path, String json, String idempotencyKey) {
        return send(HttpRequest.newBuilder(api(path)).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json").header("X-Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Resp get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(api(pathAndQuery)).header("Authorization", "Bearer " + KEY).GET());
    }

    Resp send(HttpRequest.Builder b) {
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Resp(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Resp put(String url, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    Resp fetch(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    URI api(String path) {
        return URI.create(server.baseUrl() + "/openapi/v1/" + path);
    }

    /** gen-upload-url, PUT, complete; returns the material object. */
    JsonNode upload(byte[] bytes, String fileName) {
        String hash = md5(bytes);
        Resp gen = post("assets/material/upload/gen-upload-url",
                "{\"fileHash\":\"" + hash + "\",\"fileName\":\"" + fileName + "\"}");
        if (gen.status() != 200) {
            throw new AssertionError("gen-upload-url failed: " + gen.text());
        }
        if (gen.data().has("material")) {
            return gen.data().get("material");
        }
        Resp put = put(gen.data().get("uploadUrl").asText(), bytes);
        if (put.status() != 200) {
            throw new AssertionError("PUT failed: " + put.text());
        }
        Resp done = post("assets/material/upload/complete", "{\"s3Uri\":\"" + gen.data().get("s3Uri").asText()
                + "\",\"fileName\":\"" + fileName + "\",\"materialId\":\"" + gen.data().get("materialId").asText()
                + "\",\"fileHash\":\"" + hash + "\"}");
        if (done.status() != 200) {
            throw new AssertionError("complete failed: " + done.text());
        }
        return done.data();
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
