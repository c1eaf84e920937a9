package io.vmegcamel.sandbox;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Issues and verifies the sandbox's own presigned storage PUT URLs and signed CDN GET URLs.
 *
 * <p>Both signatures cover the method, the raw path and the query exactly as issued, so a client that decodes or
 * re-encodes the query (e.g. turns {@code %2F} into {@code /}) fails with SignatureDoesNotMatch. Real S3 canonicalises
 * the query before checking; the sandbox is deliberately stricter because a client must never touch a presigned URL.
 */
final class UrlSigner {

    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter AMZ_DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final String SIGNATURE_PARAM = "X-Amz-Signature=";

    /** Random per data dir: saved with the state, so URLs issued before a restart stay valid after it. */
    private volatile byte[] key = Ids.randomBytes(32);
    private final Supplier<String> baseUrl;

    UrlSigner(Supplier<String> baseUrl) {
        this.baseUrl = baseUrl;
    }

    byte[] key() {
        return key.clone();
    }

    /** The key saved before a restart. */
    void restoreKey(byte[] saved) {
        if (saved.length < 32) {
            throw new IllegalArgumentException("signing key too short");
        }
        key = saved.clone();
    }

    /** Presigned PUT for {@code /storage/<objectKey>}; {@code extraQuery} (may be empty) is signed too. */
    String presignPut(String objectKey, String extraQuery, Duration ttl) {
        Instant now = Instant.now();
        String path = "/storage/" + objectKey;
        String query = (extraQuery.isEmpty() ? "" : extraQuery + "&")
                + "X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=SANDBOX%2F" + AMZ_DAY.format(now) + "%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=" + AMZ_DATE.format(now)
                + "&X-Amz-Expires=" + seconds(ttl)
                + "&X-Amz-SignedHeaders=host";
        return baseUrl.get() + path + "?" + query + "&" + SIGNATURE_PARAM + hmac("PUT\n" + path + "\n" + query);
    }

    /** Returns null when the presigned request is valid, else the S3 error to answer. */
    S3Error verifyPut(String rawPath, String rawQuery) {
        if (rawQuery == null || !rawQuery.contains(SIGNATURE_PARAM)) {
            return new S3Error(403, "AccessDenied", "Query-string authentication requires the X-Amz-Algorithm,"
                    + " X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature"
                    + " parameters");
        }
        List<String> unsigned = new ArrayList<>();
        String signature = null;
        for (String p : rawQuery.split("&", -1)) {
            if (p.startsWith(SIGNATURE_PARAM) && signature == null) {
                signature = p.substring(SIGNATURE_PARAM.length());
            } else {
                unsigned.add(p);
            }
        }
        if (!matches(signature, "PUT\n" + rawPath + "\n" + String.join("&", unsigned))) {
            return S3Error.signatureMismatch();
        }
        try {
            Instant date = Instant.from(AMZ_DATE.parse(param(rawQuery, "X-Amz-Date")));
            long expires = Long.parseLong(param(rawQuery, "X-Amz-Expires"));
            if (Instant.now().isAfter(date.plusSeconds(expires))) {
                return S3Error.expired();
            }
        } catch (DateTimeParseException | NumberFormatException | NullPointerException e) {
            return new S3Error(403, "AccessDenied", "X-Amz-Date or X-Amz-Expires is missing or malformed");
        }
        return null;
    }

    /** A signed, expiring CDN URL for a file below the data dir ({@code relPath} uses only URL-safe characters). */
    String cdnUrl(String relPath, Duration ttl) {
        String path = "/cdn/" + relPath;
        // round up so that a sub-second TTL still yields a URL that is valid right now
        long expires = (System.currentTimeMillis() + ttl.toMillis() + 999) / 1000;
        return baseUrl.get() + path + "?Expires=" + expires + "&Signature=" + hmac("GET\n" + path + "\n" + expires);
    }

    S3Error verifyCdn(String rawPath, String rawQuery) {
        String expires = rawQuery == null ? null : param(rawQuery, "Expires");
        String signature = rawQuery == null ? null : param(rawQuery, "Signature");
        if (expires == null || signature == null) {
            return new S3Error(403, "AccessDenied", "Query-string authentication requires the Expires and"
                    + " Signature parameters");
        }
        if (!rawQuery.equals("Expires=" + expires + "&Signature=" + signature)
                || !matches(signature, "GET\n" + rawPath + "\n" + expires)) {
            return S3Error.signatureMismatch();
        }
        try {
            if (System.currentTimeMillis() >= Long.parseLong(expires) * 1000) {
                return S3Error.expired();
            }
        } catch (NumberFormatException e) {
            return S3Error.signatureMismatch();
        }
        return null;
    }

    /** Value of the first raw query parameter with that name, undecoded. */
    static String param(String rawQuery, String name) {
        for (String p : rawQuery.split("&")) {
            if (p.startsWith(name + "=")) {
                return p.substring(name.length() + 1);
            }
        }
        return null;
    }

    private boolean matches(String signature, String stringToSign) {
        if (signature == null) {
            return false;
        }
        return MessageDigest.isEqual(hmac(stringToSign).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String hmac(String data) {
        return Ids.toHex(hmacSha256(key, data.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] hmacSha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static long seconds(Duration ttl) {
        return Math.max(1, (ttl.toMillis() + 999) / 1000);
    }
}
