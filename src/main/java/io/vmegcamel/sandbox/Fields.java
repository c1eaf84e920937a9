package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Strict reader over one JSON object of a request body. Every error is a 400 naming the full field path
 * ({@code options.voiceClone.style}, {@code data[2].text}).
 *
 * <p>STRICT reading where the docs are silent: JSON {@code null} is never accepted as "absent" (omit the field
 * instead), strings are never coerced from numbers or booleans, and integer fields reject fractions.
 */
final class Fields {

    private final ObjectNode node;
    private final String path;

    private Fields(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static Fields root(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        return new Fields((ObjectNode) body, "");
    }

    String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    ObjectNode node() {
        return node;
    }

    /** Rejects any field not listed. */
    Fields only(String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!ok.contains(name)) {
                String where = path.isEmpty() ? "at the top level" : "in '" + path + "'";
                throw ApiException.badRequest("unknown field '" + path(name) + "'; allowed fields " + where + ": "
                        + String.join(", ", new LinkedHashSet<>(List.of(allowed))));
            }
        }
        return this;
    }

    boolean has(String field) {
        return node.has(field);
    }

    private JsonNode value(String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null) {
            if (required) {
                throw ApiException.badRequest("field '" + path(field) + "' is required");
            }
            return null;
        }
        if (v.isNull()) {
            throw ApiException.badRequest("field '" + path(field) + "' must not be null"
                    + (required ? "" : " (omit it instead)"));
        }
        return v;
    }

    String string(String field, boolean required) {
        JsonNode v = value(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest("field '" + path(field) + "' must be a string");
        }
        return v.textValue();
    }

    /** A string that must not be empty or blank. */
    String text(String field, boolean required) {
        String s = string(field, required);
        if (s != null && s.isBlank()) {
            throw ApiException.badRequest("field '" + path(field) + "' must not be blank");
        }
        return s;
    }

    String enumeration(String field, boolean required, List<String> allowed) {
        JsonNode v = node.get(field);
        if (v == null && required) {
            throw ApiException.badRequest("field '" + path(field) + "' is required; allowed values: "
                    + String.join(", ", allowed));
        }
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw ApiException.badRequest("field '" + path(field) + "' must be a string, one of: "
                    + String.join(", ", allowed));
        }
        String s = string(field, required);
        if (s != null && !allowed.contains(s)) {
            throw ApiException.badRequest("field '" + path(field) + "' must be one of: " + String.join(", ", allowed)
                    + " (got \"" + s + "\")");
        }
        return s;
    }

    /** An https URL with a host. */
    String httpsUrl(String field, boolean required) {
        String s = text(field, required);
        if (s == null) {
            return null;
        }
        try {
            URI u = new URI(s);
            if ("https".equalsIgnoreCase(u.getScheme()) && u.getHost() != null) {
                return s;
            }
        } catch (Exception ignored) {
            // reported below
        }
        throw ApiException.badRequest("field '" + path(field) + "' must be an https URL (got \"" + s + "\")");
    }

    Boolean bool(String field, boolean required) {
        JsonNode v = value(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest("field '" + path(field) + "' must be a boolean (true or false)");
        }
        return v.booleanValue();
    }

    Double number(String field, boolean required, double min, double max) {
        JsonNode v = value(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            throw ApiException.badRequest("field '" + path(field) + "' must be a number");
        }
        double d = v.doubleValue();
        if (d < min || d > max || Double.isNaN(d)) {
            throw ApiException.badRequest("field '" + path(field) + "' must be within " + fmt(min) + ".." + fmt(max)
                    + " (got " + v.asText() + ")");
        }
        return d;
    }

    Long integer(String field, boolean required, long min, long max) {
        return integerValue(value(field, required), path(field), min, max);
    }

    private static Long integerValue(JsonNode v, String fieldPath, long min, long max) {
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.badRequest("field '" + fieldPath + "' must be an integer");
        }
        long n = v.longValue();
        if (n < min || n > max) {
            throw ApiException.badRequest("field '" + fieldPath + "' must be within " + min + ".." + max
                    + " (got " + n + ")");
        }
        return n;
    }

    Fields object(String field, boolean required) {
        JsonNode v = value(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw ApiException.badRequest("field '" + path(field) + "' must be a JSON object");
        }
        return new Fields((ObjectNode) v, path(field));
    }

    /** A free-form object (no field checks inside), e.g. {@code extraData}, {@code options.text}. */
    ObjectNode freeObject(String field) {
        Fields f = object(field, false);
        return f == null ? null : f.node;
    }

    private List<JsonNode> array(String field, boolean required, int minItems, int maxItems) {
        JsonNode v = value(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiException.badRequest("field '" + path(field) + "' must be an array");
        }
        if (v.size() < minItems || v.size() > maxItems) {
            throw ApiException.badRequest("field '" + path(field) + "' must have " + minItems + ".." + maxItems
                    + " items (got " + v.size() + ")");
        }
        List<JsonNode> items = new ArrayList<>();
        v.forEach(items::add);
        return items;
    }

    List<Fields> objects(String field, boolean required, int minItems, int maxItems) {
        List<JsonNode> items = array(field, required, minItems, maxItems);
        if (items == null) {
            return null;
        }
        List<Fields> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String p = path(field) + "[" + i + "]";
            if (!items.get(i).isObject()) {
                throw ApiException.badRequest("field '" + p + "' must be a JSON object");
            }
            out.add(new Fields((ObjectNode) items.get(i), p));
        }
        return out;
    }

    List<Long> integers(String field, boolean required, int minItems, int maxItems, long min, long max) {
        List<JsonNode> items = array(field, required, minItems, maxItems);
        if (items == null) {
            return null;
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(integerValue(items.get(i), path(field) + "[" + i + "]", min, max));
        }
        return out;
    }

    List<String> strings(String field, boolean required, int minItems, int maxItems) {
        List<JsonNode> items = array(field, required, minItems, maxItems);
        if (items == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isTextual()) {
                throw ApiException.badRequest("field '" + path(field) + "[" + i + "]' must be a string");
            }
            out.add(items.get(i).textValue());
        }
        return out;
    }

    /** A map of string to string, e.g. a glossary. */
    void stringMap(String field) {
        Fields f = object(field, false);
        if (f == null) {
            return;
        }
        f.node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw ApiException.badRequest("field '" + f.path(e.getKey()) + "' must be a string");
            }
        });
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
