package io.vmegcamel.downstream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent verifier of the Standard Webhooks signature (https://www.standardwebhooks.com/), written from
 * the specification, not from the bundle's signer: what a receiver would run.
 */
final class StandardWebhooks {

    private StandardWebhooks() {
    }

    /** True when one of the space-separated v1 signatures is the HMAC of id.timestamp.body under the secret. */
    static boolean verify(String whsecSecret, String msgId, String timestamp, String signatures, byte[] body,
                          long nowSeconds) throws Exception {
        if (Math.abs(nowSeconds - Long.parseLong(timestamp)) > 300) {
            return false; // replay protection: the spec's 5-minute tolerance
        }
        byte[] key = Base64.getDecoder().decode(whsecSecret.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] signedContent = (msgId + "." + timestamp + "." + new String(body, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        byte[] expected = Base64.getEncoder().encode(mac.doFinal(signedContent));
        for (String versioned : signatures.split(" ")) {
            String[] parts = versioned.split(",", 2);
            if (parts.length == 2 && parts[0].equals("v1")
                    && MessageDigest.isEqual(parts[1].getBytes(StandardCharsets.US_ASCII), expected)) {
                return true;
            }
        }
        return false;
    }
}
