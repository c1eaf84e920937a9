package io.vmegcamel.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A new, empty H2 ledger with the default settings, already migrated: Flyway makes it when the jar is built (the
 * build runs {@link #main}), and a first start copies it into place instead of loading Flyway (about 760 classes
 * and 0.7 s of CPU on two cores, bench/RESULTS.md). Other settings, user or password are migrated by Flyway at
 * start, as is any ledger made by an older version. The build also writes the template's migration history, so
 * that a later start finds a ledger with the very same history (this build's migrations, all applied) up to date
 * without Flyway; any other history goes to Flyway, which validates and migrates it.
 */
public final class LedgerTemplate {

    /** The template in the jar. */
    static final String RESOURCE = "/ledger/template.mv.db";
    /** The URL settings it is made with: the default vmeg.ledger.url's that H2 keeps in the file (not AUTO_SERVER). */
    static final String SETTINGS = ";PAGE_SIZE=1024";
    private static final String USER = "sa";
    /** This build's migrations as Flyway records them once applied: {@link #history} of the template. */
    static final String HISTORY = "/ledger/template.history";
    /** Every row but Flyway's marker of creating its table (rank -1); any other difference goes to Flyway. */
    private static final String APPLIED = "SELECT \"type\", \"version\", \"description\", \"checksum\","
            + " \"success\" FROM \"flyway_schema_history\" WHERE \"installed_rank\" > 0 ORDER BY \"installed_rank\"";

    private LedgerTemplate() {
    }

    /** Whether a new ledger with these settings (AUTO_SERVER left out), user and password is the template. */
    static boolean fits(String settings, String username, String password) {
        return SETTINGS.equalsIgnoreCase(settings) && USER.equalsIgnoreCase(username)
                && (password == null || password.isEmpty());
    }

    /** Writes the template to {@code target}; false when this build has none (run from classes the build made). */
    static boolean copyTo(Path target) throws IOException {
        try (InputStream in = LedgerTemplate.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return false;
            }
            Files.copy(in, target);
            return true;
        }
    }

    /**
     * Whether the ledger's migration history is this build's, row for row: nothing pending, nothing failed,
     * nothing Flyway's validation would object to. False when in doubt (no history, no record in this build).
     */
    static boolean isCurrent(DataSource ledger) {
        try (InputStream in = LedgerTemplate.class.getResourceAsStream(HISTORY)) {
            if (in == null) {
                return false;
            }
            try (Connection c = ledger.getConnection()) {
                return history(c).equals(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
            }
        } catch (IOException | SQLException e) {
            return false;
        }
    }

    /** What Flyway validates of each applied migration (type, version, description, checksum, success), a line each. */
    private static List<String> history(Connection c) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(APPLIED)) {
            while (rs.next()) {
                rows.add(String.join("\t", rs.getString(1), rs.getString(2), rs.getString(3),
                        String.valueOf(rs.getInt(4)), String.valueOf(rs.getBoolean(5))));
            }
        }
        return rows;
    }

    /**
     * Makes the template at {@code args[0]} (a path without .mv.db), replacing one made before, the way a start
     * makes a new ledger without it; and its history beside it.
     */
    public static void main(String[] args) throws SQLException, IOException {
        Path base = Path.of(args[0]).toAbsolutePath();
        SchemaMigration.migrateAside(base, SchemaMigration.asideUrl(base.toString(), SETTINGS), USER, "", false,
                SchemaMigration.LOCATIONS);
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base + SETTINGS, USER, "")) {
            Files.writeString(SchemaMigration.file(base, ".history"), String.join("\n", history(c)));
        }
    }
}
