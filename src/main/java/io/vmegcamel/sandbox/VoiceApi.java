package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Voice clone creation (§6.3) and the voice asset endpoints (§8.2). */
final class VoiceApi {

    private final Sandbox s;

    VoiceApi(Sandbox s) {
        this.s = s;
        try {
            Path dir = s.store.root().resolve("deliverables").resolve("_voices");
            Files.createDirectories(dir);
            Files.write(dir.resolve("cover.png"), SilentMedia.png());
            for (String id : s.voices.presetIds()) {
                Files.write(dir.resolve(id + ".wav"), SilentMedia.wav(1.0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void register(ApiRoutes routes) {
        routes.post("task/clone-voice/create", true, call -> create(call, false))
                .post("task/clone-voice/create-async", true, call -> create(call, true))
                .post("assets/voice/basic/list", false, this::basicList)
                .post("assets/voice/clone/list", false, this::cloneList)
                .post("assets/voice/clone/update", true, this::update)
                .post("assets/voice/clone/delete", true, this::delete);
    }

    private Future<JsonNode> create(ApiCall call, boolean async) {
        Fields b = ProductTasks.body(call, async, "task/clone-voice/create-async",
                "voiceName", "provider", "refAudio", "sampleLanguage", "sampleText");
        // STRICT: the spec marks nothing required, the guide says to send all four in practice -> required here
        String name = b.text("voiceName", true);
        if (name.length() > 100) {
            throw ApiException.badRequest("field 'voiceName' must be at most 100 characters");
        }
        String provider = b.enumeration("provider", true, MediaTranslationApi.PROVIDERS);
        String refAudio = b.httpsUrl("refAudio", true);
        String language = b.text("sampleLanguage", true);
        s.languages.requireSource(language, "sampleLanguage", false); // the language spoken in the sample
        String sampleText = b.string("sampleText", false);
        ObjectNode extraData = async ? b.freeObject("extraData") : null;
        long cost = 10;
        s.credits.charge(cost);
        return ProductTasks.submit(s, new Task("cloneVoice", "openapi-clone-voice", async, extraData, cost,
                new CloneJob(s, name, provider, language, sampleText == null ? "" : sampleText, refAudio)));
    }

    /** Adds the cloned voice when the task ends. */
    static final class CloneJob implements Task.Work {

        static final String KIND = "cloneVoice";

        private final Sandbox s;
        private final String name;
        private final String provider;
        private final String language;
        private final String sampleText;
        private final String refAudio;

        CloneJob(Sandbox s, String name, String provider, String language, String sampleText, String refAudio) {
            this.s = s;
            this.name = name;
            this.provider = provider;
            this.language = language;
            this.sampleText = sampleText;
            this.refAudio = refAudio;
        }

        @Override
        public String failureReason(FaultRules rules) {
            return rules.match(language, ProductTasks.fileNameOf(refAudio));
        }

        @Override
        public JsonNode produce(Task t) {
            VoiceStore.Clone c = s.voices.addClone(name, provider, language, sampleText, refAudio, t.taskId);
            return ProductTasks.finish(ProductTasks.payload(t).put("voiceId", c.voiceId), t);
        }

        @Override
        public ObjectNode toJson() {
            return Json.object().put("kind", KIND).put("name", name).put("provider", provider)
                    .put("language", language).put("sampleText", sampleText).put("refAudio", refAudio);
        }

        static CloneJob fromJson(Sandbox s, JsonNode o) {
            return new CloneJob(s, StateFields.text(o, "name"), StateFields.text(o, "provider"),
                    StateFields.text(o, "language"), StateFields.text(o, "sampleText"),
                    StateFields.text(o, "refAudio"));
        }
    }

    private Future<JsonNode> basicList(ApiCall call) {
        Fields b = call.queryOnly().optionalBody().only("voiceId", "searchName", "locale", "age", "gender", "quality",
                "category", "emotionPrompt", "topIds", "currentPage", "pageSize", "orderBy", "order");
        String voiceId = b.string("voiceId", false);
        String search = b.string("searchName", false);
        String locale = b.string("locale", false);
        b.enumeration("age", false, List.of("young", "adult", "senior"));
        String gender = b.string("gender", false);
        b.enumeration("quality", false, List.of("any", "high"));
        b.string("category", false);
        b.enumeration("emotionPrompt", false, List.of("exclude", "include"));
        List<String> top = b.strings("topIds", false, 0, 100);
        Long page = b.integer("currentPage", false, 1, Integer.MAX_VALUE);
        Long size = b.integer("pageSize", false, 1, Paging.MAX_PAGE_SIZE);
        String orderBy = b.enumeration("orderBy", false,
                List.of("voiceId", "score", "create_time", "update_time", "is_preferred"));
        boolean asc = "asc".equals(b.enumeration("order", false, List.of("asc", "desc")));
        List<ObjectNode> voices = new ArrayList<>();
        for (ObjectNode v : s.voices.presets()) {
            if ((voiceId == null || voiceId.equals(v.get("voiceId").asText()))
                    && (locale == null || locale.equals(v.get("locale").asText()))
                    && (gender == null || gender.equalsIgnoreCase(v.get("gender").asText()))
                    && (search == null || v.get("displayName").asText().toLowerCase(Locale.ROOT)
                    .contains(search.toLowerCase(Locale.ROOT)))) {
                voices.add(v);
            }
        }
        if (orderBy != null) {
            String field = switch (orderBy) {
                case "create_time" -> "createTime";
                case "update_time" -> "updateTime";
                case "is_preferred" -> "isPreferred";
                default -> orderBy;
            };
            Comparator<ObjectNode> c = Comparator.comparing(v -> v.get(field).asText());
            if (field.equals("score") || field.equals("isPreferred")) {
                c = Comparator.comparingDouble(v -> v.get(field).asDouble());
            }
            voices.sort(asc ? c : c.reversed());
        }
        if (top != null) {
            voices.sort(Comparator.comparingInt(v -> top.contains(v.get("voiceId").asText()) ? 0 : 1));
        }
        return Future.succeededFuture(Paging.page(voices, page == null ? 1 : page.intValue(),
                size == null ? 10 : size.intValue(),
                v -> CdnRefs.render(v, s.signer, s.config.deliverableTtl())));
    }

    private Future<JsonNode> cloneList(ApiCall call) {
        Fields b = call.queryOnly().optionalBody().only("voiceId", "voiceIds", "searchName", "currentPage",
                "pageSize", "orderBy", "order");
        String voiceId = b.string("voiceId", false);
        List<String> ids = b.strings("voiceIds", false, 0, 100);
        String search = b.string("searchName", false);
        Long page = b.integer("currentPage", false, 1, Integer.MAX_VALUE);
        Long size = b.integer("pageSize", false, 1, Paging.MAX_PAGE_SIZE);
        String orderBy = b.enumeration("orderBy", false, List.of("voiceId", "name", "create_time", "update_time"));
        boolean asc = "asc".equals(b.enumeration("order", false, List.of("asc", "desc")));
        List<VoiceStore.Clone> out = new ArrayList<>();
        for (VoiceStore.Clone c : s.voices.clones()) {
            if ((voiceId == null || voiceId.equals(c.voiceId)) && (ids == null || ids.contains(c.voiceId))
                    && (search == null || c.name.toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT)))) {
                out.add(c);
            }
        }
        if (orderBy != null || asc) {
            Comparator<VoiceStore.Clone> cmp = switch (orderBy == null ? "create_time" : orderBy) {
                case "voiceId" -> Comparator.comparing(c -> c.voiceId);
                case "name" -> Comparator.comparing(c -> c.name);
                case "update_time" -> Comparator.comparing((VoiceStore.Clone c) -> c.updateTime);
                default -> Comparator.comparing((VoiceStore.Clone c) -> c.createTime);
            };
            out.sort(asc ? cmp : cmp.reversed());
        }
        return Future.succeededFuture(Paging.page(out, page == null ? 1 : page.intValue(),
                size == null ? 10 : size.intValue(), VoiceStore.Clone::toJson));
    }

    private Future<JsonNode> update(ApiCall call) {
        Fields b = call.queryOnly().body().only("voiceId", "voiceName");
        VoiceStore.Clone c = existing(b.text("voiceId", true));
        String name = b.text("voiceName", true);
        s.voices.rename(c, name);
        return Future.succeededFuture(null);
    }

    private Future<JsonNode> delete(ApiCall call) {
        Fields b = call.queryOnly().body().only("voiceId");
        s.voices.delete(existing(b.text("voiceId", true)));
        return Future.succeededFuture(null);
    }

    private VoiceStore.Clone existing(String voiceId) {
        VoiceStore.Clone c = s.voices.clone(voiceId);
        if (c == null) {
            throw ApiException.notFound("cloned voice " + voiceId + " not found");
        }
        return c;
    }
}
