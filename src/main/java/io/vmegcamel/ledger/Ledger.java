package io.vmegcamel.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/**
 * The ledger: every job, task and event, in H2 (embedded default) or PostgreSQL. Opening it migrates the schema
 * with Flyway. The only code that writes SQL lives in this package.
 */
public final class Ledger implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final Jdbc jdbc;
    private final Jobs jobs;
    private final Tasks tasks;
    private final Events events;
    private final History history;

    private Ledger(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource);
        this.jobs = new Jobs(jdbc);
        this.tasks = new Tasks(jdbc);
        this.events = new Events(jdbc);
        this.history = new History(jdbc);
    }

    /** Connects, migrates the schema, and returns the ledger. */
    public static Ledger open(String url, String username, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("ledger");
        config.setJdbcUrl(url);
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(Math.max(poolSize, 2)); // Flyway holds two connections while it migrates
        // Shaded jars may carry a single java.sql.Driver service file; name the driver so both always load.
        if (url.startsWith("jdbc:h2:")) {
            config.setDriverClassName("org.h2.Driver");
        } else if (url.startsWith("jdbc:postgresql:")) {
            config.setDriverClassName("org.postgresql.Driver");
        }
        HikariDataSource ds = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Ledger(ds);
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    public Jobs jobs() {
        return jobs;
    }

    public Tasks tasks() {
        return tasks;
    }

    public Events events() {
        return events;
    }

    public History history() {
        return history;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
