package io.vmegcamel.delivery;

import io.vmegcamel.vmeg.VmegException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import org.apache.camel.util.UnsafeUriCharactersEncoder;

/**
 * Which result links may be downloaded, checked before every request (the link itself and each CDN redirect):
 * https only, plain http only when VMEG itself is reached over http (the sandbox, tests); the host in
 * {@code vmeg.download.allowed-hosts} when that is set; a size within {@code vmeg.download.max-bytes}; at most
 * {@code vmeg.download.max-redirects} redirects. A refusal is a {@link DownloadRefusedException} (not retried).
 */
public final class DownloadPolicy {

    private final boolean plainHttpAllowed;
    private final List<String> allowedHosts;
    private final long maxBytes;
    private final int maxRedirects;

    /**
     * @param baseUrl      VMEG's base URL: plain http links are accepted only when it is http itself
     * @param allowedHosts lower-case hosts ({@code cdn.example.com}) or domains ({@code *.example.com}); empty: any
     * @param maxBytes     largest result; 0: no cap
     */
    public DownloadPolicy(String baseUrl, List<String> allowedHosts, long maxBytes, int maxRedirects) {
        this.plainHttpAllowed = baseUrl.toLowerCase(Locale.ROOT).startsWith("http://");
        this.allowedHosts = List.copyOf(allowedHosts);
        this.maxBytes = maxBytes;
        this.maxRedirects = maxRedirects;
    }

    /** The link, unchanged, when it may be requested; else a {@link DownloadRefusedException} saying why. */
    public String check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new DownloadRefusedException("result link is not a valid URL (" + Deliverable.redacted(url) + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && plainHttpAllowed)) {
            throw new DownloadRefusedException("result link " + Deliverable.redacted(url) + " refused: "
                    + (scheme.equals("http") ? "plain http, but results are downloaded over https only (plain http "
                    + "only when vmeg.base-url is http itself)" : "scheme '" + scheme + "', only https is allowed"));
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty()) {
            throw new DownloadRefusedException("result link " + Deliverable.redacted(url) + " refused: no host");
        }
        if (!allowedHosts.isEmpty() && allowedHosts.stream().noneMatch(a -> matches(a, host))) {
            throw new DownloadRefusedException("result link " + Deliverable.redacted(url) + " refused: host " + host
                    + " is not in vmeg.download.allowed-hosts (" + String.join(",", allowedHosts) + ")");
        }
        // camel-http escapes characters unsafe in a URL and resolves {{placeholders}}: a link that would be
        // changed on the way is refused rather than sent altered (its signature would not match anyway)
        if (!UnsafeUriCharactersEncoder.encodeHttpURI(url).equals(url) || url.contains("{{")) {
            throw new DownloadRefusedException("result link " + Deliverable.redacted(url)
                    + " refused: it cannot be sent byte for byte");
        }
        return url;
    }

    /** Refuses a result VMEG announces as larger than the cap, before any byte is requested. */
    public void checkSize(long announcedBytes, String what) {
        if (maxBytes > 0 && announcedBytes > maxBytes) {
            throw tooLarge(what, announcedBytes + " bytes announced");
        }
    }

    DownloadRefusedException tooLarge(String what, String size) {
        return new DownloadRefusedException(what + " refused: " + size + ", more than vmeg.download.max-bytes ("
                + maxBytes + ")");
    }

    long maxBytes() {
        return maxBytes;
    }

    /**
     * The next link of a CDN redirect, checked like the first one.
     *
     * @param from      the link that answered the redirect
     * @param status    its 3xx status
     * @param location  its Location header (absolute or relative)
     * @param loopIndex 0 for the first redirect of this download
     */
    public String redirect(String from, int status, String location, int loopIndex) {
        String operation = Deliverable.operation(from);
        if (loopIndex + 1 > maxRedirects) {
            throw new VmegException(operation, status, status, "more than " + maxRedirects
                    + " redirects (vmeg.download.max-redirects): the CDN keeps redirecting", null, null);
        }
        if (location == null || location.isBlank()) {
            throw new VmegException(operation, status, status, "redirect without a Location", null, null);
        }
        String next;
        try {
            next = new URI(from).resolve(new URI(location.trim())).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new DownloadRefusedException("redirect from " + Deliverable.redacted(from)
                    + " refused: its Location is not a valid URL");
        }
        return check(next);
    }

    private static boolean matches(String allowed, String host) {
        return allowed.startsWith("*.") ? host.endsWith(allowed.substring(1)) : host.equals(allowed);
    }
}
