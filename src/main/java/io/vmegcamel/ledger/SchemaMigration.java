package io.vmegcamel.ledger;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the ledger's schema up to date with Flyway.
 *
 * <p>PostgreSQL runs each migration in a transaction. H2 commits every DDL statement on its own, so a
 * {@code kill -9} during a migration would leave it half applied, and every later start would fail on the half
 * ({@code Duplicate column name}). An H2 file with migrations to apply is therefore migrated as a copy,
 * {@code <name>.migrating.mv.db}, which replaces the ledger (one rename) only once every migration has succeeded.
 * A kill leaves the old ledger, or none for a new one, and the next start deletes the copy and begins again. A new
 * ledger with the default settings is the build's {@link LedgerTemplate}, copied and moved into place the same way,
 * and a ledger whose history is this build's is up to date: neither needs Flyway.
 */
final class SchemaMigration {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);

    static final String[] LOCATIONS = {"classpath:db/migration"};

    private static final String MV = ".mv.db";
    private static final String ASIDE = ".migrating";
    /** The path part of an H2 file URL: "jdbc:h2:file:p", or "jdbc:h2:p" for a path that H2 reads as a file. */
    private static final Pattern H2_FILE = Pattern.compile("jdbc:h2:(file:|(?=[./~]|[A-Za-z]:[/\\\\]))([^;]+)(.*)");

    private SchemaMigration() {
    }

    /**
     * Returns a pool from {@code open} on a ledger whose schema is up to date. {@code url} is the ledger's URL, as
     * the pool uses it.
     */
    static HikariDataSource migrated(String url, String username, String password, Supplier<HikariDataSource> open,
            String... locations) {
        var matcher = H2_FILE.matcher(url);
        Path base = matcher.matches() ? h2Path(matcher.group(2)) : null;
        if (base != null && !Files.exists(file(base, MV))) {
            String settings = keptSettings(matcher.group(3));
            boolean template = Arrays.equals(locations, LOCATIONS) && LedgerTemplate.fits(settings, username, password);
            if (!template || !fromTemplate(base)) {
                migrateAside(base, asideUrl(matcher.group(2), settings), username, password, false, locations);
            }
            return open.get(); // made by this version: nothing to validate
        }
        HikariDataSource pool = open.get();
        if (Arrays.equals(locations, LOCATIONS) && LedgerTemplate.isCurrent(pool)) {
            LOG.info("The ledger's migration history is this version's: no migration to run");
            return pool; // Flyway not loaded
        }
        try {
            Flyway flyway = flyway(locations).dataSource(pool).load();
            if (base == null || flyway.info().pending().length == 0) {
                flyway.migrate(); // validates; PostgreSQL applies what is pending, a transaction each
                return pool;
            }
            if (closeDelay(pool) != 0) { // the copy could miss writes, and later ones would go to the replaced file
                throw new IllegalStateException("The ledger " + file(base, MV) + " needs a migration, which this"
                        + " version runs on a closed copy, but its DB_CLOSE_DELAY keeps it open: run"
                        + " SET DB_CLOSE_DELAY 0 on it (H2 keeps the setting in the file) and remove DB_CLOSE_DELAY"
                        + " from vmeg.ledger.url");
            }
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        pool.close(); // H2 closes the file with its last connection, so it can be copied
        migrateAside(base, asideUrl(matcher.group(2), keptSettings(matcher.group(3))), username, password, true,
                locations);
        return open.get();
    }

    static void migrateAside(Path base, String asideUrl, String username, String password, boolean copy,
            String... locations) {
        Path ledger = file(base, MV);
        Path aside = file(base, ASIDE + MV);
        try {
            deleteAside(base);
            if (copy) {
                if (Files.exists(file(base, ".lock.db"))) {
                    throw new IllegalStateException("The ledger " + ledger + " is open in another process, and this"
                            + " version must migrate it: stop that process first");
                }
                LOG.info("Migrating the ledger {} on a copy", ledger);
                Files.copy(ledger, aside);
            }
            // this connection keeps the copy open until SHUTDOWN has written and closed it
            try (Connection keep = DriverManager.getConnection(asideUrl, username, password);
                    Statement shutdown = keep.createStatement()) {
                flyway(locations).dataSource(asideUrl, username, password).load().migrate();
                shutdown.execute("SHUTDOWN");
            }
            Files.move(aside, ledger, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not migrate the ledger " + ledger + " on a copy", e);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not migrate the ledger " + ledger + " on a copy", e);
        } finally {
            deleteAside(base);
        }
    }

    /** A new ledger: the build's migrated template, copied aside and moved into place; false when there is none. */
    private static boolean fromTemplate(Path base) {
        Path ledger = file(base, MV);
        Path aside = file(base, ASIDE + MV);
        try {
            deleteAside(base);
            Files.createDirectories(aside.toAbsolutePath().getParent()); // as H2 would
            if (!LedgerTemplate.copyTo(aside)) {
                return false;
            }
            Files.move(aside, ledger, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Created the ledger {} from this version's migrated template", ledger);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the ledger " + ledger, e);
        } finally {
            deleteAside(base);
        }
    }

    private static void deleteAside(Path base) {
        for (String suffix : new String[] {MV, ".trace.db", ".lock.db"}) {
            try {
                Files.deleteIfExists(file(base, ASIDE + suffix));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** H2's DB_CLOSE_DELAY, which a URL sets and the file keeps: not 0 keeps it open after its last connection. */
    private static int closeDelay(HikariDataSource pool) {
        return new Jdbc(pool).one("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                + " WHERE SETTING_NAME = 'DB_CLOSE_DELAY'", rs -> Integer.parseInt(rs.getString(1))).orElse(0);
    }

    private static FluentConfiguration flyway(String... locations) {
        return Flyway.configure().locations(locations);
    }

    /** The copy's URL: the ledger's settings without AUTO_SERVER (no other process is to reach the copy). */
    static String asideUrl(String path, String keptSettings) {
        return "jdbc:h2:file:" + path + ASIDE + keptSettings;
    }

    /** A URL's settings (";K=V...") but AUTO_SERVER, which serves other processes and is not kept in the file. */
    static String keptSettings(String settings) {
        return Arrays.stream(settings.split(";"))
                .filter(s -> !s.isBlank() && !s.toUpperCase(Locale.ROOT).startsWith("AUTO_SERVER"))
                .map(s -> ";" + s).collect(Collectors.joining());
    }

    private static Path h2Path(String path) {
        return path.startsWith("~") ? Path.of(System.getProperty("user.home") + path.substring(1)) : Path.of(path);
    }

    static Path file(Path base, String suffix) {
        return base.resolveSibling(base.getFileName() + suffix);
    }
}
