package io.vmegcamel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Settings load(String... overrides) throws Exception {
        Properties p = new Properties();
        try (InputStream in = SettingsTest.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        for (int i = 0; i < overrides.length; i += 2) {
            p.setProperty(overrides[i], overrides[i + 1]);
        }
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(p);
            return Settings.load(context.getPropertiesComponent());
        }
    }

    @Test
    void theEmbeddedDefaultNeedsNoAccount() throws Exception {
        Settings s = load();
        assertThat(s.sandbox()).isTrue();
        assertThat(s.baseUrl()).isNull(); // the sandbox's own URL, known once it runs
        assertThat(s.apiKey()).isEqualTo(Settings.SANDBOX_API_KEY);
        assertThat(s.webhookSecrets()).containsExactly(Settings.SANDBOX_WEBHOOK_SECRET);
        assertThat(s.webhookUrl()).isEqualTo("http://localhost:8080/webhooks/vmeg");
        assertThat(s.inboxDir().isAbsolute()).isTrue();
        assertThat(s.inboxDir().getFileName().toString()).isEqualTo("inbox");
        assertThat(s.options()).isEqualTo("{\"voiceClone\":{\"style\":\"emotional\",\"mode\":\"role\"}}");
        assertThat(s.targetLanguages()).containsExactly("de-DE");
    }

    @Test
    void withTheSandboxOffTheRealApiAndCredentialsAreRequired() throws Exception {
        assertThatThrownBy(() -> load("vmeg.sandbox", "false")).hasMessageContaining("VMEG_API_KEY");
        assertThatThrownBy(() -> load("vmeg.sandbox", "false", "vmeg.api-key", "k"))
                .hasMessageContaining("VMEG_WEBHOOK_SECRET");
        Settings s = load("vmeg.sandbox", "false", "vmeg.api-key", "k", "vmeg.webhook.secret", " a , b ,");
        assertThat(s.baseUrl()).isEqualTo("https://api.vmeg.ai");
        assertThat(s.webhookSecrets()).containsExactly("a", "b");
    }

    @Test
    void badValuesNameTheSettingAndItsVariable() {
        assertThatThrownBy(() -> load("vmeg.sandbox.task-duration", "soon"))
                .hasMessageContaining("vmeg.sandbox.task-duration (VMEG_SANDBOX_TASK_DURATION) = 'soon' is invalid");
        assertThatThrownBy(() -> load("vmeg.sandbox", "maybe")).hasMessageContaining("VMEG_SANDBOX");
    }

    @Test
    void toStringShowsEverySettingButTheSecrets() throws Exception {
        Settings s = load("vmeg.sandbox", "false", "vmeg.api-key", "live-KEY-1a2b", "vmeg.webhook.secret",
                "whsec-NEW-3c4d, whsec-OLD-5e6f", "vmeg.ledger.password", "pg-PASS-7a8b",
                "vmeg.ledger.url", "jdbc:postgresql://db:5432/vmeg?user=vmeg&password=url-PASS-9c0d&ssl=true");

        String text = s.toString();

        assertThat(text).doesNotContain("live-KEY-1a2b", "whsec-NEW-3c4d", "whsec-OLD-5e6f", "pg-PASS-7a8b",
                "url-PASS-9c0d");
        assertThat(text).startsWith("Settings[sandbox=false, baseUrl=https://api.vmeg.ai, apiKey=***, "
                        + "webhookSecrets=[***, ***], ")
                .contains(", ledgerUrl=jdbc:postgresql://db:5432/vmeg?user=vmeg&password=***&ssl=true, "
                        + "ledgerUsername=sa, ledgerPassword=***, ledgerPoolSize=8, ")
                .contains("targetLanguages=[de-DE]", "reconcileAfter=PT10M", "inboxDir=" + s.inboxDir())
                .contains("sandboxSettings=" + s.sandboxSettings());
        assertThat(load().toString()).contains("ledgerPassword=, "); // empty stays visibly empty
    }

    @Test
    void sandboxSettingsHoldNoSecretAndPrintEverything() throws Exception {
        Settings.SandboxSettings sb = load("vmeg.api-key", "live-KEY-1a2b", "vmeg.webhook.secret", "whsec-3c4d")
                .sandboxSettings();

        assertThat(sb.toString()).startsWith("SandboxSettings[port=8089, dataDir=")
                .contains("taskDuration=PT3S", "credits=1000000").doesNotContain("live-KEY-1a2b", "whsec-3c4d");
    }
}
