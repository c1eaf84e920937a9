package io.vmegcamel.ledger.halting;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/** A migration that dies between its two statements, as a {@code kill -9} would (see MigrationKillTest). */
public class V100__HaltHalfway extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement s = context.getConnection().createStatement()) {
            s.execute("ALTER TABLE job ADD COLUMN first_half INT");
        }
        Runtime.getRuntime().halt(9);
    }
}
