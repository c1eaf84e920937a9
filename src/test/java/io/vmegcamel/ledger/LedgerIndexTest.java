package io.vmegcamel.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lookups made for every file and every webhook use an index: a table scan would make each file slower as
 * the ledger grows (H2's plan names the index, or "tableScan" when it has none).
 */
class LedgerIndexTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT id FROM job WHERE moving_to = 'x'",
        "SELECT id FROM job WHERE content_md5 = 'x' AND file_name = 'x'",
        "SELECT id FROM job WHERE output_name = 'x'",
        "SELECT id FROM task WHERE job_id = 'x'",
        "SELECT id FROM task WHERE vmeg_task_id = 'x'",
        "SELECT id FROM task WHERE content_md5 = 'x' AND spec_hash = 'x' AND target_language = 'x'",
        "SELECT id FROM history WHERE job_id = 'x'",
        "SELECT id FROM webhook_event WHERE vmeg_task_id = 'x'",
    })
    void perFileLookupsUseAnIndex(String query) throws Exception {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Ledger.open(url, "sa", "", 2).close(); // migrated; the in-memory database stays
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                Statement s = c.createStatement();
                ResultSet plan = s.executeQuery("EXPLAIN " + query)) {
            plan.next();
            assertThat(plan.getString(1)).doesNotContain("tableScan");
        }
    }
}
