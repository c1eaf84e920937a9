package io.vmegcamel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The {@code vmeg.sandbox.*} fault-mode settings: defaults, overrides and bad values. */
class SandboxSettingsTest {

    private static Settings.SandboxSettings load(String... overrides) throws Exception {
        Properties p = new Properties();
        try (InputStream in = SandboxSettingsTest.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        for (int i = 0; i < overrides.length; i += 2) {
            p.setProperty(overrides[i], overrides[i + 1]);
        }
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(p);
            return Settings.load(context.getPropertiesComponent()).sandboxSettings();
        }
    }

    @Test
    void defaultsBehaveLikeTheDocumentedApi() throws Exception {
        Settings.SandboxSettings s = load();
        assertThat(s.webhooksEnabled()).isTrue();
        assertThat(s.finishedStatusWord()).isEqualTo("finished");
        assertThat(s.webhookOmit()).isEmpty();
    }

    @Test
    void overridesAreRead() throws Exception {
        Settings.SandboxSettings s = load("vmeg.sandbox.webhooks-enabled", "false",
                "vmeg.sandbox.finished-status-word", "complete", "vmeg.sandbox.webhook-omit", " pipelineKey , event ,");
        assertThat(s.webhooksEnabled()).isFalse();
        assertThat(s.finishedStatusWord()).isEqualTo("complete");
        assertThat(s.webhookOmit()).containsExactly("pipelineKey", "event");
    }

    @Test
    void badValuesNameTheSettingAndItsVariable() {
        assertThatThrownBy(() -> load("vmeg.sandbox.webhooks-enabled", "sometimes")).hasMessageContaining(
                "vmeg.sandbox.webhooks-enabled (VMEG_SANDBOX_WEBHOOKS_ENABLED) = 'sometimes' is invalid");
        assertThatThrownBy(() -> load("vmeg.sandbox.finished-status-word", "failed")).hasMessageContaining(
                "vmeg.sandbox.finished-status-word (VMEG_SANDBOX_FINISHED_STATUS_WORD) = 'failed' is invalid");
        assertThatThrownBy(() -> load("vmeg.sandbox.webhook-omit", "pipelineKey,data")).hasMessageContaining(
                "vmeg.sandbox.webhook-omit (VMEG_SANDBOX_WEBHOOK_OMIT) = 'pipelineKey,data' is invalid: webhookOmit"
                        + " may name only [pipelineKey, event], got 'data'");
    }
}
