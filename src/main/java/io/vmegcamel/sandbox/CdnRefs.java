package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.time.Duration;

/**
 * Task results are stored as templates whose URL fields hold {@code sandbox-cdn:<relative path>}; rendering swaps
 * each one for a freshly signed CDN URL, so every tasks/detail call hands out URLs valid for the full TTL.
 */
final class CdnRefs {

    private static final String PREFIX = "sandbox-cdn:";

    private CdnRefs() {
    }

    static String ref(String relPath) {
        return PREFIX + relPath;
    }

    static JsonNode render(JsonNode template, UrlSigner signer, Duration ttl) {
        if (template == null) {
            return null;
        }
        JsonNode copy = template.deepCopy();
        replace(copy, signer, ttl);
        return copy;
    }

    private static void replace(JsonNode node, UrlSigner signer, Duration ttl) {
        if (node instanceof ObjectNode o) {
            o.fields().forEachRemaining(e -> {
                if (isRef(e.getValue())) {
                    e.setValue(TextNode.valueOf(sign(e.getValue(), signer, ttl)));
                } else {
                    replace(e.getValue(), signer, ttl);
                }
            });
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (isRef(a.get(i))) {
                    a.set(i, TextNode.valueOf(sign(a.get(i), signer, ttl)));
                } else {
                    replace(a.get(i), signer, ttl);
                }
            }
        }
    }

    private static boolean isRef(JsonNode n) {
        return n.isTextual() && n.textValue().startsWith(PREFIX);
    }

    private static String sign(JsonNode n, UrlSigner signer, Duration ttl) {
        return signer.cdnUrl(n.textValue().substring(PREFIX.length()), ttl);
    }
}
