package io.vmegcamel.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where {@code vmeg.inbox} or {@code vmeg.outbox} points:
 * <ul>
 *   <li>a local path (the default);</li>
 *   <li>{@code s3://bucket[/prefix]};</li>
 *   <li>{@code sftp://user@host[:port]/path}, read as curl and OpenSSH read it: the path is absolute, {@code /~/dir}
 *       is {@code dir} under the login directory;</li>
 *   <li>Camel's own form {@code sftp:user@host[:port]/dir} (no {@code //}), read as Camel reads it: {@code dir}
 *       under the login directory, {@code sftp:user@host//srv/dir} absolute.</li>
 * </ul>
 * {@link #folder()} is the key of the folder on that storage: an S3 prefix ending with {@code /} (or "" for the
 * bucket's root), an SFTP path ending with {@code /} (absolute, or relative to the login directory).
 *
 * @param kind   LOCAL, S3 or SFTP
 * @param local  the path, for LOCAL
 * @param bucket the bucket, for S3
 * @param folder the folder key, for S3 and SFTP
 * @param user   the login, for SFTP
 * @param host   the server, for SFTP
 * @param port   the port, for SFTP (22 unless given)
 */
public record StorageLocation(Kind kind, Path local, String bucket, String folder, String user, String host,
        int port) {

    public enum Kind { LOCAL, S3, SFTP }

    /** The places that live beside the inbox on its storage (same names as the local defaults). */
    public static final String PROCESSING = "processing";
    public static final String ARCHIVE = "archive";
    public static final String FAILED = "failed";
    public static final String HELD = "held";

    public static StorageLocation parse(String property, String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            throw new IllegalArgumentException(property + " is empty: give a local path, s3://bucket[/prefix] or "
                    + "sftp://user@host[:port]/path");
        }
        if (v.startsWith("s3://")) {
            URI uri = uri(property, v);
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw new IllegalArgumentException(property + " = " + v + ": no bucket (s3://bucket[/prefix])");
            }
            return new StorageLocation(Kind.S3, null, uri.getHost(), folderKey(trimSlashes(decode(uri.getRawPath()))),
                    null, null, 0);
        }
        if (v.startsWith("sftp://")) {
            URI uri = uri(property, v);
            String path = decode(uri.getRawPath());
            String folder = path.startsWith("/~/") || path.equals("/~") ? trimSlashes(path.substring(2))
                    : path.isEmpty() ? "" : "/" + trimSlashes(path);
            return sftp(property, v, uri.getUserInfo(), uri.getHost(), uri.getPort(), folder);
        }
        if (v.startsWith("sftp:")) {
            // Camel's form: sftp:user@host[:port]/dir ('dir' under the login directory, '//dir' absolute)
            URI uri = uri(property, "sftp://" + v.substring("sftp:".length()));
            String path = decode(uri.getRawPath());
            String folder = path.startsWith("//") ? "/" + trimSlashes(path) : trimSlashes(path);
            return sftp(property, v, uri.getUserInfo(), uri.getHost(), uri.getPort(), folder);
        }
        if (v.matches("^[a-zA-Z][a-zA-Z0-9+.-]+://.*")) {
            throw new IllegalArgumentException(property + " = " + v + ": unknown storage; give a local path, "
                    + "s3://bucket[/prefix] or sftp://user@host[:port]/path");
        }
        return new StorageLocation(Kind.LOCAL, Path.of(v), null, null, null, null, 0);
    }

    public boolean isRemote() {
        return kind != Kind.LOCAL;
    }

    /**
     * The folder of a place beside this one (this folder's parent, then {@code place}/): for the inbox
     * {@code s3://b/drop/inbox}, the failed place is {@code drop/failed/}. An inbox at the root of its storage has
     * its places as folders in it ({@code processing/}, ...), which the inbox never takes files from.
     */
    public String sibling(String place) {
        if (folder.isEmpty() || folder.equals("/")) {
            return folder + place + "/";
        }
        String f = folder.substring(0, folder.length() - 1);
        int cut = f.lastIndexOf('/');
        return (cut < 0 ? "" : f.substring(0, cut + 1)) + place + "/";
    }

    /** For logs and reports: the location as given, never with a secret (none is ever part of it). */
    @Override
    public String toString() {
        return switch (kind) {
            case LOCAL -> local.toString();
            case S3 -> "s3://" + bucket + "/" + folder;
            case SFTP -> "sftp://" + user + "@" + host + ":" + port + (folder.startsWith("/") ? "" : "/~/") + folder;
        };
    }

    private static StorageLocation sftp(String property, String v, String user, String host, int port,
            String folder) {
        if (host == null || host.isBlank() || user == null || user.isBlank() || user.contains(":")) {
            throw new IllegalArgumentException(property + " = " + redact(v) + ": give sftp://user@host[:port]/path"
                    + " (the password goes in VMEG_SFTP_PASSWORD, never in the URL)");
        }
        return new StorageLocation(Kind.SFTP, null, null, folderKey(folder), user, host, port < 0 ? 22 : port);
    }

    private static String folderKey(String path) {
        if (path.isEmpty() || path.equals("/")) {
            return path;
        }
        return path.endsWith("/") ? path : path + "/";
    }

    private static String trimSlashes(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && s.charAt(b) == '/') {
            b++;
        }
        while (e > b && s.charAt(e - 1) == '/') {
            e--;
        }
        return s.substring(b, e);
    }

    private static URI uri(String property, String v) {
        try {
            return new URI(v.replace(" ", "%20"));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(property + " = " + redact(v) + " is not a valid URL: "
                    + e.getReason());
        }
    }

    private static String decode(String raw) {
        return raw == null ? "" : URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** user:secret@ in a URL must never reach a log. */
    private static String redact(String v) {
        return v.replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
    }
}
