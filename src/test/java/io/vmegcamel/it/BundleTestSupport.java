package io.vmegcamel.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.sandbox.SandboxServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Boots the real bundle (Camel Main, the YAML routes, application.properties) with the built-in sandbox, in
 * folders and on ports of its own ({@link TestEnv}), and gives tests what a user observes: files, ledger rows,
 * the requests VMEG received.
 */
public abstract class BundleTestSupport extends CamelMainTestSupport {

    protected static final Duration PATIENCE = Duration.ofSeconds(30);
    protected final ObjectMapper json = new ObjectMapper();
    /**
     * No initializer on purpose: CamelTestSupport's constructor asks for the properties (below) before this
     * class's field initializers would run, so the env is created there and must not be overwritten.
     */
    protected TestEnv env;

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        if (env == null) {
            env = TestEnv.create();
        }
        Properties p = env.properties();
        p.putAll(overrides());
        return p;
    }

    /** Settings of a test class on top of the test defaults. Called during construction: constants only. */
    protected Properties overrides() {
        return new Properties();
    }

    protected SandboxServer sandbox() {
        return context.getRegistry().lookupByNameAndType("vmegSandbox", SandboxServer.class);
    }

    protected Ledger ledger() {
        return context.getRegistry().lookupByNameAndType("ledger", Ledger.class);
    }

    /** Puts a sample (src/test/resources/media) into the inbox under {@code name}, atomically. */
    protected Path drop(String sample, String name) {
        try (InputStream in = getClass().getResourceAsStream("/media/" + sample)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + sample);
            }
            return dropBytes(name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts bytes into the inbox under {@code name}; written under a hidden name first, as copy tools do. */
    protected Path dropBytes(String name, byte[] bytes) {
        try {
            Files.createDirectories(env.inbox());
            Path hidden = Files.write(env.inbox().resolve("." + name + ".part"), bytes);
            return Files.move(hidden, env.inbox().resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts a sample into inbox sub-folder {@code folder} under {@code name}, atomically (hidden name first). */
    protected Path dropInto(String folder, String sample, String name) {
        return dropBytesInto(folder, name, sample(sample));
    }

    protected Path dropBytesInto(String folder, String name, byte[] bytes) {
        try {
            Path dir = Files.createDirectories(env.inbox().resolve(folder));
            Path hidden = Files.write(dir.resolve("." + name + ".part"), bytes);
            return Files.move(hidden, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the job spec sidecar; do it before dropping the media file. */
    protected void dropSidecar(String mediaName, String spec) {
        dropBytes(mediaName + ".vmeg.json", spec.getBytes(StandardCharsets.UTF_8));
    }

    protected static byte[] sample(String name) {
        try (InputStream in = BundleTestSupport.class.getResourceAsStream("/media/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the file; on timeout the failure shows the ledger and the webhooks, to tell where the flow stopped. */
    protected Path awaitFile(Path file) {
        try {
            await().atMost(PATIENCE).until(() -> Files.exists(file));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(file + " did not appear within " + PATIENCE + "\n" + flowSnapshot(), e);
        }
        return file;
    }

    /** Waits until every webhook answered so far is in the ledger: the journal deletes a segment once it is. */
    protected void awaitWebhooksStored() {
        await().atMost(PATIENCE).until(() -> {
            try (var files = Files.list(env.webhookJournal())) {
                return files.noneMatch(f -> f.getFileName().toString().endsWith(".journal"));
            }
        });
    }

    /**
     * Waits until the job's end is confirmed: the final state in its history is the last thing written, after the
     * source moved and the summary. A file seen in archive/ or failed/ comes before it.
     */
    protected void awaitJobEnd(String jobId) {
        try {
            await().atMost(PATIENCE).until(() -> ledger().history().forJob(jobId).stream()
                    .anyMatch(e -> e.taskId() == null && (e.what().equals("COMPLETED") || e.what().equals("FAILED"))));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("job " + jobId + " did not end within " + PATIENCE + "\n" + flowSnapshot(), e);
        }
    }

    /** The recent jobs with their tasks and history, the stored events and the sandbox's webhook attempts. */
    protected String flowSnapshot() {
        StringBuilder out = new StringBuilder();
        try {
            for (Job job : ledger().jobs().recent(5)) {
                out.append("job ").append(job.id()).append(' ').append(job.fileName()).append(' ')
                        .append(job.state()).append(" at ").append(job.location()).append('\n');
                ledger().tasks().forJob(job.id()).forEach(t -> out.append("  task ").append(t.id()).append(' ')
                        .append(t.targetLanguage()).append(' ').append(t.state()).append(' ')
                        .append(t.vmegTaskId()).append(' ').append(t.error()).append('\n'));
                ledger().history().forJob(job.id()).forEach(h -> out.append("  ").append(h.at()).append(' ')
                        .append(h.what()).append(' ').append(h.detail()).append('\n'));
            }
            ledger().jdbc().list("SELECT id, pipeline_key, state, attempts, error FROM webhook_event ORDER BY id DESC "
                    + "FETCH FIRST 20 ROWS ONLY", rs -> out.append("event ").append(rs.getLong(1)).append(' ')
                    .append(rs.getString(2)).append(' ').append(rs.getString(3)).append(" attempts ")
                    .append(rs.getInt(4)).append(' ').append(rs.getString(5)).append('\n'));
            if (sandbox() != null) {
                sandbox().webhookAttempts().forEach(a -> out.append("webhook attempt ").append(a.taskId()).append(' ')
                        .append(a.pipelineKey()).append(" #").append(a.attempt()).append(" -> ").append(a.status())
                        .append('\n'));
            }
        } catch (RuntimeException e) {
            out.append("(snapshot incomplete: ").append(e).append(')');
        }
        return out.toString();
    }

    protected JsonNode readJson(Path file) {
        try {
            return json.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected JsonNode bodyOf(RecordedRequest request) {
        try {
            return json.readTree(request.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The requests the sandbox received for this method and path, in order. */
    protected List<RecordedRequest> calls(String method, String path) {
        return sandbox().journal().stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    protected static String header(RecordedRequest request, String name) {
        List<String> values = request.headers().get(name.toLowerCase());
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    protected static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
