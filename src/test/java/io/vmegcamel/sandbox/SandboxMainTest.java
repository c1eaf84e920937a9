package io.vmegcamel.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The standalone sandbox takes its settings from the environment, under the bundle's variable names. */
class SandboxMainTest {

    @Test
    void unsetVariablesLeaveTheDefaultsOnPort8089() {
        SandboxConfig c = SandboxMain.config(name -> null);
        assertThat(c.port()).isEqualTo(8089);
        assertThat(c.minPartSize()).isEqualTo(SandboxConfig.defaults().minPartSize());
        assertThat(MultipartApi.partSize(c)).isEqualTo(8L << 20);
    }

    @Test
    void eachVariableSetsItsSetting() {
        SandboxConfig c = SandboxMain.config(Map.of("VMEG_SANDBOX_PORT", "9001", "VMEG_API_KEY", "k",
                "VMEG_SANDBOX_TASK_DURATION", "500ms", "VMEG_SANDBOX_WEBHOOK_OMIT", "pipelineKey, ",
                "VMEG_SANDBOX_MIN_PART_SIZE", String.valueOf(64L << 20))::get);
        assertThat(c.port()).isEqualTo(9001);
        assertThat(c.apiKey()).isEqualTo("k");
        assertThat(c.taskDuration()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.webhookOmit()).isEqualTo(List.of("pipelineKey"));
        assertThat(c.minPartSize()).isEqualTo(64L << 20);
        assertThat(MultipartApi.partSize(c)).as("the part size the sandbox recommends").isEqualTo(64L << 20);
    }
}
