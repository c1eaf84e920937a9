package io.vmegcamel.sandbox;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/** Random identifiers, hex and time formatting shared by the sandbox. */
final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private Ids() {
    }

    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HEX.formatHex(b);
    }

    static String materialId() {
        return "m_" + hex(12);
    }

    static String taskId() {
        return "t_" + hex(12);
    }

    static String uploadId() {
        return "upl_" + hex(16);
    }

    static String cloneVoiceId() {
        return "cv_" + hex(12);
    }

    static String pipelineKey() {
        return hex(16);
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static double random() {
        return RANDOM.nextDouble();
    }

    static String toHex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ISO-8601 UTC with second precision, the shape the docs show ({@code 2025-05-01T10:15:00Z}). */
    static String iso(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
