package io.vmegcamel.storage;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SftpException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns what Camel's SFTP operations and JSch throw into IOExceptions that name the object and say what the server
 * said. Neither Camel nor JSch puts the password or passphrase into a message, and neither is added here.
 */
final class SftpFailures {

    private final String server;
    private final String host;
    private final int port;
    private final Path knownHosts;

    SftpFailures(String server, String host, int port, Path knownHosts) {
        this.server = server;
        this.host = host;
        this.port = port;
        this.knownHosts = knownHosts;
    }

    /** The server's SFTP status, when the failure is one (a status means the session is still good). */
    static SftpException status(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SftpException s) {
                return s;
            }
        }
        return null;
    }

    /** True when the server answered with a status (the session is fine); false when the connection failed. */
    static boolean answered(Throwable e) {
        SftpException s = status(e);
        return s != null && s.getCause() == null && s.id != ChannelSftp.SSH_FX_CONNECTION_LOST
                && s.id != ChannelSftp.SSH_FX_NO_CONNECTION;
    }

    static boolean noSuchFile(Throwable e) {
        SftpException s = status(e);
        return s != null && s.id == ChannelSftp.SSH_FX_NO_SUCH_FILE;
    }

    /** "SFTP read sftp://u@h:22/in/a.mp4: permission denied (server: ...)". */
    IOException of(String verb, String what, Throwable e) {
        if (e instanceof IOException io && io.getMessage() != null && io.getMessage().startsWith("SFTP ")) {
            return io;
        }
        SftpException s = status(e);
        String reason;
        if (s != null && (s.getCause() == null || s.id != ChannelSftp.SSH_FX_FAILURE)) {
            reason = reason(s.id) + " (server: " + s.getMessage() + ")";
        } else {
            JSchException j = find(e, JSchException.class);
            reason = j != null ? connection(j)
                    : s == null && e instanceof IOException ? deepest(e) // not the server's: e.g. the local file
                    : "connection failed: " + deepest(e);
        }
        return new IOException("SFTP " + verb + " " + what + ": " + reason, e);
    }

    /** Why a session could not be opened, with the fix when it is the host key or the login. */
    String connection(JSchException e) {
        String m = String.valueOf(e.getMessage());
        String keyscan = "ssh-keyscan -p " + port + " " + host + " >> " + knownHosts;
        if (m.startsWith("UnknownHostKey") || m.startsWith("reject HostKey")) {
            return "refused: the host key of " + host + ":" + port + " is not in the known_hosts file " + knownHosts
                    + " and strict host key checking is on. If you trust this server, add its key: " + keyscan
                    + " (and compare the fingerprint with the server's). JSch: " + m;
        }
        if (m.contains("HostKey has been changed")) {
            return "refused: the host key of " + host + ":" + port + " does NOT match the one in the known_hosts"
                    + " file " + knownHosts + " (a man-in-the-middle, or the server's key was replaced). Only if its"
                    + " new key is confirmed: remove the old line (ssh-keygen -R '[" + host + "]:" + port + "' -f "
                    + knownHosts + ") and add the new one: " + keyscan + ". JSch: " + m;
        }
        if (m.startsWith("Auth fail") || m.startsWith("Auth cancel")) {
            return "login refused (check vmeg.sftp.private-key-file and vmeg.sftp.password). JSch: " + m;
        }
        if (m.contains("passphrase")) {
            return "cannot decrypt the private key: wrong vmeg.sftp.private-key-passphrase. JSch: " + m;
        }
        FileNotFoundException missing = find(e, FileNotFoundException.class);
        if (missing != null) {
            return "cannot read the private key file (vmeg.sftp.private-key-file): " + missing.getMessage();
        }
        if (m.startsWith("invalid privatekey")) {
            return "cannot use the private key file (RSA or ECDSA, OpenSSH or PEM format). JSch: " + m;
        }
        return "cannot connect to " + server + ": " + deepest(e);
    }

    private static String reason(int id) {
        return switch (id) {
            case ChannelSftp.SSH_FX_NO_SUCH_FILE -> "no such file";
            case ChannelSftp.SSH_FX_PERMISSION_DENIED -> "permission denied";
            case ChannelSftp.SSH_FX_FAILURE -> "failed";
            case ChannelSftp.SSH_FX_OP_UNSUPPORTED -> "not supported by the server";
            case 11 -> "already exists";
            default -> "SFTP status " + id;
        };
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String deepest(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
