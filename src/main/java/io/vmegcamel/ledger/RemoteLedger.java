package io.vmegcamel.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** What the ledger knows of remote storage: objects taken from a remote inbox, files published to a remote outbox. */
public final class RemoteLedger {

    private final Jdbc jdbc;

    RemoteLedger(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** True when this version of the object was taken (or refused) already. */
    public boolean taken(String address, String tag) {
        return jdbc.one("SELECT id FROM remote_taken WHERE id = ?", rs -> rs.getString(1), id(address + "\n" + tag))
                .isPresent();
    }

    /** Records that this version of the object was taken ({@code outcome} TAKEN) or refused with a report. */
    public void markTaken(String address, String tag, String outcome) {
        try {
            jdbc.update("INSERT INTO remote_taken (id, address, tag, outcome, taken_at) VALUES (?, ?, ?, ?, ?)",
                    id(address + "\n" + tag), address, tag, outcome, Jdbc.now());
        } catch (RuntimeException e) {
            if (!Jdbc.isUniqueViolation(e)) {
                throw e;
            }
        }
    }

    public boolean published(String path, long modifiedMillis) {
        return jdbc.one("SELECT modified_ms FROM remote_published WHERE id = ?", rs -> rs.getLong(1), id(path))
                .filter(m -> m == modifiedMillis).isPresent();
    }

    public void markPublished(String path, long modifiedMillis) {
        jdbc.inTransaction(() -> {
            jdbc.update("DELETE FROM remote_published WHERE id = ?", id(path));
            jdbc.update("INSERT INTO remote_published (id, modified_ms) VALUES (?, ?)", id(path), modifiedMillis);
            return null;
        });
    }

    private static String id(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
