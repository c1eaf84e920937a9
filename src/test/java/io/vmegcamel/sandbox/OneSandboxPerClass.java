package io.vmegcamel.sandbox;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One sandbox with the default configuration for all tests of a class, and a client for it. */
abstract class OneSandboxPerClass {

    @TempDir
    static Path dir;
    static SandboxServer server;
    static TestClient client;

    @BeforeAll
    static void start() {
        server = SandboxServer.start(SandboxConfig.defaults().withDataDir(dir));
        client = new TestClient(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }
}
