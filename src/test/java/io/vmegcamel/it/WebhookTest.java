package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.StoredEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The webhook endpoint as VMEG (or an attacker) sees it. */
class WebhookTest extends BundleTestSupport {

    private static final String SECRET = "sandbox-webhook-secret";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static final String EVENT = "{\"code\":200,\"version\":\"v1\",\"event\":\"openapi-tts\","
            + "\"pipelineKey\":\"0f1e2d3c4b5a69788796a5b4c3d2e1f0\",\"message\":\"\",\"extraData\":{},"
            + "\"data\":{\"taskId\":\"t_tts1\",\"createdAt\":\"2025-05-01T10:00:00Z\",\"results\":[]}}";

    private HttpResponse<String> post(String body, String timestamp, String signature) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(env.baseUrl() + "/webhooks/vmeg"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (timestamp != null) {
            b.header("X-Timestamp", timestamp);
        }
        if (signature != null) {
            b.header("X-Signature", signature);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(String secret, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal((timestamp + body).getBytes(StandardCharsets.UTF_8)));
    }

    private static String now() {
        return String.valueOf(System.currentTimeMillis());
    }

    @Test
    void aBadSignatureIsRefusedWith401AndChangesNothing() throws Exception {
        String ts = now();
        HttpResponse<String> wrongSecret = post(EVENT, ts, sign("not-the-secret", ts, EVENT));
        HttpResponse<String> tampered = post(EVENT.replace("t_tts1", "t_tts2"), ts, sign(SECRET, ts, EVENT));
        HttpResponse<String> unsigned = post(EVENT, null, null);
        String old = String.valueOf(System.currentTimeMillis() - 301_000);
        HttpResponse<String> replayed = post(EVENT, old, sign(SECRET, old, EVENT));

        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(wrongSecret.body()).contains("X-Signature does not match");
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.body()).contains("missing X-Timestamp or X-Signature");
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(replayed.body()).contains("300 s");
        awaitWebhooksStored();
        assertThat(ledger().events().count()).isZero();
        assertThat(ledger().jobs().recent(10)).isEmpty();
    }

    @Test
    void aSignedEventIsStoredOnceAndAnsweredWithoutEchoingHeaders() throws Exception {
        String ts = now();
        HttpResponse<String> first = post(EVENT, ts, sign(SECRET, ts, EVENT));
        String ts2 = now();
        HttpResponse<String> retry = post(EVENT, ts2, sign(SECRET, ts2, EVENT));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("{\"status\":\"accepted\"}");
        assertThat(first.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(first.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-Signature")
                || h.equalsIgnoreCase("X-Timestamp"));
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo("{\"status\":\"accepted\"}"); // journaled; dropped as a duplicate
        awaitWebhooksStored();
        assertThat(ledger().events().count()).isEqualTo(1);
        // not one of our tasks: stored, then marked ignored by the processor
        await().atMost(PATIENCE).until(() -> ledger().events().forTask("t_tts1").get(0).state()
                .equals(StoredEvent.IGNORED));
    }

    @Test
    void malformedEventsGet400WrongMethods405AndOversizedBodies413() throws Exception {
        String ts = now();
        String notJson = "hello";
        assertThat(post(notJson, ts, sign(SECRET, ts, notJson)).statusCode()).isEqualTo(400);
        String array = "[{\"data\":{}}]";
        assertThat(post(array, ts, sign(SECRET, ts, array)).statusCode()).isEqualTo(400);
        String dataNotObject = "{\"event\":\"openapi-tts\",\"pipelineKey\":\"k1\",\"data\":\"done\"}";
        assertThat(post(dataNotObject, ts, sign(SECRET, ts, dataNotObject)).statusCode()).isEqualTo(400);
        String noData = "{\"event\":\"openapi-tts\",\"pipelineKey\":\"k2\"}";
        HttpResponse<String> missing = post(noData, ts, sign(SECRET, ts, noData));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).isEqualTo("{\"error\":\"not a VMEG webhook event: a JSON object with a data "
                + "object is required\"}");
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(env.baseUrl() + "/webhooks/vmeg")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        String huge = "{\"pad\":\"" + "x".repeat(11 * 1024 * 1024) + "\"}";
        assertThat(post(huge, ts, sign(SECRET, ts, huge)).statusCode()).isEqualTo(413);
        awaitWebhooksStored();
        assertThat(ledger().events().count()).isZero();
    }
}
