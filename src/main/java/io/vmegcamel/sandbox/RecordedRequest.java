package io.vmegcamel.sandbox;

import java.util.List;
import java.util.Map;

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
}
