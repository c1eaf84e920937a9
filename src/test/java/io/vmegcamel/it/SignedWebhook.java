package io.vmegcamel.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** POSTs a webhook to the bundle signed as VMEG signs it (HMAC-SHA256 of X-Timestamp + raw body). */
final class SignedWebhook {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private SignedWebhook() {
    }

    static HttpResponse<String> post(TestEnv env, String secret, String body) throws Exception {
        String ts = String.valueOf(System.currentTimeMillis());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = HexFormat.of().formatHex(mac.doFinal((ts + body).getBytes(StandardCharsets.UTF_8)));
        return HTTP.send(HttpRequest.newBuilder(URI.create(env.baseUrl() + "/webhooks/vmeg"))
                        .header("Content-Type", "application/json").header("X-Timestamp", ts)
                        .header("X-Signature", signature)
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
