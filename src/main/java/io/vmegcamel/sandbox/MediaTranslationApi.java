package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** {@code POST task/media-translation/create-async} (§4.2, §4.3): strict validation, billing, acceptance. */
final class MediaTranslationApi {

    static final List<String> PROVIDERS = List.of("V1", "V2", "V3", "V4", "V5");
    private static final Pattern SPEAKER_NUM = Pattern.compile("[1-9][0-9]?");
    static final long CREDITS_PER_MINUTE = 60;
    static final long LIPSYNC_CREDITS_PER_MINUTE = 60; // API pricing page; the help center says 30

    private final Sandbox s;

    MediaTranslationApi(Sandbox s) {
        this.s = s;
    }

    void register(ApiRoutes routes) {
        routes.post("task/media-translation/create-async", true, this::create);
    }

    private Future<JsonNode> create(ApiCall call) {
        Fields b = call.queryOnly().body().only("taskType", "source", "language", "options", "extraData");
        MediaTranslationJob.Spec spec = new MediaTranslationJob.Spec();
        String taskType = b.enumeration("taskType", true, List.of("vt", "at"));
        String materialId = b.object("source", true).only("materialId").text("materialId", true);
        Fields lang = b.object("language", true).only("source", "target");
        spec.target = lang.text("target", true);
        s.languages.requireTarget(spec.target, "language.target");
        String source = lang.text("source", false);
        if (source != null) {
            s.languages.requireSource(source, "language.source", true);
        }
        spec.source = source == null ? "auto" : source;
        readOptions(b.object("options", true), spec);
        ObjectNode extraData = b.freeObject("extraData");

        Material m = s.materials.active(materialId);
        if (m == null) {
            throw ApiException.notFound("material " + materialId + " not found");
        }
        if (spec.lipsync && !m.isVideo()) {
            throw ApiException.badRequest("options.lipsync.enable: lipsync is for video only (material " + materialId
                    + " is audio)");
        }
        if ("vt".equals(taskType) && !m.isVideo()) {
            throw ApiException.badRequest("taskType vt needs a video material; material " + materialId
                    + " is audio (use taskType at)");
        }
        spec.material = m;
        // at with a video material: the docs say the server may run vt instead; the sandbox always does
        String effective = m.isVideo() ? "vt" : "at";
        long minutes = Math.max(1, (m.durationMs + 59_999) / 60_000);
        long cost = minutes * (CREDITS_PER_MINUTE + (spec.lipsync ? LIPSYNC_CREDITS_PER_MINUTE : 0));
        s.credits.charge(cost);

        Task t = new Task(effective, Task.EVENT_MEDIA, true, extraData, cost, new MediaTranslationJob(s, spec));
        s.runner.startAsync(t);
        ObjectNode data = Json.object();
        data.put("taskId", t.taskId);
        data.put("taskType", effective);
        data.put("status", "running");
        data.put("createdAt", Ids.iso(t.createdAt));
        return Future.succeededFuture(data);
    }

    private void readOptions(Fields o, MediaTranslationJob.Spec spec) {
        o.only("voiceClone", "transcribe", "translate", "separation", "dynamicVideoLength", "lipsync", "text",
                "voiceSpeakers");
        Fields vc = o.object("voiceClone", true).only("style", "mode", "provider");
        spec.style = orDefault(vc.enumeration("style", false, List.of("emotional", "consistent")), "emotional");
        spec.mode = orDefault(vc.enumeration("mode", false, List.of("role", "mix", "sentence")), "role");
        spec.provider = orDefault(vc.enumeration("provider", false, PROVIDERS), "V1");
        Fields transcribe = o.object("transcribe", false);
        if (transcribe != null) {
            transcribe.only("mode", "type");
            transcribe.enumeration("mode", false, List.of("fast", "normal"));
            transcribe.text("type", false);
        }
        Fields translate = o.object("translate", false);
        if (translate != null) {
            translate.only("mode", "prompt");
            translate.enumeration("mode", false, List.of("default", "machine"));
            translate.string("prompt", false);
        }
        Fields separation = o.object("separation", false);
        if (separation != null) {
            separation.only("mode").text("mode", false);
        }
        Fields dynamic = o.object("dynamicVideoLength", false);
        if (dynamic != null) {
            dynamic.only("enable").bool("enable", false);
        }
        Fields lipsync = o.object("lipsync", false);
        if (lipsync != null) {
            spec.lipsync = Boolean.TRUE.equals(lipsync.only("enable").bool("enable", false));
        }
        o.freeObject("text"); // free-form by the docs: only its type is checked
        Fields speakers = o.object("voiceSpeakers", false);
        if (speakers != null) {
            readSpeakers(speakers.only("selectedVoicesList", "speakerNum", "timbreMethod"), spec);
        }
    }

    private void readSpeakers(Fields sp, MediaTranslationJob.Spec spec) {
        List<Fields> voices = sp.objects("selectedVoicesList", false, 1, 50);
        if (voices != null) {
            spec.selectedVoices = new ArrayList<>();
            for (Fields v : voices) {
                v.only("provider", "voiceId");
                // STRICT: the docs say to copy voiceId and provider together, so both are required here
                spec.selectedVoices.add(new String[]{v.text("voiceId", true), v.text("provider", true)});
            }
        }
        String num = sp.string("speakerNum", false);
        if (num != null && !"auto".equals(num) && !SPEAKER_NUM.matcher(num).matches()) {
            throw ApiException.badRequest("field 'options.voiceSpeakers.speakerNum' must be \"auto\" or a number"
                    + " written as a string, e.g. \"2\" (got \"" + num + "\")");
        }
        spec.speakerNum = num == null || "auto".equals(num) ? 0 : Integer.parseInt(num);
        spec.timbreMethod = orDefault(sp.enumeration("timbreMethod", false, List.of("clone", "smart")), "clone");
    }

    private static String orDefault(String v, String dflt) {
        return v == null ? dflt : v;
    }
}
