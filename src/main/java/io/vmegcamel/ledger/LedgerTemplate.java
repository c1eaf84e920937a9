package io.vmegcamel.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/**
 * A new, empty H2 ledger with the default settings, already migrated: Flyway makes it when the jar is built (the
 * build runs {@link #main}), and a first start copies it into place instead of loading Flyway (about 390 classes
 * and a third of a second of CPU on two cores, bench/RESULTS.md). Other settings, user or password are migrated by
 * Flyway at start, as is any ledger made by an older version.
 */
public final class LedgerTemplate {

    /** The template in the jar. */
    static final String RESOURCE = "/ledger/template.mv.db";
    /** The URL settings it is made with: the default vmeg.ledger.url's that H2 keeps in the file (not AUTO_SERVER). */
    static final String SETTINGS = ";PAGE_SIZE=1024";
    private static final String USER = "sa";

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

    /** Makes the template at {@code args[0]} (a path without .mv.db), replacing one made before. */
    public static void main(String[] args) throws SQLException, IOException {
        Path base = Path.of(args[0]).toAbsolutePath();
        Files.deleteIfExists(base.resolveSibling(base.getFileName() + ".mv.db"));
        String url = "jdbc:h2:file:" + base + SETTINGS;
        try (Connection keep = DriverManager.getConnection(url, USER, "");
                Statement shutdown = keep.createStatement()) {
            Flyway.configure().locations(SchemaMigration.LOCATIONS).dataSource(url, USER, "").load().migrate();
            shutdown.execute("SHUTDOWN COMPACT");
        }
    }
}
