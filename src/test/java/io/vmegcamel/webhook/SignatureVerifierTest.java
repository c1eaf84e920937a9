package io.vmegcamel.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final byte[] BODY = "{\"event\":\"openapi-tts\",\"pipelineKey\":\"k\"}".getBytes(StandardCharsets.UTF_8);
    private final SignatureVerifier verifier = new SignatureVerifier(List.of("old-secret", "new-secret"),
            Duration.ofSeconds(300), Clock.fixed(NOW, ZoneOffset.UTC));

    /** The documented scheme, computed independently of the class under test. */
    private static String sign(String secret, String timestamp, byte[] body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] message = new byte[timestamp.length() + body.length];
        System.arraycopy(timestamp.getBytes(StandardCharsets.UTF_8), 0, message, 0, timestamp.length());
        System.arraycopy(body, 0, message, timestamp.length(), body.length);
        return HexFormat.of().formatHex(mac.doFinal(message));
    }

    @Test
    void acceptsTheDocumentedSignatureWithEitherSecret() throws Exception {
        String ts = String.valueOf(NOW.toEpochMilli());
        assertThat(verifier.verify(ts, sign("old-secret", ts, BODY), BODY)).isEqualTo(
                new SignatureVerifier.Result(true, null, 0));
        assertThat(verifier.verify(ts, sign("new-secret", ts, BODY), BODY).secretIndex()).isEqualTo(1);
        assertThat(verifier.verify(ts, sign("new-secret", ts, BODY).toUpperCase(), BODY).valid()).isTrue();
    }

    @Test
    void refusesWrongSecretAlteredBodyAndAlteredTimestamp() throws Exception {
        String ts = String.valueOf(NOW.toEpochMilli());
        String good = sign("new-secret", ts, BODY);
        assertThat(verifier.verify(ts, sign("other", ts, BODY), BODY).problem()).contains("does not match");
        assertThat(verifier.verify(ts, good, "{\"event\":\"x\"}".getBytes(StandardCharsets.UTF_8)).valid()).isFalse();
        String otherTs = String.valueOf(NOW.toEpochMilli() - 1);
        assertThat(verifier.verify(otherTs, good, BODY).valid()).isFalse();
    }

    @Test
    void refusesTimestampsOutsideTheWindowEvenWhenSignedCorrectly() throws Exception {
        String old = String.valueOf(NOW.minusSeconds(301).toEpochMilli());
        assertThat(verifier.verify(old, sign("new-secret", old, BODY), BODY).problem()).contains("300 s");
        String future = String.valueOf(NOW.plusSeconds(301).toEpochMilli());
        assertThat(verifier.verify(future, sign("new-secret", future, BODY), BODY).valid()).isFalse();
        String edge = String.valueOf(NOW.minusSeconds(300).toEpochMilli());
        assertThat(verifier.verify(edge, sign("new-secret", edge, BODY), BODY).valid()).isTrue();
    }

    @Test
    void refusesMissingOrMalformedHeaders() {
        assertThat(verifier.verify(null, "ab", BODY).problem()).contains("missing");
        assertThat(verifier.verify("123", " ", BODY).problem()).contains("missing");
        assertThat(verifier.verify("2026-11-25T10:00:00Z", "ab", BODY).problem()).contains("epoch milliseconds");
    }
}
