package io.vmegcamel.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vmegcamel.util.Futures;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger: every job, task and event, in H2 (embedded default) or PostgreSQL. Opening it migrates the schema
 * ({@link SchemaMigration}). The SQL lives in this package, apart from the downstream outbox's tables
 * ({@code io.vmegcamel.downstream.OutboxStore}).
 */
public final class Ledger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);

    /**
     * How long an H2 file that another process holds or has just touched is asked for again. H2 refuses a file
     * whose lock file changed in the last seconds, or that another process took over first: a restart right after a
     * {@code kill -9} while a tool connects through {@code AUTO_SERVER} at the same moment. Those pass within seconds;
     * a second bundle on the same file still fails, after this long.
     */
    static final Duration FILE_LOCK_PATIENCE = Duration.ofSeconds(20);

    private static final int H2_ERROR_OPENING_DATABASE = 8000;
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    /** The main pool and webhook intake's own connection. */
    private record Pools(HikariDataSource main, HikariDataSource intake) {
    }

    private final CompletableFuture<Pools> pools;
    private final Jdbc jdbc;
    private final Jobs jobs;
    private final Tasks tasks;
    private final Events events;
    private final Events intakeEvents;
    private final History history;
    private final Quarantine quarantine;
    private final StuckWork stuckWork;
    private final RemoteLedger remote;
    private final Multiparts multiparts;

    private Ledger(CompletableFuture<Pools> pools) {
        this.pools = pools;
        this.intakeEvents = new Events(new Jdbc(() -> pools().intake()));
        this.jdbc = new Jdbc(() -> pools().main());
        this.jobs = new Jobs(jdbc);
        this.tasks = new Tasks(jdbc);
        this.events = new Events(jdbc);
        this.history = new History(jdbc);
        this.quarantine = new Quarantine(jdbc);
        this.stuckWork = new StuckWork(jdbc);
        this.remote = new RemoteLedger(jdbc);
        this.multiparts = new Multiparts(jdbc);
    }

    /** Connects, migrates the schema, and returns the ledger. */
    public static Ledger open(String url, String username, String password, int poolSize) {
        return open(url, username, password, poolSize, SchemaMigration.LOCATIONS);
    }

    /** {@link #open} with the migrations found in {@code locations} (Flyway's). */
    static Ledger open(String url, String username, String password, int poolSize, String... locations) {
        Ledger ledger = opening(url, username, password, poolSize, locations);
        ledger.awaitOpen();
        return ledger;
    }

    /**
     * Returns at once and connects and migrates on a thread of its own, so that start-up work needing no ledger
     * (wiring, loading the routes) runs meanwhile. Every statement waits until the ledger is open; call
     * {@link #awaitOpen()} before anything runs, to fail there when it cannot be opened.
     */
    public static Ledger opening(String url, String username, String password, int poolSize) {
        return opening(url, username, password, poolSize, SchemaMigration.LOCATIONS);
    }

    private static Ledger opening(String url, String username, String password, int poolSize,
            String... locations) {
        CompletableFuture<Pools> pools = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                pools.complete(connectWhenFree(url, username, password, poolSize, locations));
            } catch (RuntimeException | Error e) {
                pools.completeExceptionally(e);
            }
        }, "vmeg-ledger-open");
        opener.setDaemon(true);
        opener.start();
        return new Ledger(pools);
    }

    private static Pools connectWhenFree(String url, String username, String password, int poolSize,
            String... locations) {
        long deadline = System.nanoTime() + FILE_LOCK_PATIENCE.toNanos();
        while (true) {
            try {
                return connect(url, username, password, poolSize, locations);
            } catch (RuntimeException e) {
                String busy = fileBusy(e);
                if (busy == null || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                LOG.warn("The ledger file is busy ({}); asking again in a second", busy);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** H2's reason when the file's lock is held or was just touched by another process, else null. */
    static String fileBusy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (s.getErrorCode() == H2_DATABASE_ALREADY_OPEN
                    || s.getErrorCode() == H2_ERROR_OPENING_DATABASE && lockRace(String.valueOf(s.getMessage())))) {
                return s.getMessage().lines().findFirst().orElse("");
            }
        }
        return null;
    }

    /**
     * H2 found a lock file: just touched by its owner, or stale (its owner killed) but taken over by another process
     * between H2's delete and create of it. Either way the next attempt finds a living owner to go through.
     */
    private static boolean lockRace(String message) {
        return message.contains("Lock file recently modified") || message.contains("Another process was faster");
    }

    private static Pools connect(String url, String username, String password, int poolSize,
            String... locations) {
        // Flyway holds two connections while it migrates
        HikariDataSource ds = SchemaMigration.migrated(url, username, password,
                () -> new HikariDataSource(pool("ledger", url, username, password, Math.max(poolSize, 2))), locations);
        try {
            return new Pools(ds, new HikariDataSource(pool("ledger-intake", url, username, password, 1)));
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /** Waits until the ledger is open and migrated; throws what opening it threw. */
    public void awaitOpen() {
        pools();
    }

    private Pools pools() {
        return Futures.join(pools);
    }

    private static HikariConfig pool(String name, String url, String username, String password, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(durable(url));
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        // Shaded jars may carry a single java.sql.Driver service file; name the driver so both always load.
        if (url.startsWith("jdbc:h2:")) {
            config.setDriverClassName("org.h2.Driver");
        } else if (url.startsWith("jdbc:postgresql:")) {
            config.setDriverClassName("org.postgresql.Driver");
        }
        return config;
    }

    /**
     * The URL with H2's commits written to the file before {@code commit()} returns. H2 (MVStore) otherwise keeps
     * committed changes in memory for up to {@code WRITE_DELAY} ms (default 500) and has no redo log: a
     * {@code kill -9} in that window loses commits whose side effects (a VMEG task created, a file moved) already
     * happened. {@code WRITE_DELAY=0} makes every committing transaction store its chunk synchronously (a write to
     * the OS, not an fsync). An explicit {@code WRITE_DELAY} in the URL is kept. In-memory and non-H2 URLs are
     * returned unchanged.
     */
    public static String durable(String url) {
        if (!url.startsWith("jdbc:h2:") || url.startsWith("jdbc:h2:mem:")
                || url.toUpperCase(Locale.ROOT).contains(";WRITE_DELAY=")) {
            return url;
        }
        return url + ";WRITE_DELAY=0";
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

    /**
     * The events table through a connection of its own, for the webhook journal's mover: a burst of event
     * processing holding every pooled connection must not hold up storing new webhooks.
     */
    public Events intakeEvents() {
        return intakeEvents;
    }

    public History history() {
        return history;
    }

    public Quarantine quarantine() {
        return quarantine;
    }

    public StuckWork stuckWork() {
        return stuckWork;
    }

    public RemoteLedger remote() {
        return remote;
    }

    public Multiparts multiparts() {
        return multiparts;
    }

    /** Closes the pools; waits for an opening still under way (one that failed has nothing to close). */
    @Override
    public void close() {
        Pools p;
        try {
            p = pools.join();
        } catch (CompletionException e) {
            return;
        }
        p.intake().close();
        p.main().close();
    }
}
