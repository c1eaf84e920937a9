package io.vmegcamel.vmeg;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * {@code X-Idempotency-Key} values. A paid task's key is derived, not random: the same content, spec, language
 * and attempt always give the same key, so a resend after a crash or a lost answer can never create a second
 * task. Keys are 64 hex characters, VMEG's maximum.
 */
public final class IdempotencyKeys {

    private IdempotencyKeys() {
    }

    /**
     * @param contentMd5 MD5 of the source file
     * @param specHash   SHA-256 of the canonical task spec (everything but the target language list)
     * @param language   target language of this task
     * @param attempt    0 first; raised only after VMEG definitively refused the previous attempt
     */
    public static String forTask(String contentMd5, String specHash, String language, int attempt) {
        return sha256Hex("vmeg-camel/task/v1|" + contentMd5 + "|" + specHash + "|" + language + "|" + attempt);
    }

    /** For calls that cost nothing and are safe to repeat (material upload steps): a fresh key per call. */
    public static String fresh() {
        return UUID.randomUUID().toString();
    }

    public static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
