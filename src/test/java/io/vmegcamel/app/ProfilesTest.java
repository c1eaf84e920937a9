package io.vmegcamel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmegcamel.ingest.Profile;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** How profile keys and environment variables map to profiles. */
class ProfilesTest {

    private static Map<String, Profile> read(Map<String, String> env, String... keyValues) throws Exception {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(p);
            return Profiles.read(context.getPropertiesComponent(), env);
        }
    }

    @Test
    void propertiesAndVariablesMakeProfilesAndVariablesWin() throws Exception {
        Map<String, Profile> profiles = read(Map.of(
                        "VMEG_PROFILES_TALKS_EN_TARGET_LANGUAGES", "fr-FR,ja-JP",
                        "VMEG_PROFILES_TALKS_EN_EXTRA_DATA", "{\"a\":{\"b\":1}}",
                        "VMEG_PROFILES_LECTURES_SOURCE_LANGUAGE", "en-US",
                        "VMEG_OTHER", "x"),
                "vmeg.profiles.lectures.target-languages", "de-DE, es-ES",
                "vmeg.profiles.lectures.source-language", "auto",
                "vmeg.profiles.lectures.options", "{\"lipsync\":{\"enable\":true}}");

        assertThat(profiles.keySet()).containsExactly("lectures", "talks-en");
        assertThat(profiles.get("lectures")).isEqualTo(new Profile("lectures", java.util.List.of("de-DE", "es-ES"),
                "en-US", "{\"lipsync\":{\"enable\":true}}", null));
        assertThat(profiles.get("talks-en")).isEqualTo(new Profile("talks-en", java.util.List.of("fr-FR", "ja-JP"),
                null, null, "{\"a\":{\"b\":1}}"));
    }

    @Test
    void badKeysAndNamesAreRefusedWithTheKey() {
        assertThatThrownBy(() -> read(Map.of(), "vmeg.profiles.lectures.languages", "de-DE"))
                .hasMessageContaining("vmeg.profiles.lectures.languages is not a profile setting");
        assertThatThrownBy(() -> read(Map.of(), "vmeg.profiles.Lectures.target-languages", "de-DE"))
                .hasMessageContaining("lower-case letters, digits and dashes");
    }
}
