-- Remote storage (S3, SFTP; issue 8). Portable SQL for H2 and PostgreSQL.
-- Each remote inbox object (its address and version tag) that was taken, or refused with a report: never taken
-- again, also after a restart, until it changes. id = SHA-256 of address + tag (addresses can be 1,000+ bytes).
CREATE TABLE remote_taken (
    id          CHAR(64) PRIMARY KEY,
    address     VARCHAR(4096) NOT NULL,
    tag         VARCHAR(256) NOT NULL,
    outcome     VARCHAR(32) NOT NULL,
    taken_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
-- Each local outbox file already published to the remote outbox, at which modification time.
CREATE TABLE remote_published (
    id          CHAR(64) PRIMARY KEY,
    modified_ms BIGINT NOT NULL
);
