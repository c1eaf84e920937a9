package io.vmegcamel.sandbox;

import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AuthAndIdempotencyTest extends OneSandboxPerClass {

    private static final String GEN = "assets/material/upload/gen-upload-url";
    private static final String GEN_BODY = "{\"fileHash\":\"0123456789abcdef0123456789abcdef\",\"fileName\":\"a.mp4\"}";

    private TestClient.Resp postWith(String auth, String idemKey, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(client.api(GEN)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (idemKey != null) {
            b.header("X-Idempotency-Key", idemKey);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return client.send(b);
    }

    @Test
    void missingOrWrongKeyIs401AndDoesNotConsumeTheIdempotencyKey() {
        TestClient.Resp none = postWith(null, "auth-1", "application/json", GEN_BODY);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("Content-Type")).isEqualTo("application/json");
        assertThat(none.json().toString()).isEqualTo("{\"code\":401,\"message\":\"Invalid or missing API Key\",\"data\":null}");

        TestClient.Resp wrong = postWith("Bearer nope", "auth-1", "application/json", GEN_BODY);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.code()).isEqualTo(401);
        assertThat(postWith("bearer " + TestClient.KEY, "auth-1", "application/json", GEN_BODY).status()).isEqualTo(401);
        assertThat(client.get("tasks/list").status()).isEqualTo(200);
        TestClient.Resp getNoKey = client.send(HttpRequest.newBuilder(client.api("tasks/list")).GET());
        assertThat(getNoKey.status()).isEqualTo(401);

        // the key was not recorded by the rejected calls
        TestClient.Resp ok = client.post(GEN, GEN_BODY, "auth-1");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.code()).isEqualTo(200);
        assertThat(ok.message()).isEmpty();
    }

    @Test
    void aRevokedKeyIs401OnEveryCallUntilRestoredAndConsumesNothing() {
        server.setApiKeyRevoked(true);
        try {
            for (TestClient.Resp r : new TestClient.Resp[]{client.get("tasks/list"), client.post(GEN, GEN_BODY, "rev-1"),
                    client.get("tasks/detail?taskId=t_000000000000000000000000"), client.get("no/such/endpoint")}) {
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.header("Content-Type")).isEqualTo("application/json");
                assertThat(r.text()).isEqualTo("{\"code\":401,\"message\":\"Invalid or missing API Key\",\"data\":null}");
            }
        } finally {
            server.setApiKeyRevoked(false);
        }
        assertThat(client.get("tasks/list").status()).isEqualTo(200);
        assertThat(client.post(GEN, GEN_BODY, "rev-1").status()).isEqualTo(200);
    }

    @Test
    void idempotencyHeaderMustBePresentNonBlankAndAtMost64Chars() {
        TestClient.Resp missing = postWith("Bearer " + TestClient.KEY, null, "application/json", GEN_BODY);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.code()).isEqualTo(400);
        assertThat(missing.message()).contains("X-Idempotency-Key");

        TestClient.Resp blank = postWith("Bearer " + TestClient.KEY, "   ", "application/json", GEN_BODY);
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.message()).contains("X-Idempotency-Key");

        TestClient.Resp tooLong = client.post(GEN, GEN_BODY, "x".repeat(65));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.message()).isEqualTo("Header X-Idempotency-Key must be at most 64 characters (got 65)");

        assertThat(client.post(GEN, GEN_BODY, "y".repeat(64)).status()).isEqualTo(200);
    }

    @Test
    void reuseIs409WithRetryAfterButAnotherPathDoesNotCollide() {
        assertThat(client.post(GEN, GEN_BODY, "same-key").status()).isEqualTo(200);
        TestClient.Resp again = client.post(GEN, GEN_BODY, "same-key");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.header("Retry-After")).isEqualTo("2");
        assertThat(again.json().toString())
                .isEqualTo("{\"code\":409,\"message\":\"Idempotency key already used\",\"data\":null}");

        TestClient.Resp otherPath = client.post("assets/material/upload/multipart/initiate", GEN_BODY, "same-key");
        assertThat(otherPath.status()).isEqualTo(200);
        assertThat(otherPath.data().get("uploadId").asText()).startsWith("upl_");
    }

    @Test
    void aRejectedBodyStillConsumesTheKey() {
        TestClient.Resp bad = client.post(GEN, "{\"fileHash\":\"nothex\",\"fileName\":\"a.mp4\"}", "consumed");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(client.post(GEN, GEN_BODY, "consumed").status()).isEqualTo(409);
    }

    @Test
    void injectedFaultAnswersAfterAuthWithoutConsumingTheKey() {
        server.injectFault("POST", "/openapi/v1/" + GEN, 502, 502, "upstream timed out", 1);
        TestClient.Resp unauth = postWith(null, "fault-key", "application/json", GEN_BODY);
        assertThat(unauth.status()).isEqualTo(401); // auth first: the fault is not used up

        TestClient.Resp fault = client.post(GEN, GEN_BODY, "fault-key");
        assertThat(fault.status()).isEqualTo(502);
        assertThat(fault.json().toString()).isEqualTo("{\"code\":502,\"message\":\"upstream timed out\",\"data\":null}");
        assertThat(client.post(GEN, GEN_BODY, "fault-key").status()).isEqualTo(200);
    }

    @Test
    void bodyMustBeJsonWellFormedAndWithinOneMebibyte() {
        TestClient.Resp text = postWith("Bearer " + TestClient.KEY, "ct-1", "text/plain", GEN_BODY);
        assertThat(text.status()).isEqualTo(400);
        assertThat(text.message()).isEqualTo("Content-Type must be application/json (got \"text/plain\")");

        TestClient.Resp malformed = client.post(GEN, "{\"fileHash\":", "ct-2");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.message()).startsWith("malformed JSON");

        TestClient.Resp unknown = client.post(GEN, GEN_BODY.replace("}", ",\"size\":3}"), "ct-3");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.message()).startsWith("unknown field 'size'");

        String big = "{\"fileHash\":\"" + "a".repeat(2 * 1024 * 1024) + "\",\"fileName\":\"a.mp4\"}";
        TestClient.Resp tooBig = client.post(GEN, big, "ct-4");
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.code()).isEqualTo(413);
        assertThat(tooBig.header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void unknownEndpointAndWrongMethodAreEnvelopes() {
        TestClient.Resp unknown = client.get("nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.message()).isEqualTo("No such endpoint: GET /openapi/v1/nope");
        TestClient.Resp method = client.get("tasks/delete");
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.message()).contains("use POST");
    }

    @Test
    void journalRecordsRequestsWithLowerCasedHeadersBodyAndStatus() {
        server.clearJournal();
        client.post(GEN, GEN_BODY, "journal-key");
        RecordedRequest r = server.journal().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/openapi/v1/" + GEN);
        assertThat(r.headers().get("x-idempotency-key")).containsExactly("journal-key");
        assertThat(new String(r.body())).isEqualTo(GEN_BODY);
        assertThat(r.bodySize()).isEqualTo(GEN_BODY.length());
        assertThat(r.status()).isEqualTo(200);
    }
}
