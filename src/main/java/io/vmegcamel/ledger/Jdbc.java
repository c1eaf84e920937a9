package io.vmegcamel.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The smallest JDBC helper the ledger needs: statements with positional parameters, row mapping, and
 * transactions bound to the calling thread so repository methods compose inside {@link #inTransaction}.
 */
public final class Jdbc {

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    private final Supplier<DataSource> dataSource;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    public Jdbc(DataSource dataSource) {
        this(() -> dataSource);
    }

    /** Over a data source still being opened: each statement waits for it (see {@link Ledger#opening}). */
    Jdbc(Supplier<DataSource> dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs work in one transaction; nested calls join the outer one. */
    public <T> T inTransaction(Work<T> work) {
        if (current.get() != null) {
            return call(work);
        }
        try (Connection c = dataSource.get().getConnection()) {
            c.setAutoCommit(false);
            current.set(c);
            try {
                T result = work.run();
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                current.remove();
            }
        } catch (SQLException e) {
            throw new LedgerException(e);
        }
    }

    public int update(String sql, Object... params) {
        return withConnection(c -> {
            try (PreparedStatement ps = prepare(c, sql, params)) {
                return ps.executeUpdate();
            }
        });
    }

    /** Runs one statement for each row of parameters as a JDBC batch (one round trip where the driver can). */
    public int[] batch(String sql, List<Object[]> rows) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (Object[] row : rows) {
                    bind(ps, row);
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    /**
     * Inserts the rows with multi-row {@code INSERT ... VALUES (...), (...)} statements ({@code insertInto} is the
     * statement up to {@code VALUES}, {@code tuple} one row's parenthesized values), up to 500 rows a statement:
     * one statement instead of one per row, which on PostgreSQL is also one round trip. Returns the generated
     * {@code id} by the value of {@code keyColumn}, a unique column, so that the answer does not depend on the
     * order in which the database returns the ids.
     */
    public Map<String, Long> insertRows(String insertInto, String tuple, String keyColumn, List<Object[]> rows,
            Function<Object[], String> keyOf) {
        return withConnection(c -> {
            Map<String, Long> ids = new HashMap<>();
            for (int from = 0; from < rows.size(); from += 500) {
                List<Object[]> part = rows.subList(from, Math.min(rows.size(), from + 500));
                String sql = insertInto + " VALUES " + String.join(",", Collections.nCopies(part.size(), tuple));
                try (PreparedStatement ps = c.prepareStatement(sql, new String[] {"id", keyColumn})) {
                    int at = 1;
                    for (Object[] row : part) {
                        for (Object value : row) {
                            set(ps, at++, value);
                        }
                    }
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        while (keys.next()) {
                            ids.put(keys.getString(2), keys.getLong(1));
                        }
                    }
                }
                for (Object[] row : part) {
                    if (!ids.containsKey(keyOf.apply(row))) {
                        throw new SQLException("no id returned for " + keyColumn + " " + keyOf.apply(row));
                    }
                }
            }
            return ids;
        });
    }

    public <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
        return withConnection(c -> {
            try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        });
    }

    public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = list(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /**
     * True when the exception (or a cause, or for a batch a chained next exception) is a unique-constraint
     * violation (SQLState class 23).
     */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                for (SQLException n = s; n != null; n = n.getNextException()) {
                    if (n.getSQLState() != null && n.getSQLState().startsWith("23")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private <T> T withConnection(SqlFunction<T> fn) {
        Connection c = current.get();
        try {
            if (c != null) {
                return fn.apply(c);
            }
            try (Connection own = dataSource.get().getConnection()) {
                return fn.apply(own);
            }
        } catch (SQLException e) {
            throw new LedgerException(e);
        }
    }

    private <T> T call(Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new LedgerException(e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        bind(ps, params);
        return ps;
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            set(ps, i + 1, params[i]);
        }
    }

    private static void set(PreparedStatement ps, int index, Object p) throws SQLException {
        if (p instanceof Enum<?> e) {
            ps.setString(index, e.name());
        } else if (p instanceof Instant t) {
            ps.setObject(index, t.atOffset(ZoneOffset.UTC));
        } else if (p instanceof Timestamp t) {
            ps.setTimestamp(index, t);
        } else {
            ps.setObject(index, p);
        }
    }

    @FunctionalInterface
    private interface SqlFunction<T> {
        T apply(Connection c) throws SQLException;
    }
}
