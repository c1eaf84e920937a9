package io.vmegcamel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmegcamel.storage.RemoteStore.RemoteObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SftpStore against an embedded MINA SSHD server ({@link SftpTestServer}). */
class SftpStoreTest {

    @TempDir
    static Path dir;
    static SftpTestServer server;
    static CamelContext camel;
    static SftpStore store;

    @BeforeAll
    static void start() throws Exception {
        server = SftpTestServer.start(dir.resolve("server"));
        camel = new DefaultCamelContext();
        camel.start();
        store = new SftpStore(camel, location("/~/drop/inbox"), server.keyAuth());
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        camel.close();
        server.close();
    }

    @Test
    void everyVerbWithExactBytes() throws Exception {
        byte[] report = "{\"error\":\"x\"}\n".getBytes(StandardCharsets.UTF_8);
        store.write(report, "verbs/failed/a.mp4.error.json");
        assertThat(server.file("verbs/failed/a.mp4.error.json")).hasBinaryContent(report);

        Path local = Files.write(dir.resolve("local.bin"), bytes(100_000, 7));
        store.upload(local, "verbs/inbox/a.mp4");
        assertThat(server.file("verbs/inbox/a.mp4")).hasSameBinaryContentAs(local);

        Optional<RemoteObject> stat = store.stat("verbs/inbox/a.mp4");
        assertThat(stat).isPresent();
        assertThat(stat.get().key()).isEqualTo("verbs/inbox/a.mp4");
        assertThat(stat.get().size()).isEqualTo(100_000);
        long mtime = Files.getLastModifiedTime(server.file("verbs/inbox/a.mp4")).toMillis() / 1000 * 1000;
        assertThat(stat.get().tag()).isEqualTo(mtime + ":100000");
        assertThat(store.stat("verbs/inbox/missing.mp4")).isEmpty();
        assertThat(store.stat("verbs/inbox")).as("a folder is no object").isEmpty();

        try (InputStream in = store.open("verbs/inbox/a.mp4")) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(local));
        }

        assertThat(store.move("verbs/inbox/a.mp4", "verbs/processing/a.mp4")).isTrue();
        assertThat(server.file("verbs/inbox/a.mp4")).doesNotExist();
        assertThat(server.file("verbs/processing/a.mp4")).hasSameBinaryContentAs(local);
        assertThat(store.move("verbs/inbox/a.mp4", "verbs/processing/b.mp4")).as("gone").isFalse();

        assertThat(keys(store.list("verbs/"))).containsExactlyInAnyOrder("verbs/failed/a.mp4.error.json",
                "verbs/processing/a.mp4");

        store.delete("verbs/processing/a.mp4");
        assertThat(server.file("verbs/processing/a.mp4")).doesNotExist();
        store.delete("verbs/processing/a.mp4");

        assertThat(store.uri("verbs/inbox/a.mp4"))
                .isEqualTo("sftp://vmeg@127.0.0.1:" + server.port() + "/~/verbs/inbox/a.mp4");
        assertThat(store.uri("/srv/in/a.mp4")).isEqualTo("sftp://vmeg@127.0.0.1:" + server.port() + "/srv/in/a.mp4");
    }

    @Test
    void writeReplacesAnObjectWholeAndLeavesNoPartFile() throws Exception {
        store.write("old".getBytes(StandardCharsets.UTF_8), "replace/x.json");
        store.write("new, longer".getBytes(StandardCharsets.UTF_8), "replace/x.json");
        Path local = Files.write(dir.resolve("replace.bin"), bytes(5000, 3));
        store.upload(local, "replace/y.bin");
        store.upload(local, "replace/y.bin");

        assertThat(server.file("replace/x.json")).hasContent("new, longer");
        assertThat(server.file("replace/y.bin")).hasSameBinaryContentAs(local);
        try (Stream<Path> files = Files.list(server.file("replace"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("x.json", "y.bin");
        }
    }

    @Test
    void listIsRecursiveHidesPartFilesAndAMissingFolderIsEmpty() throws Exception {
        store.write(new byte[3], "tree/a.mp4");
        store.write(new byte[0], "tree/sub/b.mp4");
        store.write(new byte[5], "tree/sub/deeper/c.mp4");
        Files.write(server.file("tree/sub/" + SftpKeys.PART_PREFIX + "1234"), new byte[9]);

        List<RemoteObject> all = store.list("tree/");
        assertThat(keys(all)).containsExactlyInAnyOrder("tree/a.mp4", "tree/sub/b.mp4", "tree/sub/deeper/c.mp4");
        assertThat(all).filteredOn(o -> o.key().equals("tree/sub/deeper/c.mp4")).singleElement()
                .satisfies(o -> assertThat(o.size()).isEqualTo(5));
        assertThat(store.list("tree/sub/")).hasSize(2);
        assertThat(store.list("no/such/folder/")).isEmpty();

        String before = store.stat("tree/a.mp4").orElseThrow().tag();
        store.write(new byte[4], "tree/a.mp4");
        assertThat(store.stat("tree/a.mp4").orElseThrow().tag()).as("size is part of the tag").isNotEqualTo(before);
    }

    @Test
    void namesWithSpacesAndUnicodeWorkForEveryVerb() throws Exception {
        for (String name : List.of("mon film é.mp4", "会议.mp4", "  two  spaces .mp4")) {
            String key = "dossier é/会议 室/" + name;
            byte[] content = ("content of " + name).getBytes(StandardCharsets.UTF_8);
            store.write(content, key);
            assertThat(server.file(key)).hasBinaryContent(content);
            assertThat(store.stat(key)).map(RemoteObject::size).contains((long) content.length);
            try (InputStream in = store.open(key)) {
                assertThat(in.readAllBytes()).isEqualTo(content);
            }
            assertThat(keys(store.list("dossier é/"))).contains(key);
            String moved = "dossier é/archive/" + name;
            assertThat(store.move(key, moved)).isTrue();
            assertThat(server.file(moved)).hasBinaryContent(content);
            store.upload(server.file(moved), key);
            assertThat(server.file(key)).hasBinaryContent(content);
            store.delete(key);
            store.delete(moved);
            assertThat(server.file(key)).doesNotExist();
            assertThat(server.file(moved)).doesNotExist();
        }
        assertThat(store.uri("dossier é/会议.mp4")).endsWith("/~/dossier é/会议.mp4");
    }

    @Test
    void aNameWithWildcardsCanBeReadAndMovedAwayButNotCreated() throws Exception {
        Path odd = server.file("wild ?/what? a*star.mp4");
        Files.createDirectories(odd.getParent());
        Files.writeString(odd, "odd");
        Files.writeString(odd.resolveSibling("what- abstar.mp4"), "a look-alike a glob would match");

        assertThat(keys(store.list("wild ?/"))).containsExactlyInAnyOrder("wild ?/what? a*star.mp4",
                "wild ?/what- abstar.mp4");
        assertThat(store.stat("wild ?/what? a*star.mp4")).map(RemoteObject::size).contains(3L);
        try (InputStream in = store.open("wild ?/what? a*star.mp4")) {
            assertThat(in.readAllBytes()).isEqualTo("odd".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(store.move("wild ?/what? a*star.mp4", "wild/what.mp4")).isTrue();
        assertThat(server.file("wild/what.mp4")).hasContent("odd");
        assertThat(odd.resolveSibling("what- abstar.mp4")).exists();
        store.delete("wild ?/what- abstar.mp4");
        assertThat(odd.resolveSibling("what- abstar.mp4")).doesNotExist();

        assertThatThrownBy(() -> store.write(new byte[1], "wild/what?.mp4")).isInstanceOf(IOException.class)
                .hasMessageContaining("wild/what?.mp4").hasMessageContaining("cannot be created");
        assertThatThrownBy(() -> store.move("wild/what.mp4", "wild/what*.mp4")).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot be created");
    }

    @Test
    void fiftyMegabytesStreamThroughUploadAndOpen() throws Exception {
        Path big = dir.resolve("big.bin");
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = Files.newOutputStream(big)) {
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < 50; i++) {
                System.arraycopy(bytes(block.length, i), 0, block, 0, block.length);
                out.write(block);
                written.update(block);
            }
        }
        long before = allocated();
        store.upload(big, "big/film.mp4");
        long uploadAlloc = allocated() - before;
        assertThat(Files.size(server.file("big/film.mp4"))).isEqualTo(50L << 20);

        MessageDigest read = MessageDigest.getInstance("SHA-256");
        long total = 0;
        before = allocated();
        try (InputStream in = store.open("big/film.mp4")) {
            assertThat(in).as("a stream from the server, not a copy in memory")
                    .isNotInstanceOf(java.io.ByteArrayInputStream.class);
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0;) {
                read.update(buffer, 0, n);
                total += n;
            }
        }
        long openAlloc = allocated() - before;
        // a whole copy in memory would allocate at least the object's 50 MB on the calling thread (seen: 2-6 MB)
        assertThat(uploadAlloc).as("bytes allocated by upload()").isLessThan(25L << 20);
        assertThat(openAlloc).as("bytes allocated by open() and reading").isLessThan(25L << 20);
        assertThat(total).isEqualTo(50L << 20);
        assertThat(HexFormat.of().formatHex(read.digest())).isEqualTo(HexFormat.of().formatHex(written.digest()));
        store.delete("big/film.mp4");
    }

    @Test
    void moveNeverOverwritesAndCreatesTheTargetFolder() throws Exception {
        store.write("source".getBytes(StandardCharsets.UTF_8), "mv/inbox/a.mp4");
        store.write("earlier".getBytes(StandardCharsets.UTF_8), "mv/archive/a.mp4");

        assertThatThrownBy(() -> store.move("mv/inbox/a.mp4", "mv/archive/a.mp4")).isInstanceOf(IOException.class)
                .hasMessageContaining("mv/archive/a.mp4").hasMessageContaining("already exists");
        assertThat(server.file("mv/inbox/a.mp4")).hasContent("source");
        assertThat(server.file("mv/archive/a.mp4")).hasContent("earlier");

        assertThat(store.move("mv/inbox/a.mp4", "mv/new/deep/place/a.mp4")).isTrue();
        assertThat(server.file("mv/new/deep/place/a.mp4")).hasContent("source");
    }

    @Test
    void permissionDeniedOnReadIsAClearIOException() throws Exception {
        store.write("secret".getBytes(StandardCharsets.UTF_8), "denied/r/a.mp4");
        server.denyRead(SftpTestServer.HOME + "/denied/r/a.mp4");
        try {
            assertThatThrownBy(() -> store.open("denied/r/a.mp4")).isInstanceOf(IOException.class)
                    .hasMessageContaining("SFTP read").hasMessageContaining("/~/denied/r/a.mp4")
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> store.open("denied/r/none.mp4")).isInstanceOf(IOException.class)
                    .hasMessageContaining("/~/denied/r/none.mp4").hasMessageContaining("no such file");
            // the session survives a refusal
            assertThat(store.stat("denied/r/a.mp4")).isPresent();
        } finally {
            server.allowAll();
        }
    }

    @Test
    void permissionDeniedOnRenameIsAClearIOExceptionAndTheSourceStays() throws Exception {
        store.write("stay".getBytes(StandardCharsets.UTF_8), "denied/m/inbox/a.mp4");
        server.denyRename(SftpTestServer.HOME + "/denied/m/inbox");
        try {
            assertThatThrownBy(() -> store.move("denied/m/inbox/a.mp4", "denied/m/processing/a.mp4"))
                    .isInstanceOf(IOException.class).hasMessageContaining("SFTP move")
                    .hasMessageContaining("/~/denied/m/inbox/a.mp4").hasMessageContaining("permission denied");
            assertThat(server.file("denied/m/inbox/a.mp4")).hasContent("stay");
            assertThat(server.file("denied/m/processing/a.mp4")).doesNotExist();
        } finally {
            server.allowAll();
        }
    }

    @Test
    void aReadOnlyFolderRefusesWritesDeletesAndMovesInButCanBeRead() throws Exception {
        store.write("kept".getBytes(StandardCharsets.UTF_8), "ro/outbox/a.json");
        store.write("src".getBytes(StandardCharsets.UTF_8), "ro/inbox/b.mp4");
        server.denyWrite(SftpTestServer.HOME + "/ro/outbox");
        try {
            assertThatThrownBy(() -> store.write(new byte[1], "ro/outbox/new.json")).isInstanceOf(IOException.class)
                    .hasMessageContaining("SFTP write").hasMessageContaining("/~/ro/outbox/new.json")
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> store.write(new byte[1], "ro/outbox/a.json"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> store.delete("ro/outbox/a.json")).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> store.move("ro/inbox/b.mp4", "ro/outbox/b.mp4"))
                    .hasMessageContaining("permission denied");
            assertThat(server.file("ro/outbox/a.json")).hasContent("kept");
            assertThat(server.file("ro/inbox/b.mp4")).hasContent("src");
            assertThat(keys(store.list("ro/outbox/"))).containsExactly("ro/outbox/a.json");
            try (Stream<Path> files = Files.list(server.file("ro/outbox"))) {
                assertThat(files.map(p -> p.getFileName().toString())).as("no part file either")
                        .containsExactly("a.json");
            }
            try (InputStream in = store.open("ro/outbox/a.json")) {
                assertThat(in.readAllBytes()).isEqualTo("kept".getBytes(StandardCharsets.UTF_8));
            }
        } finally {
            server.allowAll();
        }
    }

    @Test
    void passwordAuthentication() throws Exception {
        try (SftpStore byPassword = new SftpStore(camel, location("/~/pw"), server.passwordAuth())) {
            byPassword.write("by password".getBytes(StandardCharsets.UTF_8), "pw/a.txt");
        }
        assertThat(server.file("pw/a.txt")).hasContent("by password");
    }

    @Test
    void keyWithAPassphrase() throws Exception {
        SftpAuth auth = new SftpAuth(server.encryptedKeyFile(), SftpTestServer.KEY_PASSPHRASE, null,
                server.knownHostsFile(), true);
        try (SftpStore byKey = new SftpStore(camel, location("/~/pp"), auth)) {
            byKey.write("by encrypted key".getBytes(StandardCharsets.UTF_8), "pp/a.txt");
        }
        assertThat(server.file("pp/a.txt")).hasContent("by encrypted key");
    }

    @Test
    void aWrongPasswordIsRefusedWithoutShowingIt() {
        SftpAuth auth = new SftpAuth(null, null, "not-the-pa55word", server.knownHostsFile(), true);
        try (SftpStore wrong = new SftpStore(camel, location("/~/x"), auth)) {
            assertThatThrownBy(() -> wrong.list("x/")).isInstanceOf(IOException.class)
                    .hasMessageContaining("login refused").hasMessageContaining("vmeg@127.0.0.1:" + server.port())
                    .hasMessageNotContaining("not-the-pa55word");
        }
    }

    @Test
    void aMissingKeyFileOrAWrongPassphraseIsNamed() {
        Path missing = dir.resolve("no-such-key");
        try (SftpStore noKey = new SftpStore(camel, location("/~/x"),
                new SftpAuth(missing, null, null, server.knownHostsFile(), true))) {
            assertThatThrownBy(() -> noKey.list("x/")).isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot read the private key file").hasMessageContaining(missing.toString());
        }
        try (SftpStore badPassphrase = new SftpStore(camel, location("/~/x"),
                new SftpAuth(server.encryptedKeyFile(), "wrong-pa55phrase", null, server.knownHostsFile(), true))) {
            assertThatThrownBy(() -> badPassphrase.list("x/")).isInstanceOf(IOException.class)
                    .hasMessageContaining("wrong vmeg.sftp.private-key-passphrase")
                    .hasMessageNotContaining("wrong-pa55phrase");
        }
    }

    @Test
    void aServerWhoseKeyDiffersFromKnownHostsIsRefused() throws Exception {
        Path other = server.knownHostsWithAnotherKey();
        SftpAuth auth = new SftpAuth(server.privateKeyFile(), null, null, other, true);
        try (SftpStore mitm = new SftpStore(camel, location("/~/x"), auth)) {
            assertThatThrownBy(() -> mitm.write(new byte[1], "x/a")).isInstanceOf(IOException.class)
                    .hasMessageContaining("refused").hasMessageContaining("does NOT match")
                    .hasMessageContaining("127.0.0.1:" + server.port()).hasMessageContaining(other.toString())
                    .hasMessageContaining("ssh-keyscan -p " + server.port() + " 127.0.0.1 >> " + other);
        }
        assertThat(server.file("x/a")).doesNotExist();
    }

    @Test
    void anUnknownServerIsRefusedWithStrictCheckingAndTheFixIsNamed() throws Exception {
        Path empty = Files.writeString(dir.resolve("known_hosts-empty"), "");
        SftpAuth auth = new SftpAuth(server.privateKeyFile(), null, null, empty, true);
        try (SftpStore unknown = new SftpStore(camel, location("/~/x"), auth)) {
            assertThatThrownBy(() -> unknown.list("x/")).isInstanceOf(IOException.class)
                    .hasMessageContaining("refused")
                    .hasMessageContaining("host key of 127.0.0.1:" + server.port() + " is not in the known_hosts file "
                            + empty)
                    .hasMessageContaining("ssh-keyscan -p " + server.port() + " 127.0.0.1 >> " + empty);
        }
        assertThat(empty).hasContent("");

        try (SftpStore lax = new SftpStore(camel, location("/~/lax"), auth.withStrictHostKeyChecking(false))) {
            lax.write("trusting".getBytes(StandardCharsets.UTF_8), "lax/a.txt");
        }
        assertThat(server.file("lax/a.txt")).hasContent("trusting");
        // like OpenSSH's StrictHostKeyChecking=no: the key is trusted on first use and kept, so it is checked later
        assertThat(Files.readString(empty)).contains("[127.0.0.1]:" + server.port() + " ecdsa-sha2-nistp256 ");
        try (SftpStore strictAgain = new SftpStore(camel, location("/~/lax"), auth)) {
            assertThat(strictAgain.stat("lax/a.txt")).isPresent();
        }
    }

    @Test
    void bothUrlFormsReachTheSameFoldersAndAbsolutePathsStartAtTheServersRoot() throws Exception {
        int port = server.port();
        StorageLocation url = location("/~/forms/inbox");
        StorageLocation camelForm = StorageLocation.parse("vmeg.inbox", "sftp:vmeg@127.0.0.1:" + port + "/forms/inbox");
        assertThat(url.folder()).isEqualTo("forms/inbox/").isEqualTo(camelForm.folder());

        try (SftpStore a = new SftpStore(camel, url, server.keyAuth());
                SftpStore b = new SftpStore(camel, camelForm, server.keyAuth())) {
            a.write("via url".getBytes(StandardCharsets.UTF_8), url.folder() + "a.txt");
            assertThat(server.home().resolve("forms/inbox/a.txt")).hasContent("via url");
            assertThat(keys(b.list(camelForm.folder()))).containsExactly("forms/inbox/a.txt");
        }

        StorageLocation absolute = location("/srv/forms/inbox");
        StorageLocation camelAbsolute = StorageLocation.parse("vmeg.inbox",
                "sftp:vmeg@127.0.0.1:" + port + "//srv/forms/inbox");
        assertThat(absolute.folder()).isEqualTo("/srv/forms/inbox/").isEqualTo(camelAbsolute.folder());
        try (SftpStore a = new SftpStore(camel, absolute, server.keyAuth());
                SftpStore b = new SftpStore(camel, camelAbsolute, server.keyAuth())) {
            a.write("absolute".getBytes(StandardCharsets.UTF_8), absolute.folder() + "b.txt");
            assertThat(server.root().resolve("srv/forms/inbox/b.txt")).hasContent("absolute");
            assertThat(keys(b.list(camelAbsolute.folder()))).containsExactly("/srv/forms/inbox/b.txt");
            assertThat(b.move("/srv/forms/inbox/b.txt", camelAbsolute.sibling(StorageLocation.PROCESSING) + "b.txt"))
                    .isTrue();
            assertThat(server.root().resolve("srv/forms/processing/b.txt")).hasContent("absolute");
            assertThat(b.uri("/srv/forms/processing/b.txt"))
                    .isEqualTo("sftp://vmeg@127.0.0.1:" + port + "/srv/forms/processing/b.txt");
        }
        // the login directory is /home/vmeg: the same file by its absolute path
        assertThat(store.stat(SftpTestServer.HOME + "/forms/inbox/a.txt")).isPresent();
    }

    @Test
    void aDroppedConnectionIsReplacedByTheNextCall() throws Exception {
        store.write("before".getBytes(StandardCharsets.UTF_8), "drop/a.txt");
        server.dropSessions();
        assertThat(store.stat("drop/a.txt")).isPresent();
        server.dropSessions();
        store.write("after".getBytes(StandardCharsets.UTF_8), "drop/b.txt");
        server.dropSessions();
        try (InputStream in = store.open("drop/b.txt")) {
            assertThat(in.readAllBytes()).isEqualTo("after".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aConnectionCutDuringACallIsRetriedOnceOnANewSession() throws Exception {
        try (SftpStore one = new SftpStore(camel, location("/~/cut"), server.keyAuth(), 1)) {
            one.write("x".getBytes(StandardCharsets.UTF_8), "cut/a.txt");

            server.cutConnectionOnNextOpens(1);
            assertThat(one.stat("cut/a.txt")).isPresent();
            server.cutConnectionOnNextOpens(1);
            try (InputStream in = one.open("cut/a.txt")) {
                assertThat(in.readAllBytes()).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
            }
            server.cutConnectionOnNextOpens(1);
            one.write("y".getBytes(StandardCharsets.UTF_8), "cut/b.txt");
            assertThat(server.file("cut/b.txt")).hasContent("y");

            // once only: a second cut in a row is reported, naming the object
            server.cutConnectionOnNextOpens(2);
            assertThatThrownBy(() -> one.list("cut/")).isInstanceOf(IOException.class)
                    .hasMessageContaining("SFTP list").hasMessageContaining("/~/cut/");
            server.cutConnectionOnNextOpens(0);
            assertThat(one.list("cut/")).hasSize(2);
        }
    }

    @Test
    void callsFromManyThreadsShareAFewSessions() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (SftpStore two = new SftpStore(camel, location("/~/threads"), server.keyAuth(), 2)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    byte[] content = bytes(20_000 + n, n);
                    String key = "threads/" + n + "/file " + n + ".mp4";
                    two.write(content, key);
                    try (InputStream in = two.open(key)) {
                        assertThat(in.readAllBytes()).isEqualTo(content);
                    }
                    assertThat(two.move(key, "threads/done/" + n + ".mp4")).isTrue();
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            assertThat(two.list("threads/done/")).hasSize(24);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closingAStreamGivesItsSessionBack() throws Exception {
        store.write("x".getBytes(StandardCharsets.UTF_8), "one/a.txt");
        try (SftpStore single = new SftpStore(camel, location("/~/one"), server.keyAuth(), 1)) {
            for (int i = 0; i < 5; i++) {
                try (InputStream in = single.open("one/a.txt")) {
                    assertThat(in.read()).isEqualTo('x');
                }
            }
            assertThat(single.stat("one/a.txt")).isPresent();
        }
    }

    @Test
    void settingsBuildTheAuthAndItNeverPrintsSecrets() {
        Map<String, String> settings = Map.of(SftpAuth.PRIVATE_KEY_FILE, "/keys/id_ecdsa",
                SftpAuth.PRIVATE_KEY_PASSPHRASE, "pp-secret", SftpAuth.PASSWORD, "pw-secret",
                SftpAuth.KNOWN_HOSTS_FILE, "/keys/known_hosts", SftpAuth.STRICT_HOST_KEY_CHECKING, "true");
        SftpAuth auth = SftpAuth.from(settings::get);
        assertThat(auth.privateKeyFile()).isEqualTo(Path.of("/keys/id_ecdsa"));
        assertThat(auth.knownHosts()).isEqualTo(Path.of("/keys/known_hosts"));
        assertThat(auth.strictHostKeyChecking()).isTrue();
        assertThat(auth.toString()).doesNotContain("pp-secret", "pw-secret").contains("password=***");

        SftpAuth defaults = SftpAuth.from(Map.of(SftpAuth.PASSWORD, "p", SftpAuth.PRIVATE_KEY_FILE, "")::get);
        assertThat(defaults.strictHostKeyChecking()).as("strict unless turned off").isTrue();
        assertThat(defaults.privateKeyFile()).isNull();
        assertThat(defaults.knownHosts()).isEqualTo(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));

        assertThatThrownBy(() -> SftpAuth.from(Map.<String, String>of()::get))
                .hasMessageContaining("VMEG_SFTP_PRIVATE_KEY_FILE").hasMessageContaining("VMEG_SFTP_PASSWORD");
        assertThatThrownBy(() -> SftpAuth.from(Map.of(SftpAuth.PASSWORD, "p",
                SftpAuth.STRICT_HOST_KEY_CHECKING, "maybe")::get)).hasMessageContaining("true or false");
    }

    @Test
    void keysTheServerCannotTakeAreRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> store.write(new byte[1], "a\\b.mp4")).hasMessageContaining("backslash");
        assertThatThrownBy(() -> store.write(new byte[1], "a*/b.mp4")).hasMessageContaining("cannot be created");
        assertThatThrownBy(() -> store.open("folder/")).hasMessageContaining("not an object key");
    }

    /** Bytes this thread has allocated so far (a whole copy of an object would show here). */
    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    private static StorageLocation location(String path) {
        return StorageLocation.parse("vmeg.inbox", server.url(path));
    }

    private static List<String> keys(List<RemoteObject> objects) {
        return objects.stream().map(RemoteObject::key).toList();
    }

    /** Deterministic, not compressible to nothing. */
    private static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        long x = seed * 6364136223846793005L + 1442695040888963407L;
        for (int i = 0; i < size; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            b[i] = (byte) (x >>> 56);
        }
        return b;
    }
}
