package io.vmegcamel.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks VMEG's webhook signature: {@code X-Signature} = hex HMAC-SHA256(secret, X-Timestamp + raw body), with
 * {@code X-Timestamp} in epoch milliseconds within the tolerance of now. Several secrets may be valid at once
 * (rotation: add the new one, remove the old one later). Comparison is constant-time.
 */
public final class SignatureVerifier {

    /** valid, or why not; {@code secretIndex} says which configured secret matched (for rotation). */
    public record Result(boolean valid, String problem, int secretIndex) {
        static Result invalid(String problem) {
            return new Result(false, problem, -1);
        }
    }

    private final List<byte[]> secrets;
    private final Duration tolerance;
    private final Clock clock;

    public SignatureVerifier(List<String> secrets, Duration tolerance, Clock clock) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one webhook secret is needed");
        }
        this.secrets = secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        this.tolerance = tolerance;
        this.clock = clock;
    }

    public Result verify(String timestamp, String signature, byte[] body) {
        if (timestamp == null || timestamp.isBlank() || signature == null || signature.isBlank()) {
            return Result.invalid("missing X-Timestamp or X-Signature header");
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Result.invalid("X-Timestamp is not a number of epoch milliseconds");
        }
        if (Math.abs(clock.millis() - sentAt) > tolerance.toMillis()) {
            return Result.invalid("X-Timestamp is more than " + tolerance.toSeconds() + " s away from now "
                    + "(a replay, or a clock out of sync)");
        }
        byte[] given = signature.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < secrets.size(); i++) {
            byte[] expected = HexFormat.of().formatHex(hmac(secrets.get(i), timestamp, body))
                    .getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, given)) {
                return new Result(true, null, i);
            }
        }
        return Result.invalid("X-Signature does not match (wrong VMEG_WEBHOOK_SECRET, or the body was altered)");
    }

    /** HMAC-SHA256(secret, timestamp bytes followed by body bytes). */
    public static byte[] hmac(byte[] secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
