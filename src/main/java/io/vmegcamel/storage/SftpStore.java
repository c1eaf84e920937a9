package io.vmegcamel.storage;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.remote.SftpComponent;
import org.apache.camel.component.file.remote.SftpConfiguration;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.component.file.remote.SftpOperations;
import org.apache.camel.component.file.remote.SftpRemoteFile;
import org.apache.camel.support.DefaultExchange;

/**
 * {@link RemoteStore} on an SFTP server, built from camel-ftp: an {@link SftpEndpoint} made from the location (never
 * registered in the context, so two stores on one server with different logins stay apart; the password and
 * passphrase are set on its configuration, never in its URI) gives {@link SftpOperations}, one SSH session with one
 * SFTP channel each, which do the work: listFiles, retrieveFile as a stream, storeFile from a stream, renameFile,
 * deleteFile, buildDirectory. Camel's consumer and producer are not used: the storage flow decides what to take and
 * where to move it, and needs the answers (does it exist, was it moved) that a route would hide.
 *
 * <p>Keys are paths: absolute ({@code /srv/in/a.mp4}) or relative to the login directory ({@code in/a.mp4}), as
 * {@link StorageLocation#folder()} gives them. Writes go to a {@code .vmeg-part-*} name beside the target, then are
 * renamed onto it, so a reader never sees half an object; listings hide those names. Thread-safe: each call borrows
 * a session of a small pool ({@link SftpSessions}); a call that meets a dropped connection on a reused session is
 * tried once more on a new one (but a move, which may have happened).
 */
public final class SftpStore implements RemoteStore {

    public static final int DEFAULT_SESSIONS = 4;
    private static final Duration SESSION_WAIT = Duration.ofMinutes(2);
    private static final int CONNECT_TIMEOUT_MS = 15_000;

    private final CamelContext context;
    private final StorageLocation location;
    private final SftpEndpoint endpoint;
    private final SftpFailures failures;
    private final SftpSessions sessions;

    public SftpStore(CamelContext context, StorageLocation location, SftpAuth auth) {
        this(context, location, auth, DEFAULT_SESSIONS);
    }

    public SftpStore(CamelContext context, StorageLocation location, SftpAuth auth, int maxSessions) {
        if (location.kind() != StorageLocation.Kind.SFTP) {
            throw new IllegalArgumentException("not an SFTP location: " + location);
        }
        this.context = context;
        this.location = location;
        this.endpoint = endpoint(context, location, auth);
        this.failures = new SftpFailures(server(), location.host(), location.port(), auth.knownHosts());
        this.sessions = new SftpSessions(this::connect, maxSessions, SESSION_WAIT);
    }

    /** The store for an {@code sftp:} value of {@code vmeg.inbox}/{@code vmeg.outbox} and the vmeg.sftp.* settings. */
    public static SftpStore of(CamelContext context, StorageLocation location,
            Function<String, String> setting) {
        return new SftpStore(context, location, SftpAuth.from(setting));
    }

    public StorageLocation location() {
        return location;
    }

    @Override
    public List<RemoteObject> list(String folder) throws IOException {
        String start = folder == null ? "" : folder.isEmpty() || folder.endsWith("/") ? folder : folder + "/";
        return call("list", uri(start), true, ops -> {
            List<RemoteObject> out = new ArrayList<>();
            walk(ops, start, out);
            return out;
        });
    }

    @Override
    public Optional<RemoteObject> stat(String key) throws IOException {
        SftpKeys.readable(key);
        return call("stat", uri(key), true, ops -> find(ops, key));
    }

    @Override
    public InputStream open(String key) throws IOException {
        SftpKeys.readable(key);
        for (int attempt = 0;; attempt++) {
            SftpSessions.Lease lease = sessions.borrow();
            SftpOperations ops = lease.ops();
            try {
                Exchange exchange = new DefaultExchange(context);
                GenericFile<SftpRemoteFile> file = ops.newGenericFile();
                exchange.setProperty(Exchange.FILE_EXCHANGE_FILE, file);
                ops.retrieveFile(SftpKeys.literal(key), exchange, -1);
                return new LeasedStream((InputStream) file.getBody(), ops, uri(key));
            } catch (RuntimeException e) {
                boolean healthy = SftpFailures.answered(e) && ops.isConnected();
                sessions.giveBack(ops, healthy);
                if (!healthy && lease.reused() && attempt == 0) {
                    sessions.dropIdle();
                    continue;
                }
                throw failures.of("read", uri(key), e);
            }
        }
    }

    @Override
    public void upload(Path file, String key) throws IOException {
        SftpKeys.writable(key);
        long size = Files.size(file);
        call("upload", uri(key), true, ops -> {
            try (InputStream in = Files.newInputStream(file)) {
                store(ops, in, size, key);
            }
            return null;
        });
    }

    @Override
    public void write(byte[] bytes, String key) throws IOException {
        SftpKeys.writable(key);
        call("write", uri(key), true, ops -> {
            store(ops, new ByteArrayInputStream(bytes), bytes.length, key);
            return null;
        });
    }

    @Override
    public boolean move(String from, String to) throws IOException {
        SftpKeys.readable(from);
        SftpKeys.writable(to);
        // not retried: the rename may have happened before the connection broke
        return call("move", uri(from) + " to " + uri(to), false, ops -> {
            if (find(ops, to).isPresent()) {
                throw new IOException("SFTP move " + uri(from) + " to " + uri(to) + ": the target already exists");
            }
            mkdirs(ops, SftpKeys.parent(to));
            try {
                ops.renameFile(SftpKeys.literal(from), SftpKeys.literal(to));
                return true;
            } catch (RuntimeException e) {
                if (SftpFailures.answered(e) && find(ops, from).isEmpty()) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public void delete(String key) throws IOException {
        SftpKeys.readable(key);
        call("delete", uri(key), true, ops -> {
            try {
                ops.deleteFile(SftpKeys.literal(key));
            } catch (RuntimeException e) {
                if (!SftpFailures.noSuchFile(e)) {
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public String uri(String key) {
        return server() + (key.startsWith("/") ? "" : "/~/") + key;
    }

    @Override
    public void close() {
        sessions.close();
    }

    @Override
    public String toString() {
        return "SftpStore[" + location + "]";
    }

    private String server() {
        return "sftp://" + location.user() + "@" + location.host() + ":" + location.port();
    }

    /** Writes to a part name beside the key, then renames it onto the key (replacing an older object). */
    private void store(SftpOperations ops, InputStream in, long size, String key) {
        String parent = SftpKeys.parent(key);
        String part = parent + SftpKeys.PART_PREFIX + UUID.randomUUID();
        mkdirs(ops, parent);
        try {
            Exchange exchange = new DefaultExchange(context);
            exchange.getIn().setBody(in);
            ops.storeFile(part, exchange, size);
            try {
                ops.renameFile(part, SftpKeys.literal(key));
            } catch (RuntimeException e) {
                // a server without posix-rename refuses to rename onto an existing name: remove the old one first
                if (!SftpFailures.answered(e) || find(ops, key).isEmpty()) {
                    throw e;
                }
                ops.deleteFile(SftpKeys.literal(key));
                ops.renameFile(part, SftpKeys.literal(key));
            }
        } catch (RuntimeException e) {
            try {
                if (ops.isConnected()) {
                    ops.deleteFile(part);
                }
            } catch (RuntimeException ignored) {
                // the part file may never have been created; the first failure is the one to report
            }
            throw e;
        }
    }

    private void mkdirs(SftpOperations ops, String folder) {
        if (!folder.isEmpty() && !folder.equals("/")) {
            ops.buildDirectory(SftpKeys.dir(folder), folder.startsWith("/"));
        }
    }

    private void walk(SftpOperations ops, String folder, List<RemoteObject> out) {
        for (SftpRemoteFile f : ls(ops, folder)) {
            String name = f.getFilename();
            if (name.equals(".") || name.equals("..") || name.startsWith(SftpKeys.PART_PREFIX)) {
                continue;
            }
            if (f.isDirectory()) {
                walk(ops, folder + name + "/", out);
            } else {
                out.add(object(folder + name, f));
            }
        }
    }

    private Optional<RemoteObject> find(SftpOperations ops, String key) {
        String name = SftpKeys.name(key);
        for (SftpRemoteFile f : ls(ops, SftpKeys.parent(key))) {
            if (f.getFilename().equals(name) && !f.isDirectory()) {
                return Optional.of(object(key, f));
            }
        }
        return Optional.empty();
    }

    /** The folder's entries; a missing folder has none. */
    private static SftpRemoteFile[] ls(SftpOperations ops, String folder) {
        try {
            SftpRemoteFile[] files = ops.listFiles(SftpKeys.literal(SftpKeys.dir(folder)));
            return files == null ? new SftpRemoteFile[0] : files;
        } catch (RuntimeException e) {
            if (SftpFailures.noSuchFile(e)) {
                return new SftpRemoteFile[0];
            }
            throw e;
        }
    }

    private static RemoteObject object(String key, SftpRemoteFile f) {
        // the tag changes when the object is rewritten: mtime (seconds on the wire) and size
        return new RemoteObject(key, f.getFileLength(), f.getLastModified() + ":" + f.getFileLength());
    }

    private interface SftpCall<T> {
        T apply(SftpOperations ops) throws IOException;
    }

    /** Runs one verb on a borrowed session; a reused session found dead is replaced once when {@code retry}. */
    private <T> T call(String verb, String what, boolean retry, SftpCall<T> call) throws IOException {
        for (int attempt = 0;; attempt++) {
            SftpSessions.Lease lease = sessions.borrow();
            SftpOperations ops = lease.ops();
            boolean healthy = false;
            try {
                T result = call.apply(ops);
                healthy = true;
                return result;
            } catch (IOException | RuntimeException e) {
                healthy = (e instanceof IOException && SftpFailures.status(e) == null || SftpFailures.answered(e))
                        && ops.isConnected();
                if (!healthy && retry && lease.reused() && attempt == 0) {
                    sessions.dropIdle();
                    continue;
                }
                throw failures.of(verb, what, e);
            } finally {
                sessions.giveBack(ops, healthy);
            }
        }
    }

    private SftpOperations connect() throws IOException {
        SftpOperations ops = (SftpOperations) endpoint.createRemoteFileOperations();
        try {
            ops.connect(endpoint.getConfiguration(), null);
            return ops;
        } catch (RuntimeException e) {
            try {
                ops.disconnect();
            } catch (RuntimeException ignored) {
                // nothing was connected
            }
            throw failures.of("connect", server(), e);
        }
    }

    private static SftpEndpoint endpoint(CamelContext context, StorageLocation location, SftpAuth auth) {
        try {
            SftpComponent component = context.getComponent("sftp", SftpComponent.class);
            SftpEndpoint endpoint = (SftpEndpoint) component.createEndpoint(
                    "sftp://" + location.host() + ":" + location.port());
            SftpConfiguration c = endpoint.getConfiguration();
            c.setUsername(location.user());
            c.setPassword(auth.password());
            if (auth.privateKeyFile() != null) {
                c.setPrivateKeyFile(auth.privateKeyFile().toString());
                c.setPrivateKeyPassphrase(auth.privateKeyPassphrase());
            }
            c.setKnownHostsFile(auth.knownHosts().toString());
            c.setUseUserKnownHostsFile(false);
            c.setAutoCreateKnownHostsFile(false);
            c.setStrictHostKeyChecking(auth.strictHostKeyChecking() ? "yes" : "no");
            // paths as given, never a change of directory (sessions are shared); downloads as streams
            c.setStepwise(false);
            c.setStreamDownload(true);
            c.setBinary(true);
            c.setConnectTimeout(CONNECT_TIMEOUT_MS);
            c.setServerAliveInterval(30_000);
            // one attempt per connect: SftpStore replaces a failed session itself
            endpoint.setMaximumReconnectAttempts(0);
            endpoint.setReconnectDelay(0);
            return endpoint;
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up camel-ftp for " + location + ": " + e.getMessage(), e);
        }
    }

    /** The download's stream; closing it closes the remote file and gives the session back. */
    private final class LeasedStream extends FilterInputStream {
        private final SftpOperations ops;
        private final String what;
        private boolean closed;
        private boolean failed;

        LeasedStream(InputStream in, SftpOperations ops, String what) {
            super(in);
            this.ops = ops;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            boolean healthy = false;
            try {
                super.close();
                healthy = !failed && ops.isConnected();
            } catch (IOException e) {
                throw failures.of("read", what, e);
            } finally {
                sessions.giveBack(ops, healthy);
            }
        }

        private IOException failed(IOException e) {
            failed = true;
            return failures.of("read", what, e);
        }
    }
}
