package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

/** Text translation, sync and async (§6.2). The "translation" is the source text tagged with the target locale. */
final class TranslateApi {

    private final Sandbox s;

    TranslateApi(Sandbox s) {
        this.s = s;
    }

    void register(ApiRoutes routes) {
        routes.post("task/translate/create", true, call -> create(call, false))
                .post("task/translate/create-async", true, call -> create(call, true));
    }

    private Future<JsonNode> create(ApiCall call, boolean async) {
        Fields b = ProductTasks.body(call, async, "task/translate/create-async", "language", "segments", "options");
        Fields lang = b.object("language", true).only("source", "target");
        String source = lang.text("source", true);
        s.languages.requireSource(source, "language.source", false);
        String target = lang.text("target", true);
        s.languages.requireTarget(target, "language.target");
        List<String> texts = new ArrayList<>();
        double timedSeconds = 0;
        for (Fields seg : b.objects("segments", true, 1, 50)) {
            seg.only("text", "gender", "speaker", "locale", "context", "start", "end");
            texts.add(seg.text("text", true));
            seg.enumeration("gender", false, List.of("male", "female"));
            seg.string("speaker", false);
            String locale = seg.text("locale", false);
            if (locale != null) {
                s.languages.requireSource(locale, seg.path("locale"), false);
            }
            seg.strings("context", false, 0, 100);
            Double start = seg.number("start", false, 0, Double.MAX_VALUE);
            Double end = seg.number("end", false, 0, Double.MAX_VALUE);
            if ((start == null) != (end == null)) {
                throw ApiException.badRequest("fields '" + seg.path("start") + "' and '" + seg.path("end")
                        + "' must be sent together");
            }
            if (start != null) {
                if (end < start) {
                    throw ApiException.badRequest("field '" + seg.path("end") + "' must be >= '" + seg.path("start")
                            + "' (got start " + start + ", end " + end + ")");
                }
                timedSeconds += end - start;
            }
        }
        readOptions(b.object("options", false));
        ObjectNode extraData = async ? b.freeObject("extraData") : null;
        long cost = Math.max(1, (long) Math.ceil(timedSeconds / 60)); // 1 credit per billed minute, < 1 min = 1
        s.credits.charge(cost);
        return ProductTasks.submit(s, new Task("textTranslation", "openapi-translate", async, extraData, cost,
                new Job(texts, target)));
    }

    /** The "translation": each text tagged with the target locale. */
    static final class Job implements Task.Work {

        static final String KIND = "translate";

        private final List<String> texts;
        private final String target;

        Job(List<String> texts, String target) {
            this.texts = List.copyOf(texts);
            this.target = target;
        }

        @Override
        public String failureReason(FaultRules rules) {
            return rules.match(target, null);
        }

        @Override
        public JsonNode produce(Task t) {
            ObjectNode payload = ProductTasks.payload(t);
            ArrayNode items = payload.putArray("items");
            texts.forEach(text -> items.addObject().put("text", "[" + target + "] " + text));
            return ProductTasks.finish(payload, t);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = Json.object().put("kind", KIND).put("target", target);
            ArrayNode a = o.putArray("texts");
            texts.forEach(a::add);
            return o;
        }

        static Job fromJson(JsonNode o) {
            List<String> texts = new ArrayList<>();
            for (JsonNode t : StateFields.array(o, "texts")) {
                texts.add(StateFields.asText(t, "texts[]"));
            }
            return new Job(texts, StateFields.text(o, "target"));
        }
    }

    private static void readOptions(Fields o) {
        if (o == null) {
            return;
        }
        o.only("sourceContext", "sceneCustomized", "glossary", "prompt", "skipMissingTranslationCheck");
        Fields ctx = o.object("sourceContext", false);
        if (ctx != null) {
            ctx.only("mode", "contextWindow");
            ctx.enumeration("mode", false, List.of("independent", "provided_only", "neighbor"));
            ctx.integer("contextWindow", false, 1, 20);
        }
        Fields scene = o.object("sceneCustomized", false);
        if (scene != null) {
            scene.only("scene", "allowStutter");
            scene.enumeration("scene", false, List.of("video", "audio", "subtitle", "voiceover"));
            scene.bool("allowStutter", false);
        }
        o.stringMap("glossary");
        o.string("prompt", false);
        o.bool("skipMissingTranslationCheck", false);
    }
}
