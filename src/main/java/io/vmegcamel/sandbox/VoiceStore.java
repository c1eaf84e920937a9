package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A few fixed preset (system) voices and the voices cloned in this sandbox. */
final class VoiceStore {

    static final class Clone {
        final String voiceId;
        volatile String name;
        final String provider;
        final String exampleLanguage;
        final String content;
        final String audio;
        final String taskId;
        final Instant createTime;
        volatile Instant updateTime;
        volatile boolean deleted;

        Clone(String name, String provider, String exampleLanguage, String content, String audio, String taskId) {
            this(Ids.cloneVoiceId(), name, provider, exampleLanguage, content, audio, taskId, Instant.now(), null,
                    false);
        }

        /** A clone as saved before a restart (see {@link SandboxState}); null updateTime = createTime. */
        Clone(String voiceId, String name, String provider, String exampleLanguage, String content, String audio,
              String taskId, Instant createTime, Instant updateTime, boolean deleted) {
            this.voiceId = voiceId;
            this.name = name;
            this.provider = provider;
            this.exampleLanguage = exampleLanguage;
            this.content = content;
            this.audio = audio;
            this.taskId = taskId;
            this.createTime = createTime;
            this.updateTime = updateTime == null ? createTime : updateTime;
            this.deleted = deleted;
        }

        ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("voiceId", voiceId).put("name", name).put("provider", provider)
                    .put("exampleLanguage", exampleLanguage).put("content", content).put("audio", audio)
                    .put("taskId", taskId).put("createTime", Ids.iso(createTime)).put("updateTime", Ids.iso(updateTime));
            return o;
        }
    }

    /** voiceId, displayName, locale, localeName, provider tier, gender, style, score. */
    private static final String[][] PRESETS = {
            {"sv_en_female_1", "Ava", "en-US", "English (United States)", "S1", "female", "narration", "4.8"},
            {"sv_en_male_1", "Liam", "en-US", "English (United States)", "S1", "male", "conversational", "4.6"},
            {"sv_de_female_1", "Mia", "de-DE", "German (Germany)", "S2", "female", "narration", "4.5"},
            {"sv_de_male_1", "Jonas", "de-DE", "German (Germany)", "S2", "male", "news", "4.4"},
            {"sv_zh_female_1", "Xiaoxiao", "zh-CN", "Chinese (Mandarin, Simplified)", "S3", "female", "cheerful", "4.7"},
            {"sv_es_male_1", "Mateo", "es-ES", "Spanish (Spain)", "S2", "male", "conversational", "4.3"},
            {"sv_fr_female_1", "Chloe", "fr-FR", "French (France)", "S1", "female", "narration", "4.2"},
            {"sv_ja_female_1", "Yui", "ja-JP", "Japanese (Japan)", "S4", "female", "calm", "4.1"},
    };
    private static final Instant PRESET_TIME = Instant.parse("2025-01-01T00:00:00Z");

    private final Map<String, Clone> clones = new LinkedHashMap<>();
    private final Runnable onChange;

    VoiceStore(Runnable onChange) {
        this.onChange = onChange;
    }

    /** Preset voices as BasicVoice objects; cover/audio are CDN references (see {@link CdnRefs}). */
    List<ObjectNode> presets() {
        List<ObjectNode> out = new ArrayList<>();
        for (String[] p : PRESETS) {
            ObjectNode o = Json.object();
            o.put("voiceId", p[0]).put("localName", p[1]).put("displayName", p[1]).put("locale", p[2])
                    .put("localeName", p[3]).put("provider", p[4]).put("gender", p[5]).put("style", p[6])
                    .put("rolePlay", "").put("description", "Sandbox preset voice " + p[1])
                    .put("personalities", "warm,clear");
            o.putArray("personalityList").add("warm").add("clear");
            o.put("scenarios", "video,audiobook");
            o.putArray("scenarioList").add("video").add("audiobook");
            o.put("isHd", 1).put("isPreferred", p[0].endsWith("_1") && p[5].equals("female") ? 1 : 0)
                    .put("score", Double.parseDouble(p[7]))
                    .put("cover", CdnRefs.ref("deliverables/_voices/cover.png"))
                    .put("audio", CdnRefs.ref("deliverables/_voices/" + p[0] + ".wav"))
                    .put("createTime", Ids.iso(PRESET_TIME)).put("updateTime", Ids.iso(PRESET_TIME));
            out.add(o);
        }
        return out;
    }

    List<String> presetIds() {
        List<String> ids = new ArrayList<>();
        for (String[] p : PRESETS) {
            ids.add(p[0]);
        }
        return ids;
    }

    /** A preset for that locale's language and gender, falling back to the first preset. */
    ObjectNode presetFor(String locale, String gender) {
        String lang = locale.split("-")[0];
        List<ObjectNode> all = presets();
        for (ObjectNode o : all) {
            if (o.get("locale").asText().startsWith(lang + "-") && o.get("gender").asText().equals(gender)) {
                return o;
            }
        }
        return all.get(0);
    }

    Clone addClone(String name, String provider, String language, String content, String audio, String taskId) {
        Clone c = new Clone(name, provider, language, content, audio, taskId);
        synchronized (this) {
            clones.put(c.voiceId, c);
        }
        onChange.run();
        return c;
    }

    void rename(Clone c, String name) {
        c.name = name;
        c.updateTime = Instant.now();
        onChange.run();
    }

    void delete(Clone c) {
        c.deleted = true;
        onChange.run();
    }

    /** Every clone, deleted ones included, oldest first. */
    synchronized List<Clone> all() {
        return List.copyOf(clones.values());
    }

    /** Puts back clones saved before a restart (no change is reported). */
    synchronized void restore(List<Clone> saved) {
        saved.forEach(c -> clones.put(c.voiceId, c));
    }

    synchronized Clone clone(String voiceId) {
        Clone c = clones.get(voiceId);
        return c == null || c.deleted ? null : c;
    }

    /** Not deleted clones, newest first. */
    synchronized List<Clone> clones() {
        List<Clone> out = new ArrayList<>();
        for (Clone c : clones.values()) {
            if (!c.deleted) {
                out.add(c);
            }
        }
        Collections.reverse(out);
        return out;
    }
}
