-- Resumable multipart uploads (multipart branch). Portable SQL for H2 and PostgreSQL.
-- The multipart upload a job has in progress at VMEG: after a crash or restart the same uploadId is reused, so
-- only the parts that are missing are presigned and PUT again. Deleted when complete registered the material,
-- when the upload was aborted, or when VMEG no longer knows it (a new one is then initiated).
CREATE TABLE multipart_upload (
    job_id       VARCHAR(36)   NOT NULL PRIMARY KEY REFERENCES job (id),
    material_id  VARCHAR(255)  NOT NULL,
    upload_id    VARCHAR(1024) NOT NULL,
    part_size    BIGINT        NOT NULL,           -- fixed at initiate: every run cuts the file the same way
    part_count   INTEGER       NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
-- Each part storage accepted, committed as soon as its PUT answered: number and ETag, as complete needs them.
CREATE TABLE multipart_part (
    job_id       VARCHAR(36)   NOT NULL REFERENCES multipart_upload (job_id) ON DELETE CASCADE,
    part_number  INTEGER       NOT NULL,
    e_tag        VARCHAR(255)  NOT NULL,
    size_bytes   BIGINT        NOT NULL,
    stored_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (job_id, part_number)
);
