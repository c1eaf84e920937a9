package io.vmegcamel.ledger;

import java.sql.SQLException;

/** The ledger could not be read or written; the caller must not assume anything was stored. */
public class LedgerException extends RuntimeException {

    public LedgerException(SQLException cause) {
        super("ledger: " + cause.getMessage(), cause);
    }

    public boolean isUniqueViolation() {
        return Jdbc.isUniqueViolation(this);
    }
}
