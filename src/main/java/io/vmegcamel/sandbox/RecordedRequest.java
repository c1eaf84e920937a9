package io.vmegcamel.sandbox;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request the sandbox received (API, storage or CDN).
 *
 * @param headers  header names lower-cased
 * @param body     JSON API bodies only; empty for storage PUTs and GETs
 * @param bodySize bytes received
 * @param status   HTTP status answered, 0 while the request is still in progress
 */
public record RecordedRequest(String method, String path, String rawQuery, Map<String, List<String>> headers,
                              byte[] body, long bodySize, int status) {

    /** Credentials never printed (the Authorization value, a presigned URL's signature); the body by its size. */
    @Override
    public String toString() {
        Map<String, List<String>> shown = headers == null ? null : new TreeMap<>(headers);
        if (shown != null) {
            shown.computeIfPresent("authorization", (k, v) -> v.stream()
                    .map(a -> a.contains(" ") ? a.substring(0, a.indexOf(' ') + 1) + "***" : "***").toList());
        }
        String query = rawQuery == null ? null : rawQuery.replaceAll("((?:^|&)[^=&]*Signature=)[^&]*", "$1***");
        return "RecordedRequest[method=" + method + ", path=" + path + ", rawQuery=" + query + ", headers=" + shown
                + ", body=" + (body == null ? null : body.length + " bytes") + ", bodySize=" + bodySize + ", status="
                + status + "]";
    }
}
