package io.vmegcamel.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A start that fails ends the process with exit code 1 and says why, instead of leaving a JVM that serves nothing
 * (the sandbox's server and the ledger's pool keep threads alive; Camel's platform-http only logs a taken port).
 */
class StartFailureTest {

    @Test
    void aTakenWebhookPortEndsTheProcessWithTheReason() throws Exception {
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress("0.0.0.0", 0));
            Result r = start(Map.of("VMEG_HTTP_PORT", String.valueOf(other.getLocalPort())));

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.output()).contains("vmeg-camel did not start: java.lang.IllegalStateException: the webhook "
                    + "port (vmeg.http-port, VMEG_HTTP_PORT) 0.0.0.0:" + other.getLocalPort() + " cannot be opened");
        }
    }

    @Test
    void aTakenSandboxPortEndsTheProcessWithTheReason() throws Exception {
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress("127.0.0.1", 0));
            // the sandbox starts beside the ledger: its failure must still end the start
            Result r = start(Map.of("VMEG_SANDBOX_PORT", String.valueOf(other.getLocalPort())));

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.output()).contains("vmeg-camel did not start: java.lang.IllegalStateException: VMEG sandbox "
                    + "cannot listen on 127.0.0.1:" + other.getLocalPort() + ": address already in use");
        }
    }

    @Test
    void anInvalidSettingEndsTheProcessWithTheReason() throws Exception {
        Result r = start(Map.of("VMEG_OPTIONS", "{\"voiceClone\":5}"));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).contains("vmeg-camel did not start: java.lang.IllegalArgumentException: VMEG_OPTIONS "
                + "(vmeg.options) is not a valid options object");
    }

    @Test
    void aDurationThatIsNoDurationEndsTheProcessNamingTheSetting() throws Exception {
        Result r = start(Map.of("VMEG_EVENTS_YIELD_QUIET", "soon"));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).contains("vmeg-camel did not start: java.lang.IllegalArgumentException: Setting "
                + "vmeg.events.yield-quiet (VMEG_EVENTS_YIELD_QUIET)");
    }

    @Test
    void aPartSizeBeyondS3sLargestPartEndsTheProcessWithTheLimit() throws Exception {
        Result r = start(Map.of("VMEG_UPLOAD_MIN_PART_SIZE", "6442450944"));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).contains("vmeg-camel did not start: java.lang.IllegalArgumentException: Setting "
                + "vmeg.upload.min-part-size (VMEG_UPLOAD_MIN_PART_SIZE) must be between 0 and 5368709120 bytes "
                + "(S3's largest part)");
    }

    @Test
    void aLedgerThatCannotBeOpenedEndsTheProcessWithTheReason() throws Exception {
        int nobody = freePort(); // the ledger opens beside the rest of the start-up: its failure must still end it
        Result r = start(Map.of("VMEG_LEDGER_URL", "jdbc:postgresql://127.0.0.1:" + nobody + "/ledger"));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output().lines().filter(l -> l.startsWith("vmeg-camel did not start: ")).findFirst())
                .hasValueSatisfying(l -> assertThat(l).contains("Connection to 127.0.0.1:" + nobody + " refused"));
    }

    @Test
    void aTrustStoreThatCannotBeReadEndsTheProcessWithTheReason() throws Exception {
        Path missing = Path.of("target", "test-envs", "no-such-truststore.p12").toAbsolutePath();
        Path settings = Files.createTempFile(Files.createDirectories(Path.of("target", "test-envs")), "tls",
                ".properties");
        Files.writeString(settings, String.join("\n",
                "camel.ssl.enabled = true",
                "camel.ssl.trust-store = file:" + missing,
                "camel.ssl.trust-store-password = changeit"));
        Result r = start(Map.of(), "-pl", "classpath:application.properties,file:" + settings.toAbsolutePath());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output().lines().filter(l -> l.startsWith("vmeg-camel did not start: ")).findFirst())
                .hasValueSatisfying(l -> assertThat(l).contains("Could not open file:" + missing));
    }

    private record Result(int exitCode, String output) {
    }

    /**
     * The bundle as {@code java -jar} runs it with {@code args}, in a folder of its own, on free ports unless
     * {@code env} says.
     */
    private static Result start(Map<String, String> env, String... args) throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-envs")).toAbsolutePath(),
                "start-failure-");
        Path log = dir.resolve("run.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.vmegcamel.app.Application"));
        command.addAll(List.of(args));
        ProcessBuilder child = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        child.environment().put("VMEG_HTTP_PORT", String.valueOf(freePort()));
        child.environment().put("VMEG_MANAGEMENT_PORT", String.valueOf(freePort()));
        child.environment().put("VMEG_SANDBOX_PORT", "0");
        child.environment().putAll(env);
        Process process = child.start();
        try {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the process ended").isTrue();
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
