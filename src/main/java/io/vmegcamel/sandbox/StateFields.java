package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** Strict readers for the saved state: a missing or mistyped field is an error, never a silent default. */
final class StateFields {

    private StateFields() {
    }

    /** A required string field. */
    static String text(JsonNode o, String field) {
        return asText(o.get(field), field);
    }

    /** A string field that may be absent or null. */
    static String optText(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : asText(v, field);
    }

    static String asText(JsonNode v, String what) {
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("'" + what + "' must be a string");
        }
        return v.textValue();
    }

    /** A required number field. */
    static double number(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException("'" + field + "' must be a number");
        }
        return v.doubleValue();
    }

    /** An array field; absent = empty. */
    static Iterable<JsonNode> array(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("'" + field + "' must be an array");
        }
        return v;
    }

    static Instant instant(JsonNode o, String field) {
        return Instant.parse(text(o, field));
    }
}
