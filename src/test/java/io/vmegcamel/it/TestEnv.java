package io.vmegcamel.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** A fresh set of folders, ports and ledger for one test: nothing is shared between tests. */
public record TestEnv(Path root, int httpPort, int managementPort) {

    public static TestEnv create() {
        try {
            Path base = Files.createDirectories(Path.of("target", "test-envs"));
            return new TestEnv(Files.createTempDirectory(base.toAbsolutePath(), "env-"), freePort(), freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path inbox() {
        return root.resolve("inbox");
    }

    public Path outbox() {
        return root.resolve("outbox");
    }

    public Path processing() {
        return root.resolve("processing");
    }

    public Path archive() {
        return root.resolve("archive");
    }

    public Path failed() {
        return root.resolve("failed");
    }

    /** The webhook journal: a segment file stays until its events are in the ledger. */
    public Path webhookJournal() {
        return root.resolve("data").resolve("webhook-journal");
    }

    public Path held() {
        return root.resolve("held");
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Fast timings, this test's folders and ports, the sandbox on a free port. */
    public Properties properties() {
        Properties p = new Properties();
        p.setProperty("vmeg.inbox-dir", inbox().toString());
        p.setProperty("vmeg.outbox-dir", outbox().toString());
        p.setProperty("vmeg.processing-dir", processing().toString());
        p.setProperty("vmeg.archive-dir", archive().toString());
        p.setProperty("vmeg.failed-dir", failed().toString());
        p.setProperty("vmeg.held-dir", held().toString());
        p.setProperty("vmeg.data-dir", root.resolve("data").toString());
        p.setProperty("vmeg.ledger.url", "jdbc:h2:file:" + root.resolve("data").resolve("ledger"));
        p.setProperty("vmeg.http-port", String.valueOf(httpPort));
        p.setProperty("vmeg.management-port", String.valueOf(managementPort));
        p.setProperty("vmeg.public-url", baseUrl());
        p.setProperty("vmeg.sandbox.port", "0");
        p.setProperty("vmeg.sandbox.task-duration", "300ms");
        p.setProperty("vmeg.ingest.poll-ms", "100");
        p.setProperty("vmeg.ingest.stable-check-ms", "200");
        p.setProperty("vmeg.retry.max-redeliveries", "2");
        p.setProperty("vmeg.retry.delay-ms", "50");
        p.setProperty("vmeg.retry.max-delay-ms", "200");
        p.setProperty("vmeg.events.sweep-ms", "500");
        p.setProperty("vmeg.events.retry-after", "1s");
        return p;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
