package io.vmegcamel.downstream;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;

/**
 * Signs an HTTP delivery per the Standard Webhooks specification: {@code webhook-id} (the CloudEvent id),
 * {@code webhook-timestamp} (Unix seconds) and {@code webhook-signature}, one {@code v1,<base64 HMAC-SHA256>} of
 * {@code id.timestamp.body} per secret, space-separated (several secrets = rotation: the receiver accepts any).
 */
public final class WebhookSigner {

    public static final String PREFIX = "whsec_";

    private final List<byte[]> secrets;
    private final Clock clock;

    /** @param secrets space-separated {@code whsec_<base64>} secrets (a bare base64 secret is accepted too) */
    public WebhookSigner(String secrets, Clock clock) {
        this.secrets = parse(secrets);
        this.clock = clock;
    }

    public boolean hasSecret() {
        return !secrets.isEmpty();
    }

    /** Sets the three headers on an exchange whose body is the exact bytes that will be sent. */
    public void sign(Exchange exchange) {
        String id = exchange.getProperty(Dispatcher.EVENT_ID, String.class);
        long timestamp = clock.instant().getEpochSecond();
        byte[] body = exchange.getMessage().getBody(byte[].class);
        exchange.getMessage().setHeader("webhook-id", id);
        exchange.getMessage().setHeader("webhook-timestamp", Long.toString(timestamp));
        exchange.getMessage().setHeader("webhook-signature", signature(id, timestamp, body));
    }

    public String signature(String id, long timestamp, byte[] body) {
        List<String> parts = new ArrayList<>();
        for (byte[] secret : secrets) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
                parts.add("v1," + Base64.getEncoder().encodeToString(mac.doFinal(body)));
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(" ", parts);
    }

    static List<byte[]> parse(String value) {
        List<byte[]> list = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return list;
        }
        for (String s : value.trim().split("\\s+")) {
            String b64 = s.startsWith(PREFIX) ? s.substring(PREFIX.length()) : s;
            try {
                byte[] bytes = Base64.getDecoder().decode(b64);
                if (bytes.length < 16) {
                    throw new IllegalArgumentException("vmeg.downstream.secret: a secret of " + bytes.length
                            + " bytes is too short (at least 16, Standard Webhooks suggests 24 to 64)");
                }
                list.add(bytes);
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("vmeg.downstream.secret")) {
                    throw e;
                }
                // never echo the secret itself
                throw new IllegalArgumentException("vmeg.downstream.secret: not whsec_<base64> (entry "
                        + (list.size() + 1) + ")");
            }
        }
        return list;
    }

    @Override
    public String toString() {
        return "WebhookSigner[" + secrets.size() + " secret(s)]";
    }
}
