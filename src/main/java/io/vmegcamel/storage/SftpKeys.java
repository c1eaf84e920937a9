package io.vmegcamel.storage;

import java.io.IOException;

/**
 * SFTP keys (paths, absolute or relative to the login directory) as JSch needs them. JSch expands {@code *} and
 * {@code ?} in the paths of get, rm, rename and ls, and strips a backslash before any character; so reads get the
 * path with {@code *} and {@code ?} escaped. Camel's storeFile, buildDirectory and renameFile turn a backslash into a
 * separator (its path normalisation), so a key that is written (or moved to) cannot carry a {@code *} or {@code ?}:
 * such a name can be listed, read, deleted and moved away from, not created. No key may contain a backslash.
 */
final class SftpKeys {

    /** Objects being written are named so, beside their target; listings never show them. */
    static final String PART_PREFIX = ".vmeg-part-";

    private SftpKeys() {
    }

    /** A key that can be read, renamed from or deleted. */
    static String readable(String key) throws IOException {
        if (key == null || key.isEmpty() || key.endsWith("/")) {
            throw new IOException("SFTP key '" + key + "': not an object key (empty or ends with /)");
        }
        if (key.indexOf('\\') >= 0) {
            throw new IOException("SFTP key '" + key + "': a backslash in a name is not supported");
        }
        return key;
    }

    /** A key that can be written or moved to (its folder is created as needed). */
    static String writable(String key) throws IOException {
        readable(key);
        if (key.indexOf('*') >= 0 || key.indexOf('?') >= 0) {
            throw new IOException("SFTP key '" + key + "': a name with * or ? cannot be created over SFTP here"
                    + " (it can be read, listed, deleted and moved to another name)");
        }
        return key;
    }

    /** The folder part, ending with / ("" for a name in the login directory, "/" for one in the root). */
    static String parent(String key) {
        return key.substring(0, key.lastIndexOf('/') + 1);
    }

    static String name(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    /** A folder key ("" = login directory) as a path for ls and mkdir: "." for "", no trailing slash but for "/". */
    static String dir(String folder) {
        if (folder.isEmpty()) {
            return ".";
        }
        return folder.length() > 1 && folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
    }

    /** The path with JSch's wildcards escaped, for get, rm, rename and ls. */
    static String literal(String path) {
        return path.replace("*", "\\*").replace("?", "\\?");
    }
}
