package io.vmegcamel.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IntakeTest {

    @Test
    void outputFolderNamesAreSafe() {
        assertThat(Intake.outputBase("Demo Reel 2026.mp4")).isEqualTo("Demo Reel 2026");
        assertThat(Intake.outputBase("a/b\\c:d*e?.mov")).isEqualTo("a_b_c_d_e_");
        assertThat(Intake.outputBase("...mp4")).isEqualTo("file");
        assertThat(Intake.outputBase("..secret.mp4")).isEqualTo("secret");
        assertThat(Intake.outputBase("Über ça.m4a")).isEqualTo("Über ça");
    }
}
