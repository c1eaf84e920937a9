package io.vmegcamel.it;

import static io.vmegcamel.it.MultipartUploadTest.md5;
import static io.vmegcamel.it.MultipartUploadTest.partNumber;
import static io.vmegcamel.it.MultipartUploadTest.sandboxPartTag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.ledger.History;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.sandbox.SandboxServer;
import io.vmegcamel.vmeg.VmegPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} in the middle of a multipart upload, then a restart. The first run is the real bundle in a child
 * JVM (sandbox off, pointed at a VMEG sandbox in this JVM, which outlives it and keeps the journal): part 3's PUT
 * gets no answer, parts 1, 2, 4 and 5 are stored and committed, then the child is killed with SIGKILL (no shutdown
 * hook, nothing flushed or closed). The ledger and the inbox stay as it left them. The bundle started again here
 * resumes the same uploadId: it presigns and PUTs part 3 only, and completes with all five parts. The first run cuts
 * VMEG's recommended 8 MiB parts ({@code vmeg.upload.min-part-size=0}, as a bundle from before that setting), the
 * restart has the default 64 MiB floor: the part size committed with the upload is the one it resumes with.
 */
class MultipartKillTest extends BundleTestSupport {

    private static final int MIB = 1024 * 1024;
    private static final byte[] BYTES = MultipartUploadTest.randomBytes(36 * MIB + 4321, 11); // 5 parts of 8 MiB
    private static ExternalVmeg vmeg;
    /** How many requests the sandbox had received when the child was killed. */
    private int journalAtKill;

    @BeforeAll
    static void startVmeg() throws IOException {
        vmeg = ExternalVmeg.start("kill-test-key", "kill-test-secret", c -> c);
    }

    @AfterAll
    static void stopVmeg() {
        vmeg.close();
    }

    @Override
    protected Properties overrides() {
        Properties p = vmeg.bundleSettings();
        p.setProperty("vmeg.upload.multipart-threshold", String.valueOf(MIB));
        p.setProperty("vmeg.upload.part-parallelism", "2");
        return p;
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = super.useOverridePropertiesWithPropertiesComponent();
        // AUTO_SERVER: this JVM reads the child's ledger while the child holds it
        p.setProperty("vmeg.ledger.url", p.getProperty("vmeg.ledger.url") + ";AUTO_SERVER=TRUE");
        try {
            firstRunKilledMidUpload(p);
        } catch (Exception e) {
            throw new IllegalStateException("the first run could not be set up", e);
        }
        return p;
    }

    /** Before this JVM's bundle boots: the child uploads until only part 3 is missing, and is killed. */
    private void firstRunKilledMidUpload(Properties p) throws Exception {
        vmeg.server().injectPartFault(3, SandboxServer.After.stall(), 1);
        Files.createDirectories(env.inbox());
        Path hidden = Files.write(env.inbox().resolve(".big.mp4.part"), BYTES);
        Files.move(hidden, env.inbox().resolve("big.mp4"), StandardCopyOption.ATOMIC_MOVE);

        ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.vmegcamel.app.Application")
                .directory(env.root().toFile())
                .redirectErrorStream(true).redirectOutput(env.root().resolve("first-run.log").toFile());
        Map<String, String> variables = child.environment();
        p.stringPropertyNames().forEach(k -> variables.put(k.toUpperCase(Locale.ROOT).replaceAll("[.-]", "_"),
                p.getProperty(k)));
        variables.put("VMEG_UPLOAD_MIN_PART_SIZE", "0"); // VMEG's recommended parts: the sandbox's 8 MiB
        Process first = child.start();
        try {
            // part 3 is in flight with no answer, the others answered ...
            await().atMost(Duration.ofSeconds(90)).until(() -> partPuts(200).equals(Set.of(1, 2, 4, 5))
                    && partPuts(0).equals(Set.of(3)));
            // ... and committed: then comes the kill
            await().atMost(Duration.ofSeconds(30)).until(() -> storedParts(p).equals(Set.of(1, 2, 4, 5)));
            journalAtKill = vmeg.server().journal().size();
        } finally {
            first.destroyForcibly(); // SIGKILL
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aKilledUploadResumesAtTheFirstMissingPartUnderTheSameUpload() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(env.archive().resolve("big.mp4")));

        assertThat(vmeg.posts(VmegPaths.MULTIPART_INITIATE)).hasSize(1);
        assertThat(vmeg.posts(VmegPaths.MULTIPART_ABORT)).isEmpty();
        var presigns = vmeg.posts(VmegPaths.MULTIPART_PRESIGN);
        assertThat(presigns).extracting(r -> bodyOf(r).path("partNumbers").toString())
                .containsExactly("[1,2,3,4,5]", "[3]");
        String uploadId = bodyOf(presigns.get(0)).path("uploadId").asText();
        assertThat(bodyOf(presigns.get(1)).path("uploadId").asText()).isEqualTo(uploadId);

        // parts stored before the kill are never sent again; after it, only part 3
        var afterKill = vmeg.server().journal().subList(journalAtKill, vmeg.server().journal().size()).stream()
                .filter(r -> r.method().equals("PUT")).toList();
        assertThat(afterKill).extracting(MultipartUploadTest::partNumber).containsExactly(3);
        assertThat(afterKill.get(0).status()).isEqualTo(200);
        assertThat(vmeg.server().journal().stream().filter(r -> r.method().equals("PUT")))
                .extracting(MultipartUploadTest::partNumber).containsExactlyInAnyOrder(1, 2, 3, 3, 4, 5);

        JsonNode complete = bodyOf(single(vmeg.posts(VmegPaths.MULTIPART_COMPLETE)));
        assertThat(complete.path("uploadId").asText()).isEqualTo(uploadId);
        assertThat(complete.path("fileHash").asText()).isEqualTo(md5(BYTES)); // the sandbox checked the assembly
        assertThat(complete.path("parts")).hasSize(5);
        for (int i = 0; i < 5; i++) {
            int from = i * 8 * MIB;
            int to = Math.min(BYTES.length, from + 8 * MIB);
            assertThat(complete.path("parts").get(i).path("partNumber").asInt()).isEqualTo(i + 1);
            assertThat(complete.path("parts").get(i).path("eTag").asText())
                    .isEqualTo(sandboxPartTag(Arrays.copyOfRange(BYTES, from, to)));
        }
        assertThat(env.outbox().resolve("big/de-DE/big.de-DE.mp4")).hasBinaryContent(BYTES);
        Job job = ledger().jobs().recent(1).get(0);
        assertThat(job.contentMd5()).isEqualTo(md5(BYTES));
        assertThat(ledger().history().forJob(job.id())).extracting(History.Entry::detail)
                .anySatisfy(d -> assertThat(d).startsWith("multipart resume -> upload " + uploadId + ", 4 of 5"));
        assertThat(ledger().multiparts().find(job.id())).isEmpty();
    }


    /** Part numbers of the PUTs the sandbox answered with this status (0: no answer yet). */
    private static Set<Integer> partPuts(int status) {
        Set<Integer> parts = new TreeSet<>();
        vmeg.server().journal().stream().filter(r -> r.method().equals("PUT") && r.status() == status)
                .forEach(r -> parts.add(partNumber(r)));
        return parts;
    }

    /** Part numbers the child's ledger has committed (through H2's auto server; empty until its schema exists). */
    private static Set<Integer> storedParts(Properties p) {
        Set<Integer> parts = new TreeSet<>();
        try (Connection c = DriverManager.getConnection(p.getProperty("vmeg.ledger.url"), "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT part_number FROM multipart_part")) {
            while (rs.next()) {
                parts.add(rs.getInt(1));
            }
        } catch (SQLException e) {
            return Set.of(); // the child has not created the ledger yet
        }
        return parts;
    }

    private static RecordedRequest single(java.util.List<RecordedRequest> requests) {
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }
}
