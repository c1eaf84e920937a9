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
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Resolves the job spec of a dropped file in three layers, each over the one before: the configured defaults, the
 * inbox sub-folder it was dropped into (a named profile, {@code vmeg.profiles.<name>.*}, or target languages joined by
 * {@code +}, e.g. {@code de-DE+fr-FR}), and its sidecar {@code <file>.vmeg.json}. A field a layer gives replaces the
 * one below; options and extraData merge field by field. Validates against {@code /schema/job-spec.schema.json}
 * and the documented VMEG languages, so a mistake is reported before anything is uploaded or paid. The folder is a
 * relative path string and the sidecar its text, so any storage can use this.
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
    private final Map<String, Layer> profiles = new TreeMap<>();

    /** What a folder contributes; empty or null fields leave the defaults. */
    private record Layer(List<String> targets, String source, ObjectNode options, ObjectNode extraData) {
    }

    public JobSpecs(ObjectMapper json, List<String> defaultTargets, String defaultSource, String defaultOptionsJson) {
        this(json, defaultTargets, defaultSource, defaultOptionsJson, List.of());
    }

    public JobSpecs(ObjectMapper json, List<String> defaultTargets, String defaultSource, String defaultOptionsJson,
                    Collection<Profile> profiles) {
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
        profiles.forEach(p -> this.profiles.put(p.name().toLowerCase(Locale.ROOT), layer(p)));
    }

    private Layer layer(Profile p) {
        String where = "Profile " + p.name() + " (vmeg.profiles." + p.name() + ".*)";
        List<String> problems = new ArrayList<>(check(p.targetLanguages().isEmpty() ? defaultTargets
                : p.targetLanguages(), p.sourceLanguage() == null ? defaultSource : p.sourceLanguage()));
        ObjectNode options = p.optionsJson() == null ? null : parseObject(p.optionsJson(), where + " options");
        if (options != null) {
            ObjectNode wrapper = json.createObjectNode();
            wrapper.set("options", options);
            schema.validate(wrapper).forEach(m -> problems.add("options: " + m.getMessage()));
        }
        ObjectNode extraData = p.extraDataJson() == null ? null : parseObject(p.extraDataJson(), where + " extra-data");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(where + " is invalid: " + String.join("; ", problems));
        }
        return new Layer(p.targetLanguages(), p.sourceLanguage(), options, extraData);
    }

    private ObjectNode parseObject(String text, String what) {
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(what + " must be a JSON object");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The profile names, for messages and the start-up banner. */
    public List<String> profileNames() {
        return List.copyOf(profiles.keySet());
    }

    public static Path sidecarOf(Path media) {
        return media.resolveSibling(media.getFileName() + SIDECAR_SUFFIX);
    }

    /** The spec of a file dropped into the inbox itself. */
    public Resolved resolve(Path media, MediaKind kind) {
        return resolve("", media, kind);
    }

    /** The spec of local file {@code media}, dropped into inbox sub-folder {@code folder} ({@code ""}: none). */
    public Resolved resolve(String folder, Path media, MediaKind kind) {
        Path sidecar = sidecarOf(media);
        String text = Files.isRegularFile(sidecar) ? readText(sidecar) : null;
        Resolved resolved = resolve(folder, media.getFileName().toString(), text, kind);
        return text == null ? resolved : new Resolved(resolved.spec(), resolved.source(), sidecar);
    }

    /**
     * The spec of file {@code fileName} dropped into {@code folder} (relative to the inbox, {@code ""}: the inbox
     * itself) with sidecar text {@code sidecarText} (null: no sidecar). Precedence: sidecar over folder over defaults.
     */
    public Resolved resolve(String folder, String fileName, String sidecarText, MediaKind kind) {
        List<String> targets = defaultTargets;
        String source = defaultSource;
        ObjectNode options = defaultOptions.deepCopy();
        ObjectNode extraData = json.createObjectNode();
        String from = "defaults";
        Layer layer = folderLayer(folder == null ? "" : folder, fileName);
        if (layer != null) {
            targets = layer.targets().isEmpty() ? targets : layer.targets();
            source = layer.source() == null ? source : layer.source();
            if (layer.options() != null) {
                merge(options, layer.options());
            }
            if (layer.extraData() != null) {
                merge(extraData, layer.extraData());
            }
            from = profiles.containsKey(folder.toLowerCase(Locale.ROOT)) ? "profile" : "folder";
        }
        if (sidecarText == null) {
            return new Resolved(new JobSpec(targets, source, kind.taskType(), options, extraData), from, null);
        }
        String name = fileName + SIDECAR_SUFFIX;
        JsonNode node = parseSidecar(sidecarText, name);
        List<String> problems = schema.validate(node).stream().map(ValidationMessage::getMessage)
                .collect(Collectors.toCollection(ArrayList::new));
        if (!problems.isEmpty()) {
            throw invalid(name, String.join("; ", problems));
        }
        List<String> sidecarTargets = new ArrayList<>();
        node.path("targetLanguages").forEach(t -> sidecarTargets.add(t.asText()));
        JobSpec spec = new JobSpec(
                sidecarTargets.isEmpty() ? targets : List.copyOf(sidecarTargets),
                node.path("sourceLanguage").asText(source),
                node.path("taskType").asText(kind.taskType()),
                merge(options, node.path("options")),
                merge(extraData, node.path("extraData")));
        problems.addAll(check(spec.targetLanguages(), spec.sourceLanguage()));
        if ("vt".equals(spec.taskType()) && kind == MediaKind.AUDIO) {
            problems.add("taskType vt (video translation) needs a video file, this is an audio file: use at");
        }
        if (!problems.isEmpty()) {
            throw invalid(name, String.join("; ", problems));
        }
        return new Resolved(spec, from.equals("defaults") ? "sidecar" : "sidecar+" + from, null);
    }

    /** A profile's layer, or the target languages a folder names; null for the inbox itself. */
    private Layer folderLayer(String folder, String fileName) {
        if (folder.isEmpty()) {
            return null;
        }
        Layer profile = profiles.get(folder.toLowerCase(Locale.ROOT));
        if (profile != null) {
            return profile;
        }
        List<String> targets = List.of(folder.split("\\+", -1));
        List<String> unknown = targets.stream().filter(t -> !Languages.documented().isTarget(t)).toList();
        if (unknown.isEmpty() && !folder.contains("/")) {
            return new Layer(targets, null, null, null);
        }
        String profilesText = profiles.isEmpty() ? "none is configured" : "configured: " + String.join(", ",
                profiles.keySet());
        throw new RejectedFileException(Reason.INVALID_SPEC, "folder '" + folder + "' of " + fileName + " is neither a "
                + "profile (" + profilesText + ") nor target languages joined by '+' ("
                + unknown.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))
                + (unknown.size() == 1 ? " is not a VMEG target language" : " are not VMEG target languages")
                + ", e.g. de-DE+fr-FR)",
                "Move the file (and its sidecar) into a folder named after a profile or after target languages joined "
                        + "by '+' (e.g. inbox/de-DE+fr-FR/), or into the inbox itself (the README, section Job spec, "
                        + "lists the languages). Nothing was uploaded or charged.");
    }

    private static String readText(Path sidecar) {
        try {
            return Files.readString(sidecar);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sidecar + ": " + e.getMessage(), e);
        }
    }

    private JsonNode parseSidecar(String text, String name) {
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject()) {
                throw invalid(name, "expected a JSON object like {\"targetLanguages\": [\"de-DE\"]}");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw invalid(name, "not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
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
