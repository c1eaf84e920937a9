-- Crash-safe file moves and quarantined inbox files (durable branch). Portable SQL for H2 and PostgreSQL.

-- Where the job's source file is being moved to. Set in the same commit as the decision (ingest: processing/ or
-- failed/; completion: archive/ or failed/), cleared once the file, its sidecar, its report and the job summary
-- are in place. A non-null value found after a crash tells the repair exactly what is left to do.
ALTER TABLE job ADD COLUMN moving_to VARCHAR(4096);

-- Inbox files whose failure could not even be reported (failed/ not writable, a move failing): skipped by the
-- inbox consumer while their size and modification time stay the same, so they are not retried at every poll.
CREATE TABLE quarantined_file (
    path_hash       CHAR(64)      NOT NULL PRIMARY KEY,   -- SHA-256 of the absolute path (paths can be long)
    path            VARCHAR(4096) NOT NULL,
    size_bytes      BIGINT        NOT NULL,
    modified_at     BIGINT        NOT NULL,               -- file mtime, epoch milliseconds
    reason          TEXT          NOT NULL,
    quarantined_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
