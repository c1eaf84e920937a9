package io.vmegcamel.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.ingest.RejectedFileException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobSpecsTest {

    private final ObjectMapper json = new ObjectMapper();
    private final JobSpecs specs = new JobSpecs(json, List.of("de-DE"), "auto",
            "{\"voiceClone\":{\"style\":\"emotional\",\"mode\":\"role\"}}");

    @TempDir
    Path dir;

    @Test
    void withoutSidecarTheDefaultsApplyAndTheTaskTypeFollowsTheFile() throws Exception {
        Path media = Files.writeString(dir.resolve("talk.m4a"), "x");
        JobSpecs.Resolved r = specs.resolve(media, MediaKind.AUDIO);
        assertThat(r.source()).isEqualTo("defaults");
        assertThat(r.spec().targetLanguages()).containsExactly("de-DE");
        assertThat(r.spec().taskType()).isEqualTo("at");
        assertThat(r.spec().options().toString()).isEqualTo("{\"voiceClone\":{\"style\":\"emotional\",\"mode\":\"role\"}}");
    }

    @Test
    void theSidecarOverridesAndItsOptionsMergeIntoTheDefaults() throws Exception {
        Path media = Files.writeString(dir.resolve("demo.mp4"), "x");
        Files.writeString(dir.resolve("demo.mp4.vmeg.json"), """
                {"targetLanguages": ["fr-FR", "ja-JP"], "sourceLanguage": "en-US",
                 "options": {"voiceClone": {"provider": "V5"}, "lipsync": {"enable": true}},
                 "extraData": {"orderId": "ORD-7"}}""");
        JobSpecs.Resolved r = specs.resolve(media, MediaKind.VIDEO);
        assertThat(r.source()).isEqualTo("sidecar");
        assertThat(r.spec().targetLanguages()).containsExactly("fr-FR", "ja-JP");
        assertThat(r.spec().sourceLanguage()).isEqualTo("en-US");
        assertThat(r.spec().taskType()).isEqualTo("vt");
        assertThat(r.spec().options().toString()).isEqualTo(
                "{\"voiceClone\":{\"style\":\"emotional\",\"mode\":\"role\",\"provider\":\"V5\"},\"lipsync\":{\"enable\":true}}");
        assertThat(r.spec().extraData().toString()).isEqualTo("{\"orderId\":\"ORD-7\"}");
    }

    @Test
    void mistakesAreReportedWithTheFileAndTheField() throws Exception {
        Path media = Files.writeString(dir.resolve("demo.mp4"), "x");
        Path sidecar = dir.resolve("demo.mp4.vmeg.json");

        Files.writeString(sidecar, "{\"targetLanguage\": \"fr-FR\"}");
        assertRejected(media, "demo.mp4.vmeg.json", "targetLanguage");

        Files.writeString(sidecar, "{\"targetLanguages\": [\"fr-XX\"]}");
        assertRejected(media, "'fr-XX' is not a VMEG target language");

        Files.writeString(sidecar, "{\"targetLanguages\": [\"ur-PK\"]}"); // documented as source-only
        assertRejected(media, "'ur-PK' is not a VMEG target language");

        Files.writeString(sidecar, "{\"options\": {\"voiceClone\": {\"style\": \"loud\"}}}");
        assertRejected(media, "style");

        Files.writeString(sidecar, "{\"targetLanguages\": [\"fr-FR\"],\n \"sourceLanguage\": }");
        assertRejected(media, "not valid JSON", "line 2");

        Files.writeString(sidecar, "{\"extraData\": {\"vmegCamel\": {}}}");
        assertRejected(media, "extraData");
    }

    @Test
    void videoTranslationOfAnAudioFileIsRefusedLocally() throws Exception {
        Path media = Files.writeString(dir.resolve("talk.mp3"), "x");
        Files.writeString(dir.resolve("talk.mp3.vmeg.json"), "{\"taskType\": \"vt\"}");
        assertThatThrownBy(() -> specs.resolve(media, MediaKind.AUDIO)).hasMessageContaining("needs a video file");
    }

    @Test
    void badDefaultsStopTheStartWithTheVariableName() {
        assertThatThrownBy(() -> new JobSpecs(json, List.of("xx"), "auto", "{}"))
                .hasMessageContaining("VMEG_TARGET_LANGUAGES").hasMessageContaining("'xx'");
        assertThatThrownBy(() -> new JobSpecs(json, List.of("de-DE"), "auto", "{\"lipsync\": true}"))
                .hasMessageContaining("VMEG_OPTIONS");
    }

    @Test
    void theTaskSpecHashIgnoresKeyOrderTargetsAndExtraData() throws Exception {
        JobSpec a = new JobSpec(List.of("de-DE"), "auto", "vt",
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree("{\"a\":{\"x\":1,\"y\":2},\"b\":true}"),
                json.createObjectNode());
        JobSpec b = new JobSpec(List.of("de-DE", "fr-FR"), "auto", "vt",
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree("{\"b\":true,\"a\":{\"y\":2,\"x\":1}}"),
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree("{\"orderId\":\"1\"}"));
        JobSpec c = new JobSpec(List.of("de-DE"), "en-US", "vt", a.options(), json.createObjectNode());
        assertThat(a.taskSpecHash(json)).isEqualTo(b.taskSpecHash(json)).hasSize(64).isNotEqualTo(c.taskSpecHash(json));
    }

    private void assertRejected(Path media, String... fragments) {
        assertThatThrownBy(() -> specs.resolve(media, MediaKind.VIDEO))
                .isInstanceOfSatisfying(RejectedFileException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_SPEC);
                    assertThat(e.whatToDo()).contains("Nothing was uploaded or charged");
                    for (String f : fragments) {
                        assertThat(e.getMessage()).contains(f);
                    }
                });
    }
}
