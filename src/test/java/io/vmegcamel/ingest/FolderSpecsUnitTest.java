package io.vmegcamel.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.ingest.RejectedFileException.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The storage-independent spec resolution (folder string, file name, sidecar text) and the credit estimate. */
class FolderSpecsUnitTest {

    private final ObjectMapper json = new ObjectMapper();
    private final JobSpecs specs = new JobSpecs(json, List.of("de-DE"), "auto",
            "{\"voiceClone\":{\"style\":\"emotional\",\"mode\":\"role\"}}",
            List.of(new Profile("talks", List.of("fr-FR"), "en-US", "{\"lipsync\":{\"enable\":true}}",
                    "{\"team\":\"a\"}")));

    @Test
    void precedenceIsSidecarOverFolderOverDefaults() {
        JobSpecs.Resolved folder = specs.resolve("es-ES+it-IT", "x.mp4", null, MediaKind.VIDEO);
        assertThat(folder.source()).isEqualTo("folder");
        assertThat(folder.spec().targetLanguages()).containsExactly("es-ES", "it-IT");
        assertThat(folder.spec().sourceLanguage()).isEqualTo("auto");

        JobSpecs.Resolved profile = specs.resolve("Talks", "x.mp4", null, MediaKind.VIDEO); // names ignore case
        assertThat(profile.source()).isEqualTo("profile");
        assertThat(profile.spec().toJson(json).toString()).isEqualTo("{\"targetLanguages\":[\"fr-FR\"],"
                + "\"sourceLanguage\":\"en-US\",\"taskType\":\"vt\",\"options\":{\"voiceClone\":{\"style\":\"emotional\","
                + "\"mode\":\"role\"},\"lipsync\":{\"enable\":true}},\"extraData\":{\"team\":\"a\"}}");

        JobSpecs.Resolved sidecar = specs.resolve("talks", "x.mp4",
                "{\"sourceLanguage\":\"ja-JP\",\"options\":{\"lipsync\":{\"enable\":false}},\"extraData\":{\"id\":1}}",
                MediaKind.VIDEO);
        assertThat(sidecar.source()).isEqualTo("sidecar+profile");
        assertThat(sidecar.spec().toJson(json).toString()).isEqualTo("{\"targetLanguages\":[\"fr-FR\"],"
                + "\"sourceLanguage\":\"ja-JP\",\"taskType\":\"vt\",\"options\":{\"voiceClone\":{\"style\":\"emotional\","
                + "\"mode\":\"role\"},\"lipsync\":{\"enable\":false}},\"extraData\":{\"team\":\"a\",\"id\":1}}");

        assertThat(specs.resolve("", "x.mp4", null, MediaKind.VIDEO).source()).isEqualTo("defaults");
    }

    @Test
    void anUnknownFolderIsAnInvalidSpec() {
        assertThatThrownBy(() -> specs.resolve("de-DE+klingon", "x.mp4", null, MediaKind.VIDEO))
                .isInstanceOfSatisfying(RejectedFileException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_SPEC);
                    assertThat(e.getMessage()).isEqualTo("folder 'de-DE+klingon' of x.mp4 is neither a profile "
                            + "(configured: talks) nor target languages joined by '+' ('klingon' is not a VMEG target "
                            + "language, e.g. de-DE+fr-FR)");
                });
    }

    @Test
    void anInvalidProfileStopsTheStart() {
        assertThatThrownBy(() -> new JobSpecs(json, List.of("de-DE"), "auto", "{}",
                List.of(new Profile("bad", List.of("xx-XX"), null, "{\"lipSync\":true}", null))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Profile bad (vmeg.profiles.bad.*) is invalid")
                .hasMessageContaining("'xx-XX' is not a VMEG target language")
                .hasMessageContaining("lipSync");
    }

    @Test
    void creditsPerStartedMinuteWithTheSafeLipsyncSurcharge() {
        assertThat(CreditEstimate.perLanguage(3_000, false)).isEqualTo(60);
        assertThat(CreditEstimate.perLanguage(60_000, false)).isEqualTo(60);
        assertThat(CreditEstimate.perLanguage(60_001, false)).isEqualTo(120);
        assertThat(CreditEstimate.perLanguage(0, false)).isEqualTo(60);
        assertThat(CreditEstimate.perLanguage(90_000, true)).isEqualTo(240);
        assertThat(Intake.folderOf("de-DE+fr-FR/talk.mp4")).isEqualTo("de-DE+fr-FR");
        assertThat(Intake.folderOf("talk.mp4")).isEmpty();
    }
}
