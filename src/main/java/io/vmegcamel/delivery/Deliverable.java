package io.vmegcamel.delivery;

import java.net.URI;
import java.nio.file.Path;

/**
 * One file of a finished task to download: VMEG's link (used byte for byte), where it goes, and the size VMEG
 * announced (0: not announced).
 */
public record Deliverable(String taskRef, String role, String url, Path target, long expectedSize) {

    /** The link without its query (the signature): safe for logs and error messages. */
    public static String redacted(String url) {
        try {
            URI u = new URI(url);
            return u.getScheme() + "://" + u.getRawAuthority() + (u.getRawPath() == null ? "" : u.getRawPath());
        } catch (Exception e) {
            return "(unparsable link)";
        }
    }

    /** e.g. {@code GET cdn.example.com/results/t_1.mp4}, as in VmegException operations. */
    static String operation(String url) {
        try {
            URI u = new URI(url);
            return "GET " + u.getHost() + (u.getRawPath() == null ? "" : u.getRawPath());
        } catch (Exception e) {
            return "GET (unparsable link)";
        }
    }

    @Override
    public String toString() {
        return role + " of task " + taskRef + " -> " + target.getFileName() + " (" + redacted(url) + ")";
    }
}
