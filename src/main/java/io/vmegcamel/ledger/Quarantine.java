package io.vmegcamel.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** The {@code quarantined_file} table: inbox files held back while their size and modification time stay the same. */
public final class Quarantine {

    /** A held file, as it was when it was held. */
    public record Held(String path, long sizeBytes, long modifiedMillis, String reason) {
    }

    private final Jdbc jdbc;

    Quarantine(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Holds (or holds again, with new attributes) the file at {@code path}. */
    public void hold(String path, long sizeBytes, long modifiedMillis, String reason) {
        jdbc.inTransaction(() -> {
            release(path);
            jdbc.update("INSERT INTO quarantined_file (path_hash, path, size_bytes, modified_at, reason, quarantined_at) "
                    + "VALUES (?,?,?,?,?,?)", hash(path), path, sizeBytes, modifiedMillis, reason, Jdbc.now());
            return null;
        });
    }

    public Optional<Held> find(String path) {
        return jdbc.one("SELECT path, size_bytes, modified_at, reason FROM quarantined_file WHERE path_hash = ?",
                rs -> new Held(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4)), hash(path));
    }

    public void release(String path) {
        jdbc.update("DELETE FROM quarantined_file WHERE path_hash = ?", hash(path));
    }

    public List<Held> all() {
        return jdbc.list("SELECT path, size_bytes, modified_at, reason FROM quarantined_file ORDER BY quarantined_at",
                rs -> new Held(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4)));
    }

    private static String hash(String path) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(path.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
