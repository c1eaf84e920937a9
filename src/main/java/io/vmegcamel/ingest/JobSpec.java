package io.vmegcamel.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.vmeg.IdempotencyKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * What to do with one source file: one VMEG media-translation task per target language, all with the same
 * task type, source language and options.
 */
public record JobSpec(
        List<String> targetLanguages,
        String sourceLanguage,
        String taskType,
        ObjectNode options,
        ObjectNode extraData) {

    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        ArrayNode targets = node.putArray("targetLanguages");
        targetLanguages.forEach(targets::add);
        node.put("sourceLanguage", sourceLanguage);
        node.put("taskType", taskType);
        node.set("options", options.deepCopy());
        node.set("extraData", extraData.deepCopy());
        return node;
    }

    public static JobSpec fromJson(String text, ObjectMapper json) {
        try {
            JsonNode node = json.readTree(text);
            List<String> targets = new ArrayList<>();
            node.path("targetLanguages").forEach(t -> targets.add(t.asText()));
            return new JobSpec(List.copyOf(targets), node.path("sourceLanguage").asText(),
                    node.path("taskType").asText(), (ObjectNode) node.get("options"), (ObjectNode) node.get("extraData"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SHA-256 of everything that decides what VMEG produces for one language: task type, source language and
     * options, in canonical form (keys sorted). Target languages and extraData are not part of it: adding a
     * language or changing metadata must not re-buy languages already done.
     */
    public String taskSpecHash(ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        node.put("taskType", taskType);
        node.put("sourceLanguage", sourceLanguage);
        node.set("options", options);
        try {
            return IdempotencyKeys.sha256Hex(json.writeValueAsString(canonical(node, json)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode canonical(JsonNode node, ObjectMapper json) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                sorted.put(name, canonical(node.get(name), json));
            }
            ObjectNode out = json.createObjectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = json.createArrayNode();
            node.forEach(item -> out.add(canonical(item, json)));
            return out;
        }
        return node;
    }
}
