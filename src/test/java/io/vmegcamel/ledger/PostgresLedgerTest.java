package io.vmegcamel.ledger;

import io.vmegcamel.it.Postgres;

/** The same ledger tests on a real PostgreSQL: one set of migrations and SQL for both databases. */
class PostgresLedgerTest extends LedgerTest {

    @Override
    protected String newDatabase() {
        return Postgres.newDatabase();
    }

    @Override
    protected String user() {
        return "postgres";
    }
}
