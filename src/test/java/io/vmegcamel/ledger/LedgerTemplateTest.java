package io.vmegcamel.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * A new H2 ledger with the default settings is the template the build migrated (no Flyway at a first start); it
 * must be the very ledger Flyway makes at start for any other settings, and stay Flyway's to upgrade.
 */
class LedgerTemplateTest {

    private static final String DEFAULTS = ";AUTO_SERVER=TRUE;PAGE_SIZE=1024";
    private static final String HISTORY = "SELECT \"version\", \"description\", \"type\", \"script\", \"checksum\","
            + " \"success\" FROM \"flyway_schema_history\" WHERE \"type\" = 'SQL' ORDER BY \"installed_rank\"";

    private final Timestamp testStart = new Timestamp(System.currentTimeMillis());
    private final Path data = MigrationKillTest.data("template-");

    @Test
    void aNewLedgerWithTheDefaultSettingsIsTheBuildsTemplate() throws Exception {
        String url = url("ledger", DEFAULTS);
        try (Ledger ledger = Ledger.open(url, "sa", "", 2)) {
            ledger.jobs().insert(MigrationKillTest.job("j1"));
            assertThat(ledger.jobs().get("j1")).isPresent();
        }
        assertThat(rows(url, "sa", "", "SELECT COUNT(*) FROM \"flyway_schema_history\""
                + " WHERE \"type\" = 'SQL' AND \"installed_on\" < ?", testStart)).as("migrated when the jar was built")
                .containsExactly(String.valueOf(migrations()));
        assertThat(files()).containsExactly("ledger.mv.db");
    }

    @Test
    void aLedgerInAFolderNotYetThereGetsTheFolder() {
        try (Ledger ledger = Ledger.open(url("new/folder/ledger", DEFAULTS), "sa", "", 2)) {
            ledger.jobs().insert(MigrationKillTest.job("j1"));
        }
        assertThat(data.resolve("new/folder/ledger.mv.db")).isRegularFile();
    }

    @Test
    void itIsTheLedgerFlywayMakesForOtherSettings() throws Exception {
        String template = url("template", DEFAULTS);
        String migrated = url("migrated", ";PAGE_SIZE=1024");
        Ledger.open(template, "sa", "", 2).close();
        Ledger.open(migrated, "vmeg", "secret", 2).close();

        assertThat(rows(migrated, "vmeg", "secret", "SELECT COUNT(*) FROM \"flyway_schema_history\""
                + " WHERE \"type\" = 'SQL' AND \"installed_on\" >= ?", testStart)).as("migrated by Flyway at start")
                .containsExactly(String.valueOf(migrations()));
        assertThat(schema(template, "sa", "")).isNotEmpty().isEqualTo(schema(migrated, "vmeg", "secret"));
        assertThat(rows(template, "sa", "", HISTORY)).hasSize(migrations())
                .isEqualTo(rows(migrated, "vmeg", "secret", HISTORY));
    }

    @Test
    void flywayFindsTheTemplateValidAndUpToDate() throws Exception {
        String url = url("ledger", DEFAULTS);
        Ledger.open(url, "sa", "", 2).close();

        Flyway flyway = Flyway.configure().locations(SchemaMigration.LOCATIONS).dataSource(url, "sa", "").load();
        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
        assertThat(flyway.info().pending()).isEmpty();
        try (Ledger ledger = Ledger.open(url, "sa", "", 2)) { // a restart opens it
            ledger.jobs().insert(MigrationKillTest.job("j2"));
        }
    }

    @Test
    void aLedgerWithThisBuildsHistoryIsUpToDateAndAnyOtherGoesToFlyway() throws Exception {
        String url = url("older", ";PAGE_SIZE=1024");
        Flyway.configure().locations(SchemaMigration.LOCATIONS).dataSource(url, "sa", "").target("1").load().migrate();
        assertThat(LedgerTemplate.isCurrent(dataSource(url))).as("one migration of %s", migrations()).isFalse();

        Ledger.open(url, "sa", "", 2).close(); // Flyway applies the rest
        assertThat(LedgerTemplate.isCurrent(dataSource(url))).isTrue();
        assertThat(LedgerTemplate.isCurrent(dataSource(url("new", DEFAULTS)))).as("no ledger there").isFalse();

        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().executeUpdate("UPDATE \"flyway_schema_history\" SET \"checksum\" = 1"
                    + " WHERE \"version\" = '1'");
        }
        assertThat(LedgerTemplate.isCurrent(dataSource(url))).isFalse();
        assertThatThrownBy(() -> Ledger.open(url, "sa", "", 2)).as("Flyway's validation decides")
                .hasStackTraceContaining("checksum mismatch");
    }

    @Test
    void theDefaultLedgerSettingsAreTheTemplates() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("application.properties"))) {
            defaults.load(in);
        }
        String url = defaults.getProperty("vmeg.ledger.url");
        assertThat(LedgerTemplate.fits(SchemaMigration.keptSettings(url.substring(url.indexOf(';'))),
                defaults.getProperty("vmeg.ledger.username"), defaults.getProperty("vmeg.ledger.password")))
                .as("the default %s is made from the template", url).isTrue();
        assertThat(LedgerTemplate.class.getResource(LedgerTemplate.RESOURCE)).as("built by the build").isNotNull();
        assertThat(LedgerTemplate.class.getResource(LedgerTemplate.HISTORY)).as("built by the build").isNotNull();
    }

    private static DataSource dataSource(String url) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url + ";IFEXISTS=TRUE");
        ds.setUser("sa");
        ds.setPassword("");
        return ds;
    }

    private static int migrations() {
        try (Stream<Path> scripts = Files.list(Path.of("src/main/resources/db/migration"))) {
            return (int) scripts.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tables, columns, indexes and constraints, a row each. */
    private static List<String> schema(String url, String user, String password) throws Exception {
        List<String> schema = new ArrayList<>();
        schema.addAll(rows(url, user, password, "SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE,"
                + " CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, IS_NULLABLE, COLUMN_DEFAULT"
                + " FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY 1, 3"));
        schema.addAll(rows(url, user, password, "SELECT I.TABLE_NAME, I.INDEX_NAME, I.INDEX_TYPE_NAME,"
                + " C.COLUMN_NAME, C.ORDINAL_POSITION FROM INFORMATION_SCHEMA.INDEXES I"
                + " JOIN INFORMATION_SCHEMA.INDEX_COLUMNS C ON C.INDEX_NAME = I.INDEX_NAME"
                + " AND C.INDEX_SCHEMA = I.INDEX_SCHEMA WHERE I.TABLE_SCHEMA = 'PUBLIC' ORDER BY 1, 2, 5"));
        schema.addAll(rows(url, user, password, "SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE"
                + " FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY 1, 2"));
        return schema;
    }

    private static List<String> rows(String url, String user, String password, String sql, Object... args)
            throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, user, password);
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder(rs.getString(1));
                    for (int i = 2; i <= columns; i++) {
                        row.append(" | ").append(rs.getString(i));
                    }
                    rows.add(row.toString());
                }
            }
        }
        return rows;
    }

    private String url(String name, String settings) {
        return "jdbc:h2:file:" + data.resolve(name) + settings;
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(data)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".trace.db")).toList();
        }
    }
}
