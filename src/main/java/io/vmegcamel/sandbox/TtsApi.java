package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Text to speech, sync and async (§6.1). Clips are silent audio of the estimated (or requested) length. */
final class TtsApi {

    private final Sandbox s;

    TtsApi(Sandbox s) {
        this.s = s;
    }

    void register(ApiRoutes routes) {
        routes.post("task/tts/create", true, call -> create(call, false))
                .post("task/tts/create-async", true, call -> create(call, true));
    }

    private record Line(String text, double seconds) {
    }

    private Future<JsonNode> create(ApiCall call, boolean async) {
        Fields b = ProductTasks.body(call, async, "task/tts/create-async",
                "data", "provider", "language", "trim", "outputFormat");
        List<Line> lines = new ArrayList<>();
        boolean system = false, cloned = false;
        long chars = 0;
        for (Fields item : b.objects("data", true, 1, 50)) {
            item.only("text", "voiceId", "timbreRefAudio", "emoWeight", "emoRefAudio", "emoPrompt", "duration");
            String text = item.text("text", true);
            String voiceId = item.text("voiceId", false);
            String timbre = item.httpsUrl("timbreRefAudio", false);
            // STRICT: the docs call timbreRefAudio an "alternative" to voiceId, so exactly one of them
            if ((voiceId == null) == (timbre == null)) {
                throw ApiException.badRequest("exactly one of '" + item.path("voiceId") + "' or '"
                        + item.path("timbreRefAudio") + "' is required");
            }
            if (voiceId != null) {
                if (voiceId.startsWith("cv_")) {
                    if (s.voices.clone(voiceId) == null) {
                        throw ApiException.notFound("voice " + voiceId + " not found (" + item.path("voiceId") + ")");
                    }
                    cloned = true;
                } else if (voiceId.startsWith("sv_")) {
                    system = true; // any sv_ id is accepted: the sandbox lists only a few presets
                } else {
                    throw ApiException.badRequest("field '" + item.path("voiceId") + "' must be a preset voice id"
                            + " (sv_...) or a cloned voice id (cv_...) (got \"" + voiceId + "\")");
                }
            }
            item.number("emoWeight", false, 0, 1);
            item.httpsUrl("emoRefAudio", false);
            item.string("emoPrompt", false);
            Double duration = item.number("duration", false, 0.1, 3600);
            chars += text.length();
            lines.add(new Line(text, duration != null ? duration
                    : Math.max(0.5, Math.round(text.length() * 0.7) / 10.0)));
        }
        if (system && cloned) {
            throw ApiException.badRequest("do not mix system (sv_) and cloned (cv_) voices in one request;"
                    + " split it into separate calls");
        }
        b.enumeration("provider", false, MediaTranslationApi.PROVIDERS);
        Fields lang = b.object("language", false);
        String target = null;
        if (lang != null) {
            target = lang.only("target").text("target", false);
            if (target != null) {
                s.languages.requireTarget(target, "language.target");
            }
        }
        b.bool("trim", false);
        String format = b.enumeration("outputFormat", false, List.of("wav", "mp3", "m4a"));
        String ext = format == null ? "m4a" : format;
        ObjectNode extraData = async ? b.freeObject("extraData") : null;
        long cost = 2 * Math.max(1, (chars + 199) / 200);
        s.credits.charge(cost);
        return ProductTasks.submit(s, new Task("tts", "openapi-tts", async, extraData, cost,
                new Job(s, lines, ext, target)));
    }

    /** Writes one silent clip per line. */
    static final class Job implements Task.Work {

        static final String KIND = "tts";

        private final Sandbox s;
        private final List<Line> lines;
        private final String ext;
        private final String target; // nullable

        Job(Sandbox s, List<Line> lines, String ext, String target) {
            this.s = s;
            this.lines = List.copyOf(lines);
            this.ext = ext;
            this.target = target;
        }

        @Override
        public String failureReason(FaultRules rules) {
            return rules.match(target, null);
        }

        @Override
        public JsonNode produce(Task t) throws Exception {
            Path dir = s.store.deliverableDir(t.taskId);
            Files.createDirectories(dir);
            ObjectNode payload = ProductTasks.payload(t);
            ArrayNode results = payload.putArray("results");
            for (int i = 0; i < lines.size(); i++) {
                Path file = dir.resolve("line-" + (i + 1) + "." + ext);
                Files.write(file, SilentMedia.audio(ext, lines.get(i).seconds()));
                results.addObject().put("uri", CdnRefs.ref(s.store.relative(file)))
                        .put("duration", lines.get(i).seconds());
            }
            return ProductTasks.finish(payload, t);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = Json.object().put("kind", KIND).put("ext", ext).put("target", target);
            ArrayNode a = o.putArray("lines");
            lines.forEach(l -> a.addObject().put("text", l.text()).put("seconds", l.seconds()));
            return o;
        }

        static Job fromJson(Sandbox s, JsonNode o) {
            List<Line> lines = new ArrayList<>();
            for (JsonNode l : StateFields.array(o, "lines")) {
                lines.add(new Line(StateFields.text(l, "text"), StateFields.number(l, "seconds")));
            }
            return new Job(s, lines, StateFields.text(o, "ext"), StateFields.optText(o, "target"));
        }
    }
}
