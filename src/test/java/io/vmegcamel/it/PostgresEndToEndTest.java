package io.vmegcamel.it;

import java.util.Properties;

/** The end-to-end flow with the ledger on a real PostgreSQL, as in production. */
class PostgresEndToEndTest extends EndToEndTest {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.ledger.url", Postgres.newDatabase());
        p.setProperty("vmeg.ledger.username", "postgres");
        return p;
    }
}
