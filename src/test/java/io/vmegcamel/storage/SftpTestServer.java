package io.vmegcamel.storage;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.CopyOption;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.common.file.root.RootedFileSystem;
import org.apache.sshd.common.file.root.RootedFileSystemProvider;
import org.apache.sshd.common.file.root.RootedPath;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An SFTP server for tests: Apache MINA SSHD on 127.0.0.1 (a free port), one user with both a key (ECDSA, written as
 * an OpenSSH private key file) and a password, a generated ECDSA host key and a known_hosts file naming it.
 *
 * <p>The server's file system is {@link #root()} (virtual {@code /}); the user's login directory is virtual
 * {@code /home/vmeg} ({@link #home()}), so a relative key {@code drop/in/a.mp4} is {@code home()/drop/in/a.mp4} and an
 * absolute key {@code /srv/in/a.mp4} is {@code root()/srv/in/a.mp4}. Tests run as root, whom POSIX permissions do not
 * stop; {@link #denyRead}, {@link #denyRename} and {@link #denyWrite} make the server answer "permission denied"
 * instead, and {@link #cutConnectionOnNextOpens} and {@link #dropSessions} break connections.
 */
public final class SftpTestServer implements AutoCloseable {

    public static final String USER = "vmeg";
    public static final String PASSWORD = "pa55-w0rd-sftp";
    public static final String KEY_PASSPHRASE = "key-pa55phrase";
    public static final String HOME = "/home/" + USER;

    private final Path dir;
    private final Path root;
    private final SshServer server;
    private final Path knownHostsFile;
    private final Path privateKeyFile;
    private final Path encryptedKeyFile;
    private final Set<String> readDenied = new CopyOnWriteArraySet<>();
    private final Set<String> renameDenied = new CopyOnWriteArraySet<>();
    private final Set<String> writeDenied = new CopyOnWriteArraySet<>();
    private final AtomicInteger cutsOnOpen = new AtomicInteger();

    private SftpTestServer(Path dir) throws Exception {
        this.dir = dir;
        this.root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve(HOME.substring(1)));

        JSch jsch = new JSch();
        KeyPair client = KeyPair.genKeyPair(jsch, KeyPair.ECDSA, 256);
        privateKeyFile = dir.resolve("id_ecdsa");
        client.writeOpenSSHv1PrivateKey(privateKeyFile.toString());
        encryptedKeyFile = dir.resolve("id_ecdsa_encrypted");
        client.writeOpenSSHv1PrivateKey(encryptedKeyFile.toString(), KEY_PASSPHRASE.getBytes(StandardCharsets.UTF_8));
        PublicKey clientKey = AuthorizedKeyEntry.parseAuthorizedKeyEntry(publicLine(client))
                .resolvePublicKey(null, PublicKeyEntryResolver.FAILING);

        SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(dir.resolve("host-key"));
        hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        hostKeys.setKeySize(256);

        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(hostKeys);
        server.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
        server.setPublickeyAuthenticator((user, key, session) -> USER.equals(user)
                && KeyUtils.compareKeys(clientKey, key));
        server.setKeyboardInteractiveAuthenticator(null);
        server.setFileSystemFactory(new HomeFileSystemFactory(root));
        SftpSubsystemFactory sftp = new SftpSubsystemFactory.Builder().build();
        sftp.addSftpEventListener(new Denials());
        server.setSubsystemFactories(List.of(sftp));
        server.start();

        PublicKey hostKey = hostKeys.loadKeys(null).iterator().next().getPublic();
        knownHostsFile = dir.resolve("known_hosts");
        Files.writeString(knownHostsFile, hostPattern() + " " + PublicKeyEntry.toString(hostKey) + "\n");
    }

    /** Starts a server whose files, keys and known_hosts live in {@code dir}. */
    public static SftpTestServer start(Path dir) throws Exception {
        return new SftpTestServer(dir);
    }

    public int port() {
        return server.getPort();
    }

    /** The real directory behind the server's {@code /}. */
    public Path root() {
        return root;
    }

    /** The real directory behind the login directory ({@code /home/vmeg}). */
    public Path home() {
        return root.resolve(HOME.substring(1));
    }

    /** The real file behind a key: absolute keys from {@link #root()}, relative ones from {@link #home()}. */
    public Path file(String key) {
        return key.startsWith("/") ? root.resolve(key.substring(1)) : home().resolve(key);
    }

    public Path knownHostsFile() {
        return knownHostsFile;
    }

    /** The user's private key (ECDSA, OpenSSH format, no passphrase). */
    public Path privateKeyFile() {
        return privateKeyFile;
    }

    /** The same key, encrypted with {@link #KEY_PASSPHRASE}. */
    public Path encryptedKeyFile() {
        return encryptedKeyFile;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** {@code sftp://vmeg@127.0.0.1:PORT} followed by {@code path} (the URL form of vmeg.inbox/vmeg.outbox). */
    public String url(String path) {
        return "sftp://" + USER + "@127.0.0.1:" + port() + path;
    }

    public SftpAuth keyAuth() {
        return new SftpAuth(privateKeyFile, null, null, knownHostsFile, true);
    }

    public SftpAuth passwordAuth() {
        return new SftpAuth(null, null, PASSWORD, knownHostsFile, true);
    }

    /** A known_hosts file that names this host and port with another key (as after a man-in-the-middle). */
    public Path knownHostsWithAnotherKey() throws Exception {
        PublicKey other = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256).getPublic();
        Path file = dir.resolve("known_hosts-other");
        Files.writeString(file, hostPattern() + " " + PublicKeyEntry.toString(other) + "\n");
        return file;
    }

    /** The server refuses to open this file (virtual absolute path, e.g. {@code /home/vmeg/in/a.mp4}). */
    public void denyRead(String virtualPath) {
        readDenied.add(virtualPath);
    }

    /** The server refuses any rename from or to a path at or below this virtual absolute path. */
    public void denyRename(String virtualPath) {
        renameDenied.add(virtualPath);
    }

    /**
     * Makes a folder (or file) read-only: the server refuses to create, write, delete or rename anything at or below
     * this virtual absolute path, or to rename anything into it. Reading and listing still work.
     */
    public void denyWrite(String virtualPath) {
        writeDenied.add(virtualPath);
    }

    public void allowAll() {
        readDenied.clear();
        renameDenied.clear();
        writeDenied.clear();
    }

    /**
     * The next {@code n} opens of a file or folder (reads, writes, listings) cut their connection instead of answering:
     * the client finds out in the middle of a call, on a session that looked fine.
     */
    public void cutConnectionOnNextOpens(int n) {
        cutsOnOpen.set(n);
    }

    /** Closes every client connection at once, as a server restart or a network cut would. */
    public void dropSessions() {
        server.getActiveSessions().forEach(s -> s.close(true));
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    private String hostPattern() {
        return "[127.0.0.1]:" + port();
    }

    private static String publicLine(KeyPair key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        key.writePublicKey(out, "test");
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    private static String virtual(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    private static boolean atOrBelow(String path, Set<String> places) {
        return places.stream().anyMatch(p -> path.equals(p) || path.startsWith(p.endsWith("/") ? p : p + "/"));
    }

    private final class Denials implements SftpEventListener {
        @Override
        public void opening(ServerSession session, String remoteHandle, Handle localHandle) throws IOException {
            if (cutsOnOpen.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                session.close(true);
                throw new IOException("connection cut by the test");
            }
            String path = virtual(localHandle.getFile());
            if (localHandle instanceof FileHandle file) {
                boolean writing = file.getOpenOptions().contains(StandardOpenOption.WRITE)
                        || file.getOpenOptions().contains(StandardOpenOption.APPEND);
                if (readDenied.contains(path) || writing && atOrBelow(path, writeDenied)) {
                    throw new AccessDeniedException(path, null, "Permission denied");
                }
            }
        }

        @Override
        public void creating(ServerSession session, Path path, Map<String, ?> attrs) throws IOException {
            refuseWrite(path);
        }

        @Override
        public void removing(ServerSession session, Path path, boolean isDirectory) throws IOException {
            refuseWrite(path);
        }

        private void refuseWrite(Path path) throws AccessDeniedException {
            String p = virtual(path);
            if (atOrBelow(p, writeDenied)) {
                throw new AccessDeniedException(p, null, "Permission denied");
            }
        }

        @Override
        public void moving(ServerSession session, Path srcPath, Path dstPath, Collection<CopyOption> opts)
                throws IOException {
            String src = virtual(srcPath);
            String dst = virtual(dstPath);
            if (atOrBelow(src, renameDenied) || atOrBelow(dst, renameDenied) || atOrBelow(src, writeDenied)
                    || atOrBelow(dst, writeDenied)) {
                throw new AccessDeniedException(src, dst, "Permission denied");
            }
        }
    }

    /** The whole tree under {@code root}, with {@code /home/vmeg} as the login directory (relative paths start there). */
    private static final class HomeFileSystemFactory implements FileSystemFactory {
        private final Path root;

        HomeFileSystemFactory(Path root) {
            this.root = root;
        }

        @Override
        public Path getUserHomeDir(SessionContext session) {
            return null;
        }

        @Override
        public FileSystem createFileSystem(SessionContext session) throws IOException {
            return new RootedFileSystem(new RootedFileSystemProvider(), root, Map.of()) {
                @Override
                public RootedPath getDefaultDir() {
                    return getPath(HOME);
                }
            };
        }
    }
}
