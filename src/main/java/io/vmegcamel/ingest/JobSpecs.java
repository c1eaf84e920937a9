package io.vmegcamel.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.vmegcamel.ingest.RejectedFileException.Reason;
import io.vmegcamel.vmeg.Languages;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Resolves the job spec of a dropped file: its sidecar {@code <file>.vmeg.json} where there is one, over the
 * configured defaults. Validates against {@code /schema/job-spec.schema.json} and the documented VMEG languages,
 * so a mistake is reported before anything is uploaded or paid.
 */
public final class JobSpecs {

    public static final String SIDECAR_SUFFIX = ".vmeg.json";

    public record Resolved(JobSpec spec, String source, Path sidecar) {
    }

    private final ObjectMapper json;
    private final JsonSchema schema;
    private final List<String> defaultTargets;
    private final String defaultSource;
    private final ObjectNode defaultOptions;

    public JobSpecs(ObjectMapper json, List<String> defaultTargets, String defaultSource, String defaultOptionsJson) {
        this.json = json;
        try (InputStream in = JobSpecs.class.getResourceAsStream("/schema/job-spec.schema.json")) {
            this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.defaultTargets = List.copyOf(defaultTargets);
        this.defaultSource = defaultSource;
        this.defaultOptions = parseDefaults(defaultOptionsJson);
        List<String> problems = new ArrayList<>(check(defaultTargets, defaultSource));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Default job spec is invalid (VMEG_TARGET_LANGUAGES / "
                    + "VMEG_SOURCE_LANGUAGE): " + String.join("; ", problems));
        }
    }

    public static Path sidecarOf(Path media) {
        return media.resolveSibling(media.getFileName() + SIDECAR_SUFFIX);
    }

    public Resolved resolve(Path media, MediaKind kind) {
        Path sidecar = sidecarOf(media);
        if (!Files.isRegularFile(sidecar)) {
            return new Resolved(new JobSpec(defaultTargets, defaultSource, kind.taskType(), defaultOptions.deepCopy(),
                    json.createObjectNode()), "defaults", null);
        }
        String name = sidecar.getFileName().toString();
        JsonNode node = readSidecar(sidecar, name);
        List<String> problems = schema.validate(node).stream().map(ValidationMessage::getMessage)
                .collect(Collectors.toCollection(ArrayList::new));
        if (!problems.isEmpty()) {
            throw invalid(name, String.join("; ", problems));
        }
        List<String> targets = new ArrayList<>();
        node.path("targetLanguages").forEach(t -> targets.add(t.asText()));
        JobSpec spec = new JobSpec(
                targets.isEmpty() ? defaultTargets : List.copyOf(targets),
                node.path("sourceLanguage").asText(defaultSource),
                node.path("taskType").asText(kind.taskType()),
                merge(defaultOptions.deepCopy(), node.path("options")),
                node.has("extraData") ? (ObjectNode) node.get("extraData") : json.createObjectNode());
        problems.addAll(check(spec.targetLanguages(), spec.sourceLanguage()));
        if ("vt".equals(spec.taskType()) && kind == MediaKind.AUDIO) {
            problems.add("taskType vt (video translation) needs a video file, this is an audio file: use at");
        }
        if (!problems.isEmpty()) {
            throw invalid(name, String.join("; ", problems));
        }
        return new Resolved(spec, "sidecar", sidecar);
    }

    private JsonNode readSidecar(Path sidecar, String name) {
        try {
            JsonNode node = json.readTree(sidecar.toFile());
            if (node == null || !node.isObject()) {
                throw invalid(name, "expected a JSON object like {\"targetLanguages\": [\"de-DE\"]}");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw invalid(name, "not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sidecar + ": " + e.getMessage(), e);
        }
    }

    private static List<String> check(List<String> targets, String source) {
        Languages languages = Languages.documented();
        List<String> problems = new ArrayList<>();
        if (targets.isEmpty()) {
            problems.add("no target language given");
        }
        for (String target : targets) {
            if (!languages.isTarget(target)) {
                problems.add("'" + target + "' is not a VMEG target language (see the list in the README, "
                        + "e.g. de-DE, fr-FR, es-ES, ja-JP, zh-CN)");
            }
        }
        if (!languages.isSource(source)) {
            problems.add("'" + source + "' is not a VMEG source language (use auto, or e.g. en-US)");
        }
        return problems;
    }

    private ObjectNode parseDefaults(String optionsJson) {
        try {
            JsonNode node = json.readTree(optionsJson);
            ObjectNode wrapper = json.createObjectNode();
            wrapper.set("options", node);
            List<String> problems = schema.validate(wrapper).stream().map(ValidationMessage::getMessage).toList();
            if (!node.isObject() || !problems.isEmpty()) {
                throw new IllegalArgumentException("VMEG_OPTIONS (vmeg.options) is not a valid options object: "
                        + String.join("; ", problems));
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("VMEG_OPTIONS (vmeg.options) is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Deep merge: objects merge field by field, anything else in {@code override} replaces. */
    private static ObjectNode merge(ObjectNode base, JsonNode override) {
        for (Iterator<String> it = override.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            JsonNode value = override.get(field);
            if (value.isObject() && base.get(field) instanceof ObjectNode existing) {
                merge(existing, value);
            } else {
                base.set(field, value.deepCopy());
            }
        }
        return base;
    }

    private static RejectedFileException invalid(String sidecarName, String problem) {
        return new RejectedFileException(Reason.INVALID_SPEC, sidecarName + ": " + problem,
                "Fix " + sidecarName + " (its format is in the README, section Job spec), then drop the media file "
                        + "and its sidecar into the inbox again. Nothing was uploaded or charged.");
    }
}
