package io.vmegcamel.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The verbs the bundle needs from a remote storage (S3 or SFTP), on keys of that storage: S3 object keys without a
 * leading slash, SFTP absolute paths. Everything streams: nothing holds a whole object in memory. A failure is an
 * {@link IOException} whose message names the key and what the server said (never a credential).
 */
public interface RemoteStore extends AutoCloseable {

    /** One object: its key, size and a tag that changes when it is rewritten (S3 ETag, SFTP mtime + size). */
    record RemoteObject(String key, long size, String tag) {
    }

    /** The objects below {@code folder} (a key ending with the separator, or "" for the root), recursively. */
    List<RemoteObject> list(String folder) throws IOException;

    /** The object, if it exists. */
    Optional<RemoteObject> stat(String key) throws IOException;

    /** Streams the object's bytes; the caller closes the stream. */
    InputStream open(String key) throws IOException;

    /** Writes {@code file} to {@code key} (replacing it), streamed from disk. */
    void upload(Path file, String key) throws IOException;

    /** Writes a small object (reports, markers). */
    void write(byte[] bytes, String key) throws IOException;

    /**
     * Moves {@code from} to {@code to} on the server (S3: copy, then delete; SFTP: rename). {@code to} must not exist.
     * False when {@code from} does not exist. A {@link PartialMoveException} when the copy was made but the original
     * could not be removed.
     */
    boolean move(String from, String to) throws IOException;

    /** Deletes the object; nothing when it does not exist. */
    void delete(String key) throws IOException;

    /** The object's address for people and events: {@code s3://bucket/key} or {@code sftp://user@host:port/path}. */
    String uri(String key);

    /** True when an object is visible only once it is whole (S3), so no stability wait is needed. */
    default boolean objectsAppearWhole() {
        return false;
    }

    @Override
    void close();

    /** The copy exists at the target, but the original is still there (e.g. S3 delete denied). */
    final class PartialMoveException extends IOException {
        public PartialMoveException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
