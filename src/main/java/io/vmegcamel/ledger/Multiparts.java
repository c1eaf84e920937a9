package io.vmegcamel.ledger;

import java.util.List;
import java.util.Optional;

/**
 * The {@code multipart_upload} and {@code multipart_part} tables: a job's multipart upload in progress at VMEG and
 * the parts storage has accepted. Each part is committed as soon as its PUT answered, so a restart presigns and
 * PUTs only the parts that are missing, under the same uploadId.
 */
public final class Multiparts {

    /** An upload in progress: VMEG's ids and how the file is cut. */
    public record Upload(String jobId, String materialId, String uploadId, long partSize, int partCount) {
    }

    /** A part storage accepted. */
    public record Part(int partNumber, String eTag, long sizeBytes) {
    }

    private final Jdbc jdbc;

    Multiparts(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a freshly initiated upload; replaces (with its parts) any earlier one of the job. */
    public void start(Upload upload) {
        jdbc.inTransaction(() -> {
            forget(upload.jobId());
            jdbc.update("INSERT INTO multipart_upload (job_id, material_id, upload_id, part_size, part_count, started_at)"
                            + " VALUES (?,?,?,?,?,?)", upload.jobId(), upload.materialId(), upload.uploadId(),
                    upload.partSize(), upload.partCount(), Jdbc.now());
            return null;
        });
    }

    public Optional<Upload> find(String jobId) {
        return jdbc.one("SELECT job_id, material_id, upload_id, part_size, part_count FROM multipart_upload"
                        + " WHERE job_id = ?",
                rs -> new Upload(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5)),
                jobId);
    }

    /**
     * Records a stored part of {@code uploadId}; a part PUT again (its ETag may differ) replaces the earlier row.
     * Returns false when the job's upload is no longer that one (forgotten or replaced meanwhile).
     */
    public boolean recordPart(String jobId, String uploadId, Part part) {
        return jdbc.inTransaction(() -> {
            if (jdbc.one("SELECT 1 FROM multipart_upload WHERE job_id = ? AND upload_id = ?", rs -> 1, jobId,
                    uploadId).isEmpty()) {
                return false;
            }
            jdbc.update("DELETE FROM multipart_part WHERE job_id = ? AND part_number = ?", jobId, part.partNumber());
            jdbc.update("INSERT INTO multipart_part (job_id, part_number, e_tag, size_bytes, stored_at)"
                    + " VALUES (?,?,?,?,?)", jobId, part.partNumber(), part.eTag(), part.sizeBytes(), Jdbc.now());
            return true;
        });
    }

    /** The stored parts of the job's upload, by part number. */
    public List<Part> parts(String jobId) {
        return jdbc.list("SELECT part_number, e_tag, size_bytes FROM multipart_part WHERE job_id = ?"
                + " ORDER BY part_number", rs -> new Part(rs.getInt(1), rs.getString(2), rs.getLong(3)), jobId);
    }

    /** Forgets the job's upload and its parts (completed, aborted, or unknown to VMEG). */
    public void forget(String jobId) {
        jdbc.inTransaction(() -> {
            jdbc.update("DELETE FROM multipart_part WHERE job_id = ?", jobId);
            jdbc.update("DELETE FROM multipart_upload WHERE job_id = ?", jobId);
            return null;
        });
    }
}
