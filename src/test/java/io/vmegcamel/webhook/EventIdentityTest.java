package io.vmegcamel.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventIdentityTest {

    private final ObjectMapper json = new ObjectMapper();

    private EventIdentity of(String body) throws Exception {
        return EventIdentity.of(json.readTree(body), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void whatVmegSendsIsKeptAsIs() throws Exception {
        EventIdentity e = of("{\"event\":\"openapi-tts\",\"pipelineKey\":\"a1b2\",\"data\":{\"taskId\":\"t_1\","
                + "\"taskType\":\"vt\"}}");
        assertThat(e).isEqualTo(new EventIdentity("a1b2", "openapi-tts", "t_1", "", null));
    }

    @Test
    void theTypeIsInferredFromTaskType() throws Exception {
        assertThat(of("{\"data\":{\"taskType\":\"vt\"}}").event()).isEqualTo("openapi-media-translation");
        assertThat(of("{\"data\":{\"taskType\":\"at\"}}").event()).isEqualTo("openapi-media-translation");
        assertThat(of("{\"data\":{\"taskType\":\"tts\"}}").event()).isEqualTo("openapi-tts");
        assertThat(of("{\"data\":{\"taskType\":\"textTranslation\"}}").event()).isEqualTo("openapi-translate");
        assertThat(of("{\"data\":{\"taskType\":\"cloneVoice\"}}").event()).isEqualTo("openapi-clone-voice");
        assertThat(of("{\"event\":\"\",\"data\":{\"taskType\":\"VT\"}}").derivation())
                .isEqualTo("no pipelineKey, deduplicated on the body's SHA-256; "
                        + "no event, inferred openapi-media-translation from data.taskType VT");
        assertThat(of("{\"pipelineKey\":\"k\",\"data\":{\"taskType\":\"VT\"}}").derivation())
                .isEqualTo("no event, inferred openapi-media-translation from data.taskType VT");
        EventIdentity unknown = of("{\"pipelineKey\":\"k\",\"data\":{\"taskType\":\"st\"}}");
        assertThat(unknown.event()).isEqualTo(EventIdentity.UNKNOWN);
        assertThat(unknown.ignoredBecause()).contains("'st' names no known product");
        // no type at all, but the correlation data only this bundle's media-translation tasks carry
        EventIdentity ours = of("{\"extraData\":{\"vmegCamel\":{\"taskRef\":\"r1\"}},\"data\":{\"status\":\"failed\"}}");
        assertThat(ours.event()).isEqualTo("openapi-media-translation");
        assertThat(ours.ignoredBecause()).isNull();
    }

    @Test
    void withoutPipelineKeyTheKeyIsTaskIdAndStatusElseTheBodyHash() throws Exception {
        assertThat(of("{\"data\":{\"taskId\":\"t_9\",\"status\":\"Finished\"}}").pipelineKey())
                .isEqualTo("nokey:task:t_9:finished");
        assertThat(of("{\"pipelineKey\":\"  \",\"data\":{\"taskId\":\"t_9\"}}").pipelineKey())
                .isEqualTo("nokey:task:t_9:");
        assertThat(of("{\"data\":{}}").pipelineKey())
                .isEqualTo("nokey:body:7fb9d166d1a15bce0b9f085f3818946fd9297e4513a4a034a0ceb749292b4c0d");
        String longId = "t".repeat(200);
        assertThat(of("{\"data\":{\"taskId\":\"" + longId + "\",\"status\":\"finished\"}}").pipelineKey())
                .startsWith("nokey:body:").hasSize(11 + 64);
    }

    @Test
    void aRealKeyNeverMeetsADerivedOne() {
        assertThat(EventIdentity.storedKey("a1b2c3")).isEqualTo("a1b2c3");
        assertThat(EventIdentity.storedKey("nokey:task:t_1:finished")).isEqualTo("vmeg:nokey:task:t_1:finished");
        assertThat(EventIdentity.storedKey("poll:t_1:finished")).isEqualTo("vmeg:poll:t_1:finished");
        assertThat(EventIdentity.storedKey("vmeg:x")).isEqualTo("vmeg:vmeg:x");
        assertThat(EventIdentity.storedKey("sha256:x")).isEqualTo("sha256:x");
        assertThat(EventIdentity.storedKey("k".repeat(129))).startsWith("vmeg:sha256:").hasSize(12 + 64);
        assertThat(EventIdentity.storedKey("k".repeat(128))).isEqualTo("k".repeat(128));
    }

    @Test
    void whatDoesNotFitItsColumnIsKeptInTheBodyOnly() throws Exception {
        String longType = "openapi-" + "x".repeat(60);
        EventIdentity odd = of("{\"event\":\"" + longType + "\",\"pipelineKey\":\"k\",\"data\":{\"taskId\":\""
                + "t".repeat(129) + "\"}}");

        assertThat(odd.event()).isEqualTo(EventIdentity.UNKNOWN);
        assertThat(odd.ignoredBecause()).isEqualTo("event '" + longType.substring(0, 40)
                + "…' is no known type (over 64 characters)");
        assertThat(odd.vmegTaskId()).isNull();
        assertThat(odd.pipelineKey()).isEqualTo("k");
    }
}
