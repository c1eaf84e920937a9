package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Produces a media-translation result (§4.4). The sandbox cannot dub: the "dubbed" video/audio is a hard link (or
 * copy) of the material bytes, stems and clips are silent WAVs; scripts are ~3 s segments covering the duration.
 */
final class MediaTranslationJob implements Task.Work {

    static final class Spec {
        Material material;
        String source = "auto";
        String target;
        String style = "emotional";
        String mode = "role";
        String provider = "V1";
        boolean lipsync;
        int speakerNum; // 0 = auto
        String timbreMethod = "clone";
        List<String[]> selectedVoices; // {voiceId, provider}
    }

    static final String KIND = "mediaTranslation";
    private static final double SEGMENT_SECONDS = 3.0;
    private static final int MAX_SEGMENTS = 5000;

    private final Sandbox s;
    private final Spec spec;

    MediaTranslationJob(Sandbox s, Spec spec) {
        this.s = s;
        this.spec = spec;
    }

    @Override
    public String failureReason(FaultRules rules) {
        return rules.match(spec.target, spec.material.name);
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = Json.object().put("kind", KIND).put("materialId", spec.material.materialId)
                .put("source", spec.source).put("target", spec.target).put("style", spec.style)
                .put("mode", spec.mode).put("provider", spec.provider).put("lipsync", spec.lipsync)
                .put("speakerNum", spec.speakerNum).put("timbreMethod", spec.timbreMethod);
        if (spec.selectedVoices != null) {
            ArrayNode voices = o.putArray("selectedVoices");
            spec.selectedVoices.forEach(v -> voices.addObject().put("voiceId", v[0]).put("provider", v[1]));
        }
        return o;
    }

    /** Rebuilds the job of a task accepted before a restart; its material may have been deleted since. */
    static MediaTranslationJob fromJson(Sandbox s, JsonNode o, Function<String, Material> materials) {
        Spec spec = new Spec();
        String materialId = StateFields.text(o, "materialId");
        spec.material = materials.apply(materialId);
        if (spec.material == null) {
            throw new IllegalArgumentException("media translation of unknown material " + materialId);
        }
        spec.source = StateFields.text(o, "source");
        spec.target = StateFields.text(o, "target");
        spec.style = StateFields.text(o, "style");
        spec.mode = StateFields.text(o, "mode");
        spec.provider = StateFields.text(o, "provider");
        spec.lipsync = o.path("lipsync").asBoolean(false);
        spec.speakerNum = o.path("speakerNum").asInt(0);
        spec.timbreMethod = StateFields.text(o, "timbreMethod");
        if (o.hasNonNull("selectedVoices")) {
            spec.selectedVoices = new ArrayList<>();
            for (JsonNode v : StateFields.array(o, "selectedVoices")) {
                spec.selectedVoices.add(new String[]{StateFields.text(v, "voiceId"), StateFields.text(v, "provider")});
            }
        }
        return new MediaTranslationJob(s, spec);
    }

    @Override
    public JsonNode produce(Task task) throws Exception {
        Material m = spec.material;
        Path dir = s.store.deliverableDir(task.taskId);
        Files.createDirectories(dir.resolve("tts"));
        double duration = m.durationMs / 1000.0;
        String ext = MediaTypes.extension(m.name);
        Path dubbed = dir.resolve("dubbed." + ext);
        ObjectStore.linkOrCopy(s.store.objectPath(m.key), dubbed);
        Path silence = dir.resolve("silence.wav");
        Files.write(silence, SilentMedia.wav(duration));
        for (String stem : List.of("vocal.wav", "music.wav", "mono.wav", "ref.wav")) {
            ObjectStore.linkOrCopy(silence, dir.resolve(stem));
        }
        Files.write(dir.resolve("sample.wav"), SilentMedia.wav(1.0));

        int count = (int) Math.min(MAX_SEGMENTS, Math.max(1, Math.ceil(duration / SEGMENT_SECONDS)));
        double step = duration / count;
        int speakers = spec.speakerNum > 0 ? spec.speakerNum
                : spec.selectedVoices != null ? Math.min(spec.selectedVoices.size(), count) : (count >= 2 ? 2 : 1);
        List<String[]> voices = voicesFor(speakers);
        String detected = "auto".equals(spec.source) ? "en-US" : spec.source;

        ArrayNode asr = Json.array(), translated = Json.array(), tts = Json.array(), subtitles = Json.array();
        Path clip = null;
        for (int i = 0; i < count; i++) {
            double start = round(i * step), end = round(i == count - 1 ? duration : (i + 1) * step);
            int sp = i % speakers;
            String id = Integer.toString(i + 1);
            String speaker = "S" + (sp + 1);
            String gender = sp % 2 == 0 ? "female" : "male";
            String sourceText = "Sandbox line " + id + " of " + m.name + ".";
            String text = "[" + spec.target + "] " + sourceText;
            ObjectNode a = asr.addObject();
            a.put("id", id).put("speaker", speaker).put("start", start).put("end", end).put("text", sourceText)
                    .put("locale", detected).put("emotion", "neutral").put("name", "Speaker " + (sp + 1))
                    .put("gender", gender).put("age", "adult").put("textWithBracket", sourceText)
                    .put("textWithBreak", sourceText);
            ObjectNode t = translated.addObject();
            t.put("id", id).put("start", start).put("end", end).put("sourceText", sourceText).put("text", text)
                    .put("speaker", speaker).put("locale", spec.target).put("gender", gender)
                    .put("voiceId", voices.get(sp)[0]).put("provider", voices.get(sp)[1])
                    .put("speakerDisplayName", "Speaker " + (sp + 1)).put("emotion", "neutral").put("age", "adult")
                    .put("sourceSyllable", sourceText.split(" ").length).put("targetSyllable", text.split(" ").length)
                    .put("mode", spec.mode);
            if (clip == null || i == count - 1) { // all but the last segment share one length: link one clip
                clip = dir.resolve("tts").resolve("clip-" + i + ".wav");
                Files.write(clip, SilentMedia.wav(end - start));
            }
            Path line = dir.resolve("tts").resolve(id + ".wav");
            ObjectStore.linkOrCopy(clip, line);
            tts.addObject().put("id", id).put("text", text).put("ttsFile", ref(line))
                    .put("provider", voices.get(sp)[1]).put("voiceId", voices.get(sp)[0])
                    .put("duration", Math.round((end - start) * 1000)).put("cloneMode", spec.mode);
            subtitles.addObject().put("id", id).put("start", start).put("end", end).put("text", text);
        }

        ObjectNode result = Json.object();
        ObjectNode build = result.putObject("build");
        if (m.isVideo()) {
            ObjectNode v = build.putObject("video");
            v.put("url", ref(dubbed)).put("duration", round(duration)).put("size", m.filesize);
            v.putObject("resolution").put("width", m.width).put("height", m.height);
            v.put("fps", 30);
        } else {
            build.putObject("audio").put("url", ref(dubbed)).put("duration", round(duration))
                    .put("size", m.filesize).put("fps", 0);
        }
        ObjectNode asrScripts = result.putObject("asrScripts");
        asrScripts.set("asrResults", asr);
        asrScripts.put("monoAudio", ref(dir.resolve("mono.wav")));
        asrScripts.put("speakerNum", speakers);
        asrScripts.putObject("language").put("source", detected).put("target", spec.target);
        asrScripts.put("category", "general").put("industry", "general");
        asrScripts.putArray("keywords").add("sandbox");
        asrScripts.put("ctcEnabled", false);
        result.putObject("audioSeparation").put("vocalUrl", ref(dir.resolve("vocal.wav")))
                .put("musicUrl", ref(dir.resolve("music.wav")));
        result.putObject("translatedScripts").set("result", translated);
        result.putObject("voiceClone").put("provider", spec.provider).put("mode", spec.mode)
                .put("refAudio", ref(dir.resolve("ref.wav")));
        ArrayNode match = result.putArray("voiceMatch");
        for (int sp = 0; sp < speakers; sp++) {
            match.addObject().put("speaker", "S" + (sp + 1)).put("voiceId", voices.get(sp)[0])
                    .put("provider", voices.get(sp)[1]).put("exampleLanguage", detected)
                    .put("content", "Sandbox voice sample for speaker S" + (sp + 1) + ".")
                    .put("audio", ref(dir.resolve("sample.wav")));
        }
        result.putObject("tts").set("result", tts);
        ObjectNode alignment = result.putObject("alignment");
        track(alignment.putArray("audio"), ref(silence), duration);
        ArrayNode videoTracks = alignment.putArray("video");
        if (m.isVideo()) {
            track(videoTracks, ref(dubbed), duration);
        }
        alignment.set("subtitle", subtitles);
        return result;
    }

    /** {voiceId, provider} per speaker: the caller's list, preset voices (smart) or per-speaker clones. */
    private List<String[]> voicesFor(int speakers) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < speakers; i++) {
            if (spec.selectedVoices != null) {
                out.add(spec.selectedVoices.get(i % spec.selectedVoices.size()));
            } else if ("smart".equals(spec.timbreMethod)) {
                ObjectNode preset = s.voices.presetFor(spec.target, i % 2 == 0 ? "female" : "male");
                out.add(new String[]{preset.get("voiceId").asText(), preset.get("provider").asText()});
            } else {
                out.add(new String[]{Ids.cloneVoiceId(), spec.provider});
            }
        }
        return out;
    }

    private static void track(ArrayNode tracks, String file, double duration) {
        ObjectNode t = tracks.addObject();
        t.put("file", file).put("templateId", 0);
        t.putArray("tracksTimes").add(0.0).add(round(duration));
        t.putArray("timeRange").add(0.0).add(round(duration));
        t.put("volumeScale", 1.0);
    }

    private String ref(Path file) {
        return CdnRefs.ref(s.store.relative(file));
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
